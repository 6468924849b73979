"""Frames: a dictionary of frames, each sentence coded with the frames it carries, and frame shares compared.

Dictionary-based frame coding (as in quanteda's `tokens_lookup`): each frame in `data/frames.yaml` has terms
(words, phrases, stems ending in `*`) and exclusions. A sentence carries a frame when one of its terms matches
its word tokens, lower-cased, with hyphenated words split at the hyphen ("de-escalation" → de - escalation);
words inside an exclusion match never count for that frame ("driving force" is not battlefield). Negation is not
handled: "no alliance" is still about alliances. Every match is saved as evidence, so each decision can be
checked against the sentence.

Shares are per article: the share of sentences carrying a frame, and the share of word tokens (punctuation
dropped) in those sentences. A sentence share's interval is the Wilson score interval (`stats.wilson_interval`:
honest for a few sentences, never 0–0% for a frame in none of them); a token share's is a percentile bootstrap
interval over sentences (Efron & Tibshirani 1993, ch. 13), none where the frame is in none or all of them.
Differences between articles are tested one-vs-rest with a permutation test of the difference in sentence shares
(Good 2005, *Permutation, Parametric and Bootstrap Tests of Hypotheses*), p-values with the +1 correction of
Phipson & Smyth (2010) and Benjamini–Hochberg (1995) q-values across all tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from scipy.stats import norm

from analysis import config
from analysis.errors import InputError
from analysis.lookup import (PatternIndex, index_matches, longest_spans, match_tokens, matched_words, pattern_index,
                            pattern_tokens, read_yaml)
from analysis.stats import (CONFIDENCE, RESAMPLES, SEED, benjamini_hochberg, bootstrap_ratios,
                            percentile_interval, permutation_pvalues, wilson_interval)
from analysis.text import words

FRAMES_FILE = config.PACKAGE_DATA / "frames.yaml"
FRAME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
SHARE_COLUMNS = ["article_id", "frame", "sentences", "frame_sentences", "sentence_share", "sentence_low",
                 "sentence_high", "tokens", "frame_tokens", "token_share", "token_low", "token_high"]
TEST_COLUMNS = ["article_id", "comparison", "frame", "sentences", "rest_sentences", "share", "rest_share",
                "difference", "detectable", "p_value", "q_value", "resamples"]


@dataclass(frozen=True)
class Frame:
    """One frame of the dictionary: id, chart label, one-line definition, terms and exclusions (patterns), and
    example sentences (for the learned coder, `analysis.coders`)."""

    id: str
    label: str
    definition: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


# --- the dictionary ---------------------------------------------------------------------------------------------

def load_frames(path: str | Path | None = None) -> list[Frame]:
    """Frames of the YAML dictionary at `path` (default: the package's `data/frames.yaml`; a relative path is
    taken from the repository root, like the articles), in file order.
    Raises InputError (one line naming the file and the problem) for a missing or malformed file."""
    path = config.resolve(path) if path is not None else FRAMES_FILE
    entries = _frame_entries(read_yaml(path, "frame dictionary"), path)
    frames = [_frame(entry, number, path) for number, entry in enumerate(entries, start=1)]
    repeated = sorted({f.id for f in frames if [g.id for g in frames].count(f.id) > 1})
    if repeated:
        raise InputError(f"{path}: frame id {repeated[0]!r} is used more than once")
    return frames


def _frame_entries(data, path: Path) -> list:
    """The list under the top-level key 'frames'; InputError if there is none."""
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list) or not data["frames"]:
        raise InputError(f"{path}: expected a top-level 'frames:' list with at least one frame")
    return data["frames"]


def _frame(entry, number: int, path: Path) -> Frame:
    """Frame from one YAML entry (frame `number` in the file), checked; InputError naming the problem."""
    if not isinstance(entry, dict) or not FRAME_ID.match(str(entry.get("id", ""))):
        raise InputError(f"{path}: frame {number} needs an 'id' in snake_case (letters, digits, '_')")
    frame_id = entry["id"]
    if not str(entry.get("definition", "")).strip():
        raise InputError(f"{path}: frame {frame_id!r} has no 'definition'")
    terms, exclude = _patterns(entry, "terms", frame_id, path), _patterns(entry, "exclude", frame_id, path)
    if not terms:
        raise InputError(f"{path}: frame {frame_id!r} has no 'terms'")
    label = str(entry.get("label") or frame_id.replace("_", " ").capitalize())
    examples = entry.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
        raise InputError(f"{path}: frame {frame_id!r}: 'examples' must be a list of sentences")
    return Frame(frame_id, label, " ".join(str(entry["definition"]).split()), terms, exclude,
                 tuple(" ".join(e.split()) for e in examples))


def _patterns(entry: dict, key: str, frame_id: str, path: Path) -> tuple[str, ...]:
    """The list of patterns under `key` of a frame entry, each checked by `pattern_tokens`."""
    values = entry.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise InputError(f"{path}: frame {frame_id!r}: '{key}' must be a list of non-empty words or phrases")
    for value in values:
        try:
            pattern_tokens(value)
        except ValueError as error:
            raise InputError(f"{path}: frame {frame_id!r}: {key} {value!r}: {error}") from None
    return tuple(" ".join(v.split()) for v in values)


def dictionary_table(frames: list[Frame]) -> pd.DataFrame:
    """The dictionary as a table: frame, label, definition, terms and exclusions (comma-separated), counts."""
    return pd.DataFrame([dict(frame=f.id, label=f.label, definition=f.definition, n_terms=len(f.terms),
                              terms=", ".join(f.terms), exclusions=", ".join(f.exclude)) for f in frames])


# --- coding ----------------------------------------------------------------------------------------------------

def frame_coder(frames: list[Frame]) -> Callable[[list[str]], dict[str, list[str]]]:
    """A function giving the evidence per frame for one sentence's word tokens, {frame id: matched words, in
    order} for the frames coded, with the dictionary `frames` indexed once: every term and exclusion of every
    frame is matched in one pass over the sentence."""
    return _frame_coder(tuple(frames))


@cache
def _frame_coder(frames: tuple[Frame, ...]) -> Callable[[list[str]], dict[str, list[str]]]:
    """`frame_coder`, built once per dictionary."""
    return partial(_code_tokens, code=matched_coder(frames))


def _code_tokens(tokens: list[str], code: Callable[[list[str]], dict[str, list[str]]]) -> dict[str, list[str]]:
    """`code` (a `matched_coder` function) of one sentence's word tokens, matched first (`lookup.match_tokens`)."""
    return code(match_tokens(tokens))


