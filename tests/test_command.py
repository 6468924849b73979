"""The console script `framing` (pyproject.toml): the installed package, wherever it is run from; options naming a
table of articles' columns."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

SCRIPT = Path(sys.executable).parent / "framing"


@pytest.fixture
def shadowed(tmp_path) -> Path:
    """A folder holding a folder `analysis` of the user's own (a package that prints 'their analysis') and an
    article."""
    package = tmp_path / "analysis"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text("print('their analysis')\n")
    (tmp_path / "talks.txt").write_text("China urged peace talks. Fighting went on near Bakhmut.\n")
    return tmp_path


def test_python_dash_m_imports_the_users_own_analysis_folder(shadowed):
    # the defect the console script avoids: `python -m analysis` runs whatever `analysis` the folder holds
    found = subprocess.run([sys.executable, "-m", "analysis", "--help"], cwd=shadowed, capture_output=True,
                           text=True, timeout=120)
    assert found.stdout.strip() == "their analysis"


def test_the_console_script_runs_the_installed_package_beside_an_analysis_folder(shadowed):
    assert SCRIPT.exists(), f"{SCRIPT} is missing: `make setup` installs it (pip install -e .)"
    shown = subprocess.run([str(SCRIPT), "--help"], cwd=shadowed, capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: framing ") and "their" not in shown.stdout
    scored = subprocess.run([str(SCRIPT), "score", "--articles", "talks.txt", "--out", "out", "--jobs", "1"],
                            cwd=shadowed, capture_output=True, text=True, timeout=600)
    assert scored.returncode == 0, scored.stderr
    assert "their analysis" not in scored.stdout and "done: 1 article, 2 sentences" in scored.stdout
    articles = pd.read_csv(shadowed / "out" / "tables" / "articles.csv", keep_default_na=False)
    assert list(articles["article_id"]) == ["talks"]


@pytest.fixture
def renamed_table(tmp_path) -> Path:
    """A CSV of two articles whose id, title, date and text columns have other names than the study's keys."""
    path = tmp_path / "news.csv"
    pd.DataFrame([dict(uid="k1", headline="Kyiv rejects ceasefire terms", published="March 17, 2023",
                       body="Officials in Kyiv rejected the proposed terms. Fighting went on near Bakhmut."),
                  dict(uid="m2", headline="Moscow welcomes peace plan", published="2023-03-21",
                       body="The Kremlin said it welcomed the plan. Talks were not scheduled.")]).to_csv(path, index=False)
    return path


def test_a_tables_title_and_date_columns_are_named_on_the_command_line(renamed_table, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([str(SCRIPT), "score", "--articles", renamed_table, "--out", out, "--workers", "1",
                           "--text-column", "body", "--id-column", "uid", "--title-column", "headline",
                           "--date-column", "published"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    articles = pd.read_csv(out / "tables" / "articles.csv", keep_default_na=False)
    assert articles["article_id"].tolist() == ["k1", "m2"]
    assert articles["title"].tolist() == ["Kyiv rejects ceasefire terms", "Moscow welcomes peace plan"]
    assert articles["label"].tolist() == ["Kyiv rejects…", "Moscow welcomes peace…"]  # the titles cut at 22
    assert articles["date"].tolist() == ["2023-03-17", "2023-03-21"]  # read as the header's dates are
    assert "headline" not in articles and "published" not in articles  # each named column becomes its key


@pytest.mark.parametrize("option, articles, expected", [
    (["--title-column", "head"], "news.csv", "news.csv: no column 'head' for --title-column (columns: uid, headline, "
                                             "published, body)"),
    (["--date-column", "body"], "news.csv", "news.csv: --date-column 'body' is the column of texts"),
    (["--title-column", "headline"], "talks.txt", "--title-column: only for a table of articles"),
])
def test_a_wrong_column_option_is_one_line_and_writes_nothing(renamed_table, tmp_path, option, articles, expected):
    (tmp_path / "talks.txt").write_text("China urged peace talks. Fighting went on near Bakhmut.\n")
    done = subprocess.run([str(SCRIPT), "score", "--articles", tmp_path / articles, "--out", tmp_path / "out",
                           "--text-column", "body", *option], capture_output=True, text=True, timeout=300)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert not (tmp_path / "out").exists()



@pytest.mark.parametrize("content, expected", [
    ("uid,body\n", "news.csv: holds no articles (no rows)"),
    ("uid,body\nk1,Talks resumed in Minsk. Shelling went on.\nk2,   \n", "news.csv: row 2 has no text in column 'body'"),
])
def test_a_table_without_rows_or_with_an_empty_text_is_one_line_naming_it(tmp_path, content, expected):
    path = tmp_path / "news.csv"
    path.write_text(content, encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "score", "--articles", path, "--out", tmp_path / "out", "--workers", "1",
                           "--text-column", "body"], capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("dask: dashboard at ")]
    assert done.returncode == 2 and lines == [f"error: {path.parent / expected}"], done.stderr
    assert not (tmp_path / "out").exists()


def test_a_table_saved_as_windows_1252_is_one_line_saying_to_save_it_as_utf8(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes("uid,body\nk1,Café talks resumed in Minsk. Shelling went on.\n".encode("cp1252"))
    done = subprocess.run([str(SCRIPT), "score", "--articles", path, "--out", tmp_path / "out", "--text-column",
                           "body"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        f"error: {path}: not UTF-8 text (it holds the byte 0xe9, invalid in UTF-8); save the table as UTF-8 (in "
        "Excel: CSV UTF-8)"], done.stderr
    assert not (tmp_path / "out").exists()
