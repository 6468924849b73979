"""Benchmark: `python -m analysis score` on 10,000 articles against the pipeline a user would write by hand.

The articles are the 407 NYT and Guardian texts of `shared/data/news_corpus/*.csv` (columns published, headlines,
articles), cycled and numbered so each file is distinct (a metadata header with its own id, and a first line
"Article i of N."), written to a temporary folder. Measured, each in a fresh process:

- score: `python -m analysis score --articles DIR --out OUT --jobs 2` into a new folder: wall seconds, articles
  and sentences per second, CPU seconds, and peak memory of the process tree (the sum over the command and its
  worker processes, polled every 0.1 s: resident set size, which counts pages the workers share with the command
  once per process, and proportional set size, which shares them out);
- naive: the pipeline by hand, serial: syntok sentences, NLTK word tokens (`NLTKWordTokenizer`), VADER
  (`vaderSentiment`) per sentence, scikit-learn's `TfidfVectorizer` over the lower-cased tokens; nothing written;
- incremental: one article added to the folder, then `score` again into the same folder (its cache reused).

Targets: score at most 69 s (issue 17: 1.5 × the 46 s of 4 December) and 2 GB on 2 cores, and at most 0.75
times the naive time. Prints figures; asserts nothing. Skips with a message when the shared data is absent.

Usage: .venv/bin/python benchmarks/score_10k.py [--articles N] [--jobs J] [--keep DIR]
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news_corpus"
SOURCES = (("Guardians_Russia_Ukraine.csv", "The Guardian"), ("NYT_Russia_Ukraine.csv", "The New York Times"))
NAIVE = '''
import sys, time
from pathlib import Path
from nltk.tokenize import NLTKWordTokenizer
from sklearn.feature_extraction.text import TfidfVectorizer
from syntok import segmenter
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

tokenizer, vader, documents, sentences = NLTKWordTokenizer(), SentimentIntensityAnalyzer(), [], 0
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    body = path.read_text(encoding="utf-8").split("\\n\\n", 1)[1]   # after the metadata header
    tokens = []
    for paragraph in segmenter.analyze(body):
        for sentence in paragraph:
            text = "".join(token.spacing + token.value for token in sentence).strip()
            tokens += [token.lower() for token in tokenizer.tokenize(text)]
            vader.polarity_scores(text)["compound"]
            sentences += 1
    documents.append(tokens)
TfidfVectorizer(analyzer=lambda document: document).fit_transform(documents)
print(len(documents), sentences)
'''


def source_rows() -> list[tuple[str, str, str, str]]:
    """(outlet, published, headline, text) of each article of the news corpus, in file order."""
    rows = []
    for name, outlet in SOURCES:
        with open(NEWS / name, encoding="utf-8", newline="") as stream:
            rows += [(outlet, r["published"], r["headlines"], r["articles"]) for r in csv.DictReader(stream)]
    return rows


def write_articles(folder: Path, n: int, start: int = 1) -> None:
    """Write articles start .. start + n - 1 to `folder`: the news corpus cycled, each with its own id and first
    line."""
    rows = source_rows()
    for i in range(start, start + n):
        outlet, published, headline, text = rows[(i - 1) % len(rows)]
        header = f"id: a{i:05d}\ntitle: {' '.join(headline.split())}\ndate: {published[:10]}\noutlet: {outlet}"
        (folder / f"a{i:05d}.txt").write_text(f"{header}\n\nArticle {i} of the benchmark.\n\n{text}\n",
                                              encoding="utf-8")


class TreeMemory:
    """Peak memory of a process and its children, polled in a thread: sum of RSS and sum of PSS, and the PSS of
    the process itself (`own_pss`), in MB."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.rss, self.pss, self.own_pss, self.done = pid, interval, 0.0, 0.0, 0.0, False
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()

    def poll(self) -> None:
        root = psutil.Process(self.pid)
        while not self.done:
            try:
                tree = [root] + root.children(recursive=True)
                memory = [p.memory_full_info() for p in tree]
            except psutil.Error:
                memory = []
            self.rss = max(self.rss, sum(m.rss for m in memory) / 2**20)
            self.pss = max(self.pss, sum(m.pss for m in memory) / 2**20)
            self.own_pss = max(self.own_pss, memory[0].pss / 2**20 if memory else 0.0)
            time.sleep(self.interval)

    def stop(self) -> None:
        self.done = True
        self.thread.join()


