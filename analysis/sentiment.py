"""Sentence sentiment: VADER scores, article summaries, arcs, groups (frame, speaker, actor), a second lexicon.

Scores come from VADER (Hutto & Gilbert 2014, ICWSM), the `vaderSentiment` package's analyzer, run on each raw
sentence: no lower-casing, no stop-word removal, no tokenizing first, because VADER's rules read capitals
("VERY good"), punctuation ("good!!!"), negation ("not good", within three words before) and contrast ("good,
but ...") in the raw text. `compound` is the normalized sum of word valences, from -1 (most negative) to +1 (most
positive); a sentence is positive if compound >= 0.05, negative if <= -0.05, else neutral (the thresholds the
VADER authors recommend). `neg`, `neu`, `pos` are the proportions of the sentence's text that VADER rates
negative, neutral and positive (words weighted by valence, before its rules apply; they sum to 1).

Intervals for a mean are percentile bootstrap intervals (Efron & Tibshirani 1993, ch. 13; `stats.bootstrap_interval`):
`stats.RESAMPLES` resamples of the sentences with replacement, a fixed `stats.SEED`, none for fewer than two sentences. Robustness uses a second,
independent lexicon: TextBlob's `PatternAnalyzer` (pattern's `en-sentiment.xml`, shipped inside textblob, no
`nltk_data` needed), whose polarity also runs from -1 to +1.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
from scipy.stats import pearsonr, spearmanr
from textblob import TextBlob

from analysis import config
from analysis.shortcuts import vader
from analysis.stats import RESAMPLES, SEED, benjamini_hochberg, bootstrap_interval, permutation_pvalues

SCORE_COLUMNS = ["neg", "neu", "pos", "compound"]
THRESHOLD = 0.05          # VADER's standard cut-off on compound for positive / negative
CLASSES = ["negative", "neutral", "positive"]
WINDOW = 5                # sentences in the centred rolling mean of a sentiment arc
MIN_N = 5                 # groups with fewer sentences are flagged `small` (charts draw them hollow)
NARRATION = "narration"
NO_FRAME = "no frame"
VALIDITY = config.ROOT / "benchmarks" / "results" / "vader_validity.csv"  # written by benchmarks/vader_validity.py
SUMMARY_COLUMNS = ["n", "mean", "ci_low", "ci_high", "median", "negative", "neutral", "positive", "small"]


def score_sentences(texts: Iterable[str] | pd.Series) -> pd.DataFrame:
    """VADER scores of each raw text: columns neg, neu, pos (proportions, sum 1) and compound (-1 to +1), one row per
    text, with the Series' index if `texts` is a Series (else 0, 1, ...). Text is passed to VADER unchanged."""
    index = texts.index if isinstance(texts, pd.Series) else None
    analyzer = vader()
    rows = [analyzer.polarity_scores(text) for text in texts]
    return pd.DataFrame(rows, index=index, columns=SCORE_COLUMNS, dtype=float)


def polarity(compound: pd.Series, *, threshold: float = THRESHOLD) -> pd.Series:
    """Class of each compound score: 'positive' (>= threshold), 'negative' (<= -threshold) or 'neutral'."""
    classes = np.select([compound >= threshold, compound <= -threshold], ["positive", "negative"], "neutral")
    return pd.Series(classes, index=compound.index, name="polarity")


