"""Corpus mode on Dask (analysis.engine): the same tables as `score`, on a local cluster and on a real one (a
scheduler and two workers started here on 127.0.0.1), with a worker killed mid-run; tables of articles as input;
resuming; bad input. Articles are synthesized from the seeds' sentences (no ../shared)."""
from __future__ import annotations

import gc
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import config, engine, parse
from analysis.engine import (Plan, block_pair, block_similarity, block_weights, chosen_engine, close, connect,
                             corpus_files, path_chunks, similarity_blocks, term_table, write_weights)
from analysis.vocabulary import TermCounts
from tests.test_score import TABLES, cli, table_bytes
from tests.test_similarity import most_similar, tied_weights

ARTICLES = 240


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """`ARTICLES` articles of 4 to 12 of the seeds' paragraphs drawn at random (fixed seed), each with an id
    header; one exact duplicate, one near-duplicate (a sentence added) and one repeated id among them."""
    folder = tmp_path_factory.mktemp("synthetic")
    paragraphs = [p for seed in sorted(config.SEEDS.glob("*.txt"))
                  for p in seed.read_text(encoding="utf-8").split("\n\n")[1:] if len(p.split()) > 5]
    draw = random.Random(19)
    for i in range(ARTICLES):
        text = "\n\n".join(draw.sample(paragraphs, draw.randint(4, min(12, len(paragraphs)))))
        article_id = "repeated" if i in (7, 70) else f"s{i:04d}"
        (folder / f"s{i:04d}.txt").write_text(f"id: {article_id}\ntitle: Synthetic {i}\n\n{text}\n", encoding="utf-8")
    (folder / "s9999.txt").write_text((folder / "s0003.txt").read_text(encoding="utf-8"), encoding="utf-8")
    near = (folder / "s0005.txt").read_text(encoding="utf-8").replace("id: s0005", "id: s9998")
    (folder / "s9998.txt").write_text(near + "\nOne sentence was added to this copy.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pool_out(synthetic, tmp_path_factory) -> Path:
    """`score` (the process pool) of the synthetic articles; its standard error in `out/../stderr.txt`."""
    out = tmp_path_factory.mktemp("pool") / "out"
    done = cli("score", "--articles", synthetic, "--out", out, "--jobs", "1")
    assert done.returncode == 0
    (out.parent / "stderr.txt").write_text(done.stderr, encoding="utf-8")
    return out


def near_duplicate_lines(stderr: str) -> list[str]:
    """The near-duplicate warnings printed by `score`."""
    return [line for line in stderr.splitlines() if "near-duplicate of" in line]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dask_command(*args) -> list[str]:
    """The `dask` command line of this environment."""
    return [str(Path(sys.executable).parent / "dask"), *map(str, args)]


class Cluster:
    """A Dask scheduler and two workers on 127.0.0.1 (random free ports), each in its own process group. If the test
    run is killed before `close`, the scheduler stops after 30 idle minutes and the workers a minute after it."""

    def __init__(self, folder: Path):
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.processes = [self.start("scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1],
                                     "--no-dashboard", "--idle-timeout", "1800s", folder=folder)]
        self.workers = [self.start("worker", self.address, "--nworkers", "1", "--nthreads", "1", "--host",
                                   "127.0.0.1", "--no-dashboard", "--memory-limit", "0", "--no-nanny",
                                   "--death-timeout", "60s", folder=folder) for _ in range(2)]
        self.processes += self.workers
        self.wait_for_workers(2)

    def start(self, *args, folder: Path) -> subprocess.Popen:
        log = open(folder / f"{args[0]}-{len(list(folder.glob('*.log')))}.log", "w")
        return subprocess.Popen(dask_command(*args), stdout=log, stderr=subprocess.STDOUT, cwd=config.ROOT,
                                start_new_session=True)

    def wait_for_workers(self, n: int, timeout: float = 60) -> None:
        from distributed import Client
        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=timeout)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A running `Cluster`, stopped after the module's tests."""
    started = Cluster(tmp_path_factory.mktemp("cluster"))
    yield started
    started.close()


