"""Resampling statistics (`analysis.stats`): bootstrap intervals, permutation p-values and Benjamini–Hochberg,
checked by hand, against exact tests and against scipy."""
import math

import numpy as np
import pytest
from scipy.stats import binomtest, false_discovery_control, hypergeom

from analysis.stats import (benjamini_hochberg, bootstrap_interval, bootstrap_ratios, percentile_interval,
                            permutation_pvalues, resample_counts, wilson_interval)


# --- shares of sentences ----------------------------------------------------------------------------------------

def test_wilson_interval_matches_newcombes_published_examples():
    # Newcombe (1998), Statistics in Medicine 17:857–872, Table I, method 3 (score interval without continuity
    # correction), to four decimals
    low, high = wilson_interval([81, 15, 0, 1], [263, 148, 20, 29])
    assert low.round(4).tolist() == [0.2553, 0.0624, 0.0, 0.0061]
    assert high.round(4).tolist() == [0.3662, 0.1605, 0.1611, 0.1718]


def test_wilson_interval_equals_scipy_and_is_never_a_point():
    for k, n in [(0, 10), (3, 10), (10, 10), (1, 1), (13, 19), (0, 400)]:
        expected = binomtest(k, n).proportion_ci(confidence_level=0.9, method="wilson")
        low, high = wilson_interval(k, n, confidence=0.9)
        assert (float(low), float(high)) == pytest.approx((expected.low, expected.high), abs=1e-12)
        assert low < high
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


# --- bootstrap --------------------------------------------------------------------------------------------------

def test_bootstrap_interval_by_hand():
    # Resampling [0, 1]: means 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the 2.5% and 97.5% quantiles
    # of 10,000 resampled means are 0 and 1.
    assert bootstrap_interval([0.0, 1.0]) == (0.0, 1.0)
    assert bootstrap_interval([0.3, 0.3, 0.3]) == pytest.approx((0.3, 0.3))
    assert all(math.isnan(x) for x in bootstrap_interval([0.5]))


def test_bootstrap_interval_is_seeded_and_brackets_the_mean():
    values = np.linspace(-0.9, 0.6, 20)
    low, high = bootstrap_interval(values)
    assert bootstrap_interval(values) == (low, high)
    assert low < values.mean() < high
    assert bootstrap_interval(values, seed=1) != (low, high)


def test_resample_counts_draw_n_sentences_per_resample():
    counts = resample_counts(7, resamples=50, seed=2)
    assert counts.shape == (50, 7) and (counts.sum(axis=1) == 7).all()


def test_resample_counts_do_not_depend_on_the_block_size():
    # drawn a block of resamples at a time (bounded memory): the same resamples as drawing them all at once
    assert np.array_equal(resample_counts(9, resamples=2_500, seed=6), resample_counts(9, resamples=2_500, seed=6,
                                                                                         block=2_500))
    assert np.array_equal(resample_counts(9, resamples=2_500, seed=6), resample_counts(9, resamples=2_500, seed=6,
                                                                                         block=7))


def test_bootstrap_distribution_of_two_sentences_matches_the_binomial_by_hand():
    # sentences [frame, no frame] of 3 and 1 words: a resample draws the framed one 0, 1 or 2 times with
    # probabilities 1/4, 1/2, 1/4, so its sentence share is 0, 1/2 or 1 and its word share 0, 3/4 or 1
    indicators, tokens = np.array([[1.0], [0.0]]), np.array([3.0, 1.0])
    sentence = bootstrap_ratios(indicators, np.ones(2), resamples=20_000, seed=1)
    values, counts = np.unique(sentence[:, 0], return_counts=True)
    assert values.tolist() == [0, 0.5, 1]
    assert counts / 20_000 == pytest.approx([0.25, 0.5, 0.25], abs=0.015)
    token = bootstrap_ratios(indicators * tokens[:, None], tokens, resamples=20_000, seed=1)
    assert sorted(set(token[:, 0].round(6))) == [0, 0.75, 1]


def test_bootstrap_ratios_are_reproducible_and_the_mean_with_unit_denominators():
    values = np.eye(5)
    first = bootstrap_ratios(values, np.arange(1, 6), resamples=500, seed=3)
    assert np.array_equal(first, bootstrap_ratios(values, np.arange(1, 6), resamples=500, seed=3))
    counts = resample_counts(5, resamples=500, seed=3)
    assert bootstrap_ratios(values, np.ones(5), resamples=500, seed=3) == pytest.approx(counts / 5)


def test_percentile_interval_by_hand():
    values = np.arange(101, dtype=float)[:, None]
    assert percentile_interval(values).ravel() == pytest.approx([2.5, 97.5])
    assert percentile_interval(values, confidence=0.5).ravel() == pytest.approx([25, 75])


# --- tests ------------------------------------------------------------------------------------------------------

def test_permutation_p_value_of_a_hand_computable_case():
    # groups {1, 1} vs {0, 0}: of the 6 equally likely splits, 2 give |difference| = 1, so p = 1/3
    p = permutation_pvalues(np.array([[1], [1], [0], [0]]), np.array([True, True, False, False]),
                            resamples=20_000, seed=5)
    assert p[0] == pytest.approx(1 / 3, abs=0.01)


def test_permutation_p_value_agrees_with_the_exact_hypergeometric_test():
    in_group = np.array([True] * 10 + [False] * 12)
    values = np.array([1] * 7 + [0] * 3 + [1] * 2 + [0] * 10)[:, None]
    # exact: the number of ones in the group is hypergeometric (22 sentences, 9 ones, 10 drawn)
    x = np.arange(0, 10)
    difference = x / 10 - (9 - x) / 12
    exact = hypergeom(22, 9, 10).pmf(x)[np.abs(difference) >= abs(7 / 10 - 2 / 12) - 1e-12].sum()
    p = permutation_pvalues(values, in_group, resamples=20_000, seed=7)
    assert p[0] == pytest.approx(exact, abs=0.005)


def test_benjamini_hochberg_by_hand():
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.20])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.20])
    assert list(q) == list(false_discovery_control([0.01, 0.04, 0.03, 0.20]))
    assert list(benjamini_hochberg([0.3])) == [0.3] and len(benjamini_hochberg([])) == 0


def test_benjamini_hochberg_with_repeats_is_that_of_the_whole_family():
    p, repeated, repeats = np.array([0.001, 0.04, 0.04, 0.3]), np.array([0.01, 0.04, 0.5]), np.array([2, 1, 3])
    family = np.concatenate([p, np.repeat(repeated, repeats)])
    assert list(benjamini_hochberg(p, repeated, repeats)) == list(false_discovery_control(family)[:4])
    # by hand: 10 tests; 0.001 ranks 1st: 0.001 * 10 / 1 = 0.01, below every later value
    assert benjamini_hochberg(p, repeated, repeats)[0] == pytest.approx(0.01)
