"""The shortcuts (`analysis.shortcuts`): each faster equivalent gives exactly its library's result (syntok's
sentences, NLTK's tokens, VADER's scores, the attribute ruler's matches) on the seeds, random text built from the cases its rules turn on and,
where present, ../shared data; the switch selects the path; the study's text functions behave the same on both."""
import random
import re

import pandas as pd
import pytest
from nltk.tokenize import NLTKWordTokenizer
from spacy.tokens import Doc
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import shortcuts
from analysis.corpus import load_corpus
from analysis.parse import ENTITIES, RULER, pipeline
from analysis.pipeline import articles_table, sentences_table
from analysis.shortcuts import (ONE_SENTENCE, SYNTOK_OPENING_BRACKETS, SYNTOK_TERMINALS, PlainNLTKWordTokenizer,
                                RulerMatches, Spaces, WindowedVader, is_negation, plain_checked, safe_pieces,
                                expansion, token_test, vader, without_inner_stops, word_tokenizer)
from analysis.text import raw_sentences, split_sentences, word_tokens
from tests.conftest import shared_path
from tests.test_sentiment import README_COMPOUND


def fast(paragraph: str) -> list[str]:
    """Sentences of `paragraph` through the sentence shortcut (syntok's splitter, before the study's repairs)."""
    return raw_sentences(paragraph, shortcuts=True)


def library(paragraph: str) -> list[str]:
    """Sentences of `paragraph` from syntok itself (before the study's repairs)."""
    return raw_sentences(paragraph, shortcuts=False)


# --- the switch -------------------------------------------------------------------------------------------------

def test_the_switch_selects_the_library_or_its_equivalent(monkeypatch):
    monkeypatch.delenv(shortcuts.SWITCH, raising=False)
    assert shortcuts.enabled() and isinstance(vader(), WindowedVader)
    assert isinstance(word_tokenizer(), PlainNLTKWordTokenizer)
    monkeypatch.setenv(shortcuts.SWITCH, "0")
    assert not shortcuts.enabled() and shortcuts.enabled(True)
    assert type(vader()) is SentimentIntensityAnalyzer and type(word_tokenizer()) is NLTKWordTokenizer
    assert shortcuts.sentence_slices("One. (Two.) Three") == shortcuts.syntok_slices("One. (Two.) Three")
    monkeypatch.setenv(shortcuts.SWITCH, "1")
    assert shortcuts.enabled() and not shortcuts.enabled(False)


@pytest.mark.parametrize("fast_path", [True, False])
def test_the_study_functions_behave_alike_on_both_paths(fast_path):
    assert split_sentences("He met Mr. Putin at 5 p.m. on Feb. 24. It rained.", shortcuts=fast_path) == [
        "He met Mr. Putin at 5 p.m. on Feb. 24.", "It rained."]
    assert word_tokens("Ukraine’s “peace” plan can't wait.", shortcuts=fast_path) == [
        "Ukraine", "'s", '"', "peace", '"', "plan", "ca", "n't", "wait", "."]
    assert vader(fast_path).polarity_scores("The book was good.")["compound"] == 0.4404


def test_the_seed_tables_are_the_same_on_both_paths(seed_corpus, monkeypatch):
    monkeypatch.setenv(shortcuts.SWITCH, "0")
    plain = load_corpus(["seeds/*.txt"])
    pd.testing.assert_frame_equal(plain.sentences, seed_corpus.sentences)
    pd.testing.assert_frame_equal(sentences_table(plain), sentences_table(seed_corpus))
    pd.testing.assert_frame_equal(articles_table(plain), articles_table(seed_corpus))


# --- syntok's segmenter -----------------------------------------------------------------------------------------

def test_syntok_constants_are_syntoks_own():
    """The one-sentence shortcut relies on syntok's terminal and opening-bracket sets: an upgrade that changes
    them must fail here."""
    from syntok._segmentation_states import State

    assert set(SYNTOK_OPENING_BRACKETS) == State.opening_brackets
    assert set(SYNTOK_TERMINALS) | {"..."} == State.terminals


@pytest.mark.parametrize("paragraph, whole", [
    ("Ukraine vowed to defend Bakhmut.", True),
    ("“We will not give up Bakhmut,” he said.", True),
    ("He said: “Stop the war!”", True),
    ("Headline with no closing punctuation", True),
    ("Two sentences. Here.", False),
    ("An (aside) in brackets.", False),
    ("Ends with a space then a quote. '", False),
    ("The U.S. said so", False),
    ("a\u200bb.", False),
])
def test_one_sentence_shortcut_applies_only_where_syntok_cannot_split(paragraph, whole):
    assert bool(ONE_SENTENCE.fullmatch(paragraph)) == whole
    assert fast(paragraph) == library(paragraph)


