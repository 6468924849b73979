"""Frames, second coder: a learned model beside the dictionary, and the study's one frame coding.

The dictionary (`frames.frame_coder`) finds a frame only through its listed words. The learned coder is a logistic
regression per frame (scikit-learn's `LogisticRegression`, balanced class weights) over a sentence's words and
word pairs — lower-cased word tokens, hyphenated words split as the dictionary splits them, unigrams and bigrams,
weighted by sublinear TF-IDF and L2-normalised, as scikit-learn's `TfidfVectorizer(sublinear_tf=True)` — plus one
0/1 feature per dictionary frame (its words matched). `benchmarks/train_frame_model.py` fits it on the blind-coded
development pool (`TRAINING` of `benchmarks/coding_agreement.py`) and the example sentences of `data/frames.yaml`,
and writes the weights to `data/frame_model.json` (vocabulary, IDF, coefficients; no text) with the combination
rule and each frame's probability threshold, chosen by cross-validation grouped by article. Inference needs only
numpy and scipy.

A frame of `frames.yaml` without shipped weights (one a user added) gets a model fitted when the coder is built,
on the frames' `examples` (its own as positives, the other frames' as negatives), with the same features.

`study_coding` combines the two paths as the shipped model says ('union': dictionary or model; 'model': the
model alone, which sees the dictionary's hits as features; 'dictionary'). Every decision stays auditable:
`frame_evidence` keeps the dictionary's words, `frame_model` gives, for each frame coded, the model's probability
and the nearest example sentences of `frames.yaml` (`frame#n`, n counting from 1 in the file) by cosine
similarity of their TF-IDF vectors.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from analysis import config
from analysis.errors import InputError
from analysis.frames import Frame, evidence_columns, frame_coder, load_frames, matched_coder
from analysis.lookup import match_tokens
from analysis.text import is_word, word_tokens

MODEL_FILE = config.PACKAGE_DATA / "frame_model.json"
CODERS = ("study", "dictionary")   # `code_sentences`' choices: the combined study coding, or the dictionary alone
NEAREST = 2                        # example sentences shown beside each frame coded
EXAMPLE_C = 4.0                    # inverse regularisation of a model fitted on examples at load time
EXAMPLE_THRESHOLD = 0.5            # probability threshold of a frame without a shipped one (fitted on examples)


def sentence_features(tokens: list[str]) -> list[str]:
    """The learned coder's terms of one sentence's word tokens: words lower-cased and split at hyphens as the
    dictionary matches them (punctuation dropped), then every word and every pair of neighbouring words
    ('peace talks')."""
    return matched_features(match_tokens(tokens))


def matched_features(matched: list[str]) -> list[str]:
    """`sentence_features` of a sentence whose word tokens are already as the dictionary matches them
    (`lookup.match_tokens`)."""
    found = list(filter(_is_word_part, matched))
    return found + list(map(" ".join, zip(found, found[1:])))


def hits_and_features(frames: list[Frame], tokens: list[list[str]]) -> tuple[list[dict], list[list[str]]]:
    """The dictionary's hits (`frames.frame_coder` results for `frames`) and the model's `sentence_features` of
    sentences given as word tokens, each sentence's tokens matched once for both (`lookup.match_tokens`)."""
    matched = [match_tokens(t) for t in tokens]
    dictionary = matched_coder(frames)
    return [dictionary(m) for m in matched], [matched_features(m) for m in matched]


@cache
def _is_word_part(part: str) -> bool:
    """`text.is_word` of one matched part, memoized per distinct part."""
    return is_word(part)