# --- the same tables -----------------------------------------------------------------------------------------------

def test_local_cluster_tables_equal_score_tables_and_the_parquet_datasets_hold_the_same_rows(synthetic, pool_out,
                                                                                              tmp_path):
    out = tmp_path / "out"
    done = cli("score", "--articles", synthetic, "--out", out, "--engine", "dask", "--workers", "2",
               "--partition", "30", "--similarity-block", "70")
    assert done.returncode == 0, done.stderr
    assert table_bytes(out) == table_bytes(pool_out)
    assert len(list((out / "tables" / "similarity.parquet").glob("part-*.parquet"))) >= 3  # blocks of ~70
    assert "same text as" in done.stderr  # the duplicate, dropped as score drops it
    near = near_duplicate_lines(done.stderr)
    assert near == near_duplicate_lines((pool_out.parent / "stderr.txt").read_text(encoding="utf-8"))
    assert any("s9998.txt: near-duplicate of" in line and "s0005.txt" in line for line in near)
    for name in TABLES:
        csv = pd.read_csv(out / "tables" / f"{name}.csv", keep_default_na=False)
        parquet = pd.read_parquet(out / "tables" / f"{name}.parquet")
        assert list(parquet.columns) == list(csv.columns), name
        assert len(parquet) == len(csv), name
    assert len(list((out / "tables" / "sentences.parquet").glob("part-*.parquet"))) > 4  # one per partition
    articles = pd.read_parquet(out / "tables" / "articles.parquet")
    assert {"repeated", "repeated-2"} <= set(articles["article_id"])


def test_a_partitions_term_table_holds_each_articles_counts_and_keeps_strings_for_no_terms():
    """`term_table`: one row per (article, term), the article's position, count and sentences using the term; a
    partition whose articles have no terms gives an empty table whose term column is still of strings."""
    scored = [SimpleNamespace(terms=TermCounts(Counter({"war": 3, "peace talks": 1}), Counter({"war": 2,
                                                                                                "peace talks": 1}), 4)),
              SimpleNamespace(terms=TermCounts(Counter(), Counter(), 0)),
              SimpleNamespace(terms=TermCounts(Counter({"war": 1}), Counter({"war": 1}), 1))]
    table = term_table(scored)
    assert table.values.tolist() == [[0, "war", 3, 2], [0, "peace talks", 1, 1], [2, "war", 1, 1]]
    assert list(table.columns) == ["_row", "term", "count", "sentence_count"]
    assert table.dtypes.astype(str).tolist() == ["int32", "object", "int32", "int32"]
    assert term_table(scored[1:2]).dtypes.astype(str).tolist() == ["int32", "object", "int32", "int32"]


@pytest.mark.parametrize("size", [1, 4, 9, 40])
def test_the_blocked_similarity_step_gives_most_similar_bit_for_bit(tmp_path, size):
    """Blocks of partitions (of 3 articles) multiplied pair by pair, each pair once, give the same table as
    the tests' reference (`most_similar`) over the whole matrix: ties (copied rows) broken alike, an article sharing no term
    left out."""
    weights, k = tied_weights(), 5  # score.TOP_SIMILAR
    offsets = list(range(0, 40, 3))
    plan = Plan(offsets=offsets, rows=[list(range(len(range(o, min(o + 3, 40))))) for o in offsets],
                ids=[[f"a{i}" for i in range(o, min(o + 3, 40))] for o in offsets])
    for number, (offset, ids) in enumerate(zip(offsets, plan.ids)):
        write_weights(str(tmp_path), number, weights[offset:offset + 3], ids)
    blocks = similarity_blocks(plan, size)
    assert len(blocks) == {1: 14, 4: 7, 9: 5, 40: 1}[size] and sum(b.size for b in blocks) == 40
    for block in blocks:
        block_weights(str(tmp_path), block)
    for first in blocks:
        for second in blocks[first.number:]:
            block_pair(str(tmp_path), first, second)
    (tmp_path / "tables").mkdir()
    for block in blocks:
        block_similarity(str(tmp_path), block, str(tmp_path / "tables"))
    found = pd.read_parquet(tmp_path / "tables" / "similarity.parquet")
    expected = most_similar(weights, [a for ids in plan.ids for a in ids], k=k)
    pd.testing.assert_frame_equal(found, expected, check_exact=True)
    assert len(found) == 39 * k