def matched_coder(frames: list[Frame] | tuple[Frame, ...]) -> Callable[[list[str]], dict[str, list[str]]]:
    """`frame_coder`'s function for a sentence whose word tokens are already as the dictionary matches them
    (`lookup.match_tokens`), for a caller that reads them too (`coders.StudyCoder`)."""
    return _matched_coder(tuple(frames))


@cache
def _matched_coder(frames: tuple[Frame, ...]) -> Callable[[list[str]], dict[str, list[str]]]:
    """`matched_coder`, built once per dictionary."""
    owners: dict[str, list[tuple[int, bool]]] = {}
    for j, frame in enumerate(frames):
        for pattern in frame.terms:
            owners.setdefault(pattern, []).append((j, False))
        for pattern in frame.exclude:
            owners.setdefault(pattern, []).append((j, True))
    return partial(_code, frames=frames, index=pattern_index(tuple(owners), True), owners=owners)


def _code(matched: list[str], frames: tuple[Frame, ...], index: PatternIndex,
          owners: dict[str, list[tuple[int, bool]]]) -> dict[str, list[str]]:
    """`matched_coder`'s function for `frames`, given each pattern's (frame position, is_exclusion) owners: per
    frame, its term matches minus any touching one of its exclusion matches, the longest at each start."""
    spans: list[list[tuple[int, int]]] = [[] for _ in frames]
    blocked: list[set[int]] = [set() for _ in frames]
    for start, end, pattern in index_matches(matched, index):
        for j, exclusion in owners[pattern]:
            if exclusion:
                blocked[j].update(range(start, end))
            else:
                spans[j].append((start, end))
    evidence = {}
    for j, frame in enumerate(frames):
        kept = longest_spans([s for s in spans[j] if not blocked[j] & set(range(*s))]) if spans[j] else []
        if kept:
            evidence[frame.id] = [matched_words(matched, s) for s in kept]
    return evidence