@dataclass(frozen=True)
class Space:
    """A TF-IDF space: `vocabulary` (term → column) and `idf` (per column; smoothed, as scikit-learn's)."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    def vectors(self, features: list[list[str]]) -> csr_matrix:
        """Rows of sublinear TF-IDF (1 + ln tf) × idf, L2-normalised, one per sentence's `sentence_features`;
        terms outside the vocabulary are ignored (an all-zero row for a sentence with none)."""
        data, indices, indptr = [], [], [0]
        column, idf = self.vocabulary.get, self._idf
        for terms in features:
            counts = Counter(j for j in map(column, terms) if j is not None)
            values = [(1 + math.log(n)) * idf[j] if n > 1 else idf[j] for j, n in counts.items()]
            norm = math.sqrt(sum(v * v for v in values)) or 1.0
            indices += counts.keys()
            data += [v / norm for v in values]
            indptr.append(len(indices))
        return csr_matrix((data, indices, indptr), shape=(len(features), len(self.idf)))

    @cached_property
    def _idf(self) -> list[float]:
        """`idf` as a list (indexing a list is faster than indexing an array)."""
        return self.idf.tolist()


@dataclass(frozen=True)
class FrameModels:
    """Logistic regressions of several frames over one `Space`: `coef` (vocabulary × frames), `hit_coef`
    (dictionary frames × frames: weight of each dictionary frame's 0/1 hit), `intercept` (frames);
    `hit_frames` names the dictionary frames, in `hit_coef`'s row order."""

    frames: tuple[str, ...]
    space: Space
    coef: np.ndarray
    hit_frames: tuple[str, ...]
    hit_coef: np.ndarray
    intercept: np.ndarray

    def probabilities(self, vectors: csr_matrix, hits: list[dict]) -> np.ndarray:
        """(sentences × frames) probabilities from the sentences' TF-IDF `vectors` and dictionary `hits`
        (`frame_coder` results)."""
        found = np.array([[f in h for f in self.hit_frames] for h in hits], dtype=float).reshape(len(hits),
                                                                                          len(self.hit_frames))
        return 1 / (1 + np.exp(-(vectors @ self.coef + found @ self.hit_coef + self.intercept)))


@dataclass(frozen=True)
class StudyCoder:
    """The study's frame coding: the dictionary `frames`, the learned `models` (shipped, and fitted on examples
    for frames without shipped weights), how they combine (`rule`, and `thresholds`: each frame's probability
    threshold), and the example sentences with their TF-IDF vectors (in the shipped space) for the
    nearest-example display."""

    frames: tuple[Frame, ...]
    models: tuple[FrameModels, ...]
    rule: str
    thresholds: tuple[float, ...]          # per frame, dictionary order
    examples: tuple[tuple[str, str], ...]   # (frame id, 'frame#n')
    example_vectors: csr_matrix
    space: Space                            # the shipped model's, in which examples are compared

    def code(self, tokens: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
        """`frames`, `frame_evidence` and `frame_model` strings of sentences given as word tokens (see
        `code_sentences`)."""
        hits, features = hits_and_features(self.frames, tokens)
        spaces = {id(space): space for space in [self.space] + [m.space for m in self.models]}
        vectors = {key: space.vectors(features) for key, space in spaces.items()}
        probability = self._probabilities(vectors, hits)
        coded = [[f.id for j, f in enumerate(self.frames) if self._carries(p[j], self.thresholds[j], f.id in h)]
                 for p, h in zip(probability, hits)]
        shown = [{f: p[j] for j, f in enumerate(self.ids()) if f in c} for p, c in zip(probability, coded)]
        _, evidence = evidence_columns(hits)
        return [";".join(c) for c in coded], evidence, self._model_evidence(vectors[id(self.space)], shown)

    def ids(self) -> list[str]:
        """Frame ids in dictionary order."""
        return [f.id for f in self.frames]

    def _carries(self, probability: float, threshold: float, hit: bool) -> bool:
        """Whether a sentence carries a frame, given the model's probability (NaN for a frame no model covers,
        which the dictionary alone codes), the frame's threshold and the dictionary's hit."""
        if math.isnan(probability):
            return hit
        learned = probability >= threshold
        return {"union": learned or hit, "model": learned, "dictionary": hit}[self.rule]

    def _probabilities(self, vectors: dict[int, csr_matrix], hits: list[dict]) -> np.ndarray:
        """(sentences × frames, dictionary order) probabilities of every model, given the sentences' vectors in
        each model's space (by `id` of the space)."""
        columns = {}
        for models in self.models:
            p = models.probabilities(vectors[id(models.space)], hits)
            columns |= {f: p[:, j] for j, f in enumerate(models.frames)}
        none = np.full(len(hits), np.nan)
        return np.column_stack([columns.get(f, none) for f in self.ids()]) if hits else np.zeros((0, len(self.ids())))

    def probabilities(self, tokens: list[list[str]]) -> tuple[np.ndarray, list[dict]]:
        """(sentences × frames) model probabilities and the dictionary's hits of sentences given as word tokens."""
        hits, features = hits_and_features(self.frames, tokens)
        return self._probabilities({id(m.space): m.space.vectors(features) for m in self.models}, hits), hits

    def _model_evidence(self, vectors: csr_matrix, shown: list[dict]) -> list[str]:
        """'frame 0.87 ~ frame#2, frame#5 | ...' per sentence: each coded frame's probability and its nearest
        examples (cosine > 0; `vectors`: the sentences in the shipped space), or '' when no frame is coded."""
        if not any(shown):
            return [""] * len(shown)
        similarity = (vectors @ self.example_vectors.T).toarray()
        return [" | ".join(f"{f} {p:.2f}" + self._nearest(row, f) for f, p in found.items() if not math.isnan(p))
                for row, found in zip(similarity, shown)]

    def _nearest(self, similarity: np.ndarray, frame: str) -> str:
        """' ~ frame#n, ...': the `NEAREST` examples of `frame` most similar to the sentence ('' if none share a
        term with it)."""
        mine = [(similarity[i], name) for i, (f, name) in enumerate(self.examples) if f == frame]
        best = [name for s, name in sorted(mine, key=lambda x: -x[0])[:NEAREST] if s > 0]
        return f" ~ {', '.join(best)}" if best else ""


# --- building the coder -----------------------------------------------------------------------------------------

def read_model(path: Path = MODEL_FILE) -> tuple[FrameModels, str, dict[str, float]]:
    """The shipped models, combination rule and each frame's probability threshold from `path` (written by
    `benchmarks/train_frame_model.py`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    terms = data["vocabulary"]
    space = Space({t: i for i, t in enumerate(terms)}, np.array(data["idf"]))
    models = FrameModels(tuple(data["frames"]), space, np.array(data["coef"]).reshape(len(terms), -1),
                         tuple(data["hit_frames"]), np.array(data["hit_coef"]).reshape(len(data["hit_frames"]), -1),
                         np.array(data["intercept"]))
    return models, data["rule"], {f: float(t) for f, t in zip(data["frames"], data["thresholds"])}


def restrict(models: FrameModels, keep: list[str], hit_frames: list[str]) -> FrameModels:
    """`models` reduced to the frames in `keep`, their dictionary-hit features to the frames in `hit_frames`
    (a frame removed from the dictionary no longer fires)."""
    columns = [models.frames.index(f) for f in keep]
    rows = [i for i, f in enumerate(models.hit_frames) if f in hit_frames]
    return FrameModels(tuple(keep), models.space, models.coef[:, columns], tuple(models.hit_frames[i] for i in rows),
                       models.hit_coef[np.ix_(rows, columns)], models.intercept[columns])


def example_rows(frames: list[Frame]) -> tuple[list[tuple[str, str]], list[str]]:
    """((frame id, 'frame#n'), sentence) of every example sentence of the dictionary, in file order."""
    pairs = [((f.id, f"{f.id}#{n}"), text) for f in frames for n, text in enumerate(f.examples, start=1)]
    return [p for p, _ in pairs], [t for _, t in pairs]


def fit_space(features: list[list[str]], *, min_df: int = 1) -> Space:
    """A TF-IDF `Space` over `features` (`sentence_features` of each sentence): terms in at least `min_df`
    sentences, sorted; idf = ln((1 + n) / (1 + df)) + 1 (scikit-learn's smoothed idf)."""
    df = Counter(t for terms in features for t in set(terms))
    terms = sorted(t for t, n in df.items() if n >= min_df)
    idf = np.array([math.log((1 + len(features)) / (1 + df[t])) + 1 for t in terms])
    return Space({t: i for i, t in enumerate(terms)}, idf)


def fit_models(space: Space, vectors: csr_matrix, hits: np.ndarray, hit_frames: list[str], labels: np.ndarray,
               frames: list[str], *, c: float) -> FrameModels:
    """Logistic regressions (L2, inverse regularisation `c`, balanced class weights, lbfgs: deterministic) of each
    frame's 0/1 `labels` column on the TF-IDF `vectors` and the dictionary `hits` (sentences × `hit_frames`)."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    x = hstack([vectors, csr_matrix(hits)]).tocsr()
    fitted = [LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, labels[:, j])
              for j in range(len(frames))]
    coef = np.column_stack([m.coef_[0] for m in fitted])
    width = vectors.shape[1]
    return FrameModels(tuple(frames), space, coef[:width], tuple(hit_frames), coef[width:],
                       np.array([m.intercept_[0] for m in fitted]))


def example_models(frames: list[Frame], missing: list[str]) -> FrameModels:
    """Models of the frames in `missing`, fitted on the dictionary's example sentences (a frame's own examples
    positive, every other frame's negative) in a space of the examples' own terms."""
    (pairs, texts), ids = example_rows(frames), [f.id for f in frames]
    found, features = hits_and_features(frames, [word_tokens(t) for t in texts])
    space = fit_space(features)
    hits = np.array([[f in h for f in ids] for h in found], dtype=float)
    labels = np.array([[f == frame for f in missing] for frame, _ in pairs], dtype=int)
    return fit_models(space, space.vectors(features), hits, ids, labels, missing, c=EXAMPLE_C)


def study_coder(frames: list[Frame] | None = None, *, model: Path = MODEL_FILE) -> StudyCoder:
    """The study's coder for the dictionary `frames` (default: `data/frames.yaml`): shipped weights from `model`
    for the frames they cover, a model fitted on the examples for the others that have examples (when some other
    frame has examples too, as negatives). A frame with neither weights nor examples is coded by the dictionary
    alone. Raises InputError (one line) for a bad dictionary."""
    return _study_coder(tuple(load_frames() if frames is None else frames), model)


@cache
def _study_coder(frames: tuple[Frame, ...], model: Path) -> StudyCoder:
    """`study_coder`, built once per dictionary."""
    shipped, rule, shipped_thresholds = read_model(model)
    ids = [f.id for f in frames]
    known = [f for f in ids if f in shipped.frames]
    models = [restrict(shipped, known, ids)] if known else []
    missing = [f.id for f in frames if f.id not in shipped.frames and f.examples]
    if missing and sum(bool(f.examples) for f in frames) > len(missing):
        models.append(example_models(list(frames), missing))
    pairs, texts = example_rows(list(frames))
    vectors = shipped.space.vectors([sentence_features(word_tokens(t)) for t in texts])
    thresholds = tuple(shipped_thresholds.get(f, EXAMPLE_THRESHOLD) for f in ids)
    return StudyCoder(frames, tuple(models), rule, thresholds, tuple(pairs), vectors, shipped.space)


@dataclass(frozen=True)
class DictionaryCoder:
    """The dictionary alone (`frames.frame_coder`), with `StudyCoder.code`'s interface: `frame_model` empty."""

    frames: tuple[Frame, ...]

    def code(self, tokens: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
        """`frames`, `frame_evidence` and `frame_model` ('') strings of sentences given as word tokens."""
        found, evidence = evidence_columns([frame_coder(list(self.frames))(t) for t in tokens])
        return found, evidence, [""] * len(tokens)


def frame_coding(frames: list[Frame] | None = None, coder: str = "study") -> StudyCoder | DictionaryCoder:
    """The coder of `code_sentences` for the dictionary `frames` (default: `data/frames.yaml`): 'study' (the
    combined coding, `study_coder`) or 'dictionary' (the dictionary alone); InputError for another name."""
    if coder not in CODERS:
        raise InputError(f"frame coder '{coder}': choose one of {', '.join(CODERS)}")
    frames = load_frames() if frames is None else frames
    return study_coder(frames) if coder == "study" else DictionaryCoder(tuple(frames))


@dataclass(frozen=True)
class Precoded:
    """A coder (`frame_coding`) with many sentences coded ahead in one call, which is faster than many calls (one
    feature pass and one sparse product for all): `code` serves sentences from that batch (the same strings: a
    sentence's coding depends on its own tokens alone) and codes any others now."""

    coder: StudyCoder | DictionaryCoder
    coded: dict[tuple[str, ...], tuple[str, str, str]]

    def code(self, tokens: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
        """`frames`, `frame_evidence` and `frame_model` strings of sentences given as word tokens."""
        keys = [tuple(t) for t in tokens]
        if not all(key in self.coded for key in keys):
            return self.coder.code(tokens)
        found = [self.coded[key] for key in keys]
        return [f for f, _, _ in found], [e for _, e, _ in found], [m for _, _, m in found]


Coder = StudyCoder | DictionaryCoder | Precoded  # what codes sentences: `code(tokens)` → frames, evidence, model


def precoded(coder: StudyCoder | DictionaryCoder, tokens: list[list[str]]) -> Precoded:
    """`coder` with the sentences `tokens` (word tokens of each) coded in one call (each distinct one once)."""
    keys = list(dict.fromkeys(tuple(t) for t in tokens))
    coded = coder.code([list(key) for key in keys]) if keys else ([], [], [])
    return Precoded(coder, dict(zip(keys, zip(*coded))))


def code_sentences(sentences: pd.DataFrame, frames: list[Frame] | None = None, *,
                   coder: str = "study") -> pd.DataFrame:
    """Frame coding of each sentence (needs a `tokens` column), same index as `sentences`: `frames` (ids joined by
    ';' in dictionary order, '' for none), `frame_evidence` (the dictionary's words: 'frame: match, match | ...')
    and `frame_model` (each coded frame's model probability and nearest examples: 'frame 0.87 ~ frame#2, frame#5
    | ...'). `coder`: 'study' (the combined coding) or 'dictionary' (the dictionary alone; `frame_model` empty)."""
    found, evidence, model = code_tokens(list(sentences["tokens"]), frames, coder=coder)
    return pd.DataFrame({"frames": found, "frame_evidence": evidence, "frame_model": model},
                        index=sentences.index, dtype=str)


def code_tokens(tokens: list[list[str]], frames: list[Frame] | None = None, *,
                coder: str = "study") -> tuple[list[str], list[str], list[str]]:
    """The `frames`, `frame_evidence` and `frame_model` strings of sentences given as word tokens (see
    `code_sentences`)."""
    return frame_coding(frames, coder).code(tokens)


def parse_model_evidence(value: str) -> dict[str, tuple[float, list[str]]]:
    """{frame id: (probability, nearest example names)} of one `frame_model` string."""
    found = {}
    for part in filter(None, value.split(" | ")):
        head, _, nearest = part.partition(" ~ ")
        frame, probability = head.split(" ")
        found[frame] = (float(probability), nearest.split(", ") if nearest else [])
    return found


def examples_table(frames: list[Frame] | None = None) -> pd.DataFrame:
    """The dictionary's example sentences: example ('frame#n'), frame, text."""
    pairs, texts = example_rows(load_frames() if frames is None else frames)
    return pd.DataFrame({"example": [n for _, n in pairs], "frame": [f for f, _ in pairs], "text": texts})


def coder_disagreements(sentences: pd.DataFrame, frames: list[Frame] | None = None) -> pd.DataFrame:
    """Sentences (needs article_id, sentence_index, text, tokens) on which the package's two coders differ: the
    dictionary's frames and its words, the model's frames alone (probability at or above the frame's threshold),
    and the model's probability of each frame in dispute ('frame 0.72 | ...')."""
    coder = study_coder(frames)
    probability, hits = coder.probabilities(list(sentences["tokens"]))
    ids = coder.ids()
    dictionary = [[f for f in ids if f in h] for h in hits]
    learned = [[f for j, f in enumerate(ids) if p[j] >= coder.thresholds[j]] for p in probability]
    disputed = [" | ".join(f"{f} {p[j]:.2f}" for j, f in enumerate(ids) if (f in d) != (f in m))
                for p, d, m in zip(probability, dictionary, learned)]
    table = sentences[["article_id", "sentence_index", "text"]].assign(
        dictionary=[";".join(d) for d in dictionary], frame_evidence=evidence_columns(hits)[1],
        model=[";".join(m) for m in learned], disputed=disputed)
    return table[table["disputed"] != ""].reset_index(drop=True)


VALIDATION_FILE = config.ROOT / "benchmarks" / "results" / "frame_coding_cv.csv"
HOLDOUT_FILE = config.ROOT / "benchmarks" / "results" / "frame_coding_holdout.csv"  # coding_agreement.py's


def validation_table(path: Path = VALIDATION_FILE) -> pd.DataFrame:
    """The development figures written by `benchmarks/train_frame_model.py` (cross-validated by article; or another
    file of the same columns, such as `coding_agreement.py`'s hold-out figures), one row per frame (and 'all
    (micro)'): F1 and Cohen's kappa of the dictionary, the learned model and the combination against the blind
    coding, with the two blind coders' kappa; empty if the file is absent."""
    if not path.exists():
        return pd.DataFrame()
    table = pd.read_csv(path)
    order = list(dict.fromkeys(table["frame"]))
    wide = table.pivot(index="frame", columns="coder", values=["f1", "kappa"]).reindex(order)
    wide.columns = [f"{metric} {coder}" for metric, coder in wide.columns]
    wide = wide[[f"{m} {c}" for m in ("f1", "kappa") for c in ("dictionary", "learned", "combined")]]
    ceiling = table.drop_duplicates("frame").set_index("frame")["coders_kappa"].reindex(order)
    return wide.assign(**{"kappa between coders": ceiling})