def test_the_local_cluster_runs_its_workers_loaded_without_the_profiler_and_leaves_this_process_config_alone():
    import dask
    client = connect(None, 1)
    try:
        found = client.run(lambda: {key: dask.config.get(key) for key in engine.LOCAL_CONFIG})
        assert list(found.values()) == [engine.LOCAL_CONFIG]  # forked from a server, polling seldom
        loaded = client.run(lambda: (parse.pipeline.cache_info().currsize, gc.get_freeze_count() > 0))
        assert list(loaded.values()) == [(1, True)]  # before any task: forked from a server that loaded it
        time.sleep(2.5)  # a profiling worker keeps a call tree per second
        assert list(client.run(lambda dask_worker: len(dask_worker.profile_history)).values()) == [0]
    finally:
        close(client)
    assert dask.config.get("distributed.worker.profile.enabled") is True
    assert dask.config.get("distributed.worker.multiprocessing-method") == "spawn"


def test_the_dictionary_coder_gives_the_pools_tables(synthetic, tmp_path):
    articles = str(synthetic / "s00[0-4]*.txt")  # 50 articles
    pool = cli("score", "--articles", articles, "--out", tmp_path / "pool", "--jobs", "1", "--coder", "dictionary")
    dask = cli("score", "--articles", articles, "--out", tmp_path / "dask", "--engine", "dask", "--workers", "2",
               "--partition", "20", "--coder", "dictionary")
    assert pool.returncode == 0 and dask.returncode == 0, pool.stderr + dask.stderr
    assert table_bytes(tmp_path / "dask") == table_bytes(tmp_path / "pool")
    frames = pd.read_csv(tmp_path / "dask" / "tables" / "sentences.csv", keep_default_na=False)
    assert set(frames["frame_model"]) == {""} and (frames["frames"] != "").any()  # the dictionary's coding


def test_auto_runs_dask_above_the_threshold_and_the_pool_below_it(monkeypatch, tmp_path):
    seeds = corpus_files([str(config.SEEDS / "*.txt")])  # two files
    assert chosen_engine("auto", seeds) == "processes"
    monkeypatch.setattr(engine, "DASK_ABOVE", 1)
    assert chosen_engine("auto", seeds) == "dask"
    assert chosen_engine("processes", seeds) == "processes"
    monkeypatch.setattr(engine, "DASK_ABOVE", 2)
    assert chosen_engine("auto", seeds) == "processes"
    assert chosen_engine("dask", seeds) == "dask"
    assert chosen_engine("auto", seeds, "tcp://127.0.0.1:8786") == "dask"
    table = tmp_path / "a.csv"
    table.write_text("text\nSome text.\n", encoding="utf-8")
    assert corpus_files([str(table)]) is None
    assert chosen_engine("processes", corpus_files([str(table)])) == "dask"  # a table of articles is read by Dask only


