"""The explorer page (`analysis.explorer`): its data checked against the tables, and the page itself driven in
headless Chromium (Debian's `chromium` and `chromium-driver`, through Selenium): it loads offline with no console
error and no network request, a search shows the term's keyword-in-context lines, a click on a frame-map cell shows
that sentence's frames and evidence, the filters choose the sentence list, and the buttons work from the keyboard.
Screenshots of each view at 1280 and 390 px go to `test-screenshots/` (git-ignored) for the reader of the report.
Pages are built from the seeds and from small articles cut from them, never from ../shared."""
from __future__ import annotations

import json
from html.parser import HTMLParser
import shutil
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, score
from analysis.explorer import (EXPLORER, MAX_ARTICLES, explorer_data, explorer_html, sentence_occurrences,
                               token_spans)
from analysis.figures import figure_index_markdown
from analysis.plots.framing import frame_colours
from analysis.frames import frame_labels, load_frames
from analysis.score import score_corpus
from analysis.tables import read_table
from analysis.text import word_tokens
from analysis.vocabulary import article_terms

SCREENSHOTS = config.ROOT / "test-screenshots"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def quiet_score(articles, out):
    """`score_corpus` of `articles` into `out` with load warnings silenced; the output folder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return score_corpus([str(a) for a in articles], out, jobs=1).out


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    """An output folder of `score` on the two seed articles: tables and explorer.html."""
    return quiet_score(sorted(config.SEEDS.glob("*.txt")), tmp_path_factory.mktemp("seed") / "out")


@pytest.fixture(scope="module")
def grouped_out(tmp_path_factory):
    """`score` on six short articles cut from the seeds, each with an `outlet` header (two outlets): a corpus of
    more than two articles with groups."""
    folder = tmp_path_factory.mktemp("grouped")
    number = 0
    for seed in sorted(config.SEEDS.glob("*.txt")):
        paragraphs = [p for p in seed.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 3]
        for start in range(0, 18, 6):
            number += 1
            outlet = "Outlet A" if number % 2 else "Outlet B"
            text = "\n\n".join(paragraphs[start:start + 6])
            (folder / f"piece{number}.txt").write_text(f"outlet: {outlet}\nlabel: Piece {number}\n\n{text}\n")
    return quiet_score(sorted(folder.glob("*.txt")), folder / "out")


# --- the data -----------------------------------------------------------------------------------------------------

def test_token_spans_point_at_each_word_token_in_the_raw_text():
    text = "The \u201cinvisible hand\u201d is Ukraine\u2019s problem, Kyiv warned."
    tokens = word_tokens(text)
    spans = token_spans(text, tokens)
    found = {token: text[span[0]:span[1]] for token, span in zip(tokens, spans) if span}
    assert found["invisible"] == "invisible" and found["Ukraine"] == "Ukraine" and found["is"] == "is"
    assert text[slice(*spans[tokens.index("'s")])] == "\u2019s"  # a curly apostrophe counts as one character
    assert spans[tokens.index(",")] is None  # punctuation has no span
    assert sentence_occurrences(text) == [  # 'problem, Kyiv' is no bigram: a comma stands between
        ("invisible", 5, 14), ("hand", 15, 19), ("ukraine", 24, 31), ("problem", 34, 41), ("kyiv", 43, 47),
        ("warned", 48, 54), ("invisible hand", 5, 19), ("kyiv warned", 43, 54)]


def test_every_sentence_term_is_found_as_the_pipeline_counts_it(seed_out):
    sentences = read_table("sentences", seed_out)
    for text in sentences["text"]:
        counted = article_terms([word_tokens(text)]).counts
        assert Counter(t for t, _, _ in sentence_occurrences(text)) == counted, text


def test_keyword_in_context_lines_number_exactly_the_terms_counts(seed_out, grouped_out):
    for out, group in ((seed_out, None), (grouped_out, "outlet")):
        data = explorer_data(out, group=group)
        side_of = dict(enumerate(data.targets))
        article_of = list(data.sentences["article_id"])
        lines = Counter((t, article_of[s]) for t, s in zip(data.occurrences["term"], data.occurrences["s"]))
        for row in data.terms.itertuples():
            mine = set(side_of[row.side]["ids"])
            here = sum(n for (t, a), n in lines.items() if t == row.term and a in mine)
            rest = sum(n for (t, a), n in lines.items() if t == row.term and a not in mine)
            assert (here, rest) == (row.count_target, row.count_reference), (row.term, side_of[row.side]["label"])


def test_term_view_holds_the_keyness_rows_of_each_article_and_groups_sum_their_articles(seed_out, grouped_out):
    data = explorer_data(seed_out)
    keyness = read_table("keyness", seed_out)
    used = keyness[keyness["count_target"] > 0]
    shown = data.terms.assign(article_id=[data.targets[k]["name"] for k in data.terms["side"]])
    merged = used.merge(shown, on=["article_id", "term"], suffixes=("", "_shown"))
    assert len(merged) == len(used)  # every term an article uses (at the keyness floor) is in its view
    assert (merged["g2"] == merged["g2_shown"]).all() and (merged["log_ratio"] == merged["log_ratio_shown"]).all()
    grouped = explorer_data(grouped_out, group="outlet")
    assert [s["label"] for s in grouped.targets][-2:] == ["outlet: Outlet A", "outlet: Outlet B"]
    tfidf = read_table("tfidf_terms", grouped_out)
    side = len(grouped.targets) - 2
    group_a = grouped.targets[side]["ids"]
    assert len(group_a) == 3
    rows = grouped.terms[grouped.terms["side"] == side].set_index("term")
    for term_, row in rows.head(20).iterrows():
        counts = tfidf[tfidf["term"] == term_]
        assert row["count_target"] == counts.loc[counts["article_id"].isin(group_a), "count"].sum()
        assert row["count_reference"] == counts.loc[~counts["article_id"].isin(group_a), "count"].sum()


def test_a_study_runs_groups_are_named_as_its_figures_and_findings_name_them(grouped_out, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(grouped_out / "tables", out / "tables")
    articles = read_table("articles", out)
    groups = pd.DataFrame(dict(article_id=articles["article_id"], group=articles["outlet"],
                               group_label="outlet " + articles["outlet"]))
    groups.to_csv(out / "tables" / "groups.csv", index=False)
    pd.DataFrame(dict(question=["group"], value=["outlet"], source=["given"])).to_csv(
        out / "tables" / "questions.csv", index=False)
    data = explorer_data(out)
    assert [s["label"] for s in data.targets][-2:] == ["outlet Outlet A", "outlet Outlet B"]
    assert [len(s["ids"]) for s in data.targets][-2:] == [3, 3]


def test_circles_group_terms_with_the_same_counts_and_take_the_study_colours(seed_out):
    data = explorer_data(seed_out)
    for point, rows in data.terms.groupby("point"):
        circle = data.points.loc[point]
        assert circle["n"] == len(rows) and rows["g2"].nunique() == 1
        assert (rows["count_target"] == circle["count_target"]).all()
    frames = list(frame_labels(load_frames()))
    assert {f: data.colours[f] for f in frames} == {f: c for f, c in frame_colours(frames).items() if f}


class Links(HTMLParser):
    """The tags of an HTML page that load something (src or href attributes); script bodies are not parsed."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, value) for name, value in attrs if name in ("src", "href") and value]


