"""Faults and bad input (issue 15): every case ends in one line naming the file and the problem, or in a correct
result; no earlier output is lost, corrupted or blocked (output-folder protocol, locks, full disks, signals)."""
import codecs
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from analysis import config
from analysis.corpus import (MAX_BYTES, InputError, UniqueIds, decode, expand_paths, load_article, load_corpus, sentence_rows,
                             slug)
from analysis.outputs import check_out_folder, folder_lock
from analysis.text import MAX_SENTENCE, bounded, split_sentences
from tests.test_score import cli

SEEDS = sorted(str(p) for p in config.SEEDS.glob("*.txt"))
CHINESE = "中国外交部长秦刚与乌克兰外长通电话，呼吁各方保持理性克制。双方同意尽早恢复和谈。\n"


def one_line(done, *parts) -> None:
    """`done` (a finished command) failed with one line on stderr holding each of `parts`, and no traceback."""
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    for part in parts:
        assert str(part) in done.stderr, done.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), the lock file and staging folders left out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".study-run.lock" and ".staging-" not in p.as_posix()}


@pytest.fixture
def tmpfs(tmp_path):
    """A 40 MiB tmpfs mounted at tmp_path/disk (we run as root in CI); the test is skipped where mount fails."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}): full-disk case untested")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` with one file until `leave` bytes are free; return the file."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with open(filler, "wb") as stream:
        stream.truncate(0)
        stream.write(b"\0" * max(free - leave, 0))
    return filler


# --- the output-folder protocol -----------------------------------------------------------------------------------

def test_a_full_disk_during_run_leaves_the_earlier_run_whole_and_unblocked(tmpfs, study_run):
    out = tmpfs / "study"
    shutil.copytree(study_run, out, copy_function=shutil.copy2)
    before = snapshot(out)
    filler = fill(tmpfs, leave=2 * 2**20)
    done = cli("run", "--articles", *SEEDS, "--out", out)
    assert done.returncode != 0 and "No space left on device" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr and str(out) in done.stderr
    assert snapshot(out) == before
    assert not list(out.glob(".staging-*"))
    filler.unlink()
    check_out_folder(out, ("notebooks", "figures", "tables", "html", "FINDINGS.md"), "run")  # not blocked


def test_a_full_disk_during_score_names_the_file_and_keeps_the_earlier_tables(tmpfs, tmp_path):
    out = tmpfs / "scored"
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0
    before = snapshot(out / "tables")
    big = tmp_path / "big.txt"
    big.write_text(" ".join(Path(s).read_text() for s in SEEDS) * 40)  # sentence rows far larger than what is left
    filler = fill(tmpfs, leave=256 * 2**10)
    done = cli("score", "--articles", *SEEDS, big, "--out", out)
    assert done.returncode == 2 and "No space left on device" in done.stderr and "error: :" not in done.stderr
    assert done.stderr.count("\n") == 1 and str(out) in done.stderr, done.stderr
    assert snapshot(out / "tables") == before
    filler.unlink()
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0


def test_score_refuses_a_run_folder_and_run_refuses_a_score_folder(tmp_path, study_run):
    before = snapshot(study_run)
    tables = len(list((study_run / "tables").glob("*.csv")))
    one_line(cli("score", "--articles", *SEEDS, "--out", study_run), study_run, "`framing run`",
             f"{tables} tables")
    assert snapshot(study_run) == before
    scored = tmp_path / "scored"
    assert cli("score", "--articles", *SEEDS, "--out", scored).returncode == 0
    before = snapshot(scored)
    one_line(cli("run", "--articles", *SEEDS, "--out", scored), scored, "`framing score`")
    assert snapshot(scored) == before


def test_run_into_the_repository_with_other_articles_is_refused(tmp_path):
    article = tmp_path / "mine.txt"
    article.write_text("Officials in Kyiv said talks would resume. Moscow denied it.\n")
    readme = (config.ROOT / "README.md").read_bytes()
    one_line(cli("run", "--articles", article, "--out", "."), config.ROOT, "seed study", "--out runs/NAME")
    assert (config.ROOT / "README.md").read_bytes() == readme


def test_a_second_run_into_a_locked_folder_refuses_with_one_line(tmp_path):
    out = tmp_path / "out"
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0
    before = snapshot(out)
    with folder_lock(out):
        one_line(cli("score", "--articles", *SEEDS, "--out", out), out, f"another run (process {os.getpid()})")
        assert snapshot(out) == before
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0


def test_the_next_run_removes_stale_staging_inside_and_beside_the_folder_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0
    inside, beside, mine = out / ".staging-abcd1234", tmp_path / ".staging-wxyz5678", tmp_path / ".staging-mine"
    for folder in (inside / "tables", beside / "notebooks", beside / "figures", mine):
        folder.mkdir(parents=True)
    (beside / "kernel.log").write_text("")
    (mine / "notes.txt").write_text("mine")
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0
    assert not inside.exists() and not beside.exists() and (mine / "notes.txt").read_text() == "mine"


# --- signals --------------------------------------------------------------------------------------------------------

def started(command: list, children: int, tmp_path: Path) -> subprocess.Popen:
    """`python -m analysis COMMAND` started, once it has `children` child processes (workers or kernels). Ctrl-C
    is restored to its default in the command, as a terminal gives it: a test suite started in the background
    (`make test &`) ignores SIGINT, and its children would inherit that."""
    process = subprocess.Popen([sys.executable, "-m", "analysis", *map(str, command)], cwd=config.ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while len(psutil.Process(process.pid).children(recursive=True)) < children:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.1)
    time.sleep(1)
    return process


def gone(processes: list[psutil.Process], seconds: float = 10) -> bool:
    """True once none of `processes` runs (zombies count as ended), waiting up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in processes):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def slow_articles(tmp_path_factory) -> list[Path]:
    """Two articles that take each worker several seconds: the seeds' words repeated 200 times (40 times had become
    fast enough for the run to end within the second the test waits before its signal)."""
    folder = tmp_path_factory.mktemp("slow")
    text = " ".join(Path(s).read_text() for s in SEEDS)
    for name in ("one", "two"):
        (folder / f"{name}.txt").write_text(f"{name}\n\n" + "\n\n".join([text] * 200))
    return sorted(folder.glob("*.txt"))


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGKILL])
def test_score_stopped_leaves_no_worker_and_ctrl_c_is_one_line(tmp_path, slow_articles, sent):
    process = started(["score", "--articles", *slow_articles, "--out", tmp_path / "out", "--jobs", "2"], 2, tmp_path)
    workers = psutil.Process(process.pid).children(recursive=True)
    start = time.monotonic()
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=30)
    assert gone(workers)
    if sent == signal.SIGINT:
        assert time.monotonic() - start < 10 and process.returncode == 130
        assert stderr.count("\n") == 1 and stderr.startswith("interrupted:") and "Traceback" not in stderr
        assert not (tmp_path / "out").exists()


