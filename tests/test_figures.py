"""Figure export: files, resolution, deterministic bytes, data and captions, the figure index."""
import io
import json

import matplotlib.pyplot as plt
import pandas as pd
from PIL import Image

from analysis.figures import (PALETTE, article_colours, figure_entries, figure_index_markdown, save_figure, title_of,
                              use_style, wrap_label)

DATA = pd.DataFrame({"term": ["peace", "talks"], "count": [3, 2]})


def draw():
    """A small bar chart in the study's style."""
    use_style()
    fig, ax = plt.subplots()
    ax.bar(DATA["term"], DATA["count"])
    return fig


def save(out, name="bars", notebook="01_corpus"):
    """Save the small chart as `name`; return the PNG path."""
    return save_figure(draw(), name, data=DATA, caption="Counts of two terms. Bars show counts.",
                       notebook=notebook, out=out).path


def test_save_figure_writes_png_svg_csv_and_caption(tmp_path):
    png = save(tmp_path)
    assert png == tmp_path / "figures" / "bars.png" and (tmp_path / "figures" / "bars.svg").exists()
    assert pd.read_csv(tmp_path / "figures" / "data" / "bars.csv").equals(DATA)
    entry = json.loads((tmp_path / "figures" / "data" / "bars.json").read_text())
    assert entry == {"name": "bars", "notebook": "01_corpus", "caption": "Counts of two terms. Bars show counts.",
                     "order": 1}


def test_png_is_300_dpi_at_the_fixed_size(tmp_path):
    with Image.open(save(tmp_path)) as image:
        assert round(image.info["dpi"][0]) == 300 and image.size == (6.4 * 300, 4.0 * 300)


def test_bytes_are_identical_across_two_saves(tmp_path):
    first, second = save(tmp_path / "a"), save(tmp_path / "b")
    for suffix in (".png", ".svg"):
        assert first.with_suffix(suffix).read_bytes() == second.with_suffix(suffix).read_bytes()
    svg = first.with_suffix(".svg").read_text()
    assert "<dc:date>" not in svg and "<text" not in svg  # no date; text drawn as paths, no font dependency


def test_figures_are_numbered_by_notebook_then_save_order(tmp_path):
    save(tmp_path, "b_second_in_02", "02_vocabulary")
    save(tmp_path, "z_first_in_01", "01_corpus")
    save(tmp_path, "a_second_in_01", "01_corpus")
    entries = figure_entries(tmp_path)
    assert list(entries["name"]) == ["z_first_in_01", "a_second_in_01", "b_second_in_02"]
    assert list(entries["number"]) == ["1.1", "1.2", "2.1"]
    markdown = figure_index_markdown(entries)
    assert "## Figure 1.2: Counts of two terms" in markdown and "data/a_second_in_01.csv" in markdown


def test_saved_figure_shows_a_screen_copy_and_no_path(tmp_path):
    saved = save_figure(draw(), "bars", data=DATA, caption="Counts. Bars.", notebook="01_corpus", out=tmp_path)
    with Image.open(io.BytesIO(saved._repr_png_())) as screen:
        assert screen.size == (640, 400)
    assert str(tmp_path) not in repr(saved) and "figures/bars.png" in repr(saved)


def test_helpers():
    assert title_of("Sentence length per article. Dots are sentences.") == "Sentence length per article"
    assert wrap_label("a long label that needs wrapping", 10) == "a long\nlabel that\nneeds\nwrapping"
    assert article_colours(["x", "y"]) == {"x": PALETTE[0], "y": PALETTE[1]}