def test_the_page_is_self_contained_and_its_bytes_are_stable(seed_out):
    page = (seed_out / EXPLORER).read_text(encoding="utf-8")
    links = Links()
    links.feed(page)
    assert links.found == [] and page.count("<script") >= 2  # Bokeh's code and the data, both inline
    assert "Bokeh" in page and len(page) < 5_000_000
    assert explorer_html(explorer_data(seed_out)) == page  # same tables, same bytes (model ids renumbered)


def test_score_writes_the_page_only_up_to_its_stated_size(tmp_path, monkeypatch):
    seeds = sorted(config.SEEDS.glob("*.txt"))
    out = quiet_score(seeds, tmp_path / "out")
    assert (out / EXPLORER).exists() and MAX_ARTICLES <= score.LARGE_CORPUS  # keyness.csv complete up to there
    monkeypatch.setattr(score, "MAX_ARTICLES", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = score_corpus([str(s) for s in seeds], out, jobs=1)
    assert not (out / EXPLORER).exists()  # the earlier page described these articles as a smaller corpus could
    assert any(EXPLORER in note and "more than 1" in note for note in summary.notes)


def test_one_article_gives_a_page_without_a_term_view(tmp_path):
    out = quiet_score(sorted(config.SEEDS.glob("*.txt"))[:1], tmp_path / "out")
    data = explorer_data(out)
    assert data.points.empty and len(data.sentences) > 0
    assert "no rest of the corpus" in (out / EXPLORER).read_text(encoding="utf-8")


def test_the_figure_index_names_the_figures_the_page_makes_interactive():
    entries = pd.DataFrame({"number": ["2.4", "3.2", "4.1"], "name": ["keyness_scatter", "frame_map", "sentiment"],
                            "notebook": ["02_vocabulary", "03_framing", "04_sentiment"],
                            "caption": ["Word frequency in one article. Circles.", "Frame map. Cells.", "Tone. Dots."]})
    markdown = figure_index_markdown(entries)
    assert "[`explorer.html`](../explorer.html)" in markdown
    assert "- Figure 2.4 (Word frequency in one article): any article" in markdown
    assert "- Figure 3.2 (Frame map): a click on a sentence" in markdown and "Figure 4.1 (" not in markdown
    assert "explorer.html" not in figure_index_markdown(entries.iloc[2:])


# --- the page in a browser ----------------------------------------------------------------------------------------

def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (make setup)"
    if not (CHROMIUM and DRIVER):
        return "Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)"
    return None


needs_browser = pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing()))

