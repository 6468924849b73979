"""The learned second coder and the study's combined frame coding (analysis/coders.py)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis import coders
from analysis.coders import (MODEL_FILE, code_sentences, code_tokens, examples_table, fit_space,
                             hits_and_features, parse_model_evidence, read_model, sentence_features,
                             study_coder)
from analysis.errors import InputError
from analysis.frames import dictionary_coding as dictionary_sentences
from analysis.frames import load_frames
from analysis.text import word_tokens
from tests.conftest import benchmark_module


def coded(text: str, frames=None) -> tuple[str, str, str]:
    """frames, frame_evidence and frame_model of one sentence."""
    found, evidence, model = code_tokens([word_tokens(text)], frames)
    return found[0], evidence[0], model[0]


def test_the_shipped_model_loads_and_covers_every_frame_of_the_dictionary():
    models, rule, thresholds = read_model()
    ids = [f.id for f in load_frames()]
    assert list(models.frames) == ids and list(models.hit_frames) == ids
    assert rule in ("dictionary", "model", "union") and list(thresholds) == ids
    assert all(0 < t < 1 for t in thresholds.values())
    assert models.coef.shape == (len(models.space.vocabulary), len(ids)) and len(models.space.vocabulary) > 1000
    assert np.isfinite(models.coef).all() and (models.space.idf >= 1).all()
    assert "text" not in json.loads(MODEL_FILE.read_text())  # weights only


def test_the_shipped_weights_name_their_training_sets_and_never_the_holdout():
    """Rounds 1 to 4 were read once and are development data: the weights name all five coded sets they were
    trained on (`coding_agreement.TRAINING`), and neither name nor train on the round-6 hold-out."""
    agreement = benchmark_module("coding_agreement")
    about = json.loads(MODEL_FILE.read_text())["about"]
    names = [path.name for path in agreement.TRAINING]
    assert names == ["frame_coding.csv"] + [f"frame_coding_holdout{n}.csv" for n in ("", 2, 3, 4)]
    assert all(f" {name}" in about for name in names)
    assert agreement.HOLDOUT not in agreement.TRAINING and agreement.HOLDOUT.name not in about
    assert agreement.HOLDOUT.name == "frame_coding_holdout6.csv"


@pytest.mark.parametrize("text, frame", [
    ("The two sides agreed to sit down and talk next week.", "de_escalation"),
    ("Washington and Beijing are competing for influence in Europe.", "alignment"),
])
def test_the_model_codes_a_paraphrase_the_dictionary_misses_and_shows_why(text, frame):
    found, evidence, model = coded(text)
    assert found == frame and evidence == ""  # no dictionary word: the decision is the model's
    probability, nearest = parse_model_evidence(model)[frame]
    assert probability >= read_model()[2][frame] and nearest and all(n.startswith(f"{frame}#") for n in nearest)


def test_dictionary_words_stay_the_evidence_and_unrelated_sentences_get_no_frame():
    found, evidence, model = coded("Artillery shelled the trenches as the brigade advanced.")
    assert found == "battlefield" and evidence == "battlefield: artillery, shelled, trenches, brigade, advanced"
    assert list(parse_model_evidence(model)) == ["battlefield"]
    assert coded("Grain prices rose sharply on Tuesday.") == ("", "", "")


def test_tf_idf_vectors_equal_scikit_learns():
    from sklearn.feature_extraction.text import TfidfVectorizer
    texts = ["Peace talks resumed in Geneva.", "The talks failed, and the fighting resumed.", "Geneva is calm."]
    features = [sentence_features(word_tokens(t)) for t in texts]
    space = fit_space(features)
    ours = space.vectors(features).toarray()
    vectorizer = TfidfVectorizer(analyzer=lambda f: f, sublinear_tf=True)
    theirs = vectorizer.fit_transform(features).toarray()[:, [vectorizer.vocabulary_[t] for t in space.vocabulary]]
    assert np.allclose(ours, theirs)
    assert sentence_features(word_tokens("A de-escalation, now.")) == ["a", "de", "escalation", "now", "a de",
                                                                       "de escalation", "escalation now"]


def test_dictionary_coder_is_the_dictionary_alone():
    sentences = pd.DataFrame({"tokens": [word_tokens(t) for t in (
        "The two sides agreed to sit down and talk next week.", "Peace talks resumed as troops advanced.")]})
    alone = code_sentences(sentences, coder="dictionary")
    pd.testing.assert_frame_equal(alone[["frames", "frame_evidence"]], dictionary_sentences(sentences))
    assert (alone["frame_model"] == "").all()
    study = code_sentences(sentences)
    assert list(study["frames"]) == ["de_escalation", "de_escalation;battlefield"]


FRAMES_WITH_ECONOMY = load_frames()


def economy_dictionary(tmp_path, examples: bool = True):
    """frames.yaml with a seventh frame, 'economy', that the shipped model has no weights for."""
    data = {"frames": [dict(id=f.id, label=f.label, definition=f.definition, terms=list(f.terms),
                            exclude=list(f.exclude), examples=list(f.examples)) for f in FRAMES_WITH_ECONOMY]}
    extra = dict(id="economy", definition="What the war costs economies: prices, trade, energy, markets.",
                 terms=["inflation", "grain prices"])
    if examples:
        extra["examples"] = ["Fuel costs climbed again as markets reacted to the news.",
                             "Exporters say shipping costs have doubled since the blockade.",
                             "Gas prices in Europe hit a record as supplies fell.",
                             "The central bank raised rates to calm markets.",
                             "Trade with its neighbours has collapsed, the ministry said."]
    data["frames"].append(extra)
    path = tmp_path / "frames.yaml"
    import yaml
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_frames(path)


def test_a_frame_added_to_the_dictionary_is_coded_by_both_paths_without_code_change(tmp_path):
    frames = economy_dictionary(tmp_path)
    assert coded("Inflation reached 20 percent.", frames)[:2] == ("economy", "economy: inflation")
    found, evidence, model = coded("Shipping costs rose as markets fell.", frames)
    assert found == "economy" and evidence == ""  # the model fitted on the examples, no dictionary word
    assert parse_model_evidence(model)["economy"][1][0].startswith("economy#")
    assert coded("Troops advanced on the town.", frames)[0] == "battlefield"  # shipped frames unchanged
    assert list(examples_table(frames).query("frame == 'economy'")["example"]) == [f"economy#{n}" for n in
                                                                                     range(1, 6)]


def test_each_frame_has_its_own_threshold_and_an_added_frame_the_default(tmp_path):
    from dataclasses import replace
    frames = economy_dictionary(tmp_path)
    coder = study_coder(frames)
    shipped = read_model()[2]
    assert coder.thresholds == tuple(shipped[f.id] for f in frames[:-1]) + (coders.EXAMPLE_THRESHOLD,)
    text = [word_tokens("The two sides agreed to sit down and talk next week.")]
    assert coder.code(text)[0] == ["de_escalation"]
    never = replace(coder, thresholds=(1.01,) * len(frames))  # no probability reaches it: the dictionary alone
    assert never.code(text)[0] == [""]


def test_a_new_frame_without_examples_is_coded_by_the_dictionary_alone(tmp_path):
    frames = economy_dictionary(tmp_path, examples=False)
    assert coded("Inflation reached 20 percent.", frames) == ("economy", "economy: inflation", "")
    assert coded("Shipping costs rose as markets fell.", frames)[0] == ""
    found, _, model = coded("Inflation hit the troops' pay.", frames)
    assert found == "battlefield;economy" and list(parse_model_evidence(model)) == ["battlefield"]


def test_a_dictionary_without_any_examples_or_weights_is_the_dictionary():
    from analysis.frames import Frame
    toy = [Frame("talks", "Talks", "d", ("peace talks",)), Frame("war", "War", "d", ("troops",))]
    assert coded("Troops fought for peace talks.", toy) == ("talks;war", "talks: peace talks | war: troops", "")


def test_removing_a_frame_drops_its_dictionary_feature_and_column():
    kept = [f for f in load_frames() if f.id != "battlefield"]
    found, _, model = coded("Artillery shelled the trenches as the brigade advanced.", kept)
    assert "battlefield" not in found and "battlefield" not in model
    assert coders._study_coder(tuple(kept), MODEL_FILE).models[0].frames == tuple(f.id for f in kept)


def test_examples_in_the_dictionary_are_read_and_checked(tmp_path):
    assert all(len(f.examples) >= 5 for f in load_frames())
    path = tmp_path / "frames.yaml"
    path.write_text("frames:\n  - id: a\n    definition: x\n    terms: [x]\n    examples: [1, '']\n")
    with pytest.raises(InputError, match="'examples' must be a list of sentences"):
        load_frames(path)


def test_precoded_sentences_are_coded_as_one_at_a_time(seed_corpus):
    tokens = list(seed_corpus.sentences["tokens"])
    for name in coders.CODERS:
        coder = coders.frame_coding(load_frames(), name)
        batch = coders.precoded(coder, tokens + tokens[:5])
        one_by_one = [coder.code([t]) for t in tokens]
        assert [tuple(c[0] for c in batch.code([t])) for t in tokens] == [tuple(c[0] for c in o) for o in one_by_one]
        assert batch.code(tokens[3:9]) == coder.code(tokens[3:9])
        unseen = [["Talks", "on", "a", "ceasefire", "resumed", "."]]
        assert batch.code(unseen) == coder.code(unseen) and tuple(unseen[0]) not in batch.coded


def test_a_coder_is_chosen_by_name():
    assert isinstance(coders.frame_coding(coder="study"), coders.StudyCoder)
    assert isinstance(coders.frame_coding(coder="dictionary"), coders.DictionaryCoder)
    with pytest.raises(InputError, match="frame coder 'model': choose one of study, dictionary"):
        coders.frame_coding(coder="model")


def test_the_sentences_table_of_the_dictionary_coder_differs_only_in_frames_and_model(seed_corpus):
    from analysis.pipeline import sentences_table

    study, alone = sentences_table(seed_corpus), sentences_table(seed_corpus, coder="dictionary")
    others = [c for c in study.columns if c not in ("frames", "frame_model")]
    pd.testing.assert_frame_equal(study[others], alone[others])
    assert list(alone["frames"]) == list(dictionary_sentences(seed_corpus.sentences)["frames"])
    assert set(alone["frame_model"]) == {""} and (study["frames"] != alone["frames"]).any()



def test_the_study_coder_matches_each_sentence_once_for_the_dictionary_and_the_model():
    """Hits and features from one `match_tokens` per sentence are the dictionary's own (`frame_coder`) and the
    features read by hand (hyphenated words split, an en dash read as a hyphen and dropped with punctuation)."""
    from analysis.frames import frame_coder
    texts = ["Ceasefire talks – and de-escalation – resumed after the shelling.",
             "Artillery shelled the trenches as the brigade advanced.", "Sanctions bit; prices rose."]
    tokens = [word_tokens(t) for t in texts]
    coder = study_coder()
    hits, features = hits_and_features(coder.frames, tokens)
    assert hits == [frame_coder(list(coder.frames))(t) for t in tokens] and "battlefield" in hits[1]
    words = ["ceasefire", "talks", "and", "de", "escalation", "resumed", "after", "the", "shelling"]
    assert features[0] == words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    assert features == [sentence_features(t) for t in tokens]
