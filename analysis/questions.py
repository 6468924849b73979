"""The study's questions: what to search for, which frames and actors the findings follow, how to group articles.

Every question is a parameter (the notebooks' first cell, `framing run --query/--frame/--actor/--group`,
or a study file such as `seeds/study.yaml`). A question left open (None) is answered from the articles themselves:

- queries (concordance and dispersion): each article's strongest key terms by log-likelihood against the other
  articles (with one article, its most frequent terms), at most `MAX_QUERIES`;
- focus frames: the `FOCUS_FRAMES` frames that code the most sentences of the corpus (the frames' strongest
  evidence), ties in dictionary order;
- focus actors: the actor whose people (or itself, under any of its aliases) are quoted in the most sentences;
  none if nobody is quoted;
- group: none, so each article is compared with the other (two articles) or with the rest (three or more).

The answers are written to `tables/questions.csv`, which the findings read, so the headings and sentences of the
findings follow the questions of the run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import InputError

MAX_QUERIES = 6     # default queries: at most this many
FOCUS_FRAMES = 2    # default focus: this many frames
GIVEN, FROM_ARTICLES = "given", "from the articles"
UNGROUPED = "none given: articles compared"  # the group row's source when no grouping was given
DATE_UNITS = ("week", "month", "year")
QUESTION_COLUMNS = ["question", "value", "source"]


@dataclass
class Questions:
    """A run's questions: search terms, focus frames (ids), focus actors (names), grouping (a metadata column,
    or `date:week` / `date:month` / `date:year`, or None) and which of them were given rather than derived."""

    queries: list[str]
    frames: list[str]
    actors: list[str]
    group: str | None = None
    given: set[str] = field(default_factory=set)


def read_study_file(path: str | Path) -> dict:
    """Questions from a study file (YAML with keys `queries`, `frames`, `actors`, `group`, each optional);
    a relative path is from the repository root. Raises InputError naming the file for anything else."""
    from analysis.frames import read_yaml

    path = config.resolve(path)
    data = read_yaml(path, "study file") or {}
    if not isinstance(data, dict) or set(data) - {"queries", "frames", "actors", "group"}:
        raise InputError(f"{path}: a study file holds only the keys queries, frames, actors and group")
    for key in ("queries", "frames", "actors"):
        if data.get(key) is not None and (not isinstance(data[key], list) or not all(
                isinstance(v, str) and v.strip() for v in data[key])):
            raise InputError(f"{path}: '{key}' must be a list of words or names")
    if data.get("group") is not None and not isinstance(data["group"], str):
        raise InputError(f"{path}: 'group' must be one metadata column name")
    return {key: data.get(key) for key in ("queries", "frames", "actors", "group")}


# --- defaults from the articles ---------------------------------------------------------------------------------

def default_queries(sentences: pd.DataFrame, top: int = MAX_QUERIES) -> list[str]:
    """Each article's strongest key terms (words or two-word phrases, by G² against the other articles), taken
    in turn, strongest first, until `top` distinct terms; with one article its most frequent terms."""
    from analysis.vocabulary import keyness_table, tfidf_table, top_keywords, top_terms

    ids = list(dict.fromkeys(sentences["article_id"]))
    if len(ids) < 2:
        return list(top_terms(tfidf_table(sentences), "count", top=top)["term"])
    per_article = max(1, -(-top // len(ids)))
    key = top_keywords(keyness_table(sentences), top=per_article)
    ranked = key.sort_values(["rank", "g2", "term"], ascending=[True, False, True], kind="stable")
    return list(dict.fromkeys(ranked["term"]))[:top]


def queries_origin(articles: int) -> str:
    """Where `default_queries` took the queries of a run of `articles` articles from, in words."""
    return "the article's most frequent terms" if articles < 2 else "each article's strongest key terms"


def default_frames(coded: pd.DataFrame, frame_ids: list[str], top: int = FOCUS_FRAMES) -> list[str]:
    """The `top` frames of `frame_ids` (dictionary order) that code the most sentences of `coded` (a column
    `frames`, ids joined by ';'), ties in dictionary order; frames coding no sentence are never chosen."""
    counts = coded["frames"].str.split(";").explode().value_counts()
    ranked = sorted((f for f in frame_ids if counts.get(f, 0) > 0), key=lambda f: (-counts[f], frame_ids.index(f)))
    return ranked[:top]


def default_actors(speakers: pd.Series, actors: list) -> list[str]:
    """The actor whose people (or itself) speak in the most quoted sentences (`speakers`: one speaker or '' per
    sentence), ties in dictionary order; [] when no quoted sentence belongs to an actor of the dictionary."""
    counts = [(sum(speakers.isin(voice_names(a))), -i, a.name) for i, a in enumerate(actors)]
    best = max(counts, default=(0, 0, ""))
    return [best[2]] if best[0] > 0 else []


def voice_names(actor) -> set[str]:
    """The speaker names that speak for `actor` (an `actors.Actor`): itself, its own aliases (a speaker is named as
    the article names it: 'Kremlin', 'White House') and its people."""
    return {actor.name, *actor.aliases} | {p.name for p in actor.people}


# --- resolving and checking -------------------------------------------------------------------------------------

def study_questions(corpus, queries=None, frames=None, actors=None, group=None, *, coder: str = "study") -> Questions:
    """The run's questions for a loaded `corpus`: each one given (checked: known frame ids and actor names, an
    existing metadata column) or, if None, derived from the articles (see the module docstring), the focus frames
    from the frame coding the run reports (`coder`, see `analysis.coders.code_sentences`). Raises InputError for
    an unknown frame, actor or group column."""
    from analysis.actors import load_actors
    from analysis.coders import code_sentences
    from analysis.frames import load_frames
    from analysis.voices import find_quotes, sentence_speakers

    given = {name for name, value in (("queries", queries), ("frames", frames), ("actors", actors))
             if value is not None}
    known_frames, known_actors = [f.id for f in load_frames()], load_actors()
    check_names("frame", frames or [], known_frames)
    check_names("actor", actors or [], [a.name for a in known_actors])
    if group is not None:
        group_column(corpus.articles, group)
    if frames is None:
        frames = default_frames(code_sentences(corpus.sentences, coder=coder), known_frames)
    if actors is None:
        speakers = sentence_speakers(corpus.sentences, find_quotes(corpus.sentences))
        actors = default_actors(speakers, known_actors)
    queries = default_queries(corpus.sentences) if queries is None else [q.strip() for q in queries if q.strip()]
    return Questions(queries, list(frames), list(actors), group, given | ({"group"} if group else set()))


def check_names(what: str, names: list[str], known: list[str]) -> None:
    """Raise InputError with one line if a name in `names` is not in `known`."""
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(f"unknown {what} {unknown[0]!r}: the dictionary's {what}s are {', '.join(known)}")


KEYS = {"query": "queries", "frame": "frames", "actor": "actors"}


def questions_table(questions: Questions) -> pd.DataFrame:
    """The questions as a table (question, value, source): one row per query, focus frame and focus actor, and
    one for the grouping (value '' for none); `source` says whether each was given or derived from the articles,
    and for no grouping that none was given (`UNGROUPED`)."""
    rows = [dict(question=q, value=v, source=GIVEN if key in questions.given else FROM_ARTICLES)
            for q, key in KEYS.items() for v in getattr(questions, key)]
    rows.append(dict(question="group", value=questions.group or "", source=GIVEN if questions.group else UNGROUPED))
    return pd.DataFrame(rows, columns=QUESTION_COLUMNS)


def read_questions(table: pd.DataFrame) -> Questions:
    """`Questions` back from `questions_table`'s table (empty lists for a run that wrote none)."""
    if table.empty:
        return Questions([], [], [], None)
    values = {q: list(table.loc[table["question"] == q, "value"].astype(str)) for q in (*KEYS, "group")}
    given = {key for q, key in KEYS.items() if (table.loc[table["question"] == q, "source"] == GIVEN).any()}
    return Questions(values["query"], values["frame"], values["actor"], next((g for g in values["group"] if g), None),
                     given)


