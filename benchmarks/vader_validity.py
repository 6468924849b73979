"""How well does VADER agree with human ratings? The four ground-truth sets of Hutto & Gilbert (2014).

Scores every snippet of the VADER paper's ground-truth sets (tweets, New York Times editorial snippets, movie
reviews, Amazon product reviews; each snippet's rating is the mean of about 20 human raters, -4 to +4) with
`analysis.sentiment.score_sentences` (the study's own VADER call, on the raw text) and reports, per set:

- Pearson r (and Spearman rho) of VADER's compound score with the mean human rating;
- 3-class precision, recall and F1 (positive >= 0.05, negative <= -0.05, else neutral, for both the compound
  score and the human mean), averaged over the three classes weighted by their number of snippets; the paper
  does not state its averaging, but this one reproduces its Table 4 to within about 0.02. Macro F1 (unweighted
  mean over classes) is reported too, since the weighted one hides a weak neutral class.

The published figures (paper Table 4) are printed beside the measured ones. Data: the archive
`additional_resources/hutto_ICWSM_2014.tar.gz` of github.com/cjhutto/vaderSentiment, extracted to
`../shared/data/vader_groundtruth` beside the repository (see SOURCE.md there); files are tab-separated
(id, mean rating, text), no header, CRLF line ends. When the folder is absent the script says so and exits 0.

Usage: python benchmarks/vader_validity.py [--data FOLDER] [--out CSV]
Writes benchmarks/results/vader_validity.csv by default (one row per set).
"""
from __future__ import annotations

import argparse
import csv
import sys
from importlib.metadata import version
from pathlib import Path

import pandas as pd
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import f1_score, precision_recall_fscore_support

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.config import ROOT  # noqa: E402  (the repository root must be importable first)
from analysis.sentiment import polarity, score_sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "vader_groundtruth"
OUT = ROOT / "benchmarks" / "results" / "vader_validity.csv"
# set name: (file, paper Table 4 Pearson r, precision, recall, F1)
SETS = {
    "tweets": ("tweets_GroundTruth.txt", 0.881, 0.99, 0.94, 0.96),
    "nyt_editorials": ("nytEditorialSnippets_GroundTruth.txt", 0.492, 0.69, 0.49, 0.55),
    "movie_reviews": ("movieReviewSnippets_GroundTruth.txt", 0.451, 0.70, 0.55, 0.61),
    "amazon_reviews": ("amazonReviewSnippets_GroundTruth.txt", 0.565, 0.78, 0.55, 0.63),
}


def read_ground_truth(path: Path) -> pd.DataFrame:
    """Snippets of one ground-truth file: id, rating (mean human rating, -4 to +4), text (raw, UTF-8)."""
    return pd.read_csv(path, sep="\t", header=None, names=["id", "rating", "text"], quoting=csv.QUOTE_NONE,
                       dtype={"id": str, "rating": float, "text": str}, keep_default_na=False, encoding="utf-8")


def agreement(rating: pd.Series, compound: pd.Series) -> dict:
    """Pearson r, Spearman rho, and 3-class precision, recall, F1 (class-size weighted) and macro F1 of the
    compound scores against the human mean ratings, both classed at ±0.05."""
    truth, predicted = polarity(rating), polarity(compound)
    p, r, f1, _ = precision_recall_fscore_support(truth, predicted, average="weighted", zero_division=0)
    return dict(n=len(rating), pearson_r=pearsonr(compound, rating).statistic,
                spearman_rho=spearmanr(compound, rating).statistic, precision=p, recall=r, f1=f1,
                macro_f1=f1_score(truth, predicted, average="macro", zero_division=0))


def evaluate(name: str, data: Path) -> dict:
    """Measured and published agreement of VADER with the human ratings of ground-truth set `name`."""
    file, r, p, rec, f1 = SETS[name]
    snippets = read_ground_truth(data / file)
    measured = agreement(snippets["rating"], score_sentences(snippets["text"])["compound"])
    return dict(set=name, file=file, **measured, published_r=r, published_precision=p, published_recall=rec,
                published_f1=f1, vader_version=version("vaderSentiment"))


def main(argv: list[str] | None = None) -> int:
    """Evaluate every set found in --data, print the table and write it to --out; 0 if the data is absent."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the *_GroundTruth.txt files")
    parser.add_argument("--out", type=Path, default=OUT, help="CSV to write the results to")
    args = parser.parse_args(argv)
    present = [name for name, (file, *_) in SETS.items() if (args.data / file).exists()]
    if not present:
        print(f"VADER ground-truth data not found in {args.data}; nothing to evaluate.")
        return 0
    results = pd.DataFrame([evaluate(name, args.data) for name in present])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results.to_csv(args.out, index=False, lineterminator="\n", float_format="%.4f")
    columns = ["set", "n", "pearson_r", "published_r", "precision", "recall", "f1", "published_f1", "macro_f1"]
    print(f"vaderSentiment {results['vader_version'].iloc[0]}; human and VADER classes at ±0.05\n")
    print(results[columns].round(3).to_string(index=False))
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
