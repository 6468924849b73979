"""TF-IDF and keyness: published reference values, hand computations, and every keyness statistic recomputed from
the counts in its own row."""
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, chi2_contingency

from analysis.text import terms, word_tokens
from analysis.vocabulary import (KEYNESS_COLUMNS, chi2_p_value, fightin_words_z, informative_prior, keyness_table,
                                 log_likelihood, log_ratio, ngram_lengths, term_counts, term_ngrams, tfidf_table, top_keywords)


def sentences_table(articles: dict[str, list[str]]) -> pd.DataFrame:
    """Sentence table (article_id, sentence_index, tokens, terms) from raw sentences per article."""
    rows = [dict(article_id=a, sentence_index=i, tokens=word_tokens(s), terms=terms(word_tokens(s)))
            for a, texts in articles.items() for i, s in enumerate(texts, start=1)]
    return pd.DataFrame(rows)


# --- published reference values ----------------------------------------------------------------------------------

def test_log_likelihood_matches_ucrel_calculator_example():
    # UCREL log-likelihood wizard: 540 of 116,000 words against 7,525 of 5,451,382 gives LL = 534.64
    assert round(float(log_likelihood(540, 7525, 116_000, 5_451_382)), 2) == 534.64


def test_four_term_log_likelihood_is_the_g_test_of_the_two_by_two_table():
    a, b, c, d = 540, 7525, 116_000, 5_451_382
    g_test = chi2_contingency([[a, b], [c - a, d - b]], correction=False, lambda_="log-likelihood")[0]
    assert float(log_likelihood(a, b, c, d, measure="ll4")) == pytest.approx(g_test, rel=1e-12)


def test_fightin_words_matches_published_example():
    # jmhessel/FightingWords README: CountVectorizer counts, uniform prior 0.05 over the 11-word vocabulary
    one = Counter("the quick brown fox jumps over the lazy pig".split())
    two = Counter("the lazy purple pig jumps over the lazier donkey".split())
    vocabulary = sorted(one | two)
    y_i, y_j = [one[w] for w in vocabulary], [two[w] for w in vocabulary]
    z = dict(zip(vocabulary, fightin_words_z(y_i, y_j, sum(y_i), sum(y_j), 0.05, 0.05 * len(vocabulary))))
    for word in ("brown", "fox", "quick"):
        assert z[word] == pytest.approx(0.6894227886807968, abs=1e-12)
    for word in ("donkey", "lazier", "purple"):
        assert z[word] == pytest.approx(-0.6894227886807968, abs=1e-12)
    for word in ("jumps", "lazy", "over", "pig", "the"):
        assert z[word] == pytest.approx(0.0, abs=1e-12)


# --- hand computations --------------------------------------------------------------------------------------------

def test_log_ratio_is_binary_log_of_relative_frequencies_with_half_for_zero():
    assert float(log_ratio(4, 2, 100, 100)) == pytest.approx(1.0)  # twice as frequent
    assert float(log_ratio(2, 8, 100, 200)) == pytest.approx(-1.0)  # 2% against 4%
    assert float(log_ratio(2, 0, 100, 100)) == pytest.approx(2.0)  # 2 against 0.5 (Hardie's correction)


def test_log_likelihood_of_a_term_only_in_the_target_by_hand():
    # a=2, b=0, c=d=100: E1 = 1, G² = 2·2·ln 2
    assert float(log_likelihood(2, 0, 100, 100)) == pytest.approx(4 * math.log(2))


def test_informative_prior_sums_to_its_total_in_proportion_to_counts():
    prior = informative_prior(pd.Series([6, 3, 1], index=list("abc")), 50.0)
    assert list(prior) == pytest.approx([30.0, 15.0, 5.0])


def test_bigrams_join_adjacent_terms_only():
    tokens = word_tokens('It was an "invisible hand" pushing for the protraction and escalation of peace talks.')
    grams = term_ngrams(tokens, 2)
    assert "invisible hand" in grams and "peace talks" in grams
    assert "protraction escalation" not in grams  # "and" stands between them
    assert term_ngrams(tokens, 1) == terms(tokens)


