"""Real-world input, as a new user would try it: the March 2023 articles in other encodings and as copies, one
article, twenty articles, a pasted web page, another language, a 5 MB file, and bad input on the command line.
Whole-study runs go through `python -m analysis run` in a subprocess, each made once per module and shared by
its tests; bad input goes through the command's `main` in this process, and once through a subprocess."""
import codecs
import hashlib
import html
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import types
import warnings

import nbformat
import pandas as pd
import pytest

from analysis import config
from analysis.__main__ import main, parser
from analysis.corpus import expand_paths, load_corpus
from analysis.figures import figure_entries
from analysis.run import study_notebooks
from tests.conftest import shared_path
from tests.test_study_tables import check_study

SEED_MAR17 = "seeds/000_fc00426c0e321901.txt"
EMPTY_FOR_ONE = {"keyness", "shared_passages"}  # tables that compare articles: empty for one article
PER_ARTICLE_FIGURES = ("sentence_lengths", "top_terms", "frame_shares", "sentiment_scores")


# --- helpers ------------------------------------------------------------------------------------------------------

def cli(*args, cwd=config.ROOT):
    """Run `python -m analysis ARGS` in folder `cwd`; return the completed process (text output)."""
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=1200)


def study_hashes():
    """SHA-256 per file of the seed study in the repository (notebooks, figures, tables, README), and the names
    of any staging folders left in the repository root."""
    files = [p for name in ("notebooks", "figures", "tables") for p in (config.ROOT / name).rglob("*")
             if p.is_file()] + [config.ROOT / "README.md"]
    hashes = {str(p.relative_to(config.ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    return hashes, sorted(p.name for p in config.ROOT.glob(".staging-*"))


def study_run(folder, *articles):
    """A whole study run on `articles` into `folder/out` through the command line, with the seed study's hashes
    before and after."""
    before = study_hashes()
    result = cli("run", "--articles", *articles, "--out", folder / "out")
    return types.SimpleNamespace(result=result, out=folder / "out", before=before, after=study_hashes())


def table(run, name):
    """Table `name` of a run's output folder."""
    return pd.read_csv(run.out / "tables" / f"{name}.csv", keep_default_na=False)


def ids_in(frame):
    """Article ids named in a table (column article_id, or article_a and article_b)."""
    columns = [c for c in ("article_id", "article_a", "article_b") if c in frame.columns]
    return set(frame[columns].to_numpy().ravel())


def stream_text(path, name):
    """All text a notebook printed to stream `name` (stdout or stderr), cell by cell."""
    cells = nbformat.read(path, as_version=4).cells
    return ["".join(o.text for o in c.outputs if o.output_type == "stream" and o.name == name)
            for c in cells if c.cell_type == "code"]


def error_outputs(path):
    """Error outputs of the code cells of executed notebook `path`."""
    cells = nbformat.read(path, as_version=4).cells
    return [o for c in cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def header_and_body(path):
    """(header lines, body) of a news_2023 file: its `Source:` header and the article text after it."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    return head.split("\n"), body


def assert_tables_complete(run, ids):
    """Every article of `ids`, and no other, is in the per-article tables; every table the seed study has exists."""
    assert list(table(run, "articles")["article_id"]) == ids
    for name in ("sentences", "keyness", "frame_shares", "sentiment_articles", "tfidf_terms", "similarity"):
        assert ids_in(table(run, name)) == set(ids), name
    for path in (run.out / "tables").glob("*.csv"):
        assert ids_in(pd.read_csv(path, keep_default_na=False)) - {"all"} <= set(ids), path.name
    assert {p.name for p in (config.ROOT / "tables").glob("*.csv")} <= {p.name for p in (run.out / "tables").iterdir()}


def assert_figures_complete(run, ids):
    """Every figure the seed study has exists; each has PNG, SVG, data CSV and an index entry; the per-article
    figures draw every article of `ids`."""
    figures = run.out / "figures"
    pngs = sorted(p.stem for p in figures.glob("*.png"))
    assert {p.stem for p in (config.ROOT / "figures").glob("*.png")} <= set(pngs)
    assert pngs == sorted(figure_entries(run.out)["name"])
    index = (figures / "README.md").read_text()
    for name in pngs:
        assert (figures / f"{name}.svg").exists() and (figures / "data" / f"{name}.csv").exists(), name
        assert f"({name}.png)" in index, name
    for name in PER_ARTICLE_FIGURES:
        assert set(pd.read_csv(figures / "data" / f"{name}.csv")["article_id"]) == set(ids), name


def assert_notebooks_clean(run):
    """The run exited 0 with nothing but load warnings on stderr; every notebook has an HTML copy and no error."""
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert all(line.startswith("warning: ") for line in run.result.stderr.splitlines()), run.result.stderr
    for notebook in study_notebooks():
        assert (run.out / "html" / f"{notebook.stem}.html").stat().st_size > 10_000, notebook.name
        errors = error_outputs(run.out / "notebooks" / notebook.name)
        assert not errors, f"{notebook.name}: {errors[0].ename}: {errors[0].evalue}"


def assert_complete_study(run, ids):
    """A clean run whose tables and figures cover every article of `ids` (see the three checks above)."""
    assert_notebooks_clean(run)
    assert_tables_complete(run, ids)
    assert_figures_complete(run, ids)


# --- whole-study runs, one per module each ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def five_run(tmp_path_factory):
    """The three March 2023 articles as stored, a Windows-1252 copy of one and a UTF-8-with-BOM, CRLF copy of
    another (each with its own header and one added sentence), and an exact duplicate of the third under a new
    header: a run over six files that should keep five."""
    news = shared_path("data", "news_2023")
    folder = tmp_path_factory.mktemp("five")
    copies = folder / "copies"
    copies.mkdir()
    lukashenko, kishida, taiwan = sorted(news.glob("*.txt"))
    head, body = header_and_body(lukashenko)
    (copies / "cp1252_copy.txt").write_bytes(
        ("id: xi-lukashenko-cp1252\ntitle: Xi and Lukashenko meet in Beijing\n" + "\n".join(head) + "\n\n" + body
         + "\nThis copy was saved in Windows-1252.\n").encode("cp1252"))
    head, body = header_and_body(kishida)
    text = ("id: kishida-bom-crlf\ntitle: Kishida visits Kyiv as Xi meets Putin\n" + "\n".join(head) + "\n\n" + body
            + "\nThis copy was saved with a byte-order mark and Windows line ends.\n")
    (copies / "bom_crlf_copy.txt").write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
    (copies / "exact_duplicate.txt").write_text("id: taiwan-again\n\n" + header_and_body(taiwan)[1])
    run = study_run(folder, news / "*.txt", copies / "*.txt")
    run.news, run.copies = news, copies
    run.ids = [p.stem for p in (lukashenko, kishida, taiwan)] + ["kishida-bom-crlf", "xi-lukashenko-cp1252"]
    return run


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    """A run on the 17 March seed alone."""
    return study_run(tmp_path_factory.mktemp("one"), SEED_MAR17)


def news_corpus_articles(folder, per_outlet=((("Guardians_Russia_Ukraine.csv", "The Guardian", "guardian"), 8),
                                              (("NYT_Russia_Ukraine.csv", "The New York Times", "nyt"), 7))):
    """Article files written to `folder` from the first rows (unique headlines) of the news_corpus CSV files,
    each with a `title:`, `date:` (as the CSV writes it) and `outlet:` header; returns their stems."""
    stems = []
    for (name, outlet, prefix), count in per_outlet:
        rows = pd.read_csv(shared_path("data", "news_corpus", name), dtype=str, keep_default_na=False)
        for number, row in enumerate(rows.drop_duplicates("headlines").head(count).itertuples(), start=1):
            stem = f"{prefix}_{number:02d}"
            (folder / f"{stem}.txt").write_text(f"title: {row.headlines}\ndate: {row.published}\noutlet: {outlet}"
                                                f"\n\n{row.articles}\n", encoding="utf-8")
            stems.append(stem)
    return stems


@pytest.fixture(scope="module")
def twenty_run(tmp_path_factory):
    """A run on twenty articles: the two seeds, the three March 2023 articles and fifteen made from rows of the
    Guardian and New York Times CSV files."""
    news = shared_path("data", "news_2023")
    folder = tmp_path_factory.mktemp("twenty")
    (folder / "csv").mkdir()
    made = news_corpus_articles(folder / "csv")
    run = study_run(folder, "seeds/*.txt", news / "*.txt", folder / "csv" / "*.txt")
    run.ids = ["mar17", "mar07"] + [p.stem for p in sorted(news.glob("*.txt"))] + made
    return run


# --- the three March 2023 articles, re-encoded and copied ----------------------------------------------------------

def test_real_articles_with_re_encoded_copies_make_a_complete_study(five_run):
    assert_complete_study(five_run, five_run.ids)
    check_study(five_run.out)


def test_load_warnings_are_printed_one_line_each_naming_the_file(five_run):
    lines = five_run.result.stderr.splitlines()
    copies = five_run.copies
    assert f"warning: {copies / 'cp1252_copy.txt'}: not valid UTF-8; read as Windows-1252" in lines
    duplicate = [line for line in lines if "dropped as a duplicate" in line]
    assert duplicate == [f"warning: {copies / 'exact_duplicate.txt'}: same text as "
                         f"{five_run.news / 'ukrinform_2023-03-21_taiwan_fm_xi_moscow_peace_plan.txt'}; "
                         f"dropped as a duplicate"]
    near = [line for line in lines if "near-duplicate of" in line]
    assert sorted(re.match(r"warning: (\S+): near-duplicate of (\S+) ", line).groups() for line in near) == [
        (str(copies / "bom_crlf_copy.txt"), str(five_run.news / "cnn_2023-03-21_kishida_kyiv_xi_moscow.txt")),
        (str(copies / "cp1252_copy.txt"), str(five_run.news / "cnn_2023-03-01_xi_lukashenko_china_position.txt"))]
    assert all(line.startswith("warning: ") for line in lines), lines


def test_re_encoded_copies_read_as_their_originals(five_run):
    articles = table(five_run, "articles").set_index("article_id")
    assert articles.loc["xi-lukashenko-cp1252", "encoding"] == "cp1252"
    assert articles.loc["kishida-bom-crlf", "encoding"] == "utf-8-sig"
    assert articles.loc["kishida-bom-crlf", "title"] == "Kishida visits Kyiv as Xi meets Putin"
    sentences = table(five_run, "sentences")
    assert not sentences["text"].str.contains("[\ufeff\r\ufffd]").any()
    for copy, original in [("xi-lukashenko-cp1252", "cnn_2023-03-01_xi_lukashenko_china_position"),
                           ("kishida-bom-crlf", "cnn_2023-03-21_kishida_kyiv_xi_moscow")]:
        texts = {a: list(sentences.loc[sentences["article_id"] == a, "text"]) for a in (copy, original)}
        assert texts[copy][:-1] == texts[original]  # the same sentences, then the one added


# --- one article --------------------------------------------------------------------------------------------------

def test_one_article_runs_and_says_which_comparisons_it_skips(one_run):
    assert_notebooks_clean(one_run)
    assert list(table(one_run, "articles")["article_id"]) == ["mar17"]
    notes = {}
    for notebook in study_notebooks():
        path = one_run.out / "notebooks" / notebook.name
        assert not any("Traceback" in text or "Error" in text for text in stream_text(path, "stderr")), notebook.name
        notes[notebook.stem] = [t for t in stream_text(path, "stdout") if re.search(r"[Oo]nly one article", t)]
    assert all(notes[stem] for stem in ("01_corpus", "03_framing")), notes
    made = {p.stem for p in (one_run.out / "tables").glob("*.csv")}
    assert made == {p.stem for p in (config.ROOT / "tables").glob("*.csv")}  # every table, empty where it compares
    assert all(table(one_run, name).empty for name in EMPTY_FOR_ONE)
    check_study(one_run.out)


def test_a_two_sentence_article_with_no_quotation_and_no_focus_frame_runs_every_notebook(tmp_path):
    # tables the notebooks build from nothing (no quotation, no actor in a focus frame's sentences) are empty
    article = tmp_path / "short.txt"
    article.write_text("The war in Ukraine continues. Officials said talks stall.\n", encoding="utf-8")
    run = study_run(tmp_path, article)
    assert_notebooks_clean(run)
    assert table(run, "quotes").empty and table(run, "voice_words").empty


# --- twenty articles ----------------------------------------------------------------------------------------------

def test_twenty_articles_make_a_complete_study(twenty_run):
    assert len(twenty_run.ids) == len(set(twenty_run.ids)) == 20
    assert_complete_study(twenty_run, twenty_run.ids)
    check_study(twenty_run.out)


def test_twenty_articles_keep_header_metadata_with_dates_in_iso_form(twenty_run):
    articles = table(twenty_run, "articles").set_index("article_id")
    made = articles.loc[articles.index.str.match(r"^(guardian|nyt)_")]
    assert len(made) == 15 and made["date"].str.fullmatch(r"2022-\d\d-\d\d").all(), made["date"]
    assert set(made["outlet"]) == {"The Guardian", "The New York Times"} and made["title"].str.len().gt(0).all()
    assert articles.loc["mar17", "label"] == "17 March" and articles["label"].is_unique


@pytest.mark.parametrize("run", ["five_run", "one_run", "twenty_run"])
def test_runs_into_a_folder_leave_the_seed_study_unchanged(run, request):
    run = request.getfixturevalue(run)
    (before, staging_before), (after, staging_after) = run.before, run.after
    assert before and sorted(after) == sorted(before)
    assert [name for name in before if after[name] != before[name]] == []
    assert staging_after == staging_before == []
    assert not list(run.out.parent.glob(".staging-*"))


# --- single files, loaded directly --------------------------------------------------------------------------------

def web_page(seed_corpus):
    """The 17 March seed as a saved web page: title, style and script in the head, a menu, the headline as <h1>,
    one <p> per paragraph with a link and entities, and a footer with a share prompt and a copyright line."""
    s = seed_corpus.sentences[seed_corpus.sentences["article_id"] == "mar17"]
    paragraphs = s.groupby("paragraph", sort=True)["text"].agg(" ".join)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs.iloc[1:])
    body = body.replace("Bakhmut", '<a href="/tags/bakhmut">Bakhmut</a>', 1)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(paragraphs.iloc[0])} | Example News</title>\n<style>p {{ margin: 0 }}</style>\n"
            "<script>window.dataLayer = [];</script>\n</head>\n<body>\n<nav><ul><li><a href=\"/\">Home</a></li>"
            "<li><a href=\"/world\">World</a></li></ul></nav>\n<article>\n"
            f"<h1>{html.escape(paragraphs.iloc[0])}</h1>\n{body}\n</article>\n<footer><p>Share this article</p>"
            "<p>&copy; 2023 Example News. All rights reserved.</p></footer>\n</body>\n</html>\n")


def test_a_pasted_web_page_is_stripped_to_the_article_with_a_warning(tmp_path, seed_corpus):
    (tmp_path / "page.txt").write_text(web_page(seed_corpus))
    with pytest.warns(UserWarning, match=r"page\.txt: contains HTML markup; tags were stripped"):
        corpus = load_corpus([tmp_path / "page.txt"])
    seed = seed_corpus.sentences[seed_corpus.sentences["article_id"] == "mar17"]
    assert list(corpus.sentences["text"]) == list(seed["text"])
    assert corpus.articles.loc[0, "title"] == "China urges Ukraine talks as Bakhmut battle continues"
    assert list(corpus.removed["reason"]) == ["share prompt", "copyright line"]


UKRAINIAN = ("Міністр закордонних справ Китаю Цинь Ган провів телефонну розмову з міністром закордонних справ "
             "України Дмитром Кулебою. Сторони обговорили ситуацію навколо війни та можливість мирних переговорів. "
             "За повідомленням китайського міністерства, Пекін закликає всі сторони зберігати спокій і стриманість. "
             "Українська сторона наголосила на важливості принципу територіальної цілісності. Водночас тривають бої "
             "за місто Бахмут на сході країни. Аналітики вважають, що швидкого результату переговорів очікувати не "
             "варто.")


def test_an_article_in_another_language_is_kept_with_a_warning_naming_it(tmp_path):
    (tmp_path / "uk.txt").write_text(f"title: Розмова Цинь Гана і Кулеби\n\n{UKRAINIAN}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus([SEED_MAR17, tmp_path / "uk.txt"])
    notes = [str(w.message) for w in caught]
    assert len(notes) == 1 and notes[0].startswith(f"{tmp_path / 'uk.txt'}: does not look like English"), notes
    assert list(corpus.articles["article_id"]) == ["mar17", "uk"]
    assert corpus.sentences.groupby("article_id").size()["uk"] == 6


def long_article(seed_corpus, copies):
    """Text of an article made of the 17 March seed's body paragraphs repeated `copies` times, each paragraph
    opening with its copy's number so that no two paragraphs are alike (a repeated one is removed)."""
    s = seed_corpus.sentences[(seed_corpus.sentences["article_id"] == "mar17") & (seed_corpus.sentences["kind"] == "body")]
    paragraphs = list(s.groupby("paragraph", sort=True)["text"].agg(" ".join))
    return "title: A very long article\n\n" + "\n\n".join(
        f"Report {n}. {paragraph}" for n in range(1, copies + 1) for paragraph in paragraphs)


def test_a_5_mb_article_loads_in_reasonable_time(tmp_path, seed_corpus, record_property):
    (tmp_path / "one.txt").write_text(long_article(seed_corpus, 1))
    per_copy = len(load_corpus([tmp_path / "one.txt"]).sentences)
    copy_bytes = len(long_article(seed_corpus, 2).encode()) - len(long_article(seed_corpus, 1).encode())
    copies = 5_000_000 // copy_bytes + 1
    (tmp_path / "big.txt").write_text(long_article(seed_corpus, copies))
    assert (tmp_path / "big.txt").stat().st_size >= 5_000_000
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = load_corpus([tmp_path / "big.txt"])
    seconds = time.perf_counter() - start
    record_property("load_seconds_5mb", round(seconds, 1))
    print(f"5 MB article ({copies} copies, {len(corpus.sentences)} sentences) loaded in {seconds:.1f} s")
    assert len(corpus.sentences) == copies * per_copy
    assert corpus.sentences["sentence_index"].is_monotonic_increasing and corpus.sentences["text"].str.len().gt(0).all()
    assert seconds < 120, f"loading 5 MB took {seconds:.0f} s"


def test_an_edited_copy_is_flagged_as_a_near_duplicate_and_other_stories_are_not(tmp_path, seed_corpus):
    s = seed_corpus.sentences[seed_corpus.sentences["article_id"] == "mar17"]
    paragraphs = list(s.groupby("paragraph", sort=True)["text"].agg(" ".join))
    edited = ["Beijing presses for Ukraine talks"] + paragraphs[1:-1]  # new headline, last paragraph cut
    edited[5] = edited[5].replace("according to a Chinese foreign ministry statement", "a statement said")
    assert edited[5] != paragraphs[5]
    (tmp_path / "edited.txt").write_text("title: Beijing presses for Ukraine talks\n\n" + "\n\n".join(edited))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(["seeds/*.txt", tmp_path / "edited.txt"])
    notes = [str(w.message) for w in caught]
    assert len(notes) == 1 and notes[0].startswith(
        f"{tmp_path / 'edited.txt'}: near-duplicate of {config.SEEDS / '000_fc00426c0e321901.txt'} ("), notes
    assert list(corpus.articles["article_id"]) == ["mar17", "mar07", "edited"]


def test_a_folder_of_windows_named_files_is_read(tmp_path):
    (tmp_path / "ARTICLE.TXT").write_text("Talks resumed on Monday.")
    (tmp_path / "notes.md").write_text("# notes")
    assert expand_paths([tmp_path]) == [tmp_path / "ARTICLE.TXT"]


# --- bad input on the command line --------------------------------------------------------------------------------

def png_bytes():
    """Bytes of a small real PNG image."""
    import io

    import matplotlib.pyplot as plt
    import numpy as np

    buffer = io.BytesIO()
    plt.imsave(buffer, np.zeros((4, 4)), format="png")
    return buffer.getvalue()


def with_an_image(folder):
    """A glob over a folder holding an article and an image: the image is named."""
    (folder / "article.txt").write_text("Talks resumed on Monday.")
    (folder / "photo.png").write_bytes(png_bytes())
    return str(folder / "*"), folder / "photo.png"


def with_a_broken_link(folder):
    """A link to an article that was moved away."""
    (folder / "article.txt").symlink_to(folder / "moved-away.txt")
    return folder / "article.txt", folder / "article.txt"


def with_a_folder_named_like_a_file(folder):
    """A folder named `article.txt`, given as if it were the article."""
    (folder / "article.txt").mkdir()
    return folder / "article.txt", folder / "article.txt"


def with_a_page_without_text(folder):
    """A saved web page with a script and no visible text."""
    (folder / "page.txt").write_text("<html><head><script>var a = 1;</script></head><body><div></div></body></html>")
    return folder / "page.txt", folder / "page.txt"


def with_a_foreign_metadata_table(folder):
    """A folder holding an article and somebody else's `articles.csv` (no `file` column)."""
    (folder / "article.txt").write_text("Talks resumed on Monday.")
    (folder / "articles.csv").write_text("published,headlines,articles\n2022/06/23,A,B\n")
    return folder / "article.txt", folder / "articles.csv"


def command(capsys, *args):
    """(exit status, stdout, stderr) of `python -m analysis ARGS`, run in this process (an uncaught exception
    fails the test with its traceback)."""
    status = main([*map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


BAD_INPUT = [
    (with_an_image, "looks like a binary file"),
    (with_a_broken_link, "is a link to a file that does not exist"),
    (with_a_folder_named_like_a_file, "the folder holds no .txt files"),
    (with_a_page_without_text, "no article text left"),
    (with_a_foreign_metadata_table, "metadata table has no 'file' column"),
]


@pytest.mark.parametrize("make_input, problem", BAD_INPUT)
def test_bad_input_gets_one_line_naming_the_file_and_nothing_is_written(tmp_path, capsys, make_input, problem):
    (tmp_path / "in").mkdir()
    argument, named = make_input(tmp_path / "in")
    status, out, err = command(capsys, "run", "--articles", argument, "--out", tmp_path / "out")
    assert status == 2 and out == "" and err.count("\n") == 1 and err.startswith(f"error: {named}: ")
    assert problem in err and not (tmp_path / "out").exists()


def test_the_command_prints_one_line_and_no_traceback(tmp_path):
    argument, named = with_an_image(tmp_path)
    result = cli("run", "--articles", argument, "--out", tmp_path / "out")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"error: {named}: looks like a binary file, not text (it contains NUL bytes)\n"


def test_an_unreadable_file_is_named(tmp_path, capsys):
    path = tmp_path / "locked.txt"
    path.write_text("Talks resumed on Monday.")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: a mode-000 file is still readable")
    status, _, err = command(capsys, "run", "--articles", path, "--out", tmp_path / "out")
    assert status == 2 and err == f"error: {path}: cannot be read (Permission denied)\n"


def test_an_out_path_that_is_a_file_is_refused_and_untouched(tmp_path, capsys):
    (tmp_path / "results").write_text("mine")
    status, _, err = command(capsys, "run", "--articles", SEED_MAR17, "--out", tmp_path / "results")
    assert status == 2 and err == f"error: {tmp_path / 'results'}: exists and is a file; choose a folder for --out\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results"] and (tmp_path / "results").read_text() == "mine"


def test_writing_into_the_folder_of_ones_own_articles_is_refused(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Talks resumed on Monday.")
    status, _, err = command(capsys, "run", "--articles", tmp_path / "*.txt", "--out", tmp_path)
    assert status == 2 and "not written by a study run" in err and err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"] and (tmp_path / "a.txt").read_text().startswith("Talks")


def test_relative_article_paths_are_taken_from_the_working_folder(tmp_path, capsys, monkeypatch):
    (tmp_path / "my").mkdir()
    (tmp_path / "my" / "empty.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    status, _, err = command(capsys, "run", "--articles", "my/*.txt", "--out", "out")
    assert status == 2 and err == f"error: {tmp_path / 'my' / 'empty.txt'}: the file is empty\n"


# --- make ---------------------------------------------------------------------------------------------------------

def make_command(*variables):
    """Arguments of the `framing run` line that `make study VARIABLES` would run (`make -n`)."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "study", *variables], capture_output=True, text=True, cwd=config.ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "/framing run" in line]
    assert len(lines) == 1, result.stdout
    return shlex.split(lines[0])


def test_make_study_passes_articles_and_out_through():
    command = make_command("ARTICLES='a/*.txt' b.txt", "OUT=x")
    assert command == [".venv/bin/framing", "run", "--articles", "a/*.txt", "b.txt", "--out", "x"]
    args = parser().parse_args(command[1:])
    assert (args.articles, args.out) == (["a/*.txt", "b.txt"], "x")
    assert make_command() == [".venv/bin/framing", "run"]
    assert make_command("OUT=runs/my study")[-2:] == ["--out", "runs/my study"]
