"""The texts behind the blind-coded validation sets in `benchmarks/data/`, read from `../shared/data/`.

The coded sets never hold article text (the collections have no licence): each coded unit is keyed by its source
(`file`: a path under `../shared/data/`, or `news_corpus/<csv>#<row>` for a row of the NYT/Guardian tables),
its sentence position (`sentence_index`, as `analysis.corpus.sentence_rows` numbers sentences) and `sha1`, the
first 12 hex digits of the SHA-1 of the sentence's text. `article_sentences` rebuilds an article's sentences
from the shared data with the package's own loader; `match_coding` joins a coded set to them by file and hash,
so a coded sentence is found again even if a later change of the splitter moves its position, and a sentence
whose text changed is reported as lost rather than matched to the wrong text.

`sample_articles` draws the articles of a coded set (stratified by collection and the outlet's country, seeded)
and `write_batches` writes the coders' sheets: numbered sentences per article, nothing else.
"""
from __future__ import annotations

import hashlib
import random
import re
import tempfile
import warnings
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.corpus import load_article, sentence_rows

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GDELT = "gdelt_2022_2023"
NEWS_CORPUS = "news_corpus"
NEWS_2023 = "news_2023"
BODY = ("body", "standfirst")  # sentence kinds that are coded (not headlines, subheadlines or captions)


def shared_available() -> bool:
    """True if `../shared/data/` holds the collections the coded sets come from."""
    return (SHARED / GDELT).is_dir() and (SHARED / NEWS_CORPUS).is_dir()


def sentence_hash(text: str) -> str:
    """First 12 hex digits of the SHA-1 of a sentence's text (UTF-8): its key in a coded set."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@cache
def news_corpus_rows(name: str) -> pd.DataFrame:
    """The rows of one NYT/Guardian table (`published`, `headlines`, `articles`)."""
    return pd.read_csv(SHARED / NEWS_CORPUS / name, keep_default_na=False)


def article_sentences(source: str) -> list[dict]:
    """Sentence rows (`analysis.corpus.sentence_rows`, each with `sha1` added) of one coded-set source: a file
    path under `../shared/data/`, or `news_corpus/<csv>#<row>`, written to a temporary file with a
    title/date header first."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "#" in source:
            name, row = source.split("/", 1)[1].split("#")
            record = news_corpus_rows(name).iloc[int(row)]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "article.txt"
                path.write_text(f"title: {record['headlines']}\ndate: {record['published']}\n\n"
                                f"{record['articles']}\n", encoding="utf-8")
                rows = sentence_rows(load_article(path))
        else:
            rows = sentence_rows(load_article(SHARED / source))
    return [{**row, "sha1": sentence_hash(row["text"])} for row in rows]


def candidate_sources() -> list[tuple[str, str]]:
    """(stratum, source) of every article the coded sets may draw from: gdelt files by the outlet's country
    (`gdelt-GB`, ...), NYT and Guardian rows, and the three March 2023 articles."""
    found = [(f"gdelt-{path.name.split('_')[1]}", f"{GDELT}/{path.name}")
             for path in sorted((SHARED / GDELT).glob("*.txt"))]
    for name in sorted(p.name for p in (SHARED / NEWS_CORPUS).glob("*.csv")):
        found += [(f"news_corpus-{name.split('_')[0]}", f"{NEWS_CORPUS}/{name}#{i}")
                  for i in range(len(news_corpus_rows(name)))]
    found += [("news_2023", f"{NEWS_2023}/{path.name}") for path in sorted((SHARED / NEWS_2023).glob("*.txt"))]
    return found


def sample_articles(per_stratum: dict[str, int], *, seed: int, exclude: set[str] = frozenset(),
                    sentences: tuple[int, int] = (8, 40)) -> list[str]:
    """Sources drawn at random (`seed`) from each stratum, `per_stratum[stratum]` of them, among articles with
    between `sentences[0]` and `sentences[1]` coded (body) sentences and not in `exclude`."""
    rng = random.Random(seed)
    by_stratum: dict[str, list[str]] = {}
    for stratum, source in candidate_sources():
        by_stratum.setdefault(stratum, []).append(source)
    chosen = []
    for stratum, count in per_stratum.items():
        pool = [s for s in by_stratum[stratum] if s not in exclude]
        rng.shuffle(pool)
        for source in pool:
            if len([c for c in chosen if c in by_stratum[stratum]]) == count:
                break
            low, high = sentences
            if low <= sum(row["kind"] in BODY for row in article_sentences(source)) <= high:
                chosen.append(source)
    return chosen


