"""The console script `framing` (pyproject.toml): the installed package, wherever it is run from."""
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
