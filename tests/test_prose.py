"""Numbers in words (`analysis.prose`), and the command line wording its summary without loading the findings."""
import subprocess
import sys

from analysis.prose import capitalized, interval, listing, p_text, percent, plural, possessive, signed


def test_shares_intervals_and_scores_in_words():
    assert percent(0.3684) == "37%" and interval(0.158, 0.579) == "95% CI 16–58%"
    assert interval(-0.2882, 0.1379, as_percent=False) == "95% CI −0.29 to +0.14"
    assert signed(-0.1868) == "−0.19" and signed(0.02) == "+0.02"
    assert signed(-0.004) == "0.00" and signed(0.001) == "0.00"
    assert p_text("p", 0.0001) == "p < 0.001" and p_text("q", 0.0123) == "q = 0.012" and p_text("p", 1.0) == "p = 1.000"


def test_counts_and_lists_in_words():
    assert plural(1, "file") == "1 file" and plural(0, "file") == "0 files" and plural(1200, "word") == "1,200 words"
    assert listing(["a"]) == "a" and listing(["a", "b"]) == "a and b" and listing(["a", "b", "c"]) == "a, b and c"
    assert capitalized("de-escalation language") == "De-escalation language" and capitalized("") == ""


def test_possessives_of_actor_names():
    assert possessive("China") == "China's" and possessive("Qin Gang") == "Qin Gang's"
    assert possessive("United States") == "United States'" and possessive("United Nations") == "United Nations'"


def test_the_command_line_loads_neither_the_findings_nor_matplotlib():
    code = "import sys, analysis.__main__; print(sorted({'matplotlib', 'analysis.findings'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