def units(sources: list[str]) -> pd.DataFrame:
    """One row per coded unit (body sentence) of `sources`: item (A<article>-S<sentence>), file,
    sentence_index, sha1 and text (text only for writing the coders' sheets, never saved in the project)."""
    rows = []
    for number, source in enumerate(sources, start=1):
        for row in article_sentences(source):
            if row["kind"] in BODY:
                rows.append(dict(item=f"A{number:02d}-S{row['sentence_index']:03d}", file=source,
                                 sentence_index=row["sentence_index"], sha1=row["sha1"], text=row["text"]))
    return pd.DataFrame(rows)


def write_batches(table: pd.DataFrame, folder: Path, size: int, preamble: str) -> list[Path]:
    """The coders' sheets: `preamble`, then each article's sentences (item id and text) in reading order, whole
    articles per sheet, about `size` sentences a sheet. Returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    sheets, current = [], []
    for _, article in table.groupby("file", sort=False):
        current.append(article)
        if sum(map(len, current)) >= size:
            sheets.append(pd.concat(current))
            current = []
    if current:
        sheets.append(pd.concat(current))
    paths = []
    for k, sheet in enumerate(sheets, start=1):
        lines = [preamble, ""]
        for item_article, article in sheet.groupby(sheet["item"].str[:3], sort=False):
            lines += [f"## Article {item_article}", ""]
            lines += [f"{row.item}\t{row.text}" for row in article.itertuples()] + [""]
        path = folder / f"sheet_{k:02d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def match_coding(coding: pd.DataFrame) -> pd.DataFrame:
    """`coding` (columns file, sentence_index, sha1, ...) joined to today's sentence rows of its articles by file
    and sha1: adds `text` and `found_index` (today's position); rows whose sentence is no longer found are
    dropped, with a printed count."""
    found = []
    for source, group in coding.groupby("file", sort=False):
        today = {row["sha1"]: row for row in article_sentences(source)}
        for record in group.to_dict("records"):
            if record["sha1"] in today:
                row = today[record["sha1"]]
                found.append({**record, "text": row["text"], "found_index": row["sentence_index"]})
    lost = len(coding) - len(found)
    if lost:
        print(f"note: {lost} of {len(coding)} coded sentences are no longer found as sentences (splitter changed)")
    return pd.DataFrame(found)


# --- how the frame coding set (`data/frame_coding.csv`) was drawn ------------------------------------------------

FRAME_STRATA = {"gdelt-BY": 10, "gdelt-GB": 10, "gdelt-PL": 10, "gdelt-UA": 10, "gdelt-US": 10,
                "news_corpus-NYT": 3, "news_corpus-Guardians": 3, "news_2023": 3}
FRAME_SEED, SPLIT_SEED, DEV_SHARE = 20261204, 7, 0.6


def frame_sample() -> dict[str, str]:
    """The articles of the frame coding set and their split ('dev' or 'test'), as drawn on 4 December 2026:
    `sample_articles(FRAME_STRATA, seed=FRAME_SEED)`, then per stratum a shuffle (`SPLIT_SEED`) and the first
    `DEV_SHARE` (rounded) to dev."""
    return split_by_stratum(sample_articles(FRAME_STRATA, seed=FRAME_SEED), SPLIT_SEED)


def split_by_stratum(sources: list[str], seed: int) -> dict[str, str]:
    """'dev' or 'test' for each of `sources`: per stratum, in order of first appearance, its sources shuffled by
    one generator seeded with `seed`, the first `DEV_SHARE` of them (rounded) to dev, the rest to test."""
    stratum = dict((source, name) for name, source in candidate_sources())
    rng, split = random.Random(seed), {}
    for name in dict.fromkeys(stratum[s] for s in sources):
        members = [s for s in sources if stratum[s] == name]
        rng.shuffle(members)
        split |= {s: "dev" if i < round(len(members) * DEV_SHARE) else "test" for i, s in enumerate(members)}
    return split


# --- how the quotation coding set (`data/quote_coding.csv`) was drawn -------------------------------------------

QUOTE_STRATA = {"gdelt-PL": 9, "gdelt-UA": 8, "gdelt-GB": 8, "gdelt-US": 8, "gdelt-BY": 4, "news_corpus-NYT": 3,
                "news_corpus-Guardians": 4, "news_2023": 3}
QUOTE_SEED, QUOTE_SPLIT_SEED = 1703, 17
QUOTE_MARK = re.compile(r"[“”\"«»„]")
DASH_SPEECH = re.compile(r"^\s*[-–—]\s")


def quotations_estimate(rows: list[dict]) -> int:
    """A rough count of an article's quotations, for drawing the quotation set: half its double quotation marks
    plus its sentences opening with a dash."""
    return (sum(len(QUOTE_MARK.findall(r["text"])) for r in rows) // 2
            + sum(bool(DASH_SPEECH.match(r["text"])) for r in rows))


def quote_sample() -> dict[str, str]:
    """The articles of the quotation coding set and their split, as drawn on 4 December 2026: per stratum, the
    articles not in the frame set with 8 to 45 body sentences and a `quotations_estimate` of 5 or more, sorted,
    shuffled (`QUOTE_SEED`, one generator for all strata in `QUOTE_STRATA` order) and the first ones taken; then
    per stratum a shuffle (`QUOTE_SPLIT_SEED`) and the first 60% (rounded) to dev."""
    return split_by_stratum(quoted_articles(QUOTE_STRATA, QUOTE_SEED, exclude=set(frame_sample())),
                            QUOTE_SPLIT_SEED)


def quoted_articles(strata: dict[str, int], seed: int, *, exclude: set[str]) -> list[str]:
    """Articles rich in quotations drawn per stratum, `strata[stratum]` of each: those not in `exclude` with 8 to
    45 body sentences and a `quotations_estimate` of 5 or more, sorted, shuffled (one generator seeded `seed` for
    all strata, in `strata` order) and the first ones taken."""
    pools: dict[str, list[str]] = {}
    for name, source in candidate_sources():
        if source in exclude or name not in strata:
            continue
        body = [r for r in article_sentences(source) if r["kind"] in BODY]
        if 8 <= len(body) <= 45 and quotations_estimate(body) >= 5:
            pools.setdefault(name, []).append(source)
    rng, chosen = random.Random(seed), []
    for name, count in strata.items():
        pool = sorted(pools.get(name, []))
        rng.shuffle(pool)
        chosen += pool[:count]
    return chosen


# --- the hold-out sets (`data/*_holdout.csv`), drawn after both sets above had been used for a report -------------

HOLDOUT_FRAME_STRATA = {"gdelt-BY": 4, "gdelt-GB": 4, "gdelt-PL": 4, "gdelt-UA": 4, "gdelt-US": 4,
                        "news_corpus-NYT": 2, "news_corpus-Guardians": 2}
HOLDOUT_QUOTE_STRATA = {"gdelt-PL": 3, "gdelt-UA": 3, "gdelt-GB": 3, "gdelt-US": 3, "gdelt-BY": 2,
                        "news_corpus-NYT": 2, "news_corpus-Guardians": 2}
HOLDOUT_SEEDS = {1: 20261205, 2: 20261206, 3: 20261207, 4: 20261208, 5: 20261209, 6: 20261210, 7: 20261211}  # round: seed; a round is drawn once the previous one has been reported
# Rounds drawn after issue 16 was declared blocked: quotations only, from the strata that still had quote-rich
# articles left (on 5 December: Guardian 50+, PL 24, GB 10, US 5, NYT/UA/BY none).
QUOTATION_ONLY_STRATA = {7: {"gdelt-PL": 4, "gdelt-GB": 4, "gdelt-US": 4, "news_corpus-Guardians": 4}}
DATA = Path(__file__).resolve().parent / "data"


def coded_sources() -> set[str]:
    """Every source in a coded set saved in `benchmarks/data/` (the record of what has been coded)."""
    return {source for kind in ("frame", "quote")
            for path in DATA.glob(f"{kind}_coding*.csv") for source in pd.read_csv(path)["file"]}


def holdout_samples(round: int) -> tuple[list[str], list[str]]:
    """A fresh round of hold-out articles: (frame hold-out, quotation hold-out), none of them in any coded set
    saved so far (`coded_sources`). The frame hold-out is `sample_articles(HOLDOUT_FRAME_STRATA,
    seed=HOLDOUT_SEEDS[round])`; the quotation hold-out is `quoted_articles(HOLDOUT_QUOTE_STRATA, same seed)`,
    excluding the frame hold-out too. A round in `QUOTATION_ONLY_STRATA` has no frame hold-out (issue 16 was
    declared blocked) and draws its quotation hold-out from those strata. Every article of a round is a test article: it is used once, to report.
    Round 1 was drawn on 4 December 2026, rounds 2 and 3 on 5 December, round 4 on 5 December (07:20 UTC), round 5 on 5 December (10:00 UTC), round 6 on 5 December (12:50 UTC), round 7 on 5 December (15:45 UTC, quotations only: issue 16 had been declared blocked); the saved sets are the record, since a redraw
    depends on the sets saved by then and on the splitter's sentence counts of that day."""
    used, seed = coded_sources(), HOLDOUT_SEEDS[round]
    if round in QUOTATION_ONLY_STRATA:
        return [], quoted_articles(QUOTATION_ONLY_STRATA[round], seed, exclude=used)
    frames = sample_articles(HOLDOUT_FRAME_STRATA, seed=seed, exclude=used)
    return frames, quoted_articles(HOLDOUT_QUOTE_STRATA, seed, exclude=used | set(frames))