# Finds an element anywhere in the page, inside Bokeh's shadow roots too: the host element of the model named
# arguments[0] (Bokeh's view of it), or with arguments[1], the first element matching that CSS selector inside it.
FIND = """
const model = Bokeh.documents[0].get_model_by_name(arguments[0]);
const view = Bokeh.index.find_one(model), selector = arguments[1];
if (!selector) return view.el;
function search(root) {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const el of root.querySelectorAll("*")) if (el.shadowRoot) { const f = search(el.shadowRoot); if (f) return f; }
  return null;
}
return search(view.el.shadowRoot || view.el);
"""


class Page:
    """The explorer page open in headless Chromium at `width` px, with the network switched off."""

    def __init__(self, path: Path, width: int = 1280):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        self.profile = tempfile.mkdtemp(prefix="explorer-chromium-")
        for flag in FLAGS + (f"--user-data-dir={self.profile}", f"--window-size={width},1000"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        self.width = width
        self.resize(1000)  # a window is at least 500 px wide: narrower screens are emulated, as a phone's
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        self.driver.get(path.as_uri())
        self.wait("return window.Bokeh !== undefined && Bokeh.documents.length > 0 && "
                  "Bokeh.documents[0].get_model_by_name('count').text.length > 0")

    def wait(self, script: str, *args, timeout: float = 20.0):
        """Wait until `script` returns something true; return it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = self.driver.execute_script(script, *args)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for: {script}")

    def model(self, name: str, attribute: str):
        """A plain attribute (text, value, options) of the Bokeh model named `name`, as the page has it now."""
        return self.driver.execute_script("return Bokeh.documents[0].get_model_by_name(arguments[0])[arguments[1]];",
                                          name, attribute)

    def column(self, name: str, column: str) -> list:
        """Column `column` of the data source named `name`, as the page has it now."""
        return self.driver.execute_script(
            "const d = Bokeh.documents[0].get_model_by_name(arguments[0]).data;"
            "return Array.from(d instanceof Map ? d.get(arguments[1]) : d[arguments[1]]);", name, column)

    def selected(self, name: str) -> list[int]:
        """The selected rows of the data source named `name`."""
        return self.driver.execute_script(
            "return Array.from(Bokeh.documents[0].get_model_by_name(arguments[0]).selected.indices);", name)

    def element(self, name: str, selector: str | None = None):
        """The DOM element of the model named `name` (or the first match of `selector` inside it)."""
        return self.driver.execute_script(FIND, name, selector)

    def choose(self, name: str, label: str) -> None:
        """Choose the option labelled `label` in the select box of the model named `name`."""
        from selenium.webdriver.support.ui import Select

        Select(self.element(name, "select")).select_by_visible_text(label)

    def click_cell(self, sentence_row: int) -> None:
        """Click the frame map's cell of the sentence in row `sentence_row` of sentences.csv (its first slice),
        where it is on the screen."""
        from selenium.webdriver.common.action_chains import ActionChains

        x, y = self.driver.execute_script("""
            const m = Bokeh.documents[0].get_model_by_name('frame_map'), v = Bokeh.index.find_one(m);
            const cells = Bokeh.documents[0].get_model_by_name('cells').data;
            const i = Array.from(cells.s).indexOf(arguments[0]);
            v.el.scrollIntoView({block: 'center'});
            const box = v.canvas_view.el.getBoundingClientRect();
            return [box.left + v.frame.x_scale.compute(cells.x[i]),
                    box.top + v.frame.y_scale.compute((cells.top[i] + cells.bottom[i]) / 2)];""", sentence_row)
        ActionChains(self.driver).move_by_offset(0, 0).perform()
        self.driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                                     "clickCount": 1})

    def console_problems(self) -> list[str]:
        """Console messages of level WARNING or worse."""
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] in ("WARNING", "SEVERE")]

    def requests(self) -> list[tuple[str, str]]:
        """(document, URL) of every request made since the browser started (the new-tab page's chrome:// ones
        included)."""
        found = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                found.append((message["params"].get("documentURL", ""), message["params"]["request"]["url"]))
        return found

    def resize(self, height: int) -> None:
        """Show the page on a screen `self.width` px wide (a phone's, with touch, below 600 px) and `height` high."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": self.width, "height": height, "deviceScaleFactor": 1, "mobile": self.width < 600})

    def screenshot(self, name: str) -> Path:
        """Save a screenshot of the whole page to test-screenshots/<name>.png."""
        SCREENSHOTS.mkdir(exist_ok=True)
        self.resize(min(self.driver.execute_script("return document.documentElement.scrollHeight") + 40, 8000))
        self.driver.execute_script("window.scrollTo(0, 0);")
        time.sleep(0.5)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def page(seed_out):
    opened = Page(seed_out / EXPLORER)
    yield opened
    opened.close()


@needs_browser
def test_the_page_loads_offline_without_console_errors_or_network_requests(page, seed_out):
    assert len(page.column("listing", "s")) == 49  # every seed sentence listed
    assert page.column("points", "side") and page.column("cells", "s")
    assert page.console_problems() == []
    requests = page.requests()
    mine = [url for document, url in requests if document.startswith("file:")]
    assert mine and mine[0] == (seed_out / EXPLORER).as_uri()
    assert all(url.startswith(("file:", "data:", "blob:")) for url in mine), mine
    browser_pages = ("chrome:", "chrome-untrusted:")  # the browser's own new-tab page, not the explorer
    assert not [url for document, url in requests if not document.startswith(browser_pages)
                and not url.startswith(("file:", "data:", "blob:"))], requests


@needs_browser
def test_searching_a_term_shows_its_keyword_in_context_lines(page, seed_out):
    search = page.element("search", "input")
    search.click()
    search.send_keys("ukrainian")
    text = page.wait("const t = Bokeh.documents[0].get_model_by_name('kwic').text; "
                     "return t.includes('context: \u201cukrainian\u201d') && t.includes('<table') ? t : null;")
    keyness = read_table("keyness", seed_out)
    row = keyness[(keyness["term"] == "ukrainian") & (keyness["article_id"] == "mar17")].iloc[0]
    assert f"{row.count_target} lines in 17 March, {row.count_reference} in the rest" in text
    assert text.count('<td class="match">') == row.count_target + row.count_reference
    assert text.lower().count('<td class="match">ukrainian</td>') == row.count_target + row.count_reference
    terms = page.column("terms", "term")
    listed = page.driver.execute_script(
        "return Array.from(Bokeh.documents[0].get_model_by_name('term_table').view.filter.booleans);")
    assert [t for t, shown in zip(terms, listed) if shown] == ["ukrainian"]  # the term table shows the match
    assert len(page.selected("points")) == 1
    assert page.model("search", "value_input") == "ukrainian"  # the search box kept the focus while typing
    page.screenshot("explorer-term-view-1280")
    assert page.console_problems() == []


@needs_browser
def test_clicking_a_term_in_the_table_shows_its_lines_and_circle(page, seed_out):
    first = page.element("term_table", ".slick-row .slick-cell")
    term_ = first.text
    first.click()
    text = page.wait("const t = Bokeh.documents[0].get_model_by_name('kwic').text; "
                     f"return t.includes('context: \\u201c{term_}\\u201d') ? t : null;")
    keyness = read_table("keyness", seed_out)
    row = keyness[(keyness["term"] == term_) & (keyness["article_id"] == "mar17")].iloc[0]
    assert text.count('<td class="match">') == row.count_target + row.count_reference
    points = page.selected("points")
    assert len(points) == 1 and page.column("points", "count_target")[points[0]] == row.count_target


@needs_browser
def test_clicking_a_frame_map_cell_shows_the_sentence_its_frames_and_evidence(page, seed_out):
    sentences = read_table("sentences", seed_out)
    row = int(sentences.index[(sentences["article_id"] == "mar07") & (sentences["sentence_index"] == 2)][0])
    chosen = sentences.loc[row]
    page.click_cell(row)
    text = page.wait("const t = Bokeh.documents[0].get_model_by_name('detail').text; "
                     "return t.includes('sentence 2 ') ? t : null;")
    labels = frame_labels(load_frames())
    assert "7 March, sentence 2" in text
    for frame, words in (part.split(": ") for part in chosen["frame_evidence"].split(" | ")):
        assert f"<b>{labels[frame]}</b>, decided by: " in text
        assert all(f"\u201c{word}\u201d" in text for word in words.split(", "))
    assert "VADER compound" in text and f"{abs(chosen['compound']):.2f}" in text
    assert "invisible hand" in text and "<mark>" in text
    page.screenshot("explorer-frame-map-1280")
    assert page.console_problems() == []


@needs_browser
def test_filters_choose_the_sentence_list_and_dim_the_other_cells(page, seed_out):
    sentences = read_table("sentences", seed_out)
    blame = sentences["frames"].str.split(";").map(lambda found: "invisible_hand" in found)
    page.choose("frame_filter", frame_labels(load_frames())["invisible_hand"])
    page.wait(f"return Bokeh.documents[0].get_model_by_name('listing').data.s.length == {int(blame.sum())};")
    assert f"<b>{int(blame.sum())}</b> of 49 sentences" in page.model("count", "text")
    page.choose("article_filter", "7 March")
    wanted = sentences.index[blame & (sentences["article_id"] == "mar07")].tolist()
    page.wait(f"return Bokeh.documents[0].get_model_by_name('listing').data.s.length == {len(wanted)};")
    assert page.column("listing", "s") == wanted
    alpha = page.column("cells", "alpha")
    kept = [a for a, s in zip(alpha, page.column("cells", "s")) if s in wanted]
    assert set(kept) == {1.0} and min(alpha) < 1.0
    page.choose("speaker_filter", f"Qin Gang ({(sentences['speaker'] == 'Qin Gang').sum()})")
    assert page.model("speaker_filter", "value") == "=Qin Gang"
    quoted = sentences.index[blame & (sentences["article_id"] == "mar07") & (sentences["speaker"] == "Qin Gang")]
    page.wait(f"return Bokeh.documents[0].get_model_by_name('listing').data.s.length == {len(quoted)};")
    assert 0 < len(quoted) < len(wanted)
    page.screenshot("explorer-filters-1280")
    assert page.console_problems() == []


@needs_browser
def test_the_buttons_work_from_the_keyboard(page, seed_out):
    from selenium.webdriver.common.keys import Keys

    sentences = read_table("sentences", seed_out)
    button = page.element("next", "button")
    button.send_keys(Keys.ENTER)
    page.wait("return Bokeh.documents[0].get_model_by_name('detail').text.includes('sentence 1 ');")
    button.send_keys(Keys.ENTER)
    text = page.wait("const t = Bokeh.documents[0].get_model_by_name('detail').text; "
                     "return t.includes('sentence 2 ') ? t : null;")
    assert sentences.loc[1, "text"][:40].replace('"', "&quot;") in text.replace("<mark>", "").replace("</mark>", "")


@needs_browser
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_whole_page(seed_out, width):
    opened = Page(seed_out / EXPLORER, width)
    try:
        shown, overflow = opened.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth];")
        assert shown == width and overflow <= width, f"the page is {overflow} px wide on a {width} px screen"
        from selenium.webdriver.common.keys import Keys

        opened.element("search", "input").send_keys("talks", Keys.ESCAPE)  # Escape closes the completions menu
        opened.wait("return Bokeh.documents[0].get_model_by_name('kwic').text.includes('\u201ctalks\u201d');")
        opened.click_cell(1)
        opened.wait("return Bokeh.documents[0].get_model_by_name('detail').text.includes('sentence 2 ');")
        assert opened.screenshot(f"explorer-page-{width}").stat().st_size > 10_000
        assert opened.console_problems() == []
    finally:
        opened.close()


@needs_browser
def test_a_grouped_page_compares_a_group_with_the_rest(grouped_out, tmp_path):
    from analysis.explorer import write_explorer

    path = write_explorer(grouped_out, target=tmp_path / EXPLORER, group="outlet")
    opened = Page(path)
    try:
        opened.choose("side", "outlet: Outlet A")
        group = opened.model("side", "value")
        opened.wait("return Bokeh.documents[0].get_model_by_name('term_plot').left[0].axis_label == "
                    "'Per 1,000 terms in outlet: Outlet A';")
        opened.choose("article_filter", "outlet: Outlet A")
        data = explorer_data(grouped_out, group="outlet")
        members = set(data.targets[int(group)]["ids"])
        wanted = [i for i, a in enumerate(data.sentences["article_id"]) if a in members]
        opened.wait(f"return Bokeh.documents[0].get_model_by_name('listing').data.s.length == {len(wanted)};")
        assert opened.console_problems() == []
    finally:
        opened.close()
