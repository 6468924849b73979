"""Actors: who the articles mention (China, Russia, Ukraine, the United States, ...), per article and together.

The actor dictionary (`data/actors.yaml`) lists each actor's aliases — names, capitals standing for governments,
adjectives — and the people who act for it. Mentions are found in each sentence's word tokens, case-sensitively
("US" is the United States, "us" is not), with hyphenated words split ("China-Russia" mentions both) and the
longest alias winning ("Vladimir Putin" is one mention). Co-occurrence counts sentences that mention two actors.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.lookup import longest_spans, match_tokens, pattern_matches, pattern_tokens, read_yaml

ACTORS_FILE = config.PACKAGE_DATA / "actors.yaml"
MENTION_COLUMNS = ["article_id", "sentence_index", "actor", "alias"]


@dataclass(frozen=True)
class Person:
    """A person acting for an actor: canonical name and aliases."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Actor:
    """An actor of the dictionary: name, aliases, and people whose aliases also mention it."""

    name: str
    aliases: tuple[str, ...]
    people: tuple[Person, ...] = ()

    def all_aliases(self) -> tuple[str, ...]:
        """The actor's own aliases followed by every alias of its people."""
        return self.aliases + tuple(a for p in self.people for a in p.aliases)


# --- the dictionary ---------------------------------------------------------------------------------------------

def load_actors(path: str | Path | None = None) -> list[Actor]:
    """Actors of the YAML dictionary at `path` (default: the package's `data/actors.yaml`; a relative path is
    taken from the repository root, like the articles), in file order.
    Raises InputError (one line naming the file and the problem) for a missing or malformed file."""
    path = config.resolve(path) if path is not None else ACTORS_FILE
    data = read_yaml(path, "actor dictionary")
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list) or not data["actors"]:
        raise InputError(f"{path}: expected a top-level 'actors:' list with at least one actor")
    actors = [_actor(entry, number, path) for number, entry in enumerate(data["actors"], start=1)]
    names = [a.name for a in actors]
    if len(set(names)) < len(names):
        raise InputError(f"{path}: an actor name is used more than once")
    return actors


def _aliases(entry: dict, what: str, path: Path) -> tuple[str, ...]:
    """The checked `aliases` list of an actor or person entry described as `what`."""
    aliases = entry.get("aliases")
    if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(f"{path}: {what} needs 'aliases', a list of names")
    for alias in aliases:
        try:
            pattern_tokens(alias, lower=False)
        except ValueError as error:
            raise InputError(f"{path}: {what}: alias {alias!r}: {error}") from None
    return tuple(" ".join(a.split()) for a in aliases)


def _actor(entry, number: int, path: Path) -> Actor:
    """Actor from one YAML entry (actor `number` in the file); InputError naming the problem."""
    if not isinstance(entry, dict) or not str(entry.get("name", "")).strip():
        raise InputError(f"{path}: actor {number} needs a 'name'")
    name = str(entry["name"])
    people = entry.get("people") or []
    if not isinstance(people, list) or not all(isinstance(p, dict) and str(p.get("name", "")).strip()
                                               for p in people):
        raise InputError(f"{path}: actor {name!r}: 'people' must be a list of entries with a 'name'")
    persons = tuple(Person(str(p["name"]), _aliases(p, f"person {p['name']!r}", path)) for p in people)
    return Actor(name, _aliases(entry, f"actor {name!r}", path), persons)


def alias_table(actors: list[Actor]) -> pd.DataFrame:
    """The dictionary as a table: actor, person ('' for the actor's own aliases), aliases (comma-separated)."""
    rows = [dict(actor=a.name, person="", aliases=", ".join(a.aliases)) for a in actors]
    rows += [dict(actor=a.name, person=p.name, aliases=", ".join(p.aliases)) for a in actors for p in a.people]
    order = {a.name: i for i, a in enumerate(actors)}
    table = pd.DataFrame(rows, columns=["actor", "person", "aliases"])
    return table.sort_values("actor", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def person_names(actors: list[Actor]) -> dict[str, str]:
    """Canonical person name for each person alias: {'Zelensky': 'Volodymyr Zelenskiy', ...}."""
    return {alias: p.name for a in actors for p in a.people for alias in p.aliases}


def actor_names(actors: list[Actor]) -> dict[str, str]:
    """Actor name for each of an actor's own aliases (not its people's): {'Beijing': 'China', ...}."""
    return {alias: a.name for a in actors for alias in a.aliases}


# --- mentions ---------------------------------------------------------------------------------------------------

def sentence_mentions(tokens: list[str], actors: list[Actor]) -> list[tuple[str, str]]:
    """(actor, alias as written) for each actor mention in one sentence's word tokens, in reading order."""
    owner = {alias: a.name for a in actors for alias in a.all_aliases()}
    matched = match_tokens(tokens, lower=False)
    found = pattern_matches(matched, tuple(owner), lower=False)
    by_span = {}
    for start, end, alias in found:
        by_span.setdefault((start, end), alias)
    spans = longest_spans(list(by_span))
    return [(owner[by_span[s]], " ".join(matched[s[0]:s[1]]).replace(" 's", "'s")) for s in spans]


def actor_mentions(sentences: pd.DataFrame, actors: list[Actor] | None = None) -> pd.DataFrame:
    """Long table of actor mentions, one row per mention: article_id, sentence_index, actor, alias (the words
    matched). `sentences` needs article_id, sentence_index and tokens."""
    actors = load_actors() if actors is None else actors
    rows = [dict(article_id=a, sentence_index=i, actor=actor, alias=alias)
            for a, i, tokens in zip(sentences["article_id"], sentences["sentence_index"], sentences["tokens"])
            for actor, alias in sentence_mentions(tokens, actors)]
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def actor_counts(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Mentions per article and actor, for every article in `sentences` and every actor mentioned anywhere, the
    most mentioned actor first (zeros included): article_id, actor, mentions, sentences (mentioning the actor),
    sentence_share."""
    articles = list(dict.fromkeys(sentences["article_id"]))
    actors = mentions.groupby("actor", sort=False).size().sort_values(ascending=False, kind="stable").index
    grid = pd.MultiIndex.from_product([articles, actors], names=["article_id", "actor"])
    grouped = mentions.groupby(["article_id", "actor"])
    table = pd.DataFrame({"mentions": grouped.size(), "sentences": grouped["sentence_index"].nunique()})
    table = table.reindex(grid, fill_value=0).reset_index().astype({"mentions": int, "sentences": int})
    totals = sentences.groupby("article_id").size()
    table["sentence_share"] = table["sentences"] / table["article_id"].map(totals).astype(float)
    return table


def actor_cooccurrence(mentions: pd.DataFrame) -> pd.DataFrame:
    """Sentences mentioning both actors, for every ordered pair of actors mentioned (an actor with itself:
    sentences mentioning it), pooled over articles: actor_a, actor_b, sentences."""
    if mentions.empty:
        return pd.DataFrame(columns=["actor_a", "actor_b", "sentences"])
    actors = list(dict.fromkeys(mentions["actor"]))
    present = pd.crosstab([mentions["article_id"], mentions["sentence_index"]], mentions["actor"]).clip(upper=1)
    present = present.reindex(columns=actors, fill_value=0)
    counts = present.T @ present
    return (counts.rename_axis("actor_a").rename_axis(columns=None).reset_index()
            .melt("actor_a", var_name="actor_b", value_name="sentences"))