def test_without_inner_stops_drops_only_stops_syntok_never_splits_at():
    assert without_inner_stops("Mr. Putin met Ms. Baerbock at 23.14 for $1.5bn.") == (
        "Mr Putin met Ms Baerbock at 2314 for $15bn.")
    assert without_inner_stops("Mr. The plan. Dr. A. 2.a. Gen. Smith") == "Mr. The plan. Dr. A. 2.a. Gen. Smith"
    for paragraph in ("Mr. Putin met Ms. Baerbock at 23.14 for $1.5bn.", "He saw Mr. The Rock."):
        assert fast(paragraph) == library(paragraph)


def test_safe_pieces_cut_only_after_a_plain_word_before_a_capital_or_opening_quote():
    paragraph = ("Ukraine vowed to fight. “We stay,” he said. Mr. Qin met Gen. Smith at 5 p.m. Talks ended? Yes. "
                 "They met in 2022. Then Kyiv. A. B. Smith spoke. In Bakhmut. it rained.")
    assert safe_pieces(paragraph) == ["Ukraine vowed to fight.", " “We stay,” he said.",
                                      " Mr. Qin met Gen. Smith at 5 p.m. Talks ended?", " Yes.",
                                      " They met in 2022. Then Kyiv.", " A. B. Smith spoke.",
                                      " In Bakhmut. it rained."]
    assert safe_pieces("They met (in Kyiv). Then left.") == ["They met (in Kyiv). Then left."]
    assert safe_pieces("They met in Kyiv. Then (briefly) left. Talks ended.") == [
        "They met in Kyiv.", " Then (briefly) left. Talks ended."]  # cut only before the first opening bracket
    assert safe_pieces("He said no. A5 was shut. No. B52s flew.") == ["He said no. A5 was shut.", " No. B52s flew."]
    assert safe_pieces("He called it “hell”. They left “at once”! “Go.” Mr. “X”. Y") == [
        "He called it “hell”.", " They left “at once”!", " “Go.” Mr. “X”. Y"]
    assert fast("He said no. A5 was shut.") == library("He said no. A5 was shut.") == [
        "He said no. A5 was shut."]
    assert safe_pieces("He said gen. Smith left.") == ["He said gen. Smith left."]  # 'gen' is a syntok abbreviation


def test_sentence_shortcuts_equal_syntok_on_random_paragraphs():
    """30,000 random paragraphs of words, capitals, numbers, abbreviations, terminals, quotes, brackets and odd
    spaces: the shortcuts never change syntok's answer."""
    pieces = ["war", "Bakhmut", "the", "U.S.", "Mr.", "mr.", "gen.", "1.5km", "Feb.", "24", "a.m.", ".", "!", "?",
              ";", "...", ",", "“", "”", "‘", "’", '"', "'", "(", ")", "[", "]", " ", "  ", "\n", "\u00a0",
              "\u200b", "\x1c", "\t", "–", "—", ":", "Qin", "said", "peace.", "talks!", "fire?”", "ends.’", "He",
              "no.", "no", "5", "X.", "x.", "II.", "iv.", "The", "A", "b.", "It's.", "well-known.", "de.", "so.\"'",
              "Gen.", "Kyiv.", "Jan.", "Mar.", "March", "2022.", "Xi.", "XI.", "Ms.", "etc.", "No.", "A5", "hell”.",
              "“hell”.", "said”!", "x”.", "no”.", "”.", "means\".", "U.S.”.", "“Hell”?", "Mr. Putin", "Ms. The",
              "Dr. A", "Mrs. McDonald", "Mr. Putin's", "23.14", "$1.349", "9.9%", "x2.5", "3.", ".5", "Dr", "2.a"]
    rng = random.Random(20230317)
    for _ in range(30_000):
        paragraph = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", " "]) for _ in range(rng.randint(0, 14)))
        assert fast(paragraph) == library(paragraph), repr(paragraph)


# --- VADER ------------------------------------------------------------------------------------------------------

