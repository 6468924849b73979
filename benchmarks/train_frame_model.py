"""Train the learned frame coder (`analysis/coders.py`) on the whole blind frame coding and write its weights to
`analysis/data/frame_model.json`; print the cross-validated (development) figures that chose it.

Training rows: every sentence of the coded pool (`coding_agreement.TRAINING`: `benchmarks/data/frame_coding.csv`
and the round-1 to round-4 hold-outs `frame_coding_holdout.csv` to `frame_coding_holdout4.csv`, each reported once
and development data since; texts rebuilt from `../shared/data` by `coded_texts.match_coding`), and the example
sentences of `analysis/data/frames.yaml` (each a positive for its own frame only). No later hold-out
(`coding_agreement.HOLDOUT`, round 5) is read here.

Cross-validation, folds by article (`FOLDS`; GroupKFold, deterministic; every training fold also sees the
examples): for each inverse regularisation C (`GRID_C`), the out-of-fold probabilities of every sentence, with
each frame's probability threshold chosen inside the training folds only (`INNER_FOLDS` inner folds by article,
the threshold of `THRESHOLDS` with the best F1 of that frame under the rule). So the figures estimate the coding of
articles neither the weights nor the thresholds saw. (The dictionary, hand-written on the first two sets, is not
cross-validated: its figures are in-sample there; it was never edited on the errors of rounds 2 and 3, so the
figures printed per coded set give, on their articles, the dictionary's and the coding's figures on articles whose
errors were never read.) The setting (C and rule: 'union' with the dictionary, or 'model' alone, which sees the
dictionary's hits as features) with the best micro-F1 is written, the model alone only when it beats the best
union by more than `MARGIN` (about the noise of a micro-F1 difference over ~100 articles): alone, the model may
overrule a dictionary word, and it overrules the terms of a frame a user adds, whose model is fitted on a handful
of examples. Weights are fitted on all rows, thresholds chosen on the out-of-fold probabilities of all rows. Prints per frame precision, recall, F1 and
Cohen's kappa of the dictionary, the model alone and the combination, and writes them with the two blind coders'
kappa (on the sentences of both sets coded twice) to `benchmarks/results/frame_coding_cv.csv` (which notebook 03
shows). Deterministic (lbfgs, weights rounded to 6 decimals). Skips with a message when `../shared` is absent.
Runs with numpy's and scipy's BLAS and OpenMP pools at one thread (threadpoolctl): the fits are small, and on a
loaded machine their pools' threads spin: one fit on the whole pool took 13–16 s of CPU at the default two
threads against 0.3 s at one (5 December 2026, load 5–7, alternated in one process).

Usage: .venv/bin/python benchmarks/train_frame_model.py [--check]   (--check: fit and print, write nothing)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coded_texts import match_coding, shared_available  # noqa: E402
from coding_agreement import CODERS, TRAINING, TRAINING_SECOND, coders_kappa  # noqa: E402

from analysis.coders import MODEL_FILE, example_rows, fit_models, fit_space, sentence_features  # noqa: E402
from analysis.frames import frame_coder, load_frames  # noqa: E402
from analysis.text import word_tokens  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "frame_coding_cv.csv"
FOLDS, INNER_FOLDS = 5, 4
GRID_C = (4.0, 16.0)
RULES = ("model", "union")
MARGIN = 0.01     # micro-F1 by which the model alone must beat the union to be chosen
THRESHOLDS = tuple(np.round(np.arange(0.2, 0.91, 0.05), 2))
MIN_DF = 2        # a term must occur in at least this many training sentences


def coded_rows() -> pd.DataFrame:
    """Every coded sentence of the pool with its text and coded set (file, sentence_index, frames, text, coded_set:
    the set's file name)."""
    coding = pd.concat([pd.read_csv(path, keep_default_na=False).assign(coded_set=path.name) for path in TRAINING],
                       ignore_index=True)
    return match_coding(coding[["file", "sentence_index", "sha1", "frames", "coded_set"]]).reset_index(drop=True)


def indicator(values, ids: list[str]) -> np.ndarray:
    """(rows × frames) 0/1 array of ';'-joined frame strings."""
    return np.array([[f in str(v).split(";") for f in ids] for v in values], dtype=int)


def training_set(frames) -> tuple[list[list[str]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, dictionary hits and article groups of the coded rows followed by the examples; and the
    coded set of each coded row (its file name; as many as there are coded rows)."""
    ids = [f.id for f in frames]
    coded = coded_rows()
    pairs, texts = example_rows(frames)
    tokens = [word_tokens(t) for t in list(coded["text"]) + texts]
    coder = frame_coder(frames)
    hits = np.array([[f in coder(t) for f in ids] for t in tokens], dtype=int)
    labels = np.vstack([indicator(coded["frames"], ids), indicator([f for f, _ in pairs], ids)])
    groups = np.array(list(coded["file"]) + ["examples"] * len(texts))
    return [sentence_features(t) for t in tokens], labels, hits, groups, coded["coded_set"].to_numpy()


def fit(features, labels, hits, rows, ids, c):
    """Models fitted on the training `rows`."""
    chosen = [features[i] for i in rows]
    space = fit_space(chosen, min_df=MIN_DF)
    return fit_models(space, space.vectors(chosen), hits[rows].astype(float), ids, labels[rows], ids, c=c)


def out_of_fold(features, labels, hits, groups, rows, ids, c, folds) -> np.ndarray:
    """Probabilities of the coded `rows`, each from models fitted without its article (`folds` folds by article;
    the examples, rows from `len(labels) - n_examples` on, in every training fold)."""
    examples = np.flatnonzero(groups == "examples")
    probability = np.zeros((len(rows), len(ids)))
    for train, test in GroupKFold(n_splits=folds).split(rows, groups=groups[rows]):
        models = fit(features, labels, hits, np.concatenate([rows[train], examples]), ids, c)
        chosen = [features[i] for i in rows[test]]
        probability[test] = models.probabilities(models.space.vectors(chosen),
                                                 [{f: 1 for f, h in zip(ids, row) if h} for row in hits[rows[test]]])
    return probability


def combine(rule: str, probability: np.ndarray, hits: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """0/1 coding of a combination rule (see `analysis.coders.StudyCoder`), thresholds per frame (columns)."""
    learned = probability >= thresholds
    return {"dictionary": hits > 0, "model": learned, "union": learned | (hits > 0)}[rule].astype(int)


def f1(truth: np.ndarray, coded: np.ndarray) -> float:
    """F1 of 0/1 arrays (0 when nothing is coded or true)."""
    tp = int((truth & coded).sum())
    return 2 * tp / (truth.sum() + coded.sum()) if truth.sum() + coded.sum() else 0.0


def best_thresholds(rule: str, probability: np.ndarray, hits: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per frame, the threshold of `THRESHOLDS` with the best F1 of that frame under `rule` (ties: the lowest)."""
    return np.array([max(THRESHOLDS, key=lambda t: (f1(truth[:, j], combine(rule, probability[:, [j]], hits[:, [j]],
                                                                             np.array([t]))[:, 0]), -t))
                     for j in range(truth.shape[1])])


def scores(truth: np.ndarray, coded: np.ndarray) -> dict:
    """Precision, recall, F1 and Cohen's kappa of 0/1 `coded` against `truth` (1-D arrays)."""
    truth, coded = truth.astype(bool), coded.astype(bool)
    tp, fp, fn = (truth & coded).sum(), (~truth & coded).sum(), (truth & ~coded).sum()
    observed = np.mean(truth == coded)
    chance = truth.mean() * coded.mean() + (1 - truth.mean()) * (1 - coded.mean())
    return dict(precision=tp / (tp + fp) if tp + fp else np.nan, recall=tp / (tp + fn) if tp + fn else np.nan,
                f1=2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan,
                kappa=(observed - chance) / (1 - chance) if chance < 1 else np.nan)


def cross_validated(features, labels, hits, groups, n_coded, ids, c) -> dict[str, np.ndarray]:
    """Out-of-fold coding of every coded row for each rule, thresholds chosen inside the training folds (nested),
    with the dictionary's coding under 'dictionary'."""
    rows = np.arange(n_coded)
    coded = {"dictionary": hits[rows]} | {rule: np.zeros((n_coded, len(ids)), dtype=int) for rule in RULES}
    for train, test in GroupKFold(n_splits=FOLDS).split(rows, groups=groups[rows]):
        outer = out_of_fold(features, labels, hits, groups, np.concatenate([train, test]), ids, c, FOLDS)
        probability = outer[len(train):]   # test rows' probabilities from models that never saw their articles
        inner = out_of_fold(features, labels, hits, groups, train, ids, c, INNER_FOLDS)
        for rule in RULES:
            thresholds = best_thresholds(rule, inner, hits[train], labels[train])
            coded[rule][test] = combine(rule, probability, hits[test], thresholds)
    return coded


def by_coded_set(truth: np.ndarray, coded: dict[str, np.ndarray], sets: np.ndarray) -> pd.DataFrame:
    """Micro precision, recall and F1 of each coder (`CODERS`: dictionary, learned, combined) on the rows of each
    coded set (`sets`: each row's set)."""
    rows = []
    for name in dict.fromkeys(sets):
        mine = sets == name
        for rule, coder in CODERS.items():
            found = scores(truth[mine].ravel(), coded[rule][mine].ravel())
            rows.append(dict(coded_set=name, sentences=int(mine.sum()), coder=coder, precision=found["precision"],
                             recall=found["recall"], f1=found["f1"]))
    return pd.DataFrame(rows)


def figures(truth: np.ndarray, coded: dict[str, np.ndarray], ids: list[str]) -> pd.DataFrame:
    """Per coder ('dictionary', 'learned', 'combined') and frame (and 'all (micro)'): positives, coded, precision,
    recall, F1, kappa."""
    rows = []
    for rule, name in (("dictionary", "dictionary"), ("model", "learned"), ("union", "combined")):
        for j, frame in enumerate(ids):
            rows.append(dict(coder=name, frame=frame, positives=int(truth[:, j].sum()),
                             coded=int(coded[rule][:, j].sum()), **scores(truth[:, j], coded[rule][:, j])))
        rows.append(dict(coder=name, frame="all (micro)", positives=int(truth.sum()), coded=int(coded[rule].sum()),
                         **scores(truth.ravel(), coded[rule].ravel()) | dict(kappa=np.nan)))
    return pd.DataFrame(rows)


def chosen_setting(settings: list[tuple]) -> tuple:
    """The setting (micro-F1, C, rule, ...) written: the best 'union', or the best 'model' if its micro-F1 is more
    than `MARGIN` higher."""
    best = {rule: max((s for s in settings if s[2] == rule), key=lambda s: s[0]) for rule in RULES}
    return best["model"] if best["model"][0] > best["union"][0] + MARGIN else best["union"]


def model_json(models, rule: str, thresholds: np.ndarray, c: float, n_coded: int, n_examples: int) -> dict:
    """The model file's content: rule, thresholds, vocabulary, idf and coefficients, rounded to 6 decimals."""
    def r(a):
        return [round(float(x), 6) for x in np.asarray(a).ravel()]
    terms = sorted(models.space.vocabulary, key=models.space.vocabulary.get)
    return dict(about=f"Learned frame coder (analysis/coders.py), written by benchmarks/train_frame_model.py: "
                      f"logistic regression per frame, C={c}, trained on {n_coded} sentences of "
                      f"{', '.join(path.name for path in TRAINING)} (benchmarks/data/) and {n_examples} example "
                      f"sentences of frames.yaml. "
                      f"Weights only, no text.",
                rule=rule, thresholds=r(thresholds), frames=list(models.frames), hit_frames=list(models.hit_frames),
                vocabulary=terms, idf=r(models.space.idf), coef=r(models.coef), hit_coef=r(models.hit_coef),
                intercept=r(models.intercept))


def main() -> None:
    if not shared_available():
        print("skipped: ../shared/data is absent (the coded texts are read from there)")
        return
    frames = load_frames()
    ids = [f.id for f in frames]
    features, labels, hits, groups, sets = training_set(frames)
    n_coded = len(sets)
    truth = labels[:n_coded].astype(bool)
    print(f"development set: {n_coded} sentences of {len(set(groups[:n_coded]))} articles, "
          f"{len(features) - n_coded} examples; {FOLDS}-fold cross-validation by article, thresholds per frame "
          f"chosen inside the training folds ({INNER_FOLDS} inner folds)")
    settings = []
    for c in GRID_C:
        coded = cross_validated(features, labels, hits, groups, n_coded, ids, c)
        table = figures(truth, coded, ids)
        for rule, name in (("model", "learned"), ("union", "combined")):
            micro = table.query("coder == @name and frame == 'all (micro)'")["f1"].iloc[0]
            settings.append((micro, c, rule, table, coded))
            print(f"C={c:g} {rule}: micro-F1 {micro:.3f}")
    micro, c, rule, table, coded = chosen_setting(settings)
    print(f"chosen: C={c:g}, rule {rule} (cross-validated micro-F1 {micro:.3f})")
    print("micro figures per coded set (the dictionary was edited on the errors of the first two only):")
    print(by_coded_set(truth, coded, sets).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    wide = table.pivot(index="frame", columns="coder", values=["precision", "recall", "f1", "kappa"])
    wide = wide.reindex(ids + ["all (micro)"])
    wide.columns = [f"{metric} {coder}" for metric, coder in wide.columns]
    with pd.option_context("display.width", 250):
        print(wide.to_string(float_format=lambda x: f"{x:.2f}"))
    rows = np.arange(n_coded)
    thresholds = best_thresholds(rule, out_of_fold(features, labels, hits, groups, rows, ids, c, FOLDS),
                                 hits[rows], labels[rows])
    print("thresholds:", dict(zip(ids, thresholds.tolist())))
    models = fit(features, labels, hits, np.arange(len(features)), ids, c)
    content = model_json(models, rule, thresholds, c, n_coded, len(features) - n_coded)
    if "--check" in sys.argv:
        return
    RESULTS.parent.mkdir(exist_ok=True)
    table.assign(coders_kappa=table["frame"].map(coders_kappa(ids, TRAINING, TRAINING_SECOND)), C=c, rule=rule).to_csv(
        RESULTS, index=False, lineterminator="\n", float_format="%.4f")
    MODEL_FILE.write_text(json.dumps(content, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(RESULTS.parents[2])} and {MODEL_FILE} "
          f"({MODEL_FILE.stat().st_size / 1e3:.0f} kB, {len(content['vocabulary'])} terms)")


if __name__ == "__main__":
    with threadpool_limits(limits=1):
        main()