# --- groups -----------------------------------------------------------------------------------------------------

def group_column(articles: pd.DataFrame, group: str) -> tuple[str, str | None]:
    """(metadata column, date unit or None) of a grouping: a column of the articles table (`outlet`, `country`,
    a free `group` key, ...), or `date:week`, `date:month`, `date:year`. Raises InputError for anything else."""
    column, _, unit = group.partition(":")
    hidden = {"article_id", "label", "file", "encoding", "paragraphs", "sentences", "content_hash"}
    columns = [c for c in articles.columns if c not in hidden]
    if column not in columns or column in hidden:
        raise InputError(f"group {group!r}: the articles have no metadata column {column!r} "
                         f"(columns: {', '.join(columns)})")
    if unit and column != "date":
        raise InputError(f"group {group!r}: only date can be grouped by {', '.join(DATE_UNITS)} "
                         f"(date:week, date:month, date:year)")
    if unit and unit not in DATE_UNITS:
        raise InputError(f"group {group!r}: a date is grouped by week, month or year (date:week, date:month, "
                         f"date:year), not by {unit!r}")
    return column, unit or None


def article_groups(articles: pd.DataFrame, group: str) -> pd.Series:
    """The group of each article (index: article_id): its value in the grouping's metadata column, dates by ISO
    week ('2022-W04'), month ('2022-01') or year; '(no <column>)' where an article has no value."""
    column, unit = group_column(articles, group)
    values = articles.set_index("article_id")[column].astype(str).str.strip()
    if unit:
        dates = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
        iso = dates.dt.isocalendar()
        values = {"week": iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2),
                  "month": dates.dt.strftime("%Y-%m"), "year": dates.dt.strftime("%Y")}[unit].astype(object)
        values = values.where(dates.notna(), "")
    return values.where(values != "", f"(no {column})").rename("group")


