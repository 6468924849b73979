"""Benchmark: `score` on Dask (analysis.engine) for 10,000 and 50,000 articles against today's `score`.

The articles are written as `benchmarks/score_10k.py` writes them (the news corpus cycled and numbered). Measured,
each in a fresh process: wall seconds and peak memory of the process tree (sum of PSS and of RSS over the command,
the Dask nanny and worker processes, polled every 0.1 s; `score_10k.TreeMemory`) of

- `score --jobs 2` (the process pool) on the first 10,000 articles, the baseline;
- `score --engine dask --workers 2` on the same 10,000 and then on all 50,000.

Targets (issue 19): 50k peak PSS at most 1.25 times the 10k's and at most 2 GB; 50k wall at most 5.5 times the
10k's; Dask 10k at most 1.1 times the baseline. Prints figures, the CPU seconds of each run (user + system of every
process of the tree, polled with the memory: the local cluster's workers are forked from a server process the
command does not wait for, so its children's CPU times would miss them) and the load average before and during it
(the machine is shared); asserts nothing. `--rounds N` runs the pool and Dask on the small corpus N times,
interleaved, so that both see the same load; `--large 0` skips the large run. Skips with a message when the shared
data is absent.

Usage: .venv/bin/python benchmarks/score_dask.py [--small 10000] [--large 50000] [--rounds 1] [--keep DIR] [--no-pool]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_10k import NEWS, ROOT, SOURCES, TreeMemory, cpu_model, write_articles  # noqa: E402


def command(articles: Path, out: Path, engine: str) -> list[str]:
    """The score command line for the folder `articles` with `engine` (2 processes either way)."""
    base = [sys.executable, "-m", "analysis", "score", "--articles", str(articles), "--out", str(out)]
    return base + (["--engine", "processes", "--jobs", "2"] if engine == "processes" else
                   ["--engine", "dask", "--workers", "2"])


class LoadAverage:
    """The machine's one-minute load average, sampled every `interval` seconds in a thread: mean and maximum."""

    def __init__(self, interval: float = 2.0):
        self.samples: list[float] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.poll, args=(interval,), daemon=True)
        self.thread.start()

    def poll(self, interval: float) -> None:
        while not self.done.wait(interval):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> str:
        self.done.set()
        self.thread.join()
        found = self.samples or [os.getloadavg()[0]]
        return f"mean {sum(found) / len(found):.1f}, max {max(found):.1f}"


class TreeCpu:
    """CPU seconds (user + system) of a process and all its descendants, polled every `interval` seconds in a
    thread: the sum over every process seen of its last reading (a process's last `interval` is missed)."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.last, self.done = pid, {}, threading.Event()
        self.thread = threading.Thread(target=self.poll, args=(interval,), daemon=True)
        self.thread.start()

    def poll(self, interval: float) -> None:
        root = psutil.Process(self.pid)
        while not self.done.wait(interval):
            try:
                tree = [root] + root.children(recursive=True)
            except psutil.Error:
                continue
            for process in tree:
                try:
                    times = process.cpu_times()
                    self.last[(process.pid, process.create_time())] = times.user + times.system
                except psutil.Error:
                    pass

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return sum(self.last.values())


def tree_run(command: list[str]) -> tuple[float, float, TreeMemory, str]:
    """(wall seconds, process-tree CPU seconds, peak memory, standard output) of `command` run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    memory, cpu = TreeMemory(process.pid), TreeCpu(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    memory.stop()
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed with exit status {process.returncode}")
    return seconds, cpu.stop(), memory, output


def measured(name: str, cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`, print its figures under `name`; return (wall seconds, peak PSS in MB)."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    during = LoadAverage()
    seconds, cpu, memory, output = tree_run(cmd)
    phases = re.search(r"\(scoring ([\d.]+) s, corpus-wide tables ([\d.]+) s\)", output)
    print(f"{name:<22} {seconds:7.1f} s wall, {cpu:7.1f} s CPU; peak {memory.pss:,.0f} MB PSS, {memory.rss:,.0f} MB "
          f"RSS (process tree; the command's process alone {memory.own_pss:,.0f} MB PSS); scoring {phases.group(1)} s, "
          f"corpus-wide {phases.group(2)} s; load average before: {load}; during: {during.stop()}", flush=True)
    return seconds, memory.pss


def benchmark(work: Path, small: int, large: int, pool: bool = True, rounds: int = 1) -> None:
    """Write the articles under `work` and measure the runs (the pool's unless not `pool`; the small ones `rounds`
    times, interleaved; the large one unless `large` is 0); print the ratios against the targets."""
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}")
    first, rest = work / "small", work / "rest"
    first.mkdir(parents=True), rest.mkdir()
    write_articles(first, small)
    for number in range(1, rounds + 1):
        base = measured(f"score {small:,} (pool)", command(first, work / f"out-pool-{number}", "processes"))[0] \
            if pool else None
        wall_small, pss_small = measured(f"dask {small:,}", command(first, work / f"out-small-{number}", "dask"))
        if base:
            print(f"ratio: dask {small:,} / pool {wall_small / base:.2f} (target <= 1.1)")
    if large <= small:
        return
    write_articles(rest, large - small, start=small + 1)
    both = [sys.executable, "-m", "analysis", "score", "--articles", str(first), str(rest), "--out",
            str(work / "out-large"), "--engine", "dask", "--workers", "2"]
    wall_large, pss_large = measured(f"dask {large:,}", both)
    print(f"ratios: wall {large:,} / {small:,} "
          f"{wall_large / wall_small:.2f} (target <= 5.5); PSS {large:,} / {small:,} {pss_large / pss_small:.2f} "
          f"(target <= 1.25); PSS {large:,} {pss_large:,.0f} MB (target <= 2048)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=50_000)
    parser.add_argument("--keep", metavar="DIR", help="build in DIR (new) and keep it")
    parser.add_argument("--no-pool", action="store_true", help="skip the process pool's run (the baseline)")
    parser.add_argument("--rounds", type=int, default=1, help="pool and Dask runs on the small corpus, interleaved")
    args = parser.parse_args()
    if not all((NEWS / name).exists() for name, _ in SOURCES):
        print(f"skipped: {NEWS} is not present (the benchmark needs the news corpus)")
        return
    if args.keep:
        benchmark(Path(args.keep), args.small, args.large, not args.no_pool, args.rounds)
    else:
        with tempfile.TemporaryDirectory(prefix="dask-bench-") as work:
            benchmark(Path(work), args.small, args.large, not args.no_pool, args.rounds)


if __name__ == "__main__":
    main()