def scored_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentences table's article_id, sentence_index, kind and text with VADER's four scores and `polarity`
    added; same index as `sentences`, so tables aligned with it (frames, speakers) can be joined."""
    table = sentences[["article_id", "sentence_index", "kind", "text"]].copy()
    table[SCORE_COLUMNS] = score_sentences(table["text"])
    table["polarity"] = polarity(table["compound"])
    return table


# --- summaries --------------------------------------------------------------------------------------------------

def summarise(compound: pd.Series, *, threshold: float = THRESHOLD, seed: int = SEED) -> dict:
    """Summary of a group of compound scores: n, mean, bootstrap 95% interval (ci_low, ci_high), median, the
    shares of negative, neutral and positive sentences (0 to 1), and `small` (n < MIN_N)."""
    classes = polarity(compound, threshold=threshold).value_counts(normalize=True)
    low, high = bootstrap_interval(compound, seed=seed)
    return dict(n=len(compound), mean=compound.mean(), ci_low=low, ci_high=high, median=compound.median(),
                **{c: float(classes.get(c, 0.0)) for c in CLASSES}, small=len(compound) < MIN_N)


def group_sentiment(table: pd.DataFrame, by: str | list[str], *, threshold: float = THRESHOLD,
                    seed: int = SEED) -> pd.DataFrame:
    """One row per group of `table` (a table with a `compound` column) by the column(s) `by`, in order of first
    appearance: the group keys, then the `summarise` columns."""
    keys = [by] if isinstance(by, str) else list(by)
    rows = [{**dict(zip(keys, key if isinstance(key, tuple) else (key,))),
             **summarise(group["compound"], threshold=threshold, seed=seed)}
            for key, group in table.groupby(keys, sort=False)]
    return pd.DataFrame(rows, columns=keys + SUMMARY_COLUMNS)


def article_sentiment(scored: pd.DataFrame, *, threshold: float = THRESHOLD, seed: int = SEED) -> pd.DataFrame:
    """Per article of a `scored_sentences` table: n sentences, mean compound with bootstrap 95% interval, median,
    and the shares of negative, neutral and positive sentences."""
    return group_sentiment(scored, "article_id", threshold=threshold, seed=seed)


TONE_TEST_COLUMNS = ["article_id", "comparison", "n", "rest_n", "mean", "rest_mean", "difference", "p_value",
                     "q_value", "resamples"]


def tone_tests(scored: pd.DataFrame, column: str = "compound", *, resamples: int = RESAMPLES,
               seed: int = SEED) -> pd.DataFrame:
    """Permutation tests of the difference in the mean of `column` (the compound score; or a 0/1 indicator such
    as 'quoted', whose mean is a share) between each unit (column `article_id`: an article, or a group of
    articles) and the rest (with two units, the first against the second), as `frames.frame_tests` does for
    frame shares: two-sided p with the +1 correction, Benjamini–Hochberg q over all rows. Columns
    `TONE_TEST_COLUMNS`; empty for fewer than two units."""
    ids = list(dict.fromkeys(scored["article_id"]))
    if len(ids) < 2:
        return pd.DataFrame(columns=TONE_TEST_COLUMNS)
    values = scored[[column]].to_numpy(dtype=float)
    rows = []
    for unit in ids[:1] if len(ids) == 2 else ids:
        mask = (scored["article_id"] == unit).to_numpy()
        p = permutation_pvalues(values, mask, resamples=resamples, seed=seed)[0]
        mean, rest = values[mask, 0].mean(), values[~mask, 0].mean()
        rows.append(dict(article_id=unit, comparison=ids[1] if len(ids) == 2 else "rest", n=int(mask.sum()),
                         rest_n=int((~mask).sum()), mean=mean, rest_mean=rest, difference=mean - rest, p_value=p,
                         q_value=np.nan, resamples=resamples))
    table = pd.DataFrame(rows, columns=TONE_TEST_COLUMNS)
    table["q_value"] = benjamini_hochberg(table["p_value"])
    return table


def extremes(scored: pd.DataFrame, *, k: int = 3) -> pd.DataFrame:
    """The `k` most negative and `k` most positive sentences of each article (article_id, sentence_index,
    compound, text; each sentence once), articles in corpus order, most negative first, ties in reading order."""
    def ends(group):
        ranked = group.sort_values(["compound", "sentence_index"], kind="stable")
        return ranked.iloc[[i for i in range(len(ranked)) if i < k or i >= len(ranked) - k]]
    picks = [ends(group) for _, group in scored.groupby("article_id", sort=False)]
    return pd.concat(picks)[["article_id", "sentence_index", "compound", "text"]].reset_index(drop=True)


def sentiment_arc(scored: pd.DataFrame, *, window: int = WINDOW) -> pd.DataFrame:
    """Compound score along each article in reading order: article_id, sentence_index, kind, compound, and
    `rolling`, the mean of the `window` sentences centred on each one (fewer at the article's ends)."""
    table = pd.concat(g.sort_values("sentence_index") for _, g in scored.groupby("article_id", sort=False))
    rolling = table.groupby("article_id", sort=False)["compound"].transform(
        lambda s: s.rolling(window, center=True, min_periods=1).mean())
    return table.assign(rolling=rolling)[["article_id", "sentence_index", "kind", "compound", "rolling"]]


# --- sentiment by frame, speaker and actor ----------------------------------------------------------------------

def aligned(scored: pd.DataFrame, other: pd.DataFrame | pd.Series, what: str) -> None:
    """Raise ValueError unless `other` (a table computed from the same sentences) has `scored`'s index."""
    if not other.index.equals(scored.index):
        raise ValueError(f"the {what} table is not aligned with the scored sentences (different index)")


def frame_sentences(scored: pd.DataFrame, frames: pd.DataFrame) -> pd.DataFrame:
    """Long table, one row per sentence and frame it is coded with (`frames` from `coders.code_sentences`,
    aligned with `scored`, ids joined by ';'): article_id, sentence_index, frame, compound. A sentence with no
    frame gets NO_FRAME."""
    aligned(scored, frames, "frames")
    ids = frames["frames"].fillna("").map(lambda f: [x for x in f.split(";") if x] or [NO_FRAME])
    table = scored[["article_id", "sentence_index", "compound"]].assign(frame=ids).explode("frame")
    return table[["article_id", "sentence_index", "frame", "compound"]].reset_index(drop=True)


def speaker_sentences(scored: pd.DataFrame, speakers: pd.Series) -> pd.DataFrame:
    """One row per sentence: article_id, sentence_index, speaker (from `voices.sentence_speakers`, aligned with
    `scored`; "" becomes NARRATION), voice ('quoted' or 'narration') and compound."""
    aligned(scored, speakers, "speakers")
    speaker = speakers.fillna("").astype(str).replace("", NARRATION)
    voice = np.where(speaker == NARRATION, "narration", "quoted")
    table = scored[["article_id", "sentence_index", "compound"]].assign(speaker=speaker, voice=voice)
    return table[["article_id", "sentence_index", "speaker", "voice", "compound"]].reset_index(drop=True)


def actor_sentences(scored: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence and actor it mentions (`mentions` from `actors.actor_mentions`: article_id,
    sentence_index, actor, alias; several aliases of one actor in a sentence count once): article_id,
    sentence_index, actor, compound."""
    pairs = mentions[["article_id", "sentence_index", "actor"]].drop_duplicates()
    table = pairs.merge(scored[["article_id", "sentence_index", "compound"]], on=["article_id", "sentence_index"],
                        how="inner", validate="many_to_one")
    return table.sort_values(["actor", "article_id", "sentence_index"], kind="stable").reset_index(drop=True)


def ranked_groups(long: pd.DataFrame, group: str, *, order: list[str] | None = None,
                  seed: int = SEED) -> pd.DataFrame:
    """`group_sentiment` of a long table by its column `group` (all articles pooled), plus `articles` (how
    many articles the group's sentences come from). Groups listed in `order` come first, in that order; the
    others (all, by default) follow, largest first, ties by name."""
    summary = group_sentiment(long, group, seed=seed)
    summary.insert(1, "articles", summary[group].map(long.groupby(group)["article_id"].nunique()))
    position = summary[group].map({g: i for i, g in enumerate(order or [])}).fillna(len(order or []))
    ranked = summary.assign(_position=position).sort_values(["_position", "n", group], ascending=[True, False, True],
                                                             kind="stable")
    return ranked.drop(columns="_position").reset_index(drop=True)


# --- a second lexicon ---------------------------------------------------------------------------------------------

def textblob_polarity(texts: Iterable[str] | pd.Series) -> pd.Series:
    """TextBlob's polarity (-1 to +1; pattern's en-sentiment.xml lexicon, averaged over the sentiment words
    found, with its own negation and intensifier rules) of each raw text, named 'textblob', index kept."""
    index = texts.index if isinstance(texts, pd.Series) else None
    return pd.Series([TextBlob(text).sentiment.polarity for text in texts], index=index, name="textblob",
                     dtype=float)


def lexicon_scores(scored: pd.DataFrame) -> pd.DataFrame:
    """Both lexicons side by side: article_id, sentence_index, text, vader (compound), textblob (polarity) and
    `difference` = |vader - textblob| (both on -1..+1)."""
    table = scored[["article_id", "sentence_index", "text"]].assign(
        vader=scored["compound"], textblob=textblob_polarity(scored["text"]))
    return table.assign(difference=(table["vader"] - table["textblob"]).abs())


def correlations(x: pd.Series, y: pd.Series) -> dict:
    """n, Pearson r and Spearman rho of two score columns; nan where undefined (n < 3 or a constant column)."""
    defined = len(x) >= 3 and x.nunique() > 1 and y.nunique() > 1
    return dict(n=len(x), pearson=pearsonr(x, y).statistic if defined else float("nan"),
                spearman=spearmanr(x, y).statistic if defined else float("nan"))


def lexicon_agreement(lexicons: pd.DataFrame) -> pd.DataFrame:
    """Sentence-level agreement of VADER and TextBlob (a `lexicon_scores` table): one row for all sentences
    (article_id 'all') and one per article, with n, Pearson r, Spearman rho and the share of sentences whose
    class (positive / neutral / negative at ±THRESHOLD) is the same."""
    def row(article_id, table):
        same = (polarity(table["vader"]) == polarity(table["textblob"])).mean()
        return dict(article_id=article_id, **correlations(table["vader"], table["textblob"]), same_class=same)
    groups = [("all", lexicons)] + list(lexicons.groupby("article_id", sort=False))
    return pd.DataFrame([row(a, t) for a, t in groups])


def disagreements(lexicons: pd.DataFrame, *, top: int = 8) -> pd.DataFrame:
    """The `top` sentences where VADER and TextBlob differ most (largest |vader - textblob|, ties in corpus order),
    numbered by `rank` from 1."""
    worst = lexicons.sort_values("difference", ascending=False, kind="stable").head(top).reset_index(drop=True)
    return worst.assign(rank=range(1, len(worst) + 1))[["rank"] + list(lexicons.columns)]


# --- validity on human-rated text -------------------------------------------------------------------------------

def read_validity(path: Path = VALIDITY) -> pd.DataFrame | None:
    """Results of `benchmarks/vader_validity.py` (one row per ground-truth set), or None if not yet written."""
    return pd.read_csv(path) if path.exists() else None


def validity_note(results: pd.DataFrame) -> str:
    """One sentence stating VADER's measured Pearson r with human ratings on NYT editorial snippets and tweets
    (as present in `results`), with the published figures in brackets."""
    rows = results.set_index("set")
    parts = [f"{name} (n = {rows.at[key, 'n']:,}): r = {rows.at[key, 'pearson_r']:.2f} "
             f"(paper: {rows.at[key, 'published_r']:.3f})"
             for key, name in [("nyt_editorials", "New York Times editorial snippets"), ("tweets", "tweets")]
             if key in rows.index]
    version = rows["vader_version"].iloc[0]
    return f"Agreement of vaderSentiment {version} with mean human ratings: " + "; ".join(parts) + "."