def test_the_help_names_the_default_engine_and_its_threshold():
    done = cli("score", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert f"auto (default): a local Dask cluster sized to the machine for more than {engine.DASK_ABOVE:,} files" in text


def test_the_seeds_give_the_study_tables(tmp_path):
    out = tmp_path / "out"
    assert cli("score", "--articles", config.SEEDS / "*.txt", "--out", out, "--engine", "dask", "--workers",
               "1").returncode == 0
    for name in TABLES:
        assert (out / "tables" / f"{name}.csv").read_bytes() == (config.ROOT / "tables" / f"{name}.csv").read_bytes()


def test_a_cluster_run_with_a_worker_killed_gives_the_same_tables(synthetic, pool_out, cluster, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "analysis", "score", "--articles", str(synthetic), "--out", str(out),
               "--scheduler", cluster.address, "--partition", "10"]
    run = subprocess.Popen(command, cwd=config.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parts = out / "cache" / "partitions"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len([p for p in parts.glob("*/*") if not p.name.startswith(".")]) < 2:
        time.sleep(0.05)
    victim = cluster.workers[0]
    os.killpg(victim.pid, signal.SIGKILL)  # mid-run: partitions done, others in flight
    victim.wait()
    output, errors = run.communicate(timeout=600)
    assert run.returncode == 0, errors
    assert table_bytes(out) == table_bytes(pool_out)
    assert "done:" in output


def test_a_rerun_reuses_the_partitions_rescores_only_a_changed_file_and_keeps_those_it_did_not_use(synthetic, cluster, tmp_path):
    out, articles = tmp_path / "out", tmp_path / "articles"
    articles.mkdir()
    for path in sorted(synthetic.glob("*.txt"))[:60]:
        (articles / path.name).write_bytes(path.read_bytes())
    first = cli("score", "--articles", articles, "--out", out, "--scheduler", cluster.address, "--partition", "10")
    assert first.returncode == 0, first.stderr
    before = table_bytes(out)
    again = cli("score", "--articles", articles, "--out", out, "--scheduler", cluster.address, "--partition", "10")
    assert "(0 scored anew, 60 from the cache)" in again.stdout
    assert table_bytes(out) == before
    changed = articles / "s0031.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence was added.\n", encoding="utf-8")
    third = cli("score", "--articles", articles, "--out", out, "--scheduler", cluster.address, "--partition", "10")
    scored = int(re.search(r"\(([\d,]+) scored anew", third.stdout).group(1))
    chunk = next(c for c in path_chunks(sorted(articles.glob("*.txt")), 10) if changed in c)
    assert scored == len(chunk) < 60
    with_it = table_bytes(out)
    changed.rename(tmp_path / changed.name)  # a rerun without it: its partition stays in the cache
    fourth = cli("score", "--articles", articles, "--out", out, "--scheduler", cluster.address, "--partition", "10")
    assert fourth.returncode == 0 and "59 articles" in fourth.stdout and table_bytes(out) != with_it
    (tmp_path / changed.name).rename(changed)  # back, unchanged (the same size and modification time)
    fifth = cli("score", "--articles", articles, "--out", out, "--scheduler", cluster.address, "--partition", "10")
    assert "(0 scored anew, 60 from the cache)" in fifth.stdout
    assert table_bytes(out) == with_it


def test_an_interrupted_run_resumes_from_its_finished_partitions(synthetic, cluster, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "analysis", "score", "--articles", str(synthetic), "--out", str(out),
               "--scheduler", cluster.address, "--partition", "10"]
    run = subprocess.Popen(command, cwd=config.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out / "cache" / "partitions"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len([p for p in parts.glob("*/*") if not p.name.startswith(".")]) < 3:
        time.sleep(0.05)
    run.kill()
    run.wait()
    assert not (out / "tables").exists()
    resumed = cli("score", "--articles", synthetic, "--out", out, "--scheduler", cluster.address, "--partition", "10")
    assert resumed.returncode == 0, resumed.stderr
    cached = int(re.search(r"scored anew, ([\d,]+) from the cache", resumed.stdout).group(1).replace(",", ""))
    assert cached >= 3 * 5  # at least the three finished partitions (5 to 20 files each)


# --- tables of articles --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def article_rows(synthetic) -> pd.DataFrame:
    """Sixty synthetic articles as rows: doc (id), body (text), outlet and a metadata column, country."""
    rows = []
    for path in sorted(synthetic.glob("s00[0-5]*.txt")):
        header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        rows.append(dict(doc=header.split("\n")[0][4:] + "x", body=body, outlet="Synthetic News",
                         country=["UA", "US", "CN"][len(rows) % 3]))
    return pd.DataFrame(rows)


def test_csv_jsonl_and_parquet_tables_of_articles_give_the_same_tables(article_rows, cluster, tmp_path):
    inputs = {"csv": tmp_path / "a.csv", "jsonl": tmp_path / "a.jsonl", "parquet": tmp_path / "a.parquet"}
    article_rows.to_csv(inputs["csv"], index=False)
    article_rows.to_json(inputs["jsonl"], orient="records", lines=True)
    article_rows.to_parquet(inputs["parquet"], index=False)
    found = {}
    for kind, path in inputs.items():
        out = tmp_path / f"out-{kind}"
        done = cli("score", "--articles", path, "--out", out, "--scheduler", cluster.address, "--text-column",
                   "body", "--id-column", "doc", "--partition", "25")
        assert done.returncode == 0, done.stderr
        found[kind] = table_bytes(out)
    assert found["csv"] == found["jsonl"] == found["parquet"]
    articles = pd.read_csv(tmp_path / "out-csv" / "tables" / "articles.csv", keep_default_na=False)
    assert articles["article_id"].tolist()[:2] == ["s0000x", "s0001x"]
    assert articles["country"].tolist()[:3] == ["UA", "US", "CN"]
    assert set(articles["outlet"]) == {"Synthetic News"}
    assert articles["file"].tolist()[0] == "a-1"


# --- bad input -----------------------------------------------------------------------------------------------------

def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The single error line of a failed run (exit status 2), no traceback; the dashboard's address, which a Dask run
    prints once its first partition is scored (before a later partition's bad input is met), is not an error."""
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("dask: dashboard at ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def test_a_malformed_csv_row_gets_one_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('id,text\na,"Fine text here."\nb,"A row with",too,many,fields\n', encoding="utf-8")
    line = one_line_error(cli("score", "--articles", path, "--out", tmp_path / "out"))
    assert str(path) in line and "line 3" in line
    assert not (tmp_path / "out").exists()


def test_an_unreadable_article_gets_one_line_on_dask(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in config.SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    line = one_line_error(cli("score", "--articles", folder, "--out", tmp_path / "out", "--engine", "dask",
                              "--workers", "1"))  # no worker's log of a failed task either
    assert "empty.txt: the file is empty" in line
    assert not (tmp_path / "out").exists()


def test_no_workers_gets_one_line(tmp_path):
    line = one_line_error(cli("score", "--articles", config.SEEDS / "*.txt", "--out", tmp_path / "out", "--engine",
                              "dask", "--workers", "0"))
    assert "--workers 0" in line and "at least one worker" in line
    assert not (tmp_path / "out").exists()


def test_parquet_without_the_text_column_gets_one_line(tmp_path):
    path = tmp_path / "a.parquet"
    pd.DataFrame({"id": ["a"], "content": ["Some text."]}).to_parquet(path)
    line = one_line_error(cli("score", "--articles", path, "--out", tmp_path / "out"))
    assert str(path) in line and "'text'" in line and "--text-column" in line


def test_an_unreachable_scheduler_gets_one_line_and_an_earlier_run_keeps_its_tables(tmp_path):
    out = tmp_path / "out"
    assert cli("score", "--articles", config.SEEDS / "*.txt", "--out", out, "--jobs", "1").returncode == 0
    before = table_bytes(out)
    address = f"tcp://127.0.0.1:{free_port()}"
    line = one_line_error(cli("score", "--articles", config.SEEDS / "*.txt", "--out", out, "--scheduler", address))
    assert address in line
    assert table_bytes(out) == before
