"""Validation of the frame coding: the package's coders against blind human-style coding.

1. Hold-out (headline). A blind-coded set of articles the dictionary and the model were neither tuned nor trained
   on, in the format of `benchmarks/data/frame_coding.csv` (default the round-6 hold-out
   `benchmarks/data/frame_coding_holdout6.csv`, or the path given; texts rebuilt from `../shared/data`): per frame,
   precision, recall, F1 and Cohen's kappa against the blind coding for the dictionary alone, the learned model
   alone (probability at or above the frame's shipped threshold) and the study's combination
   (`analysis.coders.study_coder`), beside the kappa between the two blind coders on the sentences coded twice (the
   hold-out's own `<name>_second.csv` when there is one, else the development set's `frame_coding_second.csv`: the
   ceiling a coder can honestly aim at). Writes `benchmarks/results/frame_coding_holdout.csv` (figures only).
   Skipped with a one-line message when the set (round 6 until its coding is committed) or `../shared` is absent;
   the seeds' part below runs all the same. (`frame_coding.csv` and the round-1 to round-3 hold-outs
   `frame_coding_holdout.csv`, `frame_coding_holdout2.csv`, `frame_coding_holdout3.csv` and round 4,
   `frame_coding_holdout4.csv` (read once on 5 December), are development data now, `TRAINING`: the weights are
   trained on all five (round 5, `frame_coding_holdout5.csv`, is development data too, not trained on: see
   `HOLDOUT`) and the dictionary refined on the first two, and `train_frame_model.py` prints their
   cross-validated figures; given one of them, the figures are printed as in-sample and not written.)
2. Seeds. The study's coding of the 49 seed sentences (`tables/sentences.csv`; run `make study` first) against
   `benchmarks/data/seed_hand_coding.csv`, a second coder given only the articles and the frame definitions;
   speakers too; and every sentence where the codings differ.

Asserts nothing. Usage: .venv/bin/python benchmarks/coding_agreement.py [--holdout-only] [HOLDOUT.csv]
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coded_texts import match_coding, shared_available  # noqa: E402

from analysis.coders import study_coder  # noqa: E402
from analysis.frames import coding_agreement, load_frames  # noqa: E402
from analysis.tables import read_table  # noqa: E402
from analysis.text import word_tokens  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
HAND = DATA / "seed_hand_coding.csv"
CODING, SECOND = DATA / "frame_coding.csv", DATA / "frame_coding_second.csv"
ROUND1 = DATA / "frame_coding_holdout.csv"    # round 1, reported on 4 December 2026: development data since
ROUND2 = DATA / "frame_coding_holdout2.csv"   # round 2, reported on 5 December 2026: development data since
ROUND3 = DATA / "frame_coding_holdout3.csv"   # round 3, reported on 5 December 2026: development data since
ROUND4 = DATA / "frame_coding_holdout4.csv"   # round 4, reported on 5 December 2026: development data since
HOLDOUT = DATA / "frame_coding_holdout6.csv"  # round 6: drawn with seed 20261210 on 5 December 2026, read once
# Round 5 (frame_coding_holdout5.csv, reported on 5 December) is development data but not in TRAINING: retrained
# with it, the cross-validated micro-F1 on the same 2,599 rows went 0.694 -> 0.689 and one seed frame's kappa fell
# below the seed test's floor, so the shipped weights stay those trained on the five sets below.
TRAINING = (CODING, ROUND1, ROUND2, ROUND3, ROUND4)   # the sets the shipped weights are trained on
TRAINING_SECOND = tuple(path.with_name(f"{path.stem}_second.csv") for path in TRAINING)  # their second codings
RESULTS = Path(__file__).resolve().parent / "results" / "frame_coding_holdout.csv"
CODERS = {"dictionary": "dictionary", "model": "learned", "union": "combined"}  # rule -> name in the table


def indicators(values, ids: list[str]) -> np.ndarray:
    """(sentences × frames) booleans of ';'-joined frame strings."""
    return np.array([[f in str(v).split(";") for f in ids] for v in values], dtype=bool).reshape(-1, len(ids))


def scores(truth: np.ndarray, coded: np.ndarray) -> dict:
    """Precision, recall, F1 and Cohen's kappa of 0/1 `coded` against `truth` (1-D arrays)."""
    tp, fp, fn = (truth & coded).sum(), (~truth & coded).sum(), (truth & ~coded).sum()
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    observed = np.mean(truth == coded)
    chance = truth.mean() * coded.mean() + (1 - truth.mean()) * (1 - coded.mean())
    kappa = (observed - chance) / (1 - chance) if chance < 1 else np.nan
    return dict(precision=precision, recall=recall, f1=f1, kappa=kappa)


def second_coding(path: Path) -> Path:
    """The second, independent coding of the coded set at `path`: `<name>_second.csv` beside it if there is one
    (the hold-out's own), else the development set's (`SECOND`)."""
    own = path.with_name(f"{path.stem}_second.csv")
    return own if own.exists() else SECOND


