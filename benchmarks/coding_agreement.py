"""Validation: the study's frame coding and speakers of the seed sentences against a second, independent coding.

`benchmarks/data/seed_hand_coding.csv` holds, for every seed sentence (article_id, sentence_index), the frames a
second coder gave it and the speaker of the quotation it belongs to, with notes on judgement calls. The second
coder was an AI assistant given only the two articles and the frame definitions of `analysis/data/frames.yaml`
(not its terms, nor the study's output), told to code by meaning rather than by keywords, to name the speaker of
quoted words (not of reported speech without quotation marks) and to give scare quotes of one to three words no
speaker. Prints, per frame, the sentences each coding gives it, the share of sentences on which they agree and
Cohen's kappa; the sentences whose speakers agree; and every sentence where the codings differ. Reads the study's
`tables/sentences.csv` (run `make study` first). Asserts nothing.

Usage: .venv/bin/python benchmarks/coding_agreement.py
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.frames import coding_agreement, load_frames
from analysis.tables import read_table

HAND = Path(__file__).resolve().parent / "data" / "seed_hand_coding.csv"


def main() -> None:
    coded = read_table("sentences")
    hand = pd.read_csv(HAND, keep_default_na=False)
    both = coded.merge(hand, on=["article_id", "sentence_index"], suffixes=("", "_hand"), validate="1:1")
    agreement = coding_agreement(both["frames"], both["frames_hand"], load_frames())
    print(f"sentences: {len(both)} (seeds), second coding: {HAND.relative_to(HAND.parents[2])}")
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


if __name__ == "__main__":
    main()
