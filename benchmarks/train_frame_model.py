"""Train the learned frame coder (`analysis/coders.py`) on the dev split of the blind frame coding and write its
weights to `analysis/data/frame_model.json`.

Training rows: the dev split of `benchmarks/data/frame_coding.csv` (texts rebuilt from `../shared/data` by
`coded_texts.match_coding`; the test split is never read) and the example sentences of `analysis/data/frames.yaml`
(each a positive for its own frame only). Choice by cross-validation on dev, folds by article (`FOLDS`; every
fold's model also sees the examples): the inverse regularisation C (`GRID_C`), the combination with the dictionary
(`RULES`: 'dictionary', 'model', 'union') and the probability threshold (`THRESHOLDS`), maximising micro-F1 over
the frames (ties: mean Cohen's kappa). Prints the cross-validated figures of every setting and writes the model
fitted on all training rows with the chosen one. Deterministic: the same inputs give the same file (lbfgs,
weights rounded to 6 decimals). Skips with a message when `../shared` is absent.

Usage: .venv/bin/python benchmarks/train_frame_model.py [--check]   (--check: fit and print, write nothing)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coded_texts import match_coding, shared_available  # noqa: E402

from analysis.coders import MODEL_FILE, example_rows, fit_models, fit_space, sentence_features  # noqa: E402
from analysis.frames import frame_coder, load_frames  # noqa: E402
from analysis.text import word_tokens  # noqa: E402

CODING = Path(__file__).resolve().parent / "data" / "frame_coding.csv"
FOLDS = 6
GRID_C = (1.0, 4.0, 16.0)
RULES = ("dictionary", "model", "union")
THRESHOLDS = (0.4, 0.5, 0.6, 0.7)
MIN_DF = 2        # a term must occur in at least this many training sentences


def dev_rows() -> pd.DataFrame:
    """The dev split's coded sentences with their text (file, sentence_index, frames, text)."""
    coding = pd.read_csv(CODING, keep_default_na=False)
    return match_coding(coding[coding["split"] == "dev"]).reset_index(drop=True)


def indicator(values, ids: list[str]) -> np.ndarray:
    """(rows × frames) 0/1 array of ';'-joined frame strings."""
    return np.array([[f in str(v).split(";") for f in ids] for v in values], dtype=int)


def training_set(frames) -> tuple[list[list[str]], np.ndarray, np.ndarray, np.ndarray, int]:
    """Features, labels, dictionary hits and article groups of the dev rows followed by the examples; and the
    number of dev rows."""
    ids = [f.id for f in frames]
    dev = dev_rows()
    pairs, texts = example_rows(frames)
    tokens = [word_tokens(t) for t in list(dev["text"]) + texts]
    coder = frame_coder(frames)
    hits = np.array([[f in coder(t) for f in ids] for t in tokens], dtype=float)
    labels = np.vstack([indicator(dev["frames"], ids), indicator([f for f, _ in pairs], ids)])
    groups = np.array(list(dev["file"]) + ["examples"] * len(texts))
    return [sentence_features(t) for t in tokens], labels, hits, groups, len(dev)


def fit(features, labels, hits, rows, ids, c):
    """Models fitted on the training `rows`."""
    chosen = [features[i] for i in rows]
    space = fit_space(chosen, min_df=MIN_DF)
    return fit_models(space, space.vectors(chosen), hits[rows], ids, labels[rows], ids, c=c)


def cross_validated(features, labels, hits, groups, n_dev, ids, c) -> np.ndarray:
    """Out-of-fold probabilities of the dev rows (folds by article; the examples in every training fold)."""
    probability = np.zeros((n_dev, len(ids)))
    dev = np.arange(n_dev)
    for train, test in GroupKFold(n_splits=FOLDS).split(dev, groups=groups[:n_dev]):
        models = fit(features, labels, hits, np.concatenate([train, np.arange(n_dev, len(features))]), ids, c)
        chosen = [features[i] for i in test]
        probability[test] = models.probabilities(models.space.vectors(chosen),
                                                 [{f: 1 for f, h in zip(ids, row) if h} for row in hits[test]])
    return probability