def evidence_columns(coded: list[dict[str, list[str]]]) -> tuple[list[str], list[str]]:
    """The `frames` and `frame_evidence` strings of coded sentences (`frame_coder` results): frame ids joined by
    ';' in dictionary order ('' when none), and 'frame: match, match | frame: ...'."""
    return ([";".join(c) for c in coded],
            [" | ".join(f"{k}: {', '.join(v)}" for k, v in c.items()) for c in coded])


def parse_evidence(evidence: str) -> dict[str, list[str]]:
    """The matches per frame of one `frame_evidence` string (the inverse of `evidence_columns`): {frame id:
    matched words, in order}."""
    pairs = (part.split(": ", 1) for part in evidence.split(" | ") if part)
    return {frame: matches.split(", ") for frame, matches in pairs}


def frame_labels(frames: list[Frame]) -> dict[str, str]:
    """Chart label of each frame, by id, in dictionary order."""
    return {f.id: f.label for f in frames}


def dictionary_coding(sentences: pd.DataFrame, frames: list[Frame] | None = None) -> pd.DataFrame:
    """The dictionary's frame coding of each sentence (the study's coding is `coders.code_sentences`; needs a
    `tokens` column), same index as `sentences`: `frames` (frame ids joined by ';' in dictionary order, '' when
    none) and `frame_evidence` ('frame: match, match | frame: ...')."""
    coder = frame_coder(load_frames() if frames is None else frames)
    found, evidence = evidence_columns([coder(tokens) for tokens in sentences["tokens"]])
    return pd.DataFrame({"frames": found, "frame_evidence": evidence}, index=sentences.index, dtype=str)


def frame_ids(coded: pd.Series) -> pd.Series:
    """The `frames` column as lists of frame ids ([] for uncoded sentences)."""
    return coded.fillna("").map(lambda value: [f for f in str(value).split(";") if f])


def frame_indicators(coded: pd.DataFrame, frames: list[Frame]) -> pd.DataFrame:
    """Boolean table, same index as `coded` (with a `frames` column), one column per frame: carries the frame."""
    ids = frame_ids(coded["frames"])
    return pd.DataFrame({f.id: ids.map(lambda found, f=f: f.id in found).astype(bool) for f in frames},
                        index=coded.index)


def coding_agreement(coded: pd.Series, other: pd.Series, frames: list[Frame]) -> pd.DataFrame:
    """Agreement between two codings of the same sentences (`frames` columns, aligned): per frame, the sentences
    each coding gives it (`study`, `second`), the share of sentences on which they agree, and Cohen's kappa
    (agreement beyond chance: (p_o - p_e) / (1 - p_e), p_e from each coding's own share; NaN when neither
    coding uses the frame)."""
    ours = frame_indicators(pd.DataFrame({"frames": coded.to_numpy()}), frames)
    theirs = frame_indicators(pd.DataFrame({"frames": other.to_numpy()}), frames)
    rows = []
    for frame in frames:
        a, b = ours[frame.id].to_numpy(), theirs[frame.id].to_numpy()
        observed, chance = np.mean(a == b), a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        kappa = (observed - chance) / (1 - chance) if chance < 1 else np.nan
        rows.append(dict(frame=frame.id, study=int(a.sum()), second=int(b.sum()), agreement=observed, kappa=kappa))
    return pd.DataFrame(rows)


# --- shares and intervals ---------------------------------------------------------------------------------------

