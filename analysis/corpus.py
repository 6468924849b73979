"""Loading articles: files → decoded text → metadata, cleaned paragraphs and sentences.

An article is a plain-text file. It may start with a metadata header, a few `key: value` lines ended by a blank
line (keys: see `HEADER_KEYS`), and a folder may hold an `articles.csv` metadata table (column `file` plus any
header key), which is how the verbatim seeds get their metadata. Page boilerplate is removed and kept in a
table of its own, so a reader sees what cleaning did. Bad input raises `InputError` with one line naming the
file and the problem.
"""
from __future__ import annotations

import atexit
import codecs
import glob
import hashlib
import html
import io
import itertools
import os
import re
import shutil
import stat
import string
import tempfile
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from difflib import get_close_matches
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.prose import plural
from analysis.text import MAX_SENTENCE, STOP_WORDS, bounded, clean_space, split_sentences, terms, word_tokens

HEADER_KEYS = ("id", "title", "date", "outlet", "dateline", "source", "author", "label", "language")
HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]{0,39})\s*:\s*(.*?)\s*$")
# Columns of the articles table that the study computes: a header key of that name is ignored.
RESERVED_KEYS = {"article_id", "file", "encoding", "paragraphs", "sentences", "tokens", "types", "content_hash",
                 "mean_sentence_length", "median_sentence_length", "ttr", "mattr"}
METADATA_TABLE = "articles.csv"
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".parquet")  # a table of articles, a row each (`score`)
MONTHS = ("January February March April May June July August September October November December").split()

