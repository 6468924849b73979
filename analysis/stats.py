"""Resampling statistics shared by the measures: bootstrap intervals, permutation p-values and the
Benjamini–Hochberg correction, with the one set of resampling constants.

Intervals for a share of sentences (a count k of n) are Wilson score intervals (Wilson 1927), which Brown, Cai &
DasGupta (2001) and Newcombe (1998) recommend for small n: they stay inside 0–1 and are never a single point (0 of
10 sentences gives 0–28%, not 0–0%). Intervals for a mean or a ratio of sums (a share of words) are percentile
bootstrap intervals (Efron & Tibshirani 1993, ch. 13) over sentences; both treat sentences as independent. Permutation
p-values carry the +1 correction of Phipson & Smyth (2010); q-values are Benjamini–Hochberg (1995) adjusted
p-values, computed with the operations of `scipy.stats.false_discovery_control`.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import norm

RESAMPLES = 10_000        # bootstrap resamples and permutations per interval or test
SEED = 2023               # seed of every resampling: results are reproducible run to run
CONFIDENCE = 0.95


# --- shares of sentences ------------------------------------------------------------------------------------------

def wilson_interval(successes, n, *, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Wilson (1927) score interval for the proportion successes / n, elementwise: (low, high) arrays, from
    (p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n) with p = successes / n and z the normal quantile of
    (1 + confidence) / 2; exactly 0 (1) at its low (high) end when successes is 0 (n); NaN where n is 0. Equals
    Newcombe's (1998) method 3 and `scipy.stats.binomtest(...).proportion_ci(method="wilson")`."""
    k, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    z = norm.ppf((1 + confidence) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
        half = z / (1 + z ** 2 / n) * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0, 1))
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


# --- bootstrap ----------------------------------------------------------------------------------------------------

def bootstrap_interval(values, *, resamples: int = RESAMPLES, confidence: float = CONFIDENCE,
                       seed: int = SEED) -> tuple[float, float]:
    """Percentile bootstrap interval (Efron & Tibshirani 1993) for the mean of `values`: the (1-confidence)/2 and
    (1+confidence)/2 quantiles of the means of `resamples` resamples drawn with replacement using `seed`
    (`bootstrap_ratios` with every denominator 1). (nan, nan) for fewer than two values."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return float("nan"), float("nan")
    means = bootstrap_ratios(values[:, None], np.ones(len(values)), resamples=resamples, seed=seed)
    low, high = percentile_interval(means, confidence=confidence)[:, 0]
    return float(low), float(high)


def bootstrap_ratios(numerators, denominators, *, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """Bootstrap distribution of the ratio of sums, column by column: `numerators` (n × F) and `denominators`
    (n) of n units (sentences) → a (resamples, F) array, row r holding sum(numerators) / sum(denominators) over
    resample r of the units (`resample_counts`); NaN where a resample's denominators sum to 0. With denominators
    of 1 the ratio is the mean (a share for 0/1 values); with word counts, a share of words."""
    numerators, denominators = np.asarray(numerators, dtype=float), np.asarray(denominators, dtype=float)
    counts = resample_counts(len(denominators), resamples=resamples, seed=seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts @ numerators / (counts @ denominators)[:, None]


def resample_counts(n: int, *, resamples: int = RESAMPLES, seed: int = SEED, block: int = 1_000) -> np.ndarray:
    """Bootstrap resamples of `n` units as counts: a (resamples, n) array, row r giving how often each unit is
    drawn in resample r (n draws with replacement, equal probabilities, from a generator seeded with `seed`).
    Drawn `block` resamples at a time, which gives the same draws as drawing them all at once."""
    rng = np.random.default_rng(seed)
    blocks = []
    for start in range(0, resamples, block):
        rows = min(block, resamples - start)
        draws = rng.integers(0, n, size=(rows, n)) + n * np.arange(rows)[:, None]
        blocks.append(np.bincount(draws.ravel(), minlength=rows * n).reshape(rows, n))
    return np.concatenate(blocks) if blocks else np.zeros((0, n), dtype=np.int64)


def percentile_interval(distribution: np.ndarray, *, confidence: float = CONFIDENCE) -> np.ndarray:
    """Percentile interval per column of a (resamples, F) array: a (2, F) array of the (1-c)/2 and (1+c)/2
    quantiles (resamples with an undefined value, NaN, are ignored)."""
    return np.nanquantile(distribution, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)



# --- tests ----------------------------------------------------------------------------------------------------------

def permutation_pvalues(values: np.ndarray, in_group: np.ndarray, *, resamples: int = RESAMPLES,
                        seed: int = SEED) -> np.ndarray:
    """Two-sided permutation p-value per column of `values` (n × F) for the difference in means between the rows
    in `in_group` (boolean, n) and the other rows: labels shuffled `resamples` times (seeded); p = (1 + number
    of shuffles with |difference| >= observed) / (1 + resamples) (Phipson & Smyth 2010)."""
    values, in_group = np.asarray(values, dtype=float), np.asarray(in_group, dtype=bool)
    k, n = in_group.sum(), len(in_group)
    shuffled = np.random.default_rng(seed).permuted(np.tile(in_group, (resamples, 1)), axis=1)
    total = values.sum(axis=0)
    group_sums = shuffled.astype(float) @ values
    differences = group_sums / k - (total - group_sums) / (n - k)
    observed = values[in_group].mean(axis=0) - values[~in_group].mean(axis=0)
    extreme = (np.abs(differences) >= np.abs(observed) - 1e-12).sum(axis=0)
    return (1 + extreme) / (1 + resamples)


def benjamini_hochberg(p_values, repeated=(), repeats=()) -> np.ndarray:
    """Benjamini–Hochberg (1995) adjusted p-values (q-values) of `p_values`, in the given order, among a family
    that also holds each value of `repeated` `repeats` times (none by default; the family then has
    len(p_values) + sum(repeats) tests): sorted p times m / rank, then the running minimum from the largest,
    capped at 1 — the operations of `scipy.stats.false_discovery_control`, so the values equal its result on the
    whole family."""
    p = np.asarray(p_values, dtype=np.float64)
    values = np.concatenate([p, np.asarray(repeated, dtype=np.float64)])
    weights = np.concatenate([np.ones(len(p), dtype=np.int64), np.asarray(repeats, dtype=np.int64)])
    order = np.argsort(values, kind="stable")
    rank = np.cumsum(weights[order]).astype(np.float64)
    family = rank[-1] if len(rank) else 0
    if family <= 1:
        return p.copy()
    scaled = values[order] * (family / rank)
    np.minimum.accumulate(scaled[::-1], out=scaled[::-1])
    adjusted = np.empty_like(scaled)
    adjusted[order] = np.clip(scaled, 0.0, 1.0)
    return adjusted[:len(p)]