def grouped_sentences(sentences: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """`sentences` with `article_id` replaced by each article's group (groups in order of first appearance, as
    quanteda's `dfm_group` pools documents by a document variable) and sentences numbered anew within groups;
    the article a sentence came from is kept in `source_article`."""
    ids = list(dict.fromkeys(sentences["article_id"]))
    order = {g: i for i, g in enumerate(dict.fromkeys(groups[a] for a in ids))}
    table = sentences.assign(source_article=sentences["article_id"], article_id=sentences["article_id"].map(groups))
    table = table.sort_values("article_id", key=lambda g: g.map(order), kind="stable").reset_index(drop=True)
    return table.assign(sentence_index=table.groupby("article_id", sort=False).cumcount() + 1)


GROUP_NAMES = {"article_id": "group", "source_article": "article_id"}  # a grouped table's columns -> as written


def group_named(table: pd.DataFrame) -> pd.DataFrame:
    """A table of `grouped_sentences` (or of a statistic over them) as a reader sees it: the column `article_id`,
    which holds each row's group there, named `group`, and `source_article`, the article, named `article_id`."""
    return table.rename(columns=GROUP_NAMES)


def group_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The inverse of `group_named`: a written group table with the columns the article functions read."""
    return table.rename(columns={written: own for own, written in GROUP_NAMES.items()})


def groups_table(articles: pd.DataFrame, group: str) -> pd.DataFrame:
    """One row per article: article_id, group (see `article_groups`) and group_label, the group as charts and the
    explorer page name it ('country GB', 'month 2022-01', '(no outlet)'; the findings, by its value: 'the GB
    group')."""
    column, unit = group_column(articles, group)
    groups = article_groups(articles, group)
    label = groups.map(lambda g: g if g.startswith("(no ") else f"{unit or column} {g}")
    return pd.DataFrame({"article_id": groups.index, "group": groups.values, "group_label": label.values})