def test_tfidf_with_two_documents_by_hand():
    table = tfidf_table(sentences_table({"x": ["war war peace"], "y": ["war talks"]}), ngram_range=(1, 1))
    row = table.set_index(["article_id", "term"])
    rare = math.log(3 / 2) + 1  # smoothed idf of a term in one of two documents; a term in both has idf 1
    assert row.loc[("x", "war"), "idf"] == pytest.approx(1.0) and row.loc[("x", "peace"), "idf"] == pytest.approx(rare)
    norm = math.hypot(2 * 1.0, 1 * rare)
    assert row.loc[("x", "war"), "tfidf"] == pytest.approx(2 / norm)
    assert row.loc[("x", "peace"), "tfidf"] == pytest.approx(rare / norm)
    assert row.loc[("x", "war"), "count"] == 2
    # sentences as documents: 2 sentences; war in both, peace in one → same idf values here
    assert row.loc[("x", "peace"), "idf_sentence"] == pytest.approx(rare)


def test_sentence_idf_differs_from_article_idf():
    table = tfidf_table(sentences_table({"x": ["war.", "war.", "talks."], "y": ["war talks."]}), ngram_range=(1, 1))
    row = table.set_index(["article_id", "term"])
    # 4 sentences; war in 3, talks in 2: idf = ln(5/4)+1 and ln(5/3)+1; as articles both terms are in both
    assert row.loc[("x", "war"), "idf_sentence"] == pytest.approx(math.log(5 / 4) + 1)
    assert row.loc[("x", "talks"), "idf_sentence"] == pytest.approx(math.log(5 / 3) + 1)
    assert row.loc[("x", "war"), "idf"] == row.loc[("x", "talks"), "idf"] == pytest.approx(1.0)


def test_term_lengths_count_words_and_fill_the_ngram_column():
    table = tfidf_table(sentences_table({"x": ["peace talks resume"], "y": ["talks"]}))
    assert dict(zip(table["term"], table["ngram"])) == {"peace": 1, "talks": 1, "resume": 1, "peace talks": 2,
                                                        "talks resume": 2}
    assert ngram_lengths(np.array(["war", "peace talks", "a b c"], dtype=object)).tolist() == [1, 2, 3]


def test_term_counts_per_article():
    counts = term_counts(sentences_table({"x": ["peace talks, peace"], "y": ["talks"]}))
    assert counts.loc["peace", "x"] == 2 and counts.loc["peace", "y"] == 0 and counts.loc["talks", "y"] == 1


# --- keyness tables -----------------------------------------------------------------------------------------------

TOY = {"a": ["Sanctions and sanctions again, said the minister.", "Peace talks should begin."],
       "b": ["Peace talks resumed as the battle went on.", "The battle for the city continued."],
       "c": ["The battle and the sanctions.", "Peace talks, peace talks, peace talks."]}


def benjamini_hochberg(p):
    """Benjamini–Hochberg adjusted p-values, written out: p_(i) · m / i, made monotone from the largest down."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    scaled = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum(1, np.minimum.accumulate(scaled[::-1])[::-1])
    return adjusted[np.argsort(order)]


def test_chi2_p_value_at_the_published_critical_values_and_as_scipy():
    # Critical values of chi-square with 1 df (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4): 3.841 (p 0.05),
    # 6.635 (0.01), 10.828 (0.001), the 3.84 / 6.63 / 10.83 cut-offs of the UCREL log-likelihood calculator.
    assert chi2_p_value([3.841458820694124, 6.634896601021214, 10.827566170662733]) == pytest.approx(
        [0.05, 0.01, 0.001], rel=1e-12)
    assert chi2_p_value([0.0])[0] == 1.0 and chi2_p_value([np.inf])[0] == 0.0
    g2 = np.concatenate([np.linspace(0, 60, 6001), np.random.default_rng(7).exponential(20, 5000), [700.0]])
    assert chi2_p_value(g2) == pytest.approx(chi2.sf(g2, 1), rel=1e-12)


def recompute(row):
    """G² (2 or 4 terms), Log Ratio, Fightin' Words z and p-value from one keyness row, formulas written out."""
    a, b, c, d = row.count_target, row.count_reference, row.total_target, row.total_reference
    n = c + d
    cells = [(a, c * (a + b) / n), (b, d * (a + b) / n)]
    if row.measure == "ll4":
        cells += [(c - a, c * (n - a - b) / n), (d - b, d * (n - a - b) / n)]
    g2 = 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)
    lr = math.log2(((a or 0.5) / c) / ((b or 0.5) / d))
    al, a0 = row.prior, row.prior_total
    delta = math.log((a + al) / (c + a0 - a - al)) - math.log((b + al) / (d + a0 - b - al))
    z = delta / math.sqrt(1 / (a + al) + 1 / (b + al))
    return g2, lr, z, chi2.sf(g2, 1)


