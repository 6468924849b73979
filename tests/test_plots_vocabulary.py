"""Vocabulary charts: label wrapping, the diverging keyness chart's axis, and titles that never collide."""
import matplotlib.pyplot as plt
import pytest

from analysis.plots.vocabulary import plot_keyness_bars, wrap_name
from analysis.vocabulary import keyness_table
from tests.conftest import colliding_tick_labels, colliding_titles
from tests.test_vocabulary import sentences_table


@pytest.mark.parametrize("label, width, wrapped", [
    ("cnn_2023-03-01_xi_lukas…", 26, "cnn_2023-03-01_xi_lukas…"),         # fits: never wrapped
    ("External blame / invisible hand", 18, "External blame /\ninvisible hand"),
    ("ukrinform_2023-03-21_taiwan_fm_xi", 20, "ukrinform_2023-03-\n21_taiwan_fm_xi"),  # after _ or -, lines ≤ 20
    ("supercalifragilistic word", 10, "supercalifragilistic\nword"),      # a long part is not cut
    ("", 10, ""),
    ("20220202t19…dc57ec8f01", 17, "20220202t19…\ndc57ec8f01"),     # a shortened id breaks at its ellipsis
])
def test_wrap_name_breaks_after_spaces_hyphens_and_underscores_within_the_width(label, width, wrapped):
    assert wrap_name(label, width) == wrapped


def four_articles():
    """Keyness table of four small articles with file-name ids."""
    texts = {"cnn_2023-03-01_xi_lukashenko": ["Lukashenko met Xi.", "Lukashenko praised talks."],
             "cnn_2023-03-21_kishida_kyiv": ["Kishida visited Kyiv.", "Kishida met Zelenskiy."],
             "ukrinform_2023-03-21_taiwan": ["Taiwan criticised China.", "Taiwan warned."],
             "mar17": ["Shelling continued in Bakhmut.", "Bakhmut held."]}
    return keyness_table(sentences_table(texts), min_count=1), {a: a for a in texts}


def test_keyness_panels_of_four_articles_have_titles_that_fit_and_never_collide():
    keyness, labels = four_articles()
    fig = plot_keyness_bars(keyness[keyness["ngram"] == 1], labels, top=3)
    titles = [ax.get_title(loc="right") for ax in fig.axes if ax.get_visible()]
    assert titles[0] == "cnn_2023-03-01_xi_\nlukashenko" and titles[3] == "mar17"
    assert colliding_titles(fig) == [] and colliding_tick_labels(fig) == []
    plt.close(fig)


def test_nine_panels_titled_with_shortened_ids_never_collide():
    texts = {f"2022020{k}t19…dc57ec8f0{k}": [f"Term{k} met Xi.", f"Term{k} praised talks.", "Bakhmut held."]
             for k in range(1, 10)}
    keyness = keyness_table(sentences_table(texts), min_count=1)
    fig = plot_keyness_bars(keyness[keyness["ngram"] == 1], {a: a for a in texts}, top=3)
    assert colliding_titles(fig) == []
    plt.close(fig)


def test_the_diverging_keyness_chart_numbers_both_sides_by_size():
    two = keyness_table(sentences_table({"a": ["Talks and talks, talks.", "War."], "b": ["War, war and war.", "Talks."]}),
                        min_count=1)
    fig = plot_keyness_bars(two[two["ngram"] == 1], {"a": "A", "b": "B"}, top=2)
    ax = fig.axes[0]
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert shown and not any(text.startswith(("-", "−")) for text in shown)
    assert len(set(shown)) < len(shown)  # the same sizes on the left and the right of zero
    plt.close(fig)