def coders_kappa(ids: list[str], first: Path | tuple[Path, ...] = CODING,
                 second: Path | tuple[Path, ...] = SECOND) -> dict[str, float]:
    """Per frame, Cohen's kappa between the first (`first`) and the second blind coder (`second`) on the
    sentences coded twice (several coded sets: the files of each, pooled)."""
    first, second = (pd.concat([pd.read_csv(p, keep_default_na=False) for p in np.atleast_1d(paths)])
                     for paths in (first, second))
    both = first.merge(second, on=["file", "sentence_index", "sha1"], suffixes=("", "_second"), validate="1:1")
    a, b = indicators(both["frames"], ids), indicators(both["frames_second"], ids)
    return {f: scores(a[:, j], b[:, j])["kappa"] for j, f in enumerate(ids)}


def holdout_table(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per coder and frame (and 'all (micro)') on the coded set at `path`: n, coded positives, precision, recall,
    F1, kappa, coders' kappa."""
    frames = load_frames()
    ids = [f.id for f in frames]
    test = match_coding(pd.read_csv(path, keep_default_na=False))
    truth = indicators(test["frames"], ids)
    tokens = [word_tokens(t) for t in test["text"]]
    second = second_coding(path)
    ceiling = coders_kappa(ids, path if second != SECOND else CODING, second)
    rows = []
    for rule, name in CODERS.items():
        coded = indicators(replace(study_coder(frames), rule=rule).code(tokens)[0], ids)
        for j, frame in enumerate(ids):
            rows.append(dict(coder=name, frame=frame, positives=int(truth[:, j].sum()), coded=int(coded[:, j].sum()),
                             **scores(truth[:, j], coded[:, j]), coders_kappa=ceiling[frame]))
        micro = scores(truth.ravel(), coded.ravel())
        rows.append(dict(coder=name, frame="all (micro)", positives=int(truth.sum()), coded=int(coded.sum()),
                         **micro | dict(kappa=np.nan), coders_kappa=np.nan))
    return pd.DataFrame(rows), test


def report_holdout(path: Path) -> None:
    """Print the hold-out table and write it to `RESULTS` (only printed, as in-sample, for a set of `TRAINING`)."""
    if not shared_available() or not path.exists():
        print(f"hold-out: skipped, {path if not path.exists() else '../shared/data'} is absent")
        return
    table, test = holdout_table(path)
    second = second_coding(path)
    twice = len(pd.read_csv(second, keep_default_na=False))
    trained = path.resolve() in {p.resolve() for p in TRAINING}
    print(f"hold-out {path.name}: {len(test)} sentences of {test['file'].nunique()} articles "
          f"{'USED for training and tuning: in-sample figures' if trained else 'never used for tuning or training'}; "
          f"coders' kappa from {twice} sentences coded twice ({second.name})")
    wide = table.pivot(index="frame", columns="coder", values=["precision", "recall", "f1", "kappa"])
    order = [f.id for f in load_frames()] + ["all (micro)"]
    wide = wide.reindex(order)
    wide.columns = [f"{metric} {coder}" for metric, coder in wide.columns]
    wide["coders kappa"] = table.drop_duplicates("frame").set_index("frame")["coders_kappa"].reindex(order)
    with pd.option_context("display.width", 250):
        print(wide.to_string(float_format=lambda x: f"{x:.2f}"))
    if trained:
        print(f"not written: {RESULTS.name} keeps the figures of a set the coding was never trained or tuned on")
        return
    RESULTS.parent.mkdir(exist_ok=True)
    table.to_csv(RESULTS, index=False, lineterminator="\n", float_format="%.4f")
    print(f"wrote {RESULTS.relative_to(RESULTS.parents[2])}")


def report_seeds() -> None:
    """Print the seeds' agreement with their second coding, as before."""
    coded = read_table("sentences")
    hand = pd.read_csv(HAND, keep_default_na=False)
    both = coded.merge(hand, on=["article_id", "sentence_index"], suffixes=("", "_hand"), validate="1:1")
    agreement = coding_agreement(both["frames"], both["frames_hand"], load_frames())
    print(f"\nseeds: {len(both)} sentences, second coding: {HAND.relative_to(HAND.parents[2])}")
    print(agreement.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    same = (both["frames"] == both["frames_hand"]).sum()
    speakers = (both["speaker"] == both["speaker_hand"]).sum()
    print(f"sentences with the same set of frames: {same} of {len(both)}")
    print(f"sentences with the same speaker ('' for narration): {speakers} of {len(both)}")
    print("\nwhere the codings differ (study | second coder: note):")
    differ = both[(both["frames"] != both["frames_hand"]) | (both["speaker"] != both["speaker_hand"])]
    for row in differ.itertuples():
        print(f"{row.article_id} {row.sentence_index:>2}: [{row.frames}] ({row.speaker}) | "
              f"[{row.frames_hand}] ({row.speaker_hand}): {row.note}")


def main() -> None:
    paths = [Path(a) for a in sys.argv[1:] if not a.startswith("--")]
    report_holdout(paths[0] if paths else HOLDOUT)
    if "--holdout-only" not in sys.argv:
        report_seeds()


if __name__ == "__main__":
    main()
