"""Written tables: floats are rounded to 12 significant digits so a CSV is the same text on every machine."""
import math

import numpy as np
import pandas as pd

from analysis.tables import (csv_lines, read_table, renamed_lines, round_significant, stable_floats, write_csv,
                             write_table)


def test_round_significant_keeps_twelve_digits_and_prints_them_shortest():
    rounded = round_significant([-0.7871062382137985, 1234.56789012345678, 1.23456789012345e-30, 123456789012345.0])
    assert [repr(float(x)) for x in rounded] == ["-0.787106238214", "1234.56789012", "1.23456789012e-30",
                                                 "123456789012000.0"]


def test_round_significant_makes_last_bit_differences_vanish():
    # the 17 March self-similarity as two CPUs computed it, and a Log Ratio that differed in its last bits
    assert round_significant([0.9999999999999969, 0.9999999999999976, 1.0000000000000002]).tolist() == [1.0] * 3
    assert round_significant([-0.7871062382137985])[0] == round_significant([-0.7871062382137987])[0]


def test_round_significant_keeps_zero_nan_and_infinities():
    out = round_significant([0.0, math.nan, math.inf, -math.inf, 0.3])
    assert out[0] == 0 and math.isnan(out[1]) and out[2] == math.inf and out[3] == -math.inf
    assert out[4] == 0.3 and round_significant([0.1 + 0.2])[0] == 0.3


def test_stable_floats_rounds_float_columns_only():
    table = pd.DataFrame({"id": ["a", "b"], "n": [2**60 + 1, 3], "x": [1 / 3, 2 / 3]})
    out = stable_floats(table)
    assert out["n"].tolist() == [2**60 + 1, 3] and out["id"].tolist() == ["a", "b"]
    assert out["x"].tolist() == [0.333333333333, 0.666666666667]
    assert table["x"].tolist() == [1 / 3, 2 / 3]  # the input is not changed


def test_write_table_writes_rounded_floats_and_reads_back(tmp_path):
    table = pd.DataFrame({"term": ["peace", ""], "g2": [np.float64(534.6374245029), 1 / 3]})
    path = write_table(table, "keyness", tmp_path)
    assert path.read_text() == "term,g2\npeace,534.637424503\n,0.333333333333\n"
    assert read_table("keyness", tmp_path)["term"].tolist() == ["peace", ""]


def test_write_csv_writes_what_pandas_writes(tmp_path):
    table = pd.DataFrame({"text": ['say "no", twice', "", "two\nlines", None], "value": [0.1, np.nan, -0.0, 1e16],
                          "count": [1, 2, 3, 4], "flag": [True, False, True, False]})
    write_csv(table, tmp_path / "fast.csv", rows=3)
    stable_floats(table).to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_renamed_lines_change_only_the_article_id():
    """A repeated id is renamed in the CSV lines a worker wrote: fields with commas, quotes and line ends stay as
    `csv_lines` writes them."""
    columns = ["article_id", "text", "compound", "speaker"]
    rows = [dict(article_id="same", text='He said, "no"\nand left', compound=-0.25, speaker=None),
            dict(article_id="same", text="Plain", compound=0.5, speaker="Qin Gang")]
    lines = csv_lines(rows, columns)
    assert lines == 'same,"He said, ""no""\nand left",-0.25,\nsame,Plain,0.5,Qin Gang\n'
    assert renamed_lines(lines, "same-2") == csv_lines([{**row, "article_id": "same-2"} for row in rows], columns)