@pytest.mark.parametrize("measure", ["ll2", "ll4"])
def test_every_keyness_statistic_recomputes_from_its_row(measure, seed_corpus):
    for sentences in (sentences_table(TOY), seed_corpus.sentences):
        table = keyness_table(sentences, measure=measure)
        for row in table.itertuples():
            g2, lr, z, p = recompute(row)
            assert row.g2 == pytest.approx(g2, rel=1e-9, abs=1e-12)
            assert row.log_ratio == pytest.approx(lr, rel=1e-9)
            assert row.z_fightin == pytest.approx(z, rel=1e-9, abs=1e-12)
            assert row.p_value == pytest.approx(p, rel=1e-9)
            assert row.direction == ("target" if row.count_target / row.total_target
                                     >= row.count_reference / row.total_reference else "reference")
            assert row.count_target + row.count_reference >= row.min_count
        for _, group in table.groupby(["article_id", "ngram"]):
            assert list(group["p_adjusted"]) == pytest.approx(list(benjamini_hochberg(group["p_value"])))


def test_keyness_totals_are_term_counts_of_the_same_length():
    sentences = sentences_table(TOY)
    table = keyness_table(sentences, min_count=1)
    for (article_id, ngram), group in table.groupby(["article_id", "ngram"]):
        counts = term_counts(sentences, ngram=ngram)
        assert (group["total_target"] == counts[article_id].sum()).all()
        assert (group["total_reference"] == counts.drop(columns=article_id).values.sum()).all()
        assert group["prior"].sum() == pytest.approx(100.0)  # with no floor, the α sum to α0


def test_two_articles_give_mirror_image_keyness():
    table = keyness_table(sentences_table({k: TOY[k] for k in "ab"}), measure="ll2").set_index(["term", "article_id"])
    for term in table.index.get_level_values("term").unique():
        a, b = table.loc[(term, "a")], table.loc[(term, "b")]
        assert a.g2 == pytest.approx(b.g2) and a.log_ratio == pytest.approx(-b.log_ratio)
        assert a.z_fightin == pytest.approx(-b.z_fightin)


def test_frequency_floor_drops_rare_terms():
    table = keyness_table(sentences_table(TOY), min_count=3)
    assert set(table[table["ngram"] == 1]["term"]) == {"battle", "peace", "sanctions", "talks"}


def test_keyness_of_one_article_is_an_empty_table():
    table = keyness_table(sentences_table({"a": TOY["a"]}))
    assert table.empty and list(table.columns) == KEYNESS_COLUMNS


def test_invisible_hand_is_a_key_phrase_of_the_7_march_article(seed_corpus):
    table = keyness_table(seed_corpus.sentences)
    top = top_keywords(table[table["ngram"] == 2], top=10)
    mar07 = top[top["article_id"] == "mar07"].set_index("term")
    assert "invisible hand" in mar07.index
    assert (mar07.loc["invisible hand", "count_target"], mar07.loc["invisible hand", "count_reference"]) == (2, 0)
    assert "invisible hand" not in set(top[top["article_id"] == "mar17"]["term"])
