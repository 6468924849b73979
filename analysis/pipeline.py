"""The study's shared tables, built one way for the notebooks and the command line.

`score_article` is the per-article work: from one article's sentence rows (as `corpus.sentence_rows` makes them)
it gives the article's rows of `tables/sentences.csv` and `tables/quotes.csv`, its statistics for
`tables/articles.csv` and its term counts, from which the corpus-wide tables (`tfidf_terms.csv`, `keyness.csv`,
similarity) are computed. `articles_table` and `sentences_table` apply it to a loaded corpus (the notebooks);
`analysis.score` applies it to articles streamed from disk (`framing score`), so a table means the same
thing wherever it is written.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.actors import Actor, load_actors
from analysis.corpus import Corpus
from analysis.describe import article_statistics
from analysis.coders import Coder, frame_coding, study_coder
from analysis.frames import Frame, load_frames
from analysis.shortcuts import vader
from analysis.text import words
from analysis.vocabulary import TermCounts, article_terms
from analysis.voices import numbered_quotes, rows_by_article, speakers_of

ARTICLE_COLUMNS = ["article_id", "label", "file", "title", "date", "outlet", "dateline", "source", "encoding",
                   "paragraphs", "sentences", "tokens", "types", "mean_sentence_length", "median_sentence_length",
                   "ttr", "mattr", "content_hash"]
SENTENCE_TABLE_COLUMNS = ["article_id", "sentence_index", "paragraph", "kind", "text", "words", "frames",
                          "frame_evidence", "frame_model", "speaker", "compound"]


@dataclass
class ArticleScores:
    """Everything the study computes from one article alone: its rows of the sentences and quotes tables, its
    statistics (tokens, types, sentence lengths, TTR, MATTR) and its term counts."""

    sentences: list[dict]
    quotes: list[dict]
    statistics: dict
    terms: TermCounts


def score_article(rows: list[dict], *, frames: list[Frame], actors: list[Actor],
                  coder: Coder | None = None) -> ArticleScores:
    """`ArticleScores` of one article's sentence rows (dicts with article_id, sentence_index, paragraph, kind, text,
    tokens; reading order), frames coded by `coder` (`coders.frame_coding`; default: the study's coder of the
    dictionary `frames`, `coders.study_coder`), speakers resolved with `actors`."""
    quotes, found = numbered_quotes(rows, actors), [words(row["tokens"]) for row in rows]
    coder = study_coder(frames) if coder is None else coder
    return ArticleScores(sentence_table_rows(rows, quotes, coder, found), quotes,
                         article_statistics(found), article_terms([row["tokens"] for row in rows]))


def sentence_table_rows(rows: list[dict], quotes: list[dict], coder: Coder,
                        sentence_words: list[list[str]]) -> list[dict]:
    """Rows of the sentences table (`SENTENCE_TABLE_COLUMNS`) for one article's sentence rows and their word
    tokens (`text.words` of each row's tokens): word count, frames, the dictionary's evidence and the learned
    model's (`coder`: `coders.study_coder` or another `coders.Coder`), the speaker of the quotation the sentence
    belongs to ('' for narration; `voices.speakers_of` with the article's `quotes` rows) and VADER's compound score
    of the raw text (-1 to +1; `shortcuts.vader`)."""
    found, evidence, model = coder.code([row["tokens"] for row in rows])
    lengths = [len(w) for w in sentence_words]
    speakers, analyzer = speakers_of(rows, quotes), vader()
    return [dict(article_id=row["article_id"], sentence_index=row["sentence_index"], paragraph=row["paragraph"],
                 kind=row["kind"], text=row["text"], words=length, frames=frames_, frame_evidence=evidence_,
                 frame_model=model_, speaker=speaker, compound=analyzer.polarity_scores(row["text"])["compound"])
            for row, length, frames_, evidence_, model_, speaker in zip(rows, lengths, found, evidence, model,
                                                                          speakers)]


def article_positions(sentences: pd.DataFrame) -> dict[str, list[int]]:
    """Row positions of each article's sentences in a sentences table, articles in corpus order."""
    positions: dict[str, list[int]] = {}
    for i, article_id in enumerate(sentences["article_id"]):
        positions.setdefault(article_id, []).append(i)
    return positions


def articles_table(corpus: Corpus) -> pd.DataFrame:
    """One row per article: metadata (see `corpus.article_row`) and statistics (see `article_statistics`)."""
    records = corpus.sentences.to_dict("records")
    stats = pd.DataFrame([{"article_id": a, **article_statistics([words(records[i]["tokens"]) for i in rows])}
                          for a, rows in article_positions(corpus.sentences).items()])
    return article_columns(corpus.articles.merge(stats, on="article_id", how="left"))


def article_columns(table: pd.DataFrame) -> pd.DataFrame:
    """An articles table's `ARTICLE_COLUMNS`, then its other metadata columns (header keys beyond the known ones,
    such as `country`) in alphabetical order, missing values as ''."""
    extra = sorted(set(table.columns) - set(ARTICLE_COLUMNS))
    return table[ARTICLE_COLUMNS + extra].fillna({column: "" for column in extra})


def sentences_table(corpus: Corpus, quotes: pd.DataFrame | None = None, *, coder: str = "study") -> pd.DataFrame:
    """One row per sentence, same index as `corpus.sentences`: article_id, sentence_index, paragraph, kind, raw
    text, word count, frames and their evidence, speaker and VADER compound (see `sentence_table_rows`). `quotes` is
    `voices.find_quotes(corpus.sentences)`, computed here if not given; `coder` names the frame coding ('study' or
    'dictionary', `coders.frame_coding`)."""
    records, actors = corpus.sentences.to_dict("records"), load_actors()
    coder = frame_coding(load_frames(), coder)
    given = {} if quotes is None else rows_by_article(quotes)
    table: list[dict] = [{}] * len(records)
    for article_id, positions in article_positions(corpus.sentences).items():
        rows = [records[i] for i in positions]
        found = given.get(article_id, []) if quotes is not None else numbered_quotes(rows, actors)
        for i, row in zip(positions, sentence_table_rows(rows, found, coder, [words(r["tokens"]) for r in rows])):
            table[i] = row
    return pd.DataFrame(table, columns=SENTENCE_TABLE_COLUMNS, index=corpus.sentences.index)

