"""Command line: `framing run [--articles PATH_OR_GLOB ...] [--out DIR] [--query TERMS ...] [--frame ID ...]
[--actor NAME ...] [--group COLUMN] [--coder study|dictionary] [--study FILE]` executes the notebooks;
`framing score --articles PATH_OR_GLOB ... --out DIR [--jobs N] [--coder study|dictionary]` writes the study's
tables without them. `framing` is the console script `pip install -e .` puts beside the environment's Python
(`.venv/bin/framing`, pyproject.toml); `python -m analysis` runs the same, but imports a folder named `analysis`
in the current directory first if there is one."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis import config
from analysis.coders import CODERS
from analysis.engine import (DASK_ABOVE, PARTITION, SIMILARITY_BLOCK, chosen_engine, corpus_files, is_table,
                             score_dask)
from analysis.errors import InputError
from analysis.prose import plural
from analysis.run import NotebookFailed, from_cwd, run_study, study_parameters
from analysis.score import LARGE_CORPUS, score_corpus


def parser() -> argparse.ArgumentParser:
    """Argument parser of the `analysis` command."""
    main = argparse.ArgumentParser(
        prog=program(), description="Compare how news articles frame a conflict.",
        epilog="Run it as .venv/bin/framing (the console script pip installs), or as .venv/bin/python -m analysis "
               "from a folder that has no folder named analysis of its own (Python would import that one).")
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="execute every study notebook on the given articles")
    run.add_argument("--articles", nargs="+", metavar="PATH_OR_GLOB",
                     help="article files, folders or globs (quote globs); default: seeds/*.txt")
    run.add_argument("--out", metavar="DIR",
                     help="output folder for notebooks/, figures/, tables/, html/; default: the repository, in place")
    run.add_argument("--query", action="append", metavar="TERMS",
                     help="word or phrase to find in context (* = any letters inside a word, e.g. 'escalat*'); "
                          "repeat for several; default: each article's strongest key terms")
    run.add_argument("--frame", action="append", metavar="FRAME_ID",
                     help="frame the findings follow (an id of analysis/data/frames.yaml); repeat for several; "
                          "default: the frames coding the most sentences")
    run.add_argument("--actor", action="append", metavar="NAME",
                     help="actor whose quoted voices the findings follow (a name of analysis/data/actors.yaml); "
                          "repeat for several; default: the actor quoted most")
    run.add_argument("--group", metavar="COLUMN",
                     help="compare groups of articles by a metadata column: outlet, country, date:week, "
                          "date:month, date:year, a header key such as group; default: compare articles")
    run.add_argument("--coder", choices=CODERS, default="study",
                     help="frame coding: study (the dictionary and the learned model combined; default) or "
                          "dictionary (the dictionary alone: faster, frame_model empty)")
    run.add_argument("--study", metavar="FILE",
                     help="study file (YAML: queries, frames, actors, group) for the questions not given above; "
                          "without --articles: seeds/study.yaml")
    score = commands.add_parser(
        "score", help="write the study's tables (no notebooks, no figures) for many articles",
        description="Write articles, sentences (frames, speaker, sentiment), quotes, tfidf_terms, keyness and "
                    "similarity tables to DIR/tables/, streaming the articles through worker processes. Results "
                    "are cached per file in DIR/cache/, so a rerun re-scores only new or changed files. Above "
                    f"{LARGE_CORPUS} articles, keyness.csv and similarity.csv keep each article's top terms and "
                    "most similar articles instead of every row.")
    score.add_argument("--articles", nargs="+", metavar="PATH_OR_GLOB", required=True,
                       help="article files, folders or globs (quote globs)")
    score.add_argument("--out", metavar="DIR", required=True,
                       help="output folder (new, empty, or an earlier run's) for tables/ and cache/")
    score.add_argument("--jobs", type=int, default=2, metavar="N",
                       help="the process pool's worker processes; default 2")
    score.add_argument("--coder", choices=CODERS, default="study",
                       help="frame coding: study (the dictionary and the learned model combined; default) or "
                            "dictionary (the dictionary alone: faster, frame_model empty)")
    score.add_argument("--engine", choices=("auto", "processes", "dask"), default="auto",
                       help=f"auto (default): a local Dask cluster sized to the machine for more than {DASK_ABOVE:,} "
                            "files (or with --scheduler, or a table of articles), else the process pool, which "
                            "starts sooner; processes: a pool of --jobs processes; dask: a Dask cluster "
                            "(analysis.engine)")
    score.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786); "
                            "default: a local cluster of --workers processes")
    score.add_argument("--workers", type=int, metavar="N", help="local Dask cluster's processes; default: CPUs")
    score.add_argument("--text-column", default="text", metavar="NAME",
                       help="for a CSV, JSON Lines or Parquet file of articles: the column of texts; default text")
    score.add_argument("--partition", type=int, default=PARTITION, metavar="N",
                       help=f"with Dask: articles per partition (task); default {PARTITION}")
    score.add_argument("--similarity-block", type=int, default=SIMILARITY_BLOCK, metavar="N",
                       help="with Dask: articles per block of the most-similar-articles step (a worker holds two "
                            f"blocks' TF-IDF and N × N cosines, 8 bytes each); default {SIMILARITY_BLOCK}")
    score.add_argument("--id-column", metavar="NAME", help="for a table of articles: the column of article ids")
    score.add_argument("--title-column", metavar="NAME",
                       help="for a table of articles: the column of titles (the charts' labels); default title")
    score.add_argument("--date-column", metavar="NAME",
                       help="for a table of articles: the column of dates (ISO, 'March 17, 2023' or "
                            "'17 March 2023'); default date")
    return main


def program() -> str:
    """The command's name as the user typed it: 'framing' (the console script) or 'python -m analysis'."""
    name = Path(sys.argv[0]).name
    return "python -m analysis" if name in ("__main__.py", "-m", "") else name


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv`; return the exit status (0 ok, 1 a notebook failed, 2 bad input)."""
    args = parser().parse_args(argv)
    try:
        return score(args) if args.command == "score" else run(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: stopped before writing anything; earlier outputs are as they were", file=sys.stderr)
        return 130
    except NotebookFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {error.filename}: {error.strerror}" if error.filename else f"error: {error.strerror or error}",
              file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    """The `run` command: execute every notebook."""
    questions = study_parameters(args.query, args.frame, args.actor, args.group,
                                 study=from_cwd([args.study])[0] if args.study else None,
                                 seeds=not args.articles)
    out = run_study(args.articles, args.out, questions=questions, coder=args.coder)
    written = "notebooks, figures, tables, explorer.html and the findings in README.md" if out == config.ROOT else \
        "notebooks, html copies, figures, tables, explorer.html and FINDINGS.md"
    print(f"done: {written} in {out}")
    return 0


def named_columns(args: argparse.Namespace) -> dict[str, str]:
    """The columns of a table of articles named on the command line: header key → column (`--id-column`,
    `--title-column`, `--date-column`)."""
    named = {"id": args.id_column, "title": args.title_column, "date": args.date_column}
    return {key: column for key, column in named.items() if column}


def score(args: argparse.Namespace) -> int:
    """The `score` command: write the tables, print warnings, notes and a summary."""
    start = time.perf_counter()
    patterns = from_cwd(args.articles)
    columns = named_columns(args)
    if columns and not is_table(patterns):
        key = next(iter(columns))
        raise InputError(f"--{key}-column: only for a table of articles (one .csv, .tsv, .jsonl or .parquet "
                         f"file); {patterns[0]} is not one (a text file gives its {key} in its header)")
    files = corpus_files(patterns)  # listed once for the whole run
    if chosen_engine(args.engine, files, args.scheduler) == "dask":
        summary = score_dask(patterns, args.out, scheduler=args.scheduler, workers=args.workers,
                             text_column=args.text_column, columns=columns, partition=args.partition,
                             similarity_block=args.similarity_block, coder=args.coder, progress=True, files=files)
    else:
        summary = score_corpus(patterns, args.out, jobs=args.jobs, progress=True, coder=args.coder, files=files)
    for note in summary.warnings:
        print(f"warning: {note}", file=sys.stderr)
    for note in summary.notes:
        print(f"note: {note}")
    seconds = time.perf_counter() - start
    print(f"done: {plural(summary.articles, 'article')}, {plural(summary.sentences, 'sentence')} "
          f"({summary.scored:,} scored anew, {summary.cached:,} from the cache) in {seconds:.1f} s "
          f"(scoring {summary.scoring_seconds:.1f} s, corpus-wide tables {summary.corpus_seconds:.1f} s); tables in "
          f"{summary.out / 'tables'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