def combine(rule: str, probability: np.ndarray, hits: np.ndarray, threshold: float) -> np.ndarray:
    """0/1 coding of a combination rule (see `analysis.coders.StudyCoder`)."""
    learned = probability >= threshold
    return {"dictionary": hits > 0, "model": learned, "union": learned | (hits > 0)}[rule].astype(int)


def scores(truth: np.ndarray, coded: np.ndarray) -> tuple[float, list[float]]:
    """Micro-F1 over all frames and Cohen's kappa per frame."""
    return (f1_score(truth, coded, average="micro", zero_division=0),
            [cohen_kappa_score(truth[:, j], coded[:, j]) for j in range(truth.shape[1])])


def choose(features, labels, hits, groups, n_dev, ids) -> tuple[dict, pd.DataFrame]:
    """The best setting by cross-validated micro-F1 on dev (ties: mean kappa), and the table of all settings."""
    rows = []
    for c in GRID_C:
        probability = cross_validated(features, labels, hits, groups, n_dev, ids, c)
        for rule in RULES:
            for threshold in (THRESHOLDS if rule != "dictionary" else THRESHOLDS[:1]):
                f1, kappas = scores(labels[:n_dev], combine(rule, probability, hits[:n_dev], threshold))
                rows.append(dict(C=c, rule=rule, threshold=threshold if rule != "dictionary" else np.nan,
                                 micro_f1=f1, mean_kappa=np.mean(kappas), **dict(zip(ids, kappas))))
    table = pd.DataFrame(rows).drop_duplicates(subset=["rule", "micro_f1", "mean_kappa"])
    best = table.sort_values(["micro_f1", "mean_kappa"], ascending=False).iloc[0]
    return dict(C=float(best["C"]), rule=best["rule"], threshold=float(best["threshold"])
                if best["rule"] != "dictionary" else 0.5), table


def model_json(models, rule: str, threshold: float, c: float, n_dev: int, n_examples: int) -> dict:
    """The model file's content: rule, threshold, vocabulary, idf and coefficients, rounded to 6 decimals."""
    def r(a):
        return [round(float(x), 6) for x in np.asarray(a).ravel()]
    terms = sorted(models.space.vocabulary, key=models.space.vocabulary.get)
    return dict(about=f"Learned frame coder (analysis/coders.py), written by benchmarks/train_frame_model.py: "
                      f"logistic regression per frame, C={c}, trained on {n_dev} dev sentences of "
                      f"benchmarks/data/frame_coding.csv and {n_examples} example sentences of frames.yaml. "
                      f"Weights only, no text.",
                rule=rule, threshold=threshold, frames=list(models.frames), hit_frames=list(models.hit_frames),
                vocabulary=terms, idf=r(models.space.idf), coef=r(models.coef), hit_coef=r(models.hit_coef),
                intercept=r(models.intercept))


def main() -> None:
    if not shared_available():
        print("skipped: ../shared/data is absent (the coded texts are read from there)")
        return
    frames = load_frames()
    ids = [f.id for f in frames]
    features, labels, hits, groups, n_dev = training_set(frames)
    best, table = choose(features, labels, hits, groups, n_dev, ids)
    print(f"dev: {n_dev} sentences of {len(set(groups[:n_dev]))} articles, {len(features) - n_dev} examples; "
          f"{FOLDS}-fold cross-validation by article")
    with pd.option_context("display.width", 200):
        print(table.sort_values(["micro_f1", "mean_kappa"], ascending=False)
              .to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"chosen: {best}")
    models = fit(features, labels, hits, np.arange(len(features)), ids, best["C"])
    content = model_json(models, best["rule"], best["threshold"], best["C"], n_dev, len(features) - n_dev)
    if "--check" in sys.argv:
        return
    MODEL_FILE.write_text(json.dumps(content, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size / 1e3:.0f} kB, {len(content['vocabulary'])} terms)")


if __name__ == "__main__":
    main()