def vader_fuzz(count: int, seed: int = 2023) -> list[str]:
    """Random sentences of the words VADER's rules turn on: negators, boosters, 'but', 'least', 'kind of', idioms,
    capitals, emoticons, emojis, punctuation, up to 60 words long."""
    pieces = ["good", "GOOD", "bad", "war", "peace", "not", "never", "isn't", "no", "nor", "or", "very", "so", "this",
              "without", "doubt", "least", "at", "but", "BUT", "kind", "of", "sort", "the", "bomb", "cut", "the",
              "mustard", "yeah", "right", "hand", "to", "mouth", "back", "handed", "kiss", "death", "die", "for", "broken",
              "heart", "beating", "bad", "ass", "killed", "talks", "hopeful", ":)",
              ":D", "😀", "💔", "🇺🇦", "©", "!", "?", "!!!", "...", ",", "“", "”", "’s", "Ukraine", "   ", "NOT",
              "Never", "cannot", "despite", "seldom", "Don't", "wouldnt", "This", "Without", "DOUBT"]
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) + rng.choice([" ", " ", ""]) for _ in range(rng.randint(1, 60)))
            for _ in range(count)]


def test_windowed_vader_scores_equal_vadersentiment_on_every_rule():
    texts = list(README_COMPOUND) + vader_fuzz(3000) + [
        "He said it was not, as some claimed, a very good or hopeful day at all.", "Kind of good", "kind of",
        "At least it is good", "It is the least good", "without doubt good", "never so good", "😀 good", "good💔",
        "   padded good   ", "", "no", "no good", "no or bad", "yeah right good", "It was seen as the kiss of death for talks",
        "the people had a broken heart", "many of them said yeah right", "sort of good", "they were not really kind of bad"]
    original = SentimentIntensityAnalyzer()
    assert [vader(True).polarity_scores(t) for t in texts] == [original.polarity_scores(t) for t in texts]


def test_windowed_vader_scores_equal_vadersentiment_on_the_published_sentences():
    data = shared_path("data", "vader_groundtruth")
    texts = [line.split("\t")[2].strip() for path in sorted(data.glob("*_GroundTruth.txt"))
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.count("\t") >= 2]
    original = SentimentIntensityAnalyzer()
    assert len(texts) > 20_000
    assert [vader(True).polarity_scores(t) for t in texts] == [original.polarity_scores(t) for t in texts]


def test_is_negation_is_vaders_negated_for_one_word():
    from vaderSentiment.vaderSentiment import NEGATE, negated
    words = list(NEGATE) + ["isn't", "don't", "nt", "not", "knot", "good", "", "neverland", "n't"]
    assert [is_negation(w) for w in words] == [negated([w]) for w in words]
    assert is_negation("never") and is_negation("won't") and not is_negation("now")


# --- NLTK's word tokenizer ---------------------------------------------------------------------------------------

def test_plain_tokenizer_gives_nltks_tokens(seed_corpus):
    nltk, plain = NLTKWordTokenizer(), PlainNLTKWordTokenizer()
    pieces = ["can", "not", "cannot", "gonna", "'t", "is", "don't", "N'T", "'s", "'ll", "'re", "''", "``", '"', "'",
              "(", ")", "[", "]", "...", ".", ",", ":", ";", "?", "!", "$", "%", "&", "--", "–", "—", "«", "»",
              "3.88", "3,36", "U.S.", "naïve", "Київ", "ß", "a", "B", "word", "_", "12", " ", " ", "  ", "Mr.",
              "Cannot", "GONNA", "gimme", "lemme", "gotta", "wanna", "d'ye", "More'n", "'Tis", "'twas", "'tiſ", "*",
              "@", "#", "<", ">", "{", "}", "`", "„", "‘", "“", "’", "”", "‒", "\n", "-",
              "'S", "'m", "'D", "'ve", "'VE", "'LL", "..", "\t", "x.", ".)", ".'", '."']
    rng = random.Random(2023)
    texts = list(seed_corpus.sentences["text"]) + [
        "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 20))) for _ in range(3000)]
    assert sum(map(plain_checked, texts)) > 2000  # most take the plain path
    assert [plain.tokenize(t) for t in texts] == [nltk.tokenize(t) for t in texts]


def test_expansions_give_the_templates_strings():
    """Each replacement template of NLTK's tokenizer rules made a function (`expansion`) gives, on every match of
    its pattern in the seeds and random text, what `re` makes of the template; a group taking no part gives ''."""
    rng = random.Random(11)
    pieces = ["a", "B", " ", ".", ",", ":", "'", '"', "''", "``", "'s ", "n't ", "(", "]", "--", "–", "?", "!", ";",
              "1", "x'", "'ll ", "«", "“", "„", "*", "@", "'D ", "'VE ", "`", "»", "”", "’", "<"]
    texts = [" ".join(pieces)] + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 15))) for _ in range(3000)]
    rules = [rule for group in ("STARTING_QUOTES", "PUNCTUATION", "ENDING_QUOTES") for rule in
             getattr(NLTKWordTokenizer, group)] + [NLTKWordTokenizer.PARENS_BRACKETS, NLTKWordTokenizer.DOUBLE_DASHES]
    functions = 0
    for pattern, template in rules:
        compiled = re.compile(pattern.pattern, pattern.flags & (re.I | re.M | re.S | re.U | re.X | re.A))
        made = expansion(template)
        functions += callable(made)
        found = [m for text in texts for m in compiled.finditer(text)]
        assert found and [made(m) if callable(made) else made for m in found] == [m.expand(template) for m in found]
    assert functions >= 12
    optional = re.compile(r"(a)|(b)")
    assert optional.sub(expansion(r"<\1\g<2>>"), "ab") == optional.sub(r"<\1\g<2>>", "ab") == "<a><b>"
    assert expansion(" -- ") == " -- " and expansion(r"\1\n") == r"\1\n"  # no reference, another escape: kept