def timed_run(command: list[str]) -> tuple[float, float, TreeMemory, str]:
    """(wall seconds, CPU seconds, peak memory, standard output) of `command` run to its end."""
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    memory = TreeMemory(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    memory.stop()
    after = os.times()
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed with exit status {process.returncode}")
    return seconds, after.children_user + after.children_system - before.children_user - before.children_system, \
        memory, output


def score_command(articles: Path, out: Path, jobs: int) -> list[str]:
    """The `score` command line for the folder `articles`, on the process pool (`--engine auto` would take Dask
    for the incremental run's 10,001 files)."""
    return [sys.executable, "-m", "analysis", "score", "--articles", str(articles), "--out", str(out),
            "--engine", "processes", "--jobs", str(jobs)]


def phases(output: str) -> str:
    """Where a score run's time went, as its summary line reports it (inside the command, so without the
    interpreter's start-up)."""
    found = re.search(r"\(scoring ([\d.]+) s, corpus-wide tables ([\d.]+) s\)", output)
    return f"of which scoring {found.group(1)} s, corpus-wide tables {found.group(2)} s" if found else ""


def cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo."""
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return found.group(1) if found else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to score; default 10000")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for score; default 2")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR (new or empty) and keep it, not a temp folder")
    args = parser.parse_args()
    if not all((NEWS / name).exists() for name, _ in SOURCES):
        print(f"skipped: {NEWS} is not present (the benchmark needs the news corpus)")
        return
    if args.keep:
        benchmark(Path(args.keep), args.articles, args.jobs)
    else:
        with tempfile.TemporaryDirectory(prefix="score-bench-") as work:
            benchmark(Path(work), args.articles, args.jobs)


def benchmark(work: Path, n: int, jobs: int) -> None:
    """Write `n` articles under `work`, then time score, the naive pipeline and an incremental score; print."""
    articles, out = work / "articles", work / "out"
    articles.mkdir(parents=True, exist_ok=False)
    write_articles(articles, n)
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}; load average before: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"articles: {n:,} files in {articles} (news corpus cycled, numbered)")
    print(f"command: {' '.join(score_command(articles, out, jobs))}")

    seconds, cpu, memory, output = timed_run(score_command(articles, out, jobs))
    sentences = int(re.search(r"([\d,]+) sentences", output).group(1).replace(",", ""))
    print(f"score:       {seconds:6.1f} s wall, {cpu:6.1f} s CPU; {n / seconds:,.0f} articles/s, "
          f"{sentences / seconds:,.0f} sentences/s ({sentences:,} sentences); peak memory "
          f"{memory.rss:,.0f} MB RSS, {memory.pss:,.0f} MB PSS (process tree)")
    print(f"             {phases(output)}")

    naive, naive_cpu, naive_memory, _ = timed_run([sys.executable, "-c", NAIVE, str(articles)])
    print(f"naive:       {naive:6.1f} s wall, {naive_cpu:6.1f} s CPU (serial: syntok, NLTKWordTokenizer, VADER, "
          f"TfidfVectorizer); peak {naive_memory.rss:,.0f} MB RSS")
    print(f"ratio:       {seconds / naive:.2f} (score / naive; target <= 0.75)")

    write_articles(articles, 1, start=n + 1)
    again, _, _, output = timed_run(score_command(articles, out, jobs))
    scored = re.search(r"\(([\d,]+) scored anew", output).group(1)
    print(f"incremental: {again:6.1f} s wall after adding one article ({scored} scored anew, the rest from the "
          f"cache); {phases(output)}")
    print(f"targets:     score <= 69 s: {'met' if seconds <= 69 else 'missed'}; memory <= 2048 MB: "
          f"{'met' if memory.rss <= 2048 else 'missed'} (RSS); ratio <= 0.75: "
          f"{'met' if seconds <= 0.75 * naive else 'missed'}")


if __name__ == "__main__":
    main()