def article_shares(group: pd.DataFrame, frames: list[Frame], *, resamples: int, seed: int,
                   confidence: float) -> pd.DataFrame:
    """Frame shares with intervals for one article's coded sentences (columns of `SHARE_COLUMNS`): Wilson score
    intervals for the sentence shares; bootstrap intervals for the token shares, NaN for fewer than two sentences
    and where the frame is in none or all of the sentences (every resample is then the same: not a certainty)."""
    ind = frame_indicators(group, frames).to_numpy(dtype=float)
    tokens = group["tokens"].map(lambda t: len(words(t))).to_numpy(dtype=float)
    table = pd.DataFrame({"article_id": group["article_id"].iloc[0], "frame": [f.id for f in frames],
                          "sentences": len(group), "frame_sentences": ind.sum(0),
                          "tokens": tokens.sum(), "frame_tokens": tokens @ ind})
    table["sentence_share"] = table["frame_sentences"] / len(group)
    table["token_share"] = table["frame_tokens"] / max(tokens.sum(), 1)
    table["sentence_low"], table["sentence_high"] = wilson_interval(table["frame_sentences"], len(group),
                                                                    confidence=confidence)
    if len(group) < 2:
        return table.assign(token_low=np.nan, token_high=np.nan)
    token = bootstrap_ratios(ind * tokens[:, None], tokens, resamples=resamples, seed=seed)
    varies = (table["frame_sentences"] > 0) & (table["frame_sentences"] < len(group))
    low, high = percentile_interval(token, confidence=confidence)
    table["token_low"], table["token_high"] = np.where(varies, low, np.nan), np.where(varies, high, np.nan)
    return table