def test_ctrl_c_during_run_stops_within_seconds_with_one_line(tmp_path):
    out = tmp_path / "out"
    process = started(["run", "--articles", *SEEDS, "--out", out], 2, tmp_path)
    kernels = psutil.Process(process.pid).children(recursive=True)
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - start < 10 and process.returncode == 130
    assert stderr.count("\n") == 1 and stderr.startswith("interrupted:"), stderr
    assert gone(kernels) and not out.exists()


# --- input ----------------------------------------------------------------------------------------------------------

def test_other_scripts_headline_only_and_unicode_names_run_through_every_notebook(tmp_path, study_run):
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder)
    (folder / "zh.txt").write_text(CHINESE, encoding="utf-8")
    (folder / "headline.txt").write_text("Ukraine and Russia trade blame over stalled talks\n")
    (folder / "ünïcødé_статья_文章.txt").write_text("Kyiv said the talks would resume soon. Moscow denied it.\n")
    done = cli("run", "--articles", folder / "*.txt", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert f"{folder / 'zh.txt'}: does not look like English" in done.stderr
    articles = pd.read_csv(tmp_path / "out" / "tables" / "articles.csv", keep_default_na=False)
    assert {"zh", "headline", "ünïcødé_статья_文章"} <= set(articles["article_id"])
    keyness = pd.read_csv(tmp_path / "out" / "tables" / "keyness.csv")
    assert keyness["p_adjusted"].between(0, 1).all()
    findings = (tmp_path / "out" / "FINDINGS.md").read_text()
    assert "Ukraine and Russia…" in findings and not re.search(r"\bnan\b", findings)  # one sentence: no interval


def test_an_article_without_latin_script_is_scored_split_at_full_stops_and_warned(tmp_path):
    (tmp_path / "zh.txt").write_text(CHINESE, encoding="utf-8")
    done = cli("score", "--articles", *SEEDS, tmp_path / "zh.txt", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert f"{tmp_path / 'zh.txt'}: does not look like English (100% of its letters are not Latin" in done.stderr
    sentences = pd.read_csv(tmp_path / "out" / "tables" / "sentences.csv")
    assert len(sentences.query("article_id == 'zh'")) == 2
    keyness = pd.read_csv(tmp_path / "out" / "tables" / "keyness.csv")
    assert keyness["p_value"].between(0, 1).all() and keyness["p_adjusted"].between(0, 1).all()
    assert split_sentences("他说：“好。”然后走了。") == ["他说：“好。”", "然后走了。"]


def test_ids_made_unique_never_collide(tmp_path):
    for path in ("A/a.txt", "B/a.txt", "a-2.txt"):
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(f"Officials in {path} said the talks would resume. Moscow denied it.\n")
    done = cli("score", "--articles", tmp_path / "A/a.txt", tmp_path / "B/a.txt", tmp_path / "a-2.txt",
               "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert list(pd.read_csv(tmp_path / "out" / "tables" / "articles.csv")["article_id"]) == ["a", "a-2", "a-2-2"]
    assign = UniqueIds()
    assert [assign(i) for i in ["a-2", "a", "a", "a", "a-3"]] == ["a-2", "a", "a-3", "a-4", "a-3-2"]


def test_ids_keep_letters_of_any_script():
    assert slug("ünïcødé_статья_文章") == "ünïcødé_статья_文章"
    assert slug("u\u0308ber Report (draft)") == "über-report-draft"


@pytest.mark.parametrize("content, problem", [
    (b"", "the file is empty"),
    (codecs.BOM_UTF8 + b"\n", "metadata table has no header row"),
    (b'file,title\na.txt,"unterminated\n', "not a readable CSV table (Error tokenizing data"),
])
def test_a_bad_metadata_table_is_one_line(tmp_path, content, problem):
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    (tmp_path / "articles.csv").write_bytes(content)
    one_line(cli("score", "--articles", tmp_path / "a.txt", "--out", tmp_path / "out"),
             tmp_path / "articles.csv", problem)
    assert not (tmp_path / "out").exists()


def test_a_windows_1252_metadata_table_is_read_as_such(tmp_path):
    shutil.copy(SEEDS[0], tmp_path / "a.txt")
    (tmp_path / "articles.csv").write_bytes("file,title\na.txt,Café talks – résumé\n".encode("cp1252"))
    corpus = load_corpus([tmp_path / "a.txt"])
    assert corpus.articles["title"].tolist() == ["Café talks – résumé"]


def test_one_invalid_byte_in_utf8_is_replaced_and_reported_alone():
    text = "Russia’s envoy said “talks” could resume — soon. " * 20
    decoded, encoding, notes = decode(text.encode() + b"\xff\n", "a.txt")
    assert decoded == text + "\ufffd\n" and encoding == "utf-8"
    assert notes == [f"a.txt: 1 byte not valid UTF-8 (the first at byte {len(text.encode()):,}) replaced by '\ufffd'; "
                     "the rest read as UTF-8"]
    decoded, encoding, notes = decode("Café résumé, naïve.".encode("cp1252"), "b.txt")
    assert decoded == "Café résumé, naïve." and encoding == "cp1252"


def test_cyrillic_utf16_without_a_byte_order_mark_is_read():
    text = "Министр иностранных дел заявил, что переговоры возобновятся. " * 5
    for encoding in ("utf-16-le", "utf-16-be"):
        decoded, used, notes = decode(text.encode(encoding), "ru.txt")
        assert decoded == text and used == encoding and "no byte-order mark" in notes[0]
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 8, "bin.txt")


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_only_regular_files_are_read(tmp_path, make):
    if make == "fifo":
        target = tmp_path / "pipe.txt"
        os.mkfifo(target)
        problem = "is a named pipe (FIFO), not a regular file"
    else:
        target, problem = Path("/dev/zero"), "is a character device, not a regular file"
    one_line(cli("score", "--articles", target, "--out", tmp_path / "out"), target, problem)
    assert not (tmp_path / "out").exists()


def test_a_file_larger_than_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: no disk used
    with pytest.raises(InputError, match=r"big.txt: is 50 MiB; articles larger than 50 MiB are not read"):
        load_article(big)


def test_process_substitution_is_read_once(tmp_path):
    done = subprocess.run(["bash", "-c", f'"{sys.executable}" -m analysis score --articles <(cat "{SEEDS[0]}") '
                                         f'"{SEEDS[1]}" --out "{tmp_path / "out"}"'],
                          cwd=config.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "done: 2 articles" in done.stdout


def test_a_file_named_like_a_glob_is_taken_as_named(tmp_path):
    (tmp_path / "report [draft].txt").write_text("Kyiv said the talks would resume.\n")
    (tmp_path / "reportd.txt").write_text("Another file the glob would match.\n")
    assert expand_paths([tmp_path / "report [draft].txt"]) == [tmp_path / "report [draft].txt"]
    assert expand_paths([tmp_path / "report[d].txt"]) == [tmp_path / "reportd.txt"]


def test_the_metadata_table_named_is_not_an_article(tmp_path):
    assert expand_paths([config.SEEDS / "articles.csv", *SEEDS]) == [Path(s) for s in SEEDS]
    with pytest.raises(InputError, match="articles.csv: is a metadata table"):
        expand_paths([config.SEEDS / "articles.csv"])


def test_an_impossible_date_is_warned_and_kept(tmp_path):
    (tmp_path / "a.txt").write_text("date: 2023-02-30\n\nKyiv said the talks would resume.\n")
    article = load_article(tmp_path / "a.txt")
    assert article.meta["date"] == "2023-02-30"
    assert article.warnings == [f"{tmp_path / 'a.txt'}: date '2023-02-30' is not a calendar date (YYYY-MM-DD, "
                                "'March 17, 2023' or '17 March 2023'); kept as written"]
    (tmp_path / "b.txt").write_text("date: March 17, 2023\n\nKyiv said the talks would resume.\n")
    assert load_article(tmp_path / "b.txt").warnings == []


def test_a_line_without_sentence_ends_is_cut_into_bounded_paragraphs(tmp_path):
    words = " ".join(["talks", "resume", "Kyiv", "said", "officials"] * 3000)  # 90,000 characters, one line
    (tmp_path / "long.txt").write_text(f"Title line\n\nIt began. {words} and it ended.\n\nLast paragraph.\n")
    article = load_article(tmp_path / "long.txt")
    texts = [block for _, _, block in article.paragraphs]
    assert max(map(len, texts)) <= MAX_SENTENCE and " ".join(texts[1:-1]) == f"It began. {words} and it ended."
    assert "1 sentence longer than 2,000 characters" in article.warnings[0]
    assert all(len(row["text"]) <= MAX_SENTENCE for row in sentence_rows(article))
    assert bounded("ab cd ef", 5) == ["ab cd", "ef"] and bounded("abcdefgh", 3) == ["abc", "def", "gh"]


def test_a_cache_entry_of_another_type_is_scored_again(tmp_path):
    out = tmp_path / "out"
    assert cli("score", "--articles", *SEEDS, "--out", out).returncode == 0
    entries = list((out / "cache").rglob("*.pkl"))
    for entry in entries:
        entry.write_bytes(pickle.dumps({"not": "a scored file"}))
    done = cli("score", "--articles", *SEEDS, "--out", out)
    assert done.returncode == 0 and "(2 scored anew, 0 from the cache)" in done.stdout, done.stderr