# Page furniture seen in pasted web articles: (reason, pattern over a whole paragraph line).
BOILERPLATE = (
    ("reading-time banner", re.compile(r"^Estimated reading time\b.*$", re.I)),
    ("related-links footer", re.compile(r"^More in [A-Z][\w ]*$")),
    ("advertisement", re.compile(r"^(Advertisement|ADVERTISEMENT|Story continues below advertisement)$")),
    ("share prompt", re.compile(r"^(Share this (article|story)|Share on (Facebook|Twitter|X))\b.*$", re.I)),
    ("sign-up prompt", re.compile(r"^((Sign up|Subscribe) (for|to) ([\w'’,-]+ ){0,5}newsletters?\b|skip past newsletter "
                                  r"promotion\b|[^.]{0,40}\bwith us\.\s*Sign up for [^.]{0,40}\bnewsletter\b|You[’']re "
                                  r"reading an excerpt from [^.]{0,60}\bnewsletter\b).*$", re.I)),
    ("video prompt", re.compile(r"^(Continuation of the (material|article|text) (is )?(under|below) the video|The rest "
                                r"of the (article|text) (is |can be found )?(under|below) (the )?video( material)?)\W*$|"
                                r"^VIEW VIDEO\b.*$|^Watch TV live on [\w ]{1,20}$", re.I)),
    ("video teaser", re.compile(r"^See the video\b.{0,200}$")),  # another story's video, its title glued on
    ("live-coverage prompt", re.compile(r"^[^.]{0,100}\b(in our|in) live coverage( HERE)?\W*$", re.I)),
    ("audio prompt", re.compile(r"^(NEW )?You can now listen to [^.!]{0,40} articles!?$", re.I)),
    ("donation appeal", re.compile(r"^(Help Ukraine, join the collection|Support the collection of the)\b.*$", re.I)),
    ("captcha or cookie notice", re.compile(r"^We use (Google reCaptcha|cookies)\b.*$", re.I)),
    ("photo credit", re.compile(r"^(Photo|Photograph|Credit)s?\s*:\s*[^.]{0,60}\.?$", re.I)),
    ("copyright line", re.compile(r"^(©|\(c\) \d{4}|Copyright (©|\(c\)|\d{4}))[^\n]{0,120}$", re.I)),
    ("related-stories teaser", re.compile(r"^(Other Topics of Interest\b|(Read also|Also read|See also|Read more|"
                                          r"Related)\s*:|Read more (here|information)\b).*$|^Read more( [\w.'’-]+){0,5}"
                                          r"\.?$", re.I)),
    ("app or newsletter prompt", re.compile(r"^CLICK HERE (TO|FOR)\b.*$", re.I)),
    ("follow prompt", re.compile(r"^(Subscribe to|Follow|Join) us( on)? (Twitter|X|Telegram|Facebook|Instagram|"
                                 r"YouTube|Google News)\b.*$", re.I)),
    ("site link", re.compile(r"^(More messages on|For more information,? (please )?visit) [^.]{0,80}$|^(You can find "
                             r"more|More) [^.]{0,40}\bon (the )?[\w'’]+ main page\b.*$", re.I)),
    ("image control", re.compile(r"^(Expand|Enlarge (this )?image|Close|Image \d+ of \d+( (prev|next))*)$", re.I)),
    ("photo caption", re.compile(r"^View image in fullscreen\b.*$", re.I)),
    ("separator line", re.compile(r"^[^\w]+$")),
    ("byline", re.compile(r"^(Author|By|Source)\s*(/\s*author\s*)?:\s*[^.]{0,60}$|^.{3,80}? contributed (to this "
                          r"report|reporting)( from [^.]{0,40})?\.?$", re.I)),
)
DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+([A-Z][\w .'-]{0,40}?)\s*:\s*")
DATE_LINE = re.compile(
    rf"^(?:(?P<mdy>(?:{'|'.join(MONTHS)}) \d{{1,2}}, \d{{4}})|(?P<dmy>\d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}}))$")
DATELINE = re.compile(r"^((?P<place>[A-Z][\w .,'-]{0,40}?)\s*)?\(?(?P<outlet>CNN|Reuters|AP|AFP|BBC)\)?\s*[—–-]+$")
DATELINE_PREFIX = re.compile(  # a paragraph opening with one: "Atlanta, United States (CNN)- The ..."
    r"^((?P<place>[A-Z][\w .,'-]{0,40}?)\s*)?\((?P<outlet>CNN|Reuters|AP|AFP|BBC)\)\s*[—–-]+\s*(?=\S)")
DATELINE_REASON = "dateline → metadata 'dateline', 'outlet'"
INLINE_ADVERT = re.compile(r"(?<=[.!?\"”’])\s+(Advertisement|ADVERTISEMENT)$")  # glued to a paragraph's end
PHOTO_CREDIT = re.compile(r"(Getty Images|/AFP|/Reuters|/AP|AP Photo|Presidency|/Shutterstock|Pool Photo)\W*$")
DATE_LINE_REASON = "date line → metadata 'date'"
LABEL_WIDTH = 22  # characters of a title or id kept as a chart label
NEAR_DUPLICATE_LIMIT = 500  # pairwise check: O(n²) pairs
ASCII_LETTERS = string.ascii_letters.encode()  # the letters ASCII holds, all Latin (`non_latin_share`)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # control characters other than tab and newline
CLOSING = re.compile(r"[.!?…:;。！？][\"'”’)\]」』]*$")  # a sentence's end (Latin or full-width stop)
MAX_BYTES = 50 * 2**20  # largest article file read (a long news article is about 0.1 MiB)


@dataclass
class Article:
    """One loaded article: metadata, kept paragraphs as (number, kind, text), removed lines, warnings."""

    article_id: str
    path: Path
    meta: dict
    encoding: str
    paragraphs: list[tuple[int, str, str]]
    removed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    """Tidy tables of a loaded corpus: one row per article, per sentence, per removed line; and load warnings."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    warnings: list[str]


# --- reading files ---------------------------------------------------------------------------------------------

def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Text, encoding used and warnings for the bytes of file `name` (UTF-8 with or without BOM, UTF-16 with BOM,
    UTF-16 without one with a warning, else `decode_not_utf8`). Raises InputError for empty or binary content."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty" if not data else f"{name}: the file holds only white space")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16", []
    if b"\x00" in data[:8192]:
        return decode_utf16_without_bom(data, name)
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(encoding), encoding, []
    except UnicodeDecodeError as error:
        return decode_not_utf8(data, encoding, error.start, name)


def decode_not_utf8(data: bytes, encoding: str, first: int, name: str) -> tuple[str, str, list[str]]:
    """Text, encoding and warning for bytes that are not all valid UTF-8 (the first bad byte at offset `first`):
    UTF-8 with the invalid bytes replaced by U+FFFD (and counted in the warning) when at least as many valid
    non-ASCII UTF-8 characters surround them (a damaged UTF-8 file), else Windows-1252 (an 8-bit file, in which
    no multi-byte sequence is valid by accident)."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    if valid >= bad:
        return text, encoding, [f"{name}: {plural(bad, 'byte')} not valid UTF-8 (the first at byte "
                                f"{first:,}) replaced by '\ufffd'; the rest read as UTF-8"]
    return data.decode("cp1252", errors="replace"), "cp1252", [f"{name}: not valid UTF-8; read as Windows-1252"]


def decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Text, encoding and warning for bytes with NULs: UTF-16 without a byte-order mark when one byte of each
    pair looks like the high byte of an alphabetic script (at odd positions little-endian, even positions
    big-endian: at most three values, such as 0 for ASCII and 4 for Cyrillic, in at least 90% of the first 8 KiB's
    pairs) and the other byte is rarely NUL; else InputError (binary)."""
    head = data[:8192]
    even, odd = head[0::2], head[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        common = sum(count for _, count in Counter(high).most_common(3))
        if len(data) % 2 == 0 and common >= 0.9 * len(high) and low.count(0) <= 0.1 * len(low):
            try:
                return data.decode(encoding), encoding, [f"{name}: no byte-order mark; read as {encoding.upper()}"]
            except UnicodeDecodeError:
                continue
    raise InputError(f"{name}: looks like a binary file, not text (it contains NUL bytes)")


def read_text(path: Path) -> tuple[str, str, list[str]]:
    """Decoded text of `path` with newlines normalized to LF, its encoding, and warnings (see `decode`). Only a
    regular file of at most `MAX_BYTES` is read (InputError otherwise)."""
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise InputError(f"{path}: is a folder, not a text file")
        if not stat.S_ISREG(status.st_mode):
            raise InputError(f"{path}: is {special_file(status.st_mode)}, not a regular file; only regular files are "
                             "read")
        if status.st_size > MAX_BYTES:
            raise InputError(f"{path}: is {status.st_size / 2**20:,.0f} MiB; articles larger than "
                             f"{MAX_BYTES // 2**20} MiB are not read")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    text, encoding, notes = decode(data, str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if control_share(text) > 0.01:
        raise InputError(f"{path}: looks like a binary file, not text (control characters)")
    return text, encoding, notes


def special_file(mode: int) -> str:
    """What a file that is not a regular file or folder is, from its `stat` mode: 'a named pipe (FIFO)', ..."""
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def control_share(text: str) -> float:
    """Share of characters in `text` that are control characters other than tab and newline."""
    return len(CONTROL.findall(text)) / max(len(text), 1)


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment, turning block elements into paragraph breaks."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "header",
              "footer", "figcaption", "blockquote"}
    HIDDEN = {"script", "style", "noscript", "template", "title", "nav"}  # page title and menus: not the article

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def looks_like_html(text: str) -> bool:
    """True if `text` holds HTML markup (block or inline tags), not just a stray '<'."""
    return len(re.findall(r"</?(p|div|br|span|a|html|body|h[1-6]|li|em|strong|script)\b[^>]*>", text, re.I)) >= 2


def strip_html(text: str) -> str:
    """Visible text of an HTML document or fragment, one paragraph per block element."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    paragraphs = (line.strip() for line in html.unescape("".join(parser.parts)).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


# --- metadata ---------------------------------------------------------------------------------------------------

def split_header(text: str) -> tuple[dict, str, list[str]]:
    """(metadata, body, notes) of an article's text. The header is the first block of `key: value` lines (keys
    of letters, digits, '-' and '_'), ended by a blank line, holding at least one of `HEADER_KEYS`; keys are
    lower-cased, and keys outside `HEADER_KEYS` are kept too (as metadata columns, e.g. `country`), with a note
    for one that looks like a misspelt known key or that names a column the study computes (`RESERVED_KEYS`,
    dropped). Leading lines with known keys followed by text without a blank line are read as a header, with a
    note. Otherwise: no metadata and the text unchanged, with a note if the first block looks like a header of
    unknown keys only (lower-case `key: value` lines, as `group: wire copy`), else no notes."""
    head, sep, body = text.lstrip("\n").partition("\n\n")
    lines = head.split("\n")
    fields = [HEADER_LINE.match(line) for line in lines]
    known = [m is not None and m.group(1).lower() in HEADER_KEYS for m in fields]
    if all(fields) and any(known):
        return header_fields([(m.group(1), m.group(2)) for m in fields], body)
    run = next(i for i, k in enumerate(known + [False]) if not k)
    if run and not sep or run and run < len(lines):
        meta, _, notes = header_fields([(m.group(1), m.group(2)) for m in fields[:run]], "")
        rest = "\n".join(lines[run:]) + (sep + body if sep else "")
        read = "its first line was" if run == 1 else f"its first {run} lines were"
        return meta, rest, notes + [f"the header is not ended by a blank line: {read} read as metadata and the rest "
                                    "as article text"]
    if sep and all(fields) and all(m.group(1).islower() for m in fields):
        return {}, text, [f"the first lines look like a header ({', '.join(m.group(1) + ':' for m in fields)}) but "
                          f"hold none of the keys {', '.join(HEADER_KEYS)}, so they were read as article text; add "
                          "one of those keys (e.g. a title: line) to read them as metadata"]
    return {}, text, []


def header_fields(pairs: list[tuple[str, str]], body: str) -> tuple[dict, str, list[str]]:
    """(metadata, `body`, notes) from header (key, value) pairs: see `split_header`."""
    meta, notes = {}, []
    for key, value in pairs:
        key = key.lower().replace("-", "_")
        if key in RESERVED_KEYS:
            notes.append(f"header key '{key}' names a column the study computes; it was ignored")
            continue
        if key not in HEADER_KEYS and (near := get_close_matches(key, HEADER_KEYS, n=1, cutoff=0.75)):
            notes.append(f"header key '{key}' is not a known key; kept as a metadata column (did you mean "
                         f"'{near[0]}'?)")
        meta[key] = value
    return meta, body, notes


def check_metadata_rows(table: Path, names: list[str]) -> None:
    """InputError (one line naming the row, 1 the first below the header) unless each of `names`, the `file` column
    of the metadata table `table`, is a file beside it, named once: a misspelt or repeated name would silently give
    an article no metadata, or the metadata of a row the user did not choose."""
    seen: dict[str, int] = {}
    for row, name in enumerate(names, start=1):
        if name in seen:
            raise InputError(f"{table}: row {row} repeats the row for {name!r} (row {seen[name]}); keep one row "
                             "per file")
        if not (table.parent / name).is_file():
            raise InputError(f"{table}: row {row} names {name!r}, which is no file in {table.parent}; correct the "
                             "name or remove the row")
        seen[name] = row


def metadata_table(folder: Path) -> dict[str, dict]:
    """Metadata per file name from `folder/articles.csv`, if present (columns: file, any header key, and other
    metadata columns, kept as `split_header` keeps unknown header keys)."""
    table = folder / METADATA_TABLE
    if not table.exists():
        return {}
    text = read_text(table)[0]  # UTF-8, or Windows-1252 as Excel saves it
    try:
        rows = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"{table}: metadata table has no header row (a 'file' column and header keys)") from None
    except pd.errors.ParserError as error:
        raise InputError(f"{table}: not a readable CSV table ({str(error).strip().splitlines()[-1]})") from None
    if "file" not in rows.columns:
        raise InputError(f"{table}: metadata table has no 'file' column")
    check_metadata_rows(table, rows["file"].tolist())
    keys = [k for k in rows.columns if k != "file" and k not in RESERVED_KEYS or k == "article_id"]
    return {r["file"]: {("id" if k == "article_id" else k): r[k] for k in keys if r[k]} for _, r in rows.iterrows()}


@cache
def iso_date(text: str) -> str:
    """ISO date (YYYY-MM-DD) of a date written 'March 17, 2023', '17 March 2023', '2023/03/17', or ISO 8601 with
    or without a time ('2023-03-17T06:24:27Z': the date as written, no time-zone shift); other text unchanged
    (memoized per distinct text: `strptime` is slow, and a corpus's articles share their dates)."""
    day = re.sub(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}\S*$", r"\1", text)
    for fmt in ("%B %d, %Y", "%d %B %Y", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(day, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def slug(name: str) -> str:
    """Identifier made of lower-case letters and digits of any script, '-' and '_' from a file name or title
    (Unicode NFC, so a letter typed with a combining accent is the same letter)."""
    return re.sub(r"[^\w-]+", "-", unicodedata.normalize("NFC", name).lower()).strip("-") or "article"


def date_warnings(meta: dict, path: Path) -> list[str]:
    """A warning if the metadata `date` of the article at `path` holds digits but is no calendar date in a form
    `iso_date` reads (e.g. 2023-02-30); the date is kept as written."""
    date = meta.get("date", "")
    try:
        if re.search(r"\d", date):
            datetime.strptime(iso_date(date), "%Y-%m-%d")
        return []
    except ValueError:
        return [f"{path}: date '{date}' is not a calendar date (YYYY-MM-DD, 'March 17, 2023' or '17 March 2023'); "
                "kept as written"]


# --- paragraphs -------------------------------------------------------------------------------------------------

def is_heading(line: str) -> bool:
    """True for a headline-like line: short, no closing punctuation."""
    return len(line.split()) <= 25 and not CLOSING.search(line)


def is_capital_teaser(block: str) -> bool:
    """True for a line of four or more words in capitals with no closing punctuation: between body paragraphs,
    a link to another story ('US TO MOVE MORE TROOPS TO NATO'S EASTERN FLANK')."""
    return block.isupper() and len(re.findall(r"[^\W\d_]{2,}", block)) >= 4 and not CLOSING.search(block)


def paragraph_blocks(body: str) -> list[str]:
    """Paragraphs of `body`: blocks between blank lines, with single line breaks joined by a space, except that a
    headline-like line followed by a line starting with a capital is kept as a block of its own."""
    blocks = []
    for block in re.split(r"\n\s*\n", body):
        lines = [clean_space(line) for line in block.split("\n") if line.strip()]
        current = []
        for line in lines:
            current.append(line)
            if is_heading(line) and len(lines) > 1:
                blocks.append(" ".join(current))
                current = []
        if current:
            blocks.append(" ".join(current))
    return [b for b in blocks if b]


def dateline_meta(match: re.Match, meta: dict) -> None:
    """A dateline's place and outlet into `meta` (in place), never overriding what the header or table said."""
    if match.group("place"):
        meta.setdefault("dateline", match.group("place").strip(" ,"))
    meta.setdefault("outlet", match.group("outlet"))


def remove_boilerplate(blocks: list[str], meta: dict) -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """(kept (position, block) pairs, removed (text, reason) pairs). Date and dateline prefixes and lines become
    metadata in `meta` (updated in place, never overriding what the header or metadata table said); a paragraph
    of eight words or more that repeats an earlier one word for word (a page scraped twice over) is removed."""
    kept, removed, seen = [], [], set()
    for position, block in enumerate(blocks):
        reason = next((why for why, pattern in BOILERPLATE if pattern.match(block)), None)
        if reason:
            removed.append((block, reason))
        elif block in seen and len(block.split()) >= 8:
            removed.append((block, "repeated paragraph (the same text earlier in the article)"))
        elif kept and is_capital_teaser(block):
            removed.append((block, "teaser in capitals (a link to another story)"))
        elif DATE_LINE.match(block):
            meta.setdefault("date", iso_date(block))
            removed.append((block, DATE_LINE_REASON))
        elif match := DATELINE.match(block):
            dateline_meta(match, meta)
            removed.append((block, DATELINE_REASON))
        elif match := DATELINE_PREFIX.match(block):
            dateline_meta(match, meta)
            removed.append((match.group(0).strip(), DATELINE_REASON))
            kept.append((position, block[match.end():]))
        elif ("Advertisement" in block or "ADVERTISEMENT" in block) and (advert := INLINE_ADVERT.search(block)):
            removed.append((advert.group(1), "advertisement"))
            kept.append((position, block[:advert.start()]))
        elif match := DATE_PREFIX.match(block):
            meta.setdefault("date", match.group(1))
            meta.setdefault("dateline", match.group(2))
            removed.append((match.group(0).strip(), "date prefix → metadata 'date', 'dateline'"))
            kept.append((position, block[match.end():]))
        else:
            kept.append((position, block))
        seen.add(block)
    return kept, removed


def paragraph_kinds(kept: list[tuple[int, str]], first_date_line: int | None) -> list[str]:
    """Kind of each kept (position, block): 'headline' (a heading before any body text), 'standfirst' (text
    after the headline and before the date line at position `first_date_line`), 'subheadline' (a later
    heading), 'caption' (a photo caption ending in a credit), else 'body'."""
    kinds: list[str] = []
    for position, block in kept:
        if PHOTO_CREDIT.search(block) and not CLOSING.search(block):
            kind = "caption"
        elif is_heading(block):
            kind = "subheadline" if "body" in kinds or "headline" in kinds else "headline"
        elif first_date_line is not None and position < first_date_line and "headline" in kinds:
            kind = "standfirst"
        else:
            kind = "body"
        kinds.append(kind)
    return kinds


# --- articles and corpus ----------------------------------------------------------------------------------------

def load_article(path: Path, table_meta: dict | None = None) -> Article:
    """Article read from `path`: header or metadata-table fields, cleaned paragraphs with kinds, removed lines."""
    return article_from_text(*read_text(path), path, table_meta)


def table_metadata(record: dict, columns: dict[str, str]) -> dict[str, str]:
    """The metadata of one row of a table of articles, `record` (column → cell, its text taken out): each non-empty
    cell under its column's name, except that a column named in `columns` (header key → column: `--title-column
    headline` gives {"title": "headline"}) gives that key instead of its own name."""
    cells = {str(k): str(v) for k, v in record.items() if str(v) != ""}
    meta = {k: v for k, v in cells.items() if k not in columns.values()}
    return meta | {key: cells[column] for key, column in columns.items() if column in cells}


def check_named_columns(path: Path, found: list, text_column: str, columns: dict[str, str]) -> None:
    """InputError (one line) unless each column named in `columns` (header key → column) is one of `found`, the
    columns of the table of articles `path`, and is not its text column."""
    for key, column in columns.items():
        if column not in found:
            raise InputError(f"{path}: no column {column!r} for --{key}-column (columns: {', '.join(map(str, found))})")
        if column == text_column:
            raise InputError(f"{path}: --{key}-column {column!r} is the column of texts (--text-column); name "
                             f"the column holding the articles' {key}s")


def article_from_text(text: str, encoding: str, notes: list[str], path: Path, table_meta: dict | None = None) -> Article:
    """Article from the decoded `text` of `path` (a file, or a row of a table of articles), its `encoding` and
    decoding `notes` (see `load_article`)."""
    if looks_like_html(text):
        text = strip_html(text)
        notes.append(f"{path}: contains HTML markup; tags were stripped")
    header, body, header_notes = split_header(text)
    notes += [f"{path}: {note}" for note in header_notes]
    meta = {**(table_meta or {}), **header}
    blocks = paragraph_blocks(body)
    kept, removed = remove_boilerplate(blocks, meta)
    if not kept:
        raise InputError(f"{path}: no article text left after removing the header and page boilerplate")
    first_date_line = next((i for i, b in enumerate(blocks) if (b, DATE_LINE_REASON) in removed), None)
    kinds = paragraph_kinds(kept, first_date_line)
    texts = [block for _, block in kept]
    if "title" not in meta and "headline" in kinds:
        meta["title"] = texts[kinds.index("headline")]
    kinds, texts, cut = bounded_paragraphs(kinds, texts)
    if cut:
        notes.append(f"{path}: {plural(cut, 'sentence')} longer than {MAX_SENTENCE:,} characters (no "
                     f"sentence end) cut at spaces into paragraphs of at most {MAX_SENTENCE:,} characters")
    paragraphs = [(i + 1, kind, block) for i, (kind, block) in enumerate(zip(kinds, texts))]
    notes += date_warnings(meta, path)
    return Article(slug(meta.get("id") or path.stem), path, meta, encoding, paragraphs, removed, notes)


def bounded_paragraphs(kinds: list[str], texts: list[str]) -> tuple[list[str], list[str], int]:
    """(kinds, texts, sentences cut) of paragraphs in which each sentence longer than `text.MAX_SENTENCE`
    characters (a line without sentence ends) is cut into paragraphs of its own of at most that length
    (`text.bounded`), the sentences around it kept together: sentence splitting, quote attribution and VADER then
    take time in proportion to the text, not to the square of a line's length."""
    found_kinds, found_texts, cut = [], [], 0
    for kind, block in zip(kinds, texts):
        sentences = split_sentences(block) if len(block) > MAX_SENTENCE else [block]
        if all(len(sentence) <= MAX_SENTENCE for sentence in sentences):
            found_kinds.append(kind)
            found_texts.append(block)
            continue
        groups: list[list[str]] = [[]]
        for sentence in sentences:
            if len(sentence) > MAX_SENTENCE:
                cut += 1
                groups += [[piece] for piece in bounded(sentence)] + [[]]
            else:
                groups[-1].append(sentence)
        pieces = [" ".join(group) for group in groups if group]
        found_kinds += [kind] * len(pieces)
        found_texts += pieces
    return found_kinds, found_texts, cut


def expand_paths(patterns: list[str | Path]) -> list[Path]:
    """Files named by `patterns` (paths or globs, relative ones taken from the repository root by
    `config.resolve`), in the order given, sorted within a glob, without repeats. A file that exists under the
    name given is taken as named, even if the name looks like a glob (`report [draft].txt`). `articles.csv` files
    are metadata, not articles. A pipe given as /dev/fd/N (shell process substitution, `<(command)`) is read once
    into a temporary file (`pipe_copy`). Raises InputError for a glob matching nothing, a broken link, a missing
    path, or only metadata tables named."""
    paths: dict[Path, None] = {}  # ordered, without repeats
    for pattern in patterns:
        resolved = config.resolve(pattern)
        if glob.has_magic(str(pattern)) and not os.path.lexists(resolved):
            matches = sorted(Path(p) for p in glob.glob(str(resolved), recursive=True))
            if broken := next((p for p in matches if p.is_symlink() and not p.exists()), None):
                raise InputError(f"{broken}: is a link to a file that does not exist")
            matches = [p for p in matches if p.is_file() and p.name != METADATA_TABLE]
            if not matches:
                raise InputError(f"{pattern}: the pattern matches no files")
        elif resolved.is_dir():
            matches = sorted(p for p in resolved.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
            if not matches:
                raise InputError(f"{pattern}: the folder holds no .txt files")
        elif not resolved.exists():
            raise InputError(f"{pattern}: is a link to a file that does not exist" if resolved.is_symlink()
                             else f"{pattern}: no such file")
        elif resolved.name == METADATA_TABLE:
            matches = []  # the folder's metadata table, read as such (`metadata_table`)
        elif is_anonymous_pipe(resolved):
            matches = [pipe_copy(resolved)]
        elif not resolved.is_file():
            raise InputError(f"{pattern}: is {special_file(resolved.stat().st_mode)}, not a regular file; only regular "
                             "files are read")
        elif resolved.suffix.lower() in TABLE_SUFFIXES:
            raise InputError(f"{pattern}: is a table of articles ({resolved.suffix}); the study reads text files, one "
                             "article each: score it with `score --articles` (which reads tables), or write each "
                             "article to a .txt file")
        else:
            matches = [resolved]
        paths |= dict.fromkeys(matches)
    if not paths:
        named = any(config.resolve(p).name == METADATA_TABLE for p in patterns)
        raise InputError(f"{patterns[0]}: is a metadata table (articles.csv), not an article; name the articles"
                         if named else "no articles given")
    return list(paths)


def is_anonymous_pipe(path: Path) -> bool:
    """True if `path` is a pipe without a name in the file system: /dev/fd/N of a shell's `<(command)`."""
    try:
        return stat.S_ISFIFO(path.stat().st_mode) and os.readlink(path).startswith("pipe:")
    except OSError:
        return False


@cache
def pipe_copy(path: Path) -> Path:
    """A regular file holding what the pipe `path` gives (read once, at most `MAX_BYTES`), named `pipe-N` after
    its descriptor, in a temporary folder removed when the process ends; InputError if the pipe gives more."""
    folder = Path(tempfile.mkdtemp(prefix="analysis-pipes-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / f"pipe-{path.name}"
    with open(path, "rb") as pipe:
        data = pipe.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: gives more than {MAX_BYTES // 2**20} MiB; articles larger than that are not read")
    copy.write_bytes(data)
    return copy


def sentence_rows(article: Article) -> list[dict]:
    """One row per sentence of `article`: ids, paragraph, kind, raw text and word tokens."""
    rows = []
    for paragraph, kind, block in article.paragraphs:
        pieces = [block] if kind in ("headline", "subheadline", "caption") else split_sentences(block)
        for text in pieces:
            tokens = word_tokens(text)
            rows.append(dict(article_id=article.article_id, sentence_index=len(rows) + 1, paragraph=paragraph,
                             kind=kind, text=text, tokens=tokens))
    return rows


def content_hash(article: Article) -> str:
    """SHA-256 (first 16 hex digits) of an article's kept text: equal for articles with the same text."""
    text = "\n".join(block for _, _, block in article.paragraphs)
    return hashlib.sha256(clean_space(text).lower().encode()).hexdigest()[:16]


class UniqueIds:
    """Article ids made unique in reading order: a repeated id gets the first of -2, -3, ... that no article
    has yet (so `a`, `a`, `a-2` become `a`, `a-2`, `a-2-2`), with a warning in `renamed` naming the file (two
    folders' `report.txt` are told apart in the tables only by it)."""

    def __init__(self):
        self.taken: set[str] = set()
        self.last: dict[str, int] = {}  # id -> last suffix number tried for it
        self.renamed: list[str] = []

    def __call__(self, article_id: str, path: Path | str = "") -> str:
        """The id for the next article whose own id is `article_id`, read from `path`."""
        found = article_id
        while found in self.taken:
            self.last[article_id] = self.last.get(article_id, 1) + 1
            found = f"{article_id}-{self.last[article_id]}"
        self.taken.add(found)
        if found != article_id:
            self.renamed.append(f"{path or article_id}: id '{article_id}' is an earlier article's too; this "
                                f"article is '{found}' in the tables")
        return found


class FirstCopies:
    """The study's one duplicate rule, in reading order: the first article with a text (`content_hash`) is kept,
    a later one with the same text is dropped with a warning naming both files."""

    def __init__(self):
        self.first: dict[str, Path] = {}

    def duplicate(self, digest: str, path: Path) -> str | None:
        """The warning for dropping the article at `path` whose content hash is `digest`, if an earlier article
        had that text; else None (and `path` is recorded as the first with it)."""
        if digest in self.first:
            return f"{path}: same text as {self.first[digest]}; dropped as a duplicate"
        self.first[digest] = path
        return None


def unique_ids(articles: list[Article]) -> list[str]:
    """Make article ids unique in place (`UniqueIds`); return a warning per article renamed."""
    assign = UniqueIds()
    for article in articles:
        article.article_id = assign(article.article_id, article.path)
    return assign.renamed


def drop_duplicates(articles: list[Article]) -> tuple[list[Article], list[str]]:
    """(articles without exact duplicates of an earlier one's text, a warning per dropped file; `FirstCopies`)."""
    kept, notes, copies = [], [], FirstCopies()
    for article in articles:
        duplicate = copies.duplicate(content_hash(article), article.path)
        notes += [duplicate] if duplicate else []
        kept += [] if duplicate else [article]
    return kept, notes


def english_share(sentences: list[dict]) -> float:
    """Share of an article's word tokens that are English stop words: about 0.4–0.5 for English prose, near 0
    for most other languages (a dependency-free language check)."""
    tokens = [t for t in map(lettered, (t for row in sentences for t in row["tokens"])) if t is not None]
    return sum(t in STOP_WORDS for t in tokens) / len(tokens) if tokens else 0.0


@cache
def lettered(token: str) -> str | None:
    """`token` lower-cased if it contains a letter, else None (memoized per distinct token)."""
    return token.lower() if any(ch.isalpha() for ch in token) else None


def language_warnings(articles: list[Article], sentences: dict[str, list[dict]], floor: float = 0.15) -> list[str]:
    """A warning for each article whose letters are mostly not Latin script (`latin_share` below one half, at
    least 20 letters), or of 50 words or more whose English stop-word share is below `floor`."""
    notes = []
    for article in articles:
        rows = sentences[article.article_id]
        text = " ".join(row["text"] for row in rows)
        if (other := non_latin_share(text)) is not None:
            notes.append(f"{article.path}: does not look like English ({other:.0%} of its letters are not Latin "
                         "script); the dictionaries, terms and VADER are English-only")
        elif sum(len(r["tokens"]) for r in rows) >= 50 and english_share(rows) < floor:
            notes.append(f"{article.path}: does not look like English (stop-word share "
                         f"{english_share(rows):.2f}); the dictionaries and VADER are English-only")
    return notes


def non_latin_share(text: str) -> float | None:
    """1 − `latin_share` of `text` if it has at least 20 letters and fewer than half of them are Latin script, else
    None. A text with at least as many ASCII letters as non-ASCII characters (UTF-8 bytes beyond one a character:
    all its other scripts' letters can be no more) is mostly Latin without counting its letters one by one."""
    encoded = text.encode()
    if len(encoded) - len(encoded.translate(None, ASCII_LETTERS)) >= len(encoded) - len(text):
        return None
    latin, letters = latin_share(text)
    return 1 - latin if letters >= 20 and latin < 0.5 else None


def latin_share(text: str) -> tuple[float, int]:
    """(share of the letters of `text` that are Latin script, number of letters). Latin letters are those whose
    Unicode name starts with 'LATIN'."""
    counts = [(ch, n) for ch, n in Counter(text).items() if ch.isalpha()]  # each distinct character once
    letters, latin = sum(n for _, n in counts), sum(n for ch, n in counts if ch < "\u0250" or is_latin(ch))
    return latin / max(letters, 1), letters


@cache
def is_latin(letter: str) -> bool:
    """True if `letter` is a Latin-script letter (memoized per character)."""
    return unicodedata.name(letter, "").startswith("LATIN")


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """Set of word `size`-grams (lower-cased words) of `text`."""
    tokens = re.findall(r"\w+", text.lower())
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def near_duplicate_warnings(articles: list[Article], threshold: float = 0.8) -> list[str]:
    """A warning for each pair of articles whose 5-word shingle sets have a Jaccard overlap of at least
    `threshold` (likely the same story with small edits); both are kept."""
    sets = [shingles(" ".join(block for _, _, block in a.paragraphs)) for a in articles]
    shared = shared_counts(sets)
    pairs = itertools.combinations(range(len(articles)), 2) if threshold <= 0 else sorted(shared)
    notes = []
    for i, j in pairs:
        union = len(sets[i]) + len(sets[j]) - shared[i, j]
        if union and shared[i, j] / union >= threshold:
            notes.append(f"{articles[j].path}: near-duplicate of {articles[i].path} "
                         f"({shared[i, j] / union:.0%} of 5-word sequences shared); both kept")
    return notes


def shared_counts(sets: list[set]) -> Counter:
    """Number of elements each pair (i, j), i < j, of `sets` has in common, for the pairs with any (found through
    an index from element to the sets holding it, not by intersecting every pair)."""
    holders: dict = {}
    for i, elements in enumerate(sets):
        for element in elements:
            holders.setdefault(element, []).append(i)
    return Counter(pair for held in holders.values() for pair in itertools.combinations(held, 2))


def short_form(text: str, width: int = LABEL_WIDTH) -> str:
    """`text` (a title or an id) in at most `width` characters: whole if it fits, else cut after its last whole
    word that fits (a single long word after `width` - 1 characters), with an ellipsis."""
    text = clean_space(text)
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    words_cut = cut.rsplit(" ", 1)[0] if " " in cut and text[width - 1] != " " else cut
    return words_cut.rstrip(" ,;:–—-_") + "…"


COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:T(\d\d)(\d\d)(?:\d\d)?Z?)?"
                          r"(?![^\W_])", re.I)  # 20230302 or 20230302T061500Z, as in GDELT's file names


def label_name(article_id: str, path: str | Path | None) -> str:
    """The name an article's label is made from when it has no `label:` or `title:`: its file's name as given
    (case and punctuation kept, with the `-2` of a repeated id) when the id was made from it, else the id."""
    stem = Path(path).stem if path else ""
    own = slug(stem) if stem else ""
    suffix = article_id[len(own):]
    if own and article_id.startswith(own) and (not suffix or re.fullmatch(r"(-\d+)+", suffix)):
        return stem + suffix
    return article_id


def readable_name(name: str) -> str:
    """`name` (a file name or id) as a label: '_' as spaces, compact dates and times written out
    ('20230302T061500Z_GB_en_458471b87b' → '2023-03-02 06:15 GB en 458471b87b'), case kept."""
    written = COMPACT_DATE.sub(lambda m: f"{m[1]}-{m[2]}-{m[3]}" + (f" {m[4]}:{m[5]}" if m[4] else ""), name)
    return clean_space(written.replace("_", " "))


def article_labels(articles: list[tuple[str, dict]], width: int = LABEL_WIDTH) -> list[str]:
    """Chart label of each (article_id, metadata) pair — the one rule of `run`, `score` and the Dask engine: the
    `label:` given, else the `title:`, else the readable form of its name (`readable_name` of `label_name`, from
    the metadata's `path`: the file it was read from), each cut to `width` characters at a word end
    (`short_form`). Labels that would be the same are lengthened, `width` characters at a time, until they
    differ; if the whole texts are the same, the readable name is added in brackets (for identical titles)."""
    sources = [(meta.get("label") or "", meta.get("title") or "",
                readable_name(label_name(article_id, meta.get("path")))) for article_id, meta in articles]
    labels = [given or short_form(title or name, width) for given, title, name in sources]
    size = width
    while repeated := {label for label, n in Counter(labels).items() if n > 1}:
        size += width
        longer = [short_form(title or name, size) if label in repeated and not given else label
                  for label, (given, title, name) in zip(labels, sources)]
        if longer == labels:
            return [f"{label} ({name})" if label in repeated and name != label else label
                    for label, (_, _, name) in zip(labels, sources)]
        labels = longer
    return labels


def article_row(article: Article, sentences: list[dict], label: str = "") -> dict:
    """Metadata row of the articles table for `article`, with chart label `label` (see `article_labels`)."""
    meta = article.meta
    return dict(article_id=article.article_id, label=label,
                file=article.path.name, title=meta.get("title", ""), date=iso_date(meta.get("date", "")),
                outlet=meta.get("outlet", ""), dateline=meta.get("dateline", ""), source=meta.get("source", ""),
                encoding=article.encoding, paragraphs=len(article.paragraphs), sentences=len(sentences),
                content_hash=content_hash(article), **extra_metadata(meta))


def extra_metadata(meta: dict) -> dict:
    """The metadata fields of an article beyond `HEADER_KEYS` (from its header or metadata table), e.g. country."""
    return {key: value for key, value in meta.items() if key not in HEADER_KEYS}


def load_corpus(patterns: list[str | Path], *, quiet: bool = False) -> Corpus:
    """Corpus of the articles named by `patterns` (see `expand_paths`): articles table (metadata), sentences
    table (article_id, sentence_index, paragraph, kind, text, tokens, terms), removed-lines table and warnings.
    Exact duplicate articles are dropped with a warning; near-duplicates (up to NEAR_DUPLICATE_LIMIT articles)
    and text that does not look like English get a warning; warnings are also issued with `warnings.warn` unless
    `quiet` (the notebooks show them as a table, `warnings_table`)."""
    paths = expand_paths(patterns)
    tables = {folder: metadata_table(folder) for folder in {p.parent for p in paths}}
    loaded = [load_article(p, tables[p.parent].get(p.name)) for p in paths]
    articles, notes = drop_duplicates(loaded)
    notes += unique_ids(articles)
    sentences = {a.article_id: sentence_rows(a) for a in articles}
    notes = [n for a in loaded for n in a.warnings] + notes + language_warnings(articles, sentences)
    if len(articles) <= NEAR_DUPLICATE_LIMIT:
        notes += near_duplicate_warnings(articles)
    if not quiet:
        for note in notes:
            warnings.warn(note, stacklevel=2)
    removed = [dict(article_id=a.article_id, text=text, reason=why) for a in articles for text, why in a.removed]
    return Corpus(
        articles=pd.DataFrame([article_row(a, sentences[a.article_id], label) for a, label in zip(
            articles, article_labels([(a.article_id, {**a.meta, "path": a.path}) for a in articles]))]).fillna(""),
        sentences=pd.DataFrame([{**row, "terms": terms(row["tokens"])} for a in articles
                                for row in sentences[a.article_id]]),
        removed=pd.DataFrame(removed, columns=["article_id", "text", "reason"]),
        warnings=notes)


def warnings_table(corpus: Corpus) -> pd.DataFrame:
    """The load warnings of `corpus` as a table, one row per warning (column `warning`)."""
    return pd.DataFrame({"warning": corpus.warnings}, dtype=str)
