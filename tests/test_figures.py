"""Figure export: files, resolution, deterministic bytes, data and captions, the figure index."""
import io
import json
import re

import matplotlib.pyplot as plt
import pandas as pd
from PIL import Image

from analysis import config
from analysis.figures import (FIGURES, PALETTE, article_colours, figure_entries, figure_index_markdown, save_figure, title_of,
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
    # notebooks of one's own (not in FIGURES): numbered in save order
    save(tmp_path, "b_second_in_02", "07_more")
    save(tmp_path, "z_first_in_01", "06_extra")
    save(tmp_path, "a_second_in_01", "06_extra")
    entries = figure_entries(tmp_path)
    assert list(entries["name"]) == ["z_first_in_01", "a_second_in_01", "b_second_in_02"]
    assert list(entries["number"]) == ["6.1", "6.2", "7.1"]
    markdown = figure_index_markdown(entries)
    assert "## Figure 6.2: Counts of two terms" in markdown and "data/a_second_in_01.csv" in markdown


def test_figure_numbers_do_not_depend_on_which_optional_figures_a_run_draws(tmp_path):
    # the review's case: a grouped run saves group_keyness_words before similarity_heatmap, so the heatmap was
    # Figure 2.7 there and 2.6 in a run of articles; a run without key phrases moved every later figure up one
    per_article, grouped = tmp_path / "articles", tmp_path / "groups"
    for name in ("tfidf_top_terms", "keyness_words", "keyness_scatter", "similarity_heatmap"):
        save(per_article, name, "02_vocabulary")
    for name in ("tfidf_top_terms", "keyness_words", "keyness_phrases", "keyness_scatter", "group_keyness_words",
                 "similarity_heatmap"):
        save(grouped, name, "02_vocabulary")
    save(grouped, "my_extra_chart", "02_vocabulary")
    first, second = (figure_entries(out).set_index("name")["number"] for out in (per_article, grouped))
    assert first.to_dict() == {"tfidf_top_terms": "2.1", "keyness_words": "2.2", "keyness_scatter": "2.4",
                               "similarity_heatmap": "2.6"}
    assert second.to_dict() == {**first.to_dict(), "keyness_phrases": "2.3", "group_keyness_words": "2.7",
                                "my_extra_chart": "2.8"}  # a figure of one's own: after the listed ones
    assert list(second.index) == ["tfidf_top_terms", "keyness_words", "keyness_phrases", "keyness_scatter",
                                  "similarity_heatmap", "group_keyness_words", "my_extra_chart"]


def test_every_figure_the_notebooks_save_is_listed_once():
    listed = [name for names in FIGURES.values() for name in names]
    assert len(listed) == len(set(listed))
    for notebook, names in FIGURES.items():
        cells = json.loads((config.NOTEBOOKS / f"{notebook}.ipynb").read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        calls = re.findall(r"save_figure\((.*?)notebook=", code, re.S)
        strings = [set(re.findall(r'"([a-z_]+)"', call)) for call in calls]
        assert len(calls) == len(names) and all(len(found & set(names)) == 1 for found in strings), notebook


def test_saved_figure_shows_a_screen_copy_and_no_path(tmp_path):
    saved = save_figure(draw(), "bars", data=DATA, caption="Counts. Bars.", notebook="01_corpus", out=tmp_path)
    with Image.open(io.BytesIO(saved._repr_png_())) as screen:
        assert screen.size == (640, 400)
    assert str(tmp_path) not in repr(saved) and "figures/bars.png" in repr(saved)


def test_helpers():
    assert title_of("Sentence length per article. Dots are sentences.") == "Sentence length per article"
    assert wrap_label("a long label that needs wrapping", 10) == "a long\nlabel that\nneeds\nwrapping"
    assert article_colours(["x", "y"]) == {"x": PALETTE[0], "y": PALETTE[1]}


def test_lexicon_scatter_labels_point_inward_and_stay_inside_the_axes():
    from analysis.plots.sentiment import plot_lexicon_scatter
    use_style()
    lexicons = pd.DataFrame(dict(article_id="a", sentence_index=[1, 2, 3], text="x", vader=[0.97, -0.97, 0.1],
                                 textblob=[-0.02, 0.95, 0.1]))
    worst = lexicons.head(2).assign(rank=[1, 2], difference=[0.99, 1.92])
    agreement = pd.DataFrame(dict(article_id=["all"], n=[3], pearson=[-0.5], spearman=[-0.5], same_class=[0.3]))
    fig = plot_lexicon_scatter(lexicons, agreement, worst, {"a": "A"})
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.get_window_extent()
    labels = {t.get_text(): t for t in ax.texts}
    assert sorted(labels) == ["1", "2"]
    for rank, (x, y) in zip("12", [(0.97, -0.02), (-0.97, 0.95)]):
        extent = labels[rank].get_window_extent()
        px, py = ax.transData.transform((x, y))
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, rank  # inside the axes, also at either edge
        assert (extent.x1 < px) if x > 0 else (extent.x0 > px), rank  # beside its point, toward the middle
    plt.close(fig)


def test_an_article_has_its_colour_in_every_chart_whichever_articles_the_chart_shows():
    """The third article is quoted and holds the query alone: its bars and ticks take the third colour, as in the
    charts of every article, not the first colour of a chart that shows it alone."""
    from matplotlib.colors import to_hex

    from analysis.plots.framing import plot_voice_frames
    from analysis.plots.vocabulary import plot_dispersion

    labels = {"a": "First article", "b": "Second article", "c": "Third article"}
    frames = {"battlefield": "Battlefield", "human_cost": "Human cost"}
    voices = pd.DataFrame(dict(article_id="c", speaker="Olena Kovalenko", frame=list(frames), quotes=2,
                               frame_quotes=[1, 0], words=14, frame_words=[9, 0]))
    fig = plot_voice_frames(voices, labels, frames)
    assert to_hex(fig.axes[0].patches[0].get_facecolor()) == PALETTE[2].lower()
    plt.close(fig)
    positions = pd.DataFrame(dict(article_id="c", term="talks", sentence_index=[1, 3], word=[2, 30],
                                  position=[0.05, 0.75]))
    fig = plot_dispersion(positions, ["talks"], ["c"], labels)
    drawn = {to_hex(c) for ax in fig.axes for artist in ax.collections for c in artist.get_edgecolor()} | \
        {to_hex(line.get_color()) for ax in fig.axes for line in ax.get_lines()}
    assert PALETTE[2].lower() in drawn and PALETTE[0].lower() not in drawn
    plt.close(fig)


def test_every_caption_of_a_chart_with_the_neutral_band_says_what_the_grey_band_is():
    """A figure cited alone must explain its grey band: each chart drawn with `neutral_band` on VADER's scale says
    in its caption that the band is VADER's neutral range, with the thresholds (the committed seed study)."""
    from analysis.sentiment import THRESHOLD
    banded = ("sentiment_scores", "sentiment_arcs", "sentiment_frames", "sentiment_speakers", "sentiment_actors")
    entries = figure_entries(config.ROOT).set_index("name")["caption"]
    for name in banded:
        assert "grey band" in entries[name] and f"−{THRESHOLD}" in entries[name], name