def frame_shares(coded: pd.DataFrame, frames: list[Frame] | None = None, *, resamples: int = RESAMPLES,
                 seed: int = SEED, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """One row per article and frame: sentences, sentences carrying the frame and their share; word tokens, tokens
    in those sentences and their share; `confidence` intervals (see `article_shares`): Wilson for the sentence
    share, percentile bootstrap for the token share from `resamples` resamples of the article's sentences, seeded
    with `seed` for every article (an article's interval does not depend on the other articles). `coded`: the
    sentences table (article_id, tokens) with the `frames` column."""
    frames = load_frames() if frames is None else frames
    tables = [article_shares(g, frames, resamples=resamples, seed=seed, confidence=confidence)
              for _, g in coded.groupby("article_id", sort=False)]
    shares = pd.concat(tables, ignore_index=True)[SHARE_COLUMNS]
    return shares.astype({"frame_sentences": int, "tokens": int, "frame_tokens": int})


# --- tests of differences ---------------------------------------------------------------------------------------

def frame_tests(coded: pd.DataFrame, frames: list[Frame] | None = None, *, resamples: int = RESAMPLES,
                seed: int = SEED) -> pd.DataFrame:
    """Permutation tests of the difference in each frame's sentence share between one article and the rest of
    the corpus (one-vs-rest; with two articles only the first vs the second, the mirror test being the same).
    Columns `TEST_COLUMNS`: `detectable` is the smallest difference the comparison could flag at the 5% level
    (see `detectable_difference`, at the pooled share); q-values are Benjamini–Hochberg over all rows. Empty for
    fewer than two articles."""
    frames = load_frames() if frames is None else frames
    ids = list(dict.fromkeys(coded["article_id"]))
    if len(ids) < 2:
        return pd.DataFrame(columns=TEST_COLUMNS)
    values = frame_indicators(coded, frames).to_numpy(dtype=float)
    tested = ids[:1] if len(ids) == 2 else ids
    rows = [row for a in tested for row in _test_rows(coded, values, a, ids, frames, resamples, seed)]
    table = pd.DataFrame(rows, columns=TEST_COLUMNS)
    table["q_value"] = benjamini_hochberg(table["p_value"])
    return table


def _test_rows(coded, values, article_id, ids, frames, resamples, seed) -> list[dict]:
    """Test rows for one article against the rest (see `frame_tests`)."""
    mask = (coded["article_id"] == article_id).to_numpy()
    p = permutation_pvalues(values, mask, resamples=resamples, seed=seed)
    rest = "rest" if len(ids) > 2 else next(a for a in ids if a != article_id)
    n, m = int(mask.sum()), int((~mask).sum())
    return [dict(article_id=article_id, comparison=rest, frame=f.id, sentences=n, rest_sentences=m,
                 share=values[mask, j].mean(), rest_share=values[~mask, j].mean(),
                 difference=values[mask, j].mean() - values[~mask, j].mean(),
                 detectable=detectable_difference(n, m, values[:, j].mean()), p_value=p[j], q_value=np.nan,
                 resamples=resamples) for j, f in enumerate(frames)]


def detectable_difference(n_a: int, n_b: int, share: float, *, confidence: float = CONFIDENCE) -> float:
    """Smallest difference in sentence shares between samples of `n_a` and `n_b` sentences that a two-sided test
    at level 1 - `confidence` can flag when the pooled share is `share` (normal approximation to the two-proportion
    test: z * sqrt(share (1 - share) (1/n_a + 1/n_b)); a difference this size is detected about half the time)."""
    z = norm.ppf((1 + confidence) / 2)
    return float(z * np.sqrt(share * (1 - share) * (1 / n_a + 1 / n_b)))


# --- views for reading the coding -------------------------------------------------------------------------------

def frame_map_table(coded: pd.DataFrame) -> pd.DataFrame:
    """Long table for the frame map: one row per sentence and frame it carries (one row with frame '' for an
    uncoded sentence): article_id, sentence_index, position (0-based reading order), frame, slice, slices."""
    rows = []
    for _, group in coded.groupby("article_id", sort=False):
        for position, (index, found) in enumerate(zip(group["sentence_index"], frame_ids(group["frames"]))):
            rows += [dict(article_id=group["article_id"].iloc[0], sentence_index=index, position=position,
                          frame=frame, slice=i, slices=max(len(found), 1)) for i, frame in enumerate(found or [""])]
    return pd.DataFrame(rows, columns=["article_id", "sentence_index", "position", "frame", "slice", "slices"])


def frame_cooccurrence(coded: pd.DataFrame, frames: list[Frame]) -> pd.DataFrame:
    """Sentences carrying both frames, for every pair of frames (a frame with itself: sentences carrying it):
    frame_a, frame_b, sentences (long table, dictionary order)."""
    ind = frame_indicators(coded, frames).astype(int)
    counts = ind.T @ ind
    return counts.rename_axis("frame_a").reset_index().melt("frame_a", var_name="frame_b", value_name="sentences")


def frame_contexts(coded: pd.DataFrame, frame_id: str, *, window: int = 1) -> pd.DataFrame:
    """Each sentence carrying `frame_id` with the `window` sentences before and after it in its article:
    article_id, sentence_index, before, text, after, frames, frame_evidence (and speaker, if `coded` has it)."""
    columns = ["article_id", "sentence_index", "before", "text", "after", "frames", "frame_evidence"]
    columns += ["speaker"] if "speaker" in coded.columns else []
    table = coded.assign(before=_neighbours(coded, -window), after=_neighbours(coded, window))
    carries = frame_ids(coded["frames"]).map(lambda found: frame_id in found).astype(bool)
    return table.loc[carries, columns].reset_index(drop=True)


def _neighbours(coded: pd.DataFrame, window: int) -> pd.Series:
    """For each sentence, the texts of the `window` sentences after it (before it if negative) in its article."""
    def around(texts: pd.Series) -> pd.Series:
        t = texts.tolist()
        pick = (lambda i: t[max(i + window, 0):i]) if window < 0 else (lambda i: t[i + 1:i + 1 + window])
        return pd.Series([" ".join(pick(i)) for i in range(len(t))], index=texts.index, dtype=str)
    return coded.groupby("article_id", sort=False)["text"].transform(around)