def test_word_tokens_falls_back_to_nltk_for_characters_the_engines_classify_differently():
    assert not plain_checked("the ı and ² signs") and plain_checked("naïve café — Київ")
    assert word_tokenizer(True).tokenize("the ı and ² signs") == NLTKWordTokenizer().tokenize("the ı and ² signs")


def test_spaces_rule_equals_nltks_pattern():
    rng = random.Random(5)
    pieces = ["a", " ", "  ", "\u00a0", "\t", "\n", "\x1c", "\u2028", "b c", ""]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(20_000)]
    assert [Spaces.sub(" ", t) for t in texts] == [re.sub(r"\s+", " ", t) for t in texts]


# --- spaCy's attribute ruler ----------------------------------------------------------------------------------------

def ruler_and_matches() -> tuple:
    """The pipeline's attribute ruler and its `RulerMatches`."""
    ruler = pipeline().get_pipe(RULER)
    return ruler, RulerMatches.for_ruler(ruler)


def unruled(texts: list[str]) -> list:
    """`Doc`s of `texts` through the pipeline up to the attribute ruler (what the ruler's Matcher reads)."""
    with pipeline().select_pipes(disable=[ENTITIES, RULER]):
        return list(pipeline().pipe(texts))


def test_ruler_matches_cover_the_pipelines_ruler_and_refuse_other_patterns():
    ruler, matches = ruler_and_matches()
    assert matches is not None and len(ruler.patterns) == 179
    assert token_test({"TAG": "NN", "LOWER": {"IN": ["a"]}, "DEP": {"NOT_IN": ["det"]}, "IS_SPACE": False})
    for other in ({"POS": "NOUN"}, {"TAG": "NN", "OP": "?"}, {"LOWER": {"FUZZY": "peace"}}, {"TAG": {"REGEX": "^N"},
                  "LOWER": {"IN": ["a", 1]}}, {"IS_SPACE": "yes"}, {}):
        assert token_test(other) is None


def test_ruler_matches_equal_the_matchers_on_the_seeds(seed_corpus):
    ruler, matches = ruler_and_matches()
    docs = unruled(list(seed_corpus.sentences["text"]) + ["I said it wasn't nothin' y'know, but it's not so."])
    assert [matches(doc) for doc in docs] == [ruler.match(doc) for doc in docs]
    assert sum(map(len, (matches(doc) for doc in docs))) > 1000


def test_ruler_matches_equal_the_matchers_on_random_tokens():
    """Docs of random words, tags and dependency labels drawn from what the patterns test (and some they do not),
    capitalized at random, spaces included: the matches found are the Matcher's."""
    ruler, matches = ruler_and_matches()
    tested = [token for entry in ruler.patterns for pattern in entry["patterns"] for token in pattern]
    def values(key):
        found = [v for token in tested for value in [token.get(key)] if value is not None
                 for v in (value.get("IN", value.get("NOT_IN", [])) if isinstance(value, dict) else [value])]
        return sorted({v for v in found if isinstance(v, str) and v})
    words = values("LOWER") + ["n't", "nt", "nothin'", "nuthin'", "y'", "y", "ya", "Ukraine", "said", " ", "  "]
    tags = values("TAG") + sorted(pipeline().get_pipe("tagger").labels)
    deps = values("DEP") + sorted(pipeline().get_pipe("parser").labels)
    rng = random.Random(179)
    docs = []
    for _ in range(1500):
        n = rng.randint(1, 12)
        chosen = [rng.choice(words) for _ in range(n)]
        docs.append(Doc(pipeline().vocab, words=[w.upper() if rng.random() < 0.2 else w for w in chosen],
                        tags=[rng.choice(tags) for _ in range(n)], deps=[rng.choice(deps) for _ in range(n)]))
    assert [matches(doc) for doc in docs] == [ruler.match(doc) for doc in docs]
