"""Study tables: the CSV files in `<out>/tables/` that readers open and that later steps read back, all written
by the one CSV writer here (`write_csv`; `CsvStream` and `csv_lines` for tables streamed a block at a time)."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import writing

SENTENCE_COLUMNS = ["article_id", "sentence_index", "paragraph", "kind", "text", "words"]
SIGNIFICANT_DIGITS = 12  # numbers in written tables; numpy's vectorised log and BLAS can differ between CPUs
EXACT_POWERS = 22  # 10.0**k is exact for 0 <= k <= 22


def round_significant(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """`values` (floats) rounded to `digits` significant digits, each the double nearest its decimal, so that it
    prints as at most `digits` digits; 0, NaN and infinities are kept. Vectorised: n = rint(x * 10**shift) is an
    exact integer below 10**digits, and n / 10**shift (or n * 10**-shift) one correctly rounded operation."""
    x = np.array(values, dtype=float)
    out = x.copy()
    todo = np.isfinite(x) & (x != 0)
    shift = np.zeros(x.shape, dtype=int)
    shift[todo] = digits - 1 - np.floor(np.log10(np.abs(x[todo]))).astype(int)
    up = todo & (shift >= 0) & (shift <= EXACT_POWERS)
    down = todo & (shift < 0) & (shift >= -EXACT_POWERS)
    out[up] = np.rint(x[up] * 10.0 ** shift[up]) / 10.0 ** shift[up]
    out[down] = np.rint(x[down] / 10.0 ** -shift[down]) * 10.0 ** -shift[down]
    rest = todo & ~up & ~down
    out[rest] = [float(f"{v:.{digits}g}") for v in x[rest]]
    return out


def stable_floats(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with every float column rounded by `round_significant`, so that its CSV is the same text on every
    machine (a copy; other columns untouched)."""
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    if not floats:
        return table
    return table.assign(**{c: round_significant(table[c]) for c in floats})


def write_table(table: pd.DataFrame, name: str, out: str | Path = ".") -> Path:
    """Write `table` to `<out>/tables/<name>.csv` (`write_csv`: UTF-8, LF line ends, no index, floats to 12
    significant digits); return the path."""
    folder = config.tables_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    write_csv(table, path)
    return path


def write_csv(table: pd.DataFrame, path: Path, *, rows: int = 50_000) -> None:
    """Write `table` to `path` as pandas' `to_csv` would (UTF-8, LF line ends, no index), faster (`rows` rows at a
    time): Python's csv writer with pandas' settings writes the same text for strings, integers, booleans and
    floats; missing values become ''; floats are rounded by `stable_floats`."""
    table = stable_floats(table)
    with writing(path), open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(table.columns)
        for start in range(0, len(table), rows):
            piece = table.iloc[start:start + rows]
            writer.writerows(zip(*(values(piece[c]) for c in table.columns)))


def values(column: pd.Series) -> list:
    """The values of `column` as Python objects, missing ones (NaN) as None (written as '')."""
    found = column.tolist()
    return [None if x != x else x for x in found] if column.isna().any() else found


class CsvStream:
    """A table written to CSV a block of lines at a time: the header `columns`, then lines from `csv_lines`."""

    def __init__(self, path: Path, columns: list[str]):
        self.path, self.stream = path, open(path, "w", encoding="utf-8", newline="")
        csv.writer(self.stream, lineterminator="\n").writerow(columns)
        self.lines: list[str] = []

    def add(self, lines: str) -> None:
        """Queue CSV `lines` for writing."""
        self.lines.append(lines)

    def write(self) -> None:
        """Write the queued lines."""
        with writing(self.path):
            self.stream.write("".join(self.lines))
        self.lines = []

    def close(self) -> None:
        """Write the queued lines and close the file."""
        self.write()
        with writing(self.path):
            self.stream.close()


def csv_lines(rows: list[dict], columns: list[str]) -> str:
    """`rows` (dicts with `columns`) as CSV lines, as `write_csv` writes a table's rows (pandas' format; None as '')."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([tuple(row[c] for c in columns) for row in rows])
    return buffer.getvalue()


def renamed_lines(lines: str, article_id: str) -> str:
    """CSV `lines` (from `csv_lines`) with the first field, the article id, set to `article_id`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([article_id, *row[1:]]
                                                      for row in csv.reader(io.StringIO(lines, newline="")))
    return buffer.getvalue()


def csv_fields(values: Iterable) -> list[str]:
    """Each value as the CSV writer (and so pandas) writes it: quoted when it holds a comma, quote or line end."""
    buffer, fields = io.StringIO(), []
    writer = csv.writer(buffer, lineterminator="\n")
    for value in values:
        writer.writerow([value])
        fields.append(buffer.getvalue()[:-1])
        buffer.seek(0)
        buffer.truncate()
    return fields


def read_table(name: str, out: str | Path = ".") -> pd.DataFrame:
    """Read `<out>/tables/<name>.csv` back (empty strings stay empty strings, not NaN)."""
    return pd.read_csv(config.tables_dir(out) / f"{name}.csv", keep_default_na=False)
