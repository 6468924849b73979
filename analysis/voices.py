"""Voices: quotations, who speaks them, and which frames each voice carries.

Quotations are found in each paragraph (its sentences rejoined, because the sentence splitter cuts a quotation
of several sentences apart) between double quotation marks, straight or curly; a quotation left open at the end
of a paragraph runs on into the next paragraph when that one opens with a quotation mark (the news convention).
Marks of mixed kinds, as machine translation leaves them ('a "conflict freeze” cannot', '“untrue." Then'), pair
when no mark of the opener's kind can close it (`mixed_close`). Single marks pair only where they cannot be
apostrophes; dash-introduced speech and a paragraph opening with a speaker's label ('Holm: ...', `label_quote`)
are quotations too. Each quotation gets a `kind`:

- `quote`: direct speech — it opens a sentence (or follows a colon or "X said,") and is a clause: it spans
  sentences, ends with its own punctuation inside the marks, or has four words or more.
- `partial`: four words or more quoted inside a sentence (`China said the crisis is a tragedy that "could have
  been avoided"`); attributed when the sentence has a reporting clause, else left without a speaker.
- `scare`: one to three words quoted inside a sentence: a term or label in quotation marks ("invisible hand",
  "special military operation", "consequences"). Scare quotes are not treated as speech: they get no speaker and
  give no sentence a voice. In a sentence with a reporting clause, a short quotation is the speaker's words
  (`partial`) if it holds a function word ("not to withdraw") or if, in the parse, it is neither the object of a
  preposition nor a subject (`LABEL_ROLES`), or is the subject of the clause a speech verb reports, or comes after
  the speech verb of its reporting clause or before an 'according to' ending it (`reports`) and no noun phrase around
  it names another source (`sourced`: 'amid warnings from US officials on "consequences"'): 'said victory was a
  "strategic imperative"', 'were "gravely" concerned', 'said an "invisible hand" was at work', 'said the crisis is
  driven by an "invisible hand"', 'accused them of "staying silent"', 'pushed millions into "acute hunger",
  according to the WFP' are partial quotes (the blind coders' convention); 'driven by an "invisible hand", she
  said' is not.

Speakers come from the reporting clause news uses: after the quotation (`," X said`, `," said X, 21, a member of
...`, `," X told Y`, `," X added`, `," X comments.`, `..., a report says.` closing the sentence), else before it (`X
said: "`, `X said that ... "...`, `According to X,`; a partial quote takes the clause before it unless one follows
its marks closely), else, for a direct quote with no reporting clause, the person its sentence opens with if a
colon introduces it ('Rutte was not clear: "..."'), else the speaker of the quotation just before it in the same or
previous paragraph; a partial quote with no reporting clause goes on a quotation that ends in its sentence or the
one before (`"It's one thing to exchange spies." But "talks with terrorists" become dangerous`); a quotation of
three words or more given to a country or organization, or to no one, takes the person whose longer quotation in
the article holds the same words (`requoted`: 'China said the war "could have been avoided"', then the minister's
whole sentence). In the parse, a
speech act (`SPEECH_ACTS`: 'described the war as a "..."', 'urged them to "..."') whose object holds the
quotation names its subject as the speaker. "They" and "it" stand for the latest speaker named in the article's
reporting clauses; "he" and "she" for a person only: the nearer of the latest person quoted and the person their
own or an earlier sentence opens with as its subject ("Nice mayor Christian Estrosi, on Twitter, expressed ...
“...,” he said"; 'Spokesman John Kirby frowned as he asked'; not a preposition's object, a possessor or a name
after a verb: 'With Putin now ...', "Mr Putin's views", 'The agency has accused President X'), never a
country, organization or document; role references ("the new Chinese FM", "Lithuania's ambassador to the U.S.")
stand for the person whose title in the article has the same words (FM = foreign minister; "Chinese" = China), but
an indefinite role ("a former diplomat"), a plural one ("the foreign ministers") or one naming an organization the
person's title lacks ("the State Department spokesperson" after a president) for no named person; "in his
opinion" reads like "he said"; short names stand for the article's longest name containing them ("Qin" → "Qin
Gang"); names and spellings listed under `people` in the actor dictionary become its canonical name ("Zelensky" →
"Volodymyr Zelenskiy"), while an actor's own aliases stay as the article writes them ("the Kremlin" → "Kremlin", not
"Russia"). Titles and honorifics before a
name become its description ("Sir", "Mr." alone none; "Law and Justice MP Marek Suski" → "Marek Suski"), a word
that opens a clause ("Now", "Before"), a possessor ("Vladimir Putin's Russia" → "Russia") and a place before a
person's name ("in Poland Wasyl Zarycz") stay out of it, an inverted subject skips a medium ("said in TVN24 ...",
"wrote on Twitter ...") and a place or day between title and name ("the Prime Minister of Great Britain on Sunday
Boris Johnson"), particles stay in a name ("Ursula von der Leyen"), and a photo
credit ("Photograph: Name/Reuters") or a day or adverb between subject and verb ("Viktor Orban Saturday called",
"Putin recently said") is not read as part of the name. A name in apposition to a definite role ('the chief
executive, Lars Holm, wrote') is the speaker, a relative clause before the verb ('Lars Holm, the deputy mayor, who
managed to leave, told') is skipped, and a definite document ('the statement said') speaks for whoever the article
last reported with a document in the sentence ('the ministry said this in a statement'). A short quotation that a
naming noun mentions ('the term "imminent"') is a term, not speech. A verb that governs a quotation but is no
speech verb needs a subject that can speak (not a place, date or event by its named entity, nor, for a form of
'be', a common noun that is no role: `can_speak`); an adverb between a subject and its verb ('but rather', 'now')
is no subject; a pronoun read as a role that is named later takes the name too.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from contextlib import contextmanager
from collections import Counter
from functools import cache, lru_cache
from itertools import accumulate, pairwise
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import pandas as pd

from analysis.actors import Actor, actor_names, load_actors, person_names
from analysis.coders import code_tokens
from analysis.frames import Frame, load_frames
from analysis.parse import parse, recognize
from analysis.text import STOP_WORDS, word_tokens, words

QUOTE_COLUMNS = ["article_id", "quote_index", "kind", "style", "speaker", "speaker_description", "speaker_evidence",
                 "text", "first_sentence", "last_sentence", "words"]
ATTRIBUTION_COLUMNS = ["article_id", "sentence_index", "verb", "speaker", "speaker_description", "reference"]
# Verbs that introduce speech; present forms that are often nouns ("claims", "notes", "states") are left out.
SPEECH_VERBS = ("said says say told tells tell added adds stated noted asked asks warned warns wrote writes "
                "tweeted tweets declared declares insisted insists maintained maintains argued argues explained "
                "explains claimed replied replies remarked announced posted stressed stresses emphasized "
                "emphasised reiterated acknowledged admitted complained accused accuses underscored underlined "
                "concluded regretted vowed recalled answered responded commented quipped cautioned informed informs").split()
VERB = re.compile(r"(?<![-\w])(" + "|".join(SPEECH_VERBS) + r"|[Aa]ccording to|points? out|pointed out|sums? up"
                  r"|summed up|emphasizes|emphasises)\b")
# Verbs that report speech only right after a quotation, the subject following ('- ... - continues Sarts', '"...,"
# he indicates'): elsewhere they are narration ('the fighting continues').
INVERTED_WORDS = ("continues continued indicates indicated jokes joked believes notes comments observes observed "
                  "suggests suggested recalls remarks claims states assures assured").split()
INVERTED_VERB = re.compile(r"(?<![-\w])(" + "|".join(INVERTED_WORDS) + r")\b")
PERSONAL_INVERTED = re.compile(r"(?:he|she)\s+(" + "|".join(INVERTED_WORDS) + r")\b")  # '- he continued.'
# A reporting clause that closes its sentence after a quotation or a comma, its subject first: a subject of one to
# four words and one of the `INVERTED_WORDS` that are nouns elsewhere ('...," Petrov comments.', '..., he notes.';
# not 'continues': '..., the fighting continues.').
TAIL_CLAUSE = re.compile(r"(?:\x00[,.!?]*|,)\s+(?:\S+\s+){0,3}?\S+\s+(" + "|".join(INVERTED_WORDS[6:])
                         + r")[.!?]?$")
# Participles the parse reads as speech verbs ('..., stressing that NATO is "not part of this conflict"'); not in
# `VERB`, where they are often nouns or adjectives ('a warning', 'the ruling party').
SPEECH_PARTICIPLES = set(("saying telling adding stating noting asking warning writing tweeting declaring insisting "
                          "maintaining arguing explaining claiming replying remarking announcing posting stressing "
                          "emphasizing emphasising reiterating acknowledging admitting complaining accusing "
                          "underscoring underlining concluding vowing recalling answering responding commenting "
                          "cautioning informing").split())
# Verbs of a speech act that take the quoted words as their object or its complement ('described the war as a
# "..."', 'called on the West to "..."', 'urged them to "..."'): their subject is the speaker when the parse puts a
# quotation in that complement (`quoted_complement`); elsewhere they are narration.
SPEECH_ACTS = set(("call calls called calling describe describes described describing urge urges urged urging "
                   "condemn condemns condemned term terms termed dub dubs dubbed label labels labelled labeled brand "
                   "brands branded characterize characterizes characterized characterise characterises characterised "
                   "praise praises praised criticize criticizes criticized criticise criticises criticised demand "
                   "demands demanded promise promises promised pledge pledges pledged threaten threatens threatened "
                   "denounce denounces denounced hail hails hailed welcome welcomes welcomed reject rejects "
                   "rejected dismiss dismisses dismissed").split())
CLAUSES = {"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp"}  # dependencies of a word acting as a clause's verb
OPINIONS = {"opinion", "view", "words", "estimation"}  # 'in his opinion, "..."': whose words follow
COMPLEMENT = {"dobj", "prep", "pobj", "xcomp", "attr", "oprd", "nmod", "amod", "compound", "appos", "dative", "acomp"}
PRONOUNS = {"he", "she", "they", "it"}
OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
POSSESSIVES = {"his": "he", "her": "she", "their": "they", "its": "it"}  # 'in his opinion': he
NO_PHRASE_TAGS = ("PRP", "WP", "WDT", "DT", "EX")  # subject tags `subject_phrase` reads as no phrase (parse)
CATAPHORA = 8  # sentences after a role ('the president said') within which the person it stands for may be named
CARRY = 2  # paragraphs after a quotation over which an unattributed quotation keeps its speaker
SPOKEN_KINDS = ("body", "standfirst")  # headlines, subheadlines and captions never name a speaker
NOT_SUBJECTS = {"both", "which", "who", "that", "this", "those", "these", "some", "others", "we", "i", "you", "q",
                "one", "all", "the", "a", "an"}
NOT_ROLE = set("has have had is are was were been be do does did will would can could may might should must not also "
               "it its".split())
ORGANIZATIONS = set(("ministry affairs office council department agency committee commission union organization "
                     "organisation government administration army command forces embassy house media parliament "
                     "assembly party news times post journal statement readout").split())
TITLES = set(("president minister foreign prime secretary state deputy first vice spokesman spokeswoman spokesperson "
              "ambassador chancellor premier general gen. commander chairman chairwoman senator governor mayor "
              "leader fm pm mr mr. mrs mrs. ms ms. dr dr. king queen pope envoy director chief adviser advisor "
              "councillor councilor representative colonel col. lieutenant lt. major gen prof prof. professor sir "
              "lord lady dame baroness baron rev rev. capt capt. sgt sgt. gov gov. sen sen. rep rep. adm adm. "
              "amb amb. ceo mp mep").split())
HONORIFICS = set("mr mr. mrs mrs. ms ms. dr dr. sir lady dame lord prof prof.".split())  # not descriptions alone
WEEKDAYS = set("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
NAME_JOINERS = set("of for the von van der den de da di du la le bin al ter".split())  # lower-case words inside names
ROLE_NOUNS = set(("diplomat spokesman spokeswoman spokesperson minister president official commander ambassador "
                  "envoy leader premier chancellor secretary analyst adviser advisor general soldier member "
                  "counterpart chief head lawmaker senator governor mayor expert strategist journalist "
                  "correspondent reporter officer interlocutor director fm pm ceo executive founder owner dictator "
                  "ruler oligarch businessman businesswoman economist historian scientist researcher author "
                  "commentator prosecutor negotiator warlord mercenary").split())
PERSON_ROLES = (ROLE_NOUNS - {"analyst", "expert", "member", "soldier", "official", "journalist", "correspondent",
                              "reporter", "officer"}) | {"head", "politician", "tycoon", "billionaire", "activist",
                                                         "expert", "director", "interlocutor", "representative"}
SPEAKER_NOUNS = ROLE_NOUNS | PERSON_ROLES  # every noun that names a person by a role
PERSON_WORDS = SPEAKER_NOUNS | TITLES  # every noun or title that names a person (`plural`)
PERSONAL = ("he", "she")  # pronouns that stand for a person only
STATE_WORDS = set("republic federation kingdom states nations people's".split())  # 'Donetsk People's Republic'
ABBREVIATIONS = {"fm": ["foreign", "minister"], "pm": ["prime", "minister"], "gov.": ["governor"],
                 "gov": ["governor"], "sen.": ["senator"], "sen": ["senator"], "rep.": ["representative"],
                 "gen.": ["general"], "amb.": ["ambassador"], "adm.": ["admiral"]}
# A role word in a reference and the words of a title it may stand for ('top diplomat' → a foreign minister)
ROLE_SYNONYMS = {"diplomat": {"foreign", "minister", "ambassador", "envoy", "secretary"},
                 "lawmaker": {"senator", "representative", "deputy", "mp"}, "envoy": {"ambassador"},
                 "leader": {"president", "premier", "chancellor", "prime", "minister", "king"},
                 "official": {"minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "director"}}
OF_WORDS = set("of for at from to".split())  # prepositions that tie a role to its organization or place
DOCUMENTS = set(("statement statements report assessment message communique communiqué readout letter document "
                 "declaration announcement analysis review").split())  # a definite one speaks for its author
MUTE_ENTITIES = set("LOC FAC DATE TIME EVENT LAW PERCENT MONEY QUANTITY ORDINAL CARDINAL".split())  # cannot speak
COPULA = set("be is are was were been being 's ’s".split())  # forms of 'be' (the lemmatizer is not loaded)
RELATIVES = {"who", "which", "whose", "whom"}  # open a relative clause between a subject and its verb
GENERIC = set("the a an new former top senior his her its their our then current acting country's".split())
STOPS = set("as and but while when that which who with by for to in on at from of meanwhile however".split())
LY_NOUNS = "family ally assembly rally supply daily weekly monthly anomaly folly bully reply".split()  # not adverbs
ADJUNCT = re.compile(r"(?:\s+(?:has|have|had|also|then|now|rather|instead|still|later|earlier|previously|again|once|"
                     r"repeatedly|would|will|"
                     r"(?!(?:" + "|".join(LY_NOUNS) + r")\b)[a-z]+ly|today|yesterday|further|at the same time|"
                     r"in turn|in response|"
                     r"(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?: (?:morning|afternoon|evening|night))?|"
                     r"last \w+|this \w+|in a statement|on twitter))+\s*$", re.I)
LEADING = re.compile(r"^(?:but|and|meanwhile|however|so|yet|still)\s+", re.I)
CREDIT = re.compile(r"^.*\S/\S+(?:\s+(?:Images|Pictures|Photos))?(?:\s+|$)")  # photo credit 'Name/Reuters'

# Places in the parse where a short quoted term is a label referred to (scare quotes: 'driven by an "invisible
# hand"', 'an "invisible hand" was at work'), not words the speaker is quoted as saying ('said victory was a
# "strategic imperative"', 'were "gravely" concerned', 'called for the bridge to be "dismantled"')
LABEL_ROLES = {"pobj", "nsubj", "nsubjpass", "name", "sourced"}
PARSE_ROLES = {"pobj", "nsubj", "nsubjpass"}  # of these, the places a term a speech verb reports is the speaker's
# Nouns that mention a term: a short quotation they modify is the term (a label), not speech ('the term "imminent"')
NAMING = set("term phrase word slogan expression nickname label".split())
MASK = "\x00"
DASH_OPEN = re.compile(r'(?:^|:\s|[.!?]\s|[.!?]|\x00)["“„]?([-–—])\s(?=\S)')  # '"- ': a stray mark
DASH_CLOSE = re.compile(r"\s([-–—])\s")
MASKED = re.compile(MASK + "+")
SPEAKER_LABEL = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*):\s+(?=[^\W\d_])")  # 'Lars Holm: We ...'
OUTSIDE_WORD = re.compile(r"[^\W\d_]{2,}")  # a word outside the masked quotations
PARENTHESES = re.compile(r"\([^)]*\)")
PHRASE = re.compile(r"[^,;:()\"“”]+")
VERB_THEN_COMMA = re.compile(VERB.pattern + r"[^.]{0,30},$")
DOUBLE_MARK = re.compile('[“”"„«»]')
SINGLE_QUOTE = re.compile(r"(?<![^\s(\[—–-])[‘'](?=[^\W_])[^‘’'\n]*?[^\s‘’'][’'](?![^\W_])")


@dataclass
class Paragraph:
    """An article paragraph rebuilt from its sentences: text, masked text, and each sentence's (index, start)."""

    article_id: str
    number: int
    text: str
    starts: list[int]
    indexes: list[int]
    masked: str = ""
    kind: str = "body"
    roles: dict[int, str] = field(default_factory=dict)  # a parsed quotation's opening mark → its dependency label
    label: str = ""  # the speaker's label the paragraph opens with ('Lars Holm: ...'; `label_quote`)

    def sentence_at(self, position: int) -> int:
        """Position in `indexes` of the sentence holding character `position`."""
        return max(bisect_right(self.starts, position) - 1, 0)

    def bounds(self, k: int) -> tuple[int, int]:
        """(start, end) characters of the paragraph's k-th sentence."""
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
        return self.starts[k], end


@dataclass
class Span:
    """One quotation: paragraph, positions of its marks (close = -1 when left open), continuation parts."""

    paragraph: Paragraph
    open: int
    close: int
    parts: list[Span] = field(default_factory=list)
    style: str = "double"


@dataclass
class Attribution:
    """A reporting clause: its sentence, the verb's position, the speaker as written and as resolved."""

    sentence_index: int
    position: int
    verb: str
    reference: str
    speaker: str
    description: str
    evidence: str = ""


# --- paragraphs and quotation marks -----------------------------------------------------------------------------

def paragraphs(rows: list[dict]) -> list[Paragraph]:
    """Paragraphs of one article's sentence rows (dicts with article_id, paragraph, sentence_index, text; reading
    order), each sentence's text joined by one space."""
    grouped: dict[int, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["paragraph"], []).append(row)
    result = []
    for number, group in grouped.items():
        texts = [row["text"] for row in group]
        starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        result.append(Paragraph(group[0]["article_id"], number, " ".join(texts), starts,
                                [row["sentence_index"] for row in group], kind=group[0].get("kind", "body")))
    return result


def rows_by_article(table: pd.DataFrame) -> dict[str, list[dict]]:
    """The rows of a table with an article_id column (sentences, quotes) as dicts, grouped by article (in order
    of first appearance, rows in table order)."""
    grouped: dict[str, list[dict]] = {}
    for row in table.to_dict("records"):
        grouped.setdefault(row["article_id"], []).append(row)
    return grouped


def quote_marks(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of the quotation marks of `text` (`quotation_marks`, any style)."""
    return [(start, close) for start, close, _ in quotation_marks(text)]


def quotation_marks(text: str) -> list[tuple[int, int, str]]:
    """(open, close, style) of the quotations of `text`, outermost only, in order: double marks (`double`: curly by
    direction, straight ones alternating, German „...“), guillemets (`guillemets`: «...»), then, outside those,
    single marks (`single`: ‘...’, or straight '...' opening after a space and closing before one, never an
    apostrophe inside a word). An opening mark without a closing one gives close = -1; a stray closing mark and
    marks nested inside a quotation are ignored (a curly “ inside a curly quotation is nested when enough ” follow
    to close both: '“... the notion that “might makes right”. ...,” he wrote'), and so is a straight mark shaped as
    a closing one (after a word or punctuation, before a space or the end: 'Germany," a reporter said') when no
    quotation is open. Doubled single marks (‘‘...’’, as some outlets print double ones) are double marks: the
    first opens, the last closes."""
    text = text.replace("‘‘", "“‘").replace("’’", "’”")  # same length: positions are kept
    pairs, start, opener, depth = [], None, "", 0
    for mark in DOUBLE_MARK.finditer(text):
        i, ch = mark.start(), mark.group()
        if start is not None and opener == "«":  # inside guillemets: nested double marks are ignored
            depth += ch == "«"
            if ch == "»":
                depth -= 1
                if depth == 0:
                    pairs.append((start, i, "guillemets"))
                    start = None
            continue
        if (start is not None and (ch == '"') != (opener == '"') and not (ch == "“" and opener == "„")
                and not mixed_close(text, i, start, opener)):
            continue  # a straight mark inside curly ones, or a curly one inside straight ones: nested
        if start is not None and opener == "“" and ch in "“”" and (depth > 1 or ch == "“"):
            if ch == "”" or text.count("”", i) >= depth + 1:  # a curly quotation inside a curly one
                depth += 1 if ch == "“" else -1
                continue
        closes = start is not None and (ch in '”"»' or (ch == "“" and opener == "„"))
        if closes:
            pairs.append((start, i, "double"))
            start = None
        elif ch in "“„\"«" and not (start is None and ch == '"' and closing_shape(text, i)):
            if start is not None:
                pairs.append((start, -1, "double"))
            start, opener, depth = i, ch, 1
    if start is not None:
        pairs.append((start, -1, "guillemets" if opener == "«" else "double"))
    return sorted(pairs + single_marks(text, pairs))


def closing_shape(text: str, i: int) -> bool:
    """True if the straight mark at `i` can only close a quotation: a non-space character before it and a space
    or the end after it ('..., Germany," an Ukrinform correspondent reported')."""
    return i > 0 and not text[i - 1].isspace() and (i + 1 == len(text) or text[i + 1].isspace())


def mixed_close(text: str, i: int, start: int, opener: str) -> bool:
    """True if the mark at `i` closes the quotation opened at `start` by a mark of the other kind, as machine
    translation leaves them ('a "conflict freeze” cannot', '“completely untrue." Then', '“...," it said. "...”'): a
    closing ” with no curly quotation open inside, or a straight mark with none open inside that ends a word (a
    non-space before it, a space or the end after it); either also when no mark of the opener's kind follows."""
    inside = text[start + 1:i]
    if opener == '"' and text[i] == "”":
        return inside.count("“") <= inside.count("”") or '"' not in text[i + 1:]
    if opener == "“" and text[i] == '"':
        ends_word = not text[i - 1].isspace() and (i + 1 == len(text) or text[i + 1].isspace())
        return (ends_word and inside.count('"') % 2 == 0) or "”" not in text[i + 1:]
    return False


def single_marks(text: str, outer: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Single-mark quotations of `text` outside the quotations `outer`: an opening ‘ or ' at the start or after a
    space or bracket and before a letter or digit, closed by the next ’ or ' after a non-space character and
    before a space, punctuation or the end (so apostrophes in "don't", "Kyiv's" or "Russians' war" never pair)."""
    inside = [(a, b if b >= 0 else len(text)) for a, b, _ in outer]
    found = []
    for match in SINGLE_QUOTE.finditer(text):
        if not any(a <= match.start() <= b for a, b in inside):
            found.append((match.start(), match.end() - 1, "single"))
    return found


def mask_quotes(paragraph: Paragraph, marks: list[tuple[int, int]]) -> str:
    """The paragraph's text with every quotation (marks included) blanked out by MASK characters."""
    chars = list(paragraph.text)
    for start, close in marks:
        start, end = max(start, 0), close + 1 if close >= 0 else len(chars)
        chars[start:end] = MASK * (end - start)
    return "".join(chars)


def quote_spans(paras: list[Paragraph]) -> list[Span]:
    """Quotations of an article in reading order (marks of every style, then dash-introduced speech,
    `dash_quotes`); a quotation open at a paragraph's end absorbs the next paragraph's quotation if that paragraph
    opens with one (multi-paragraph quotations)."""
    spans: list[Span] = []
    names = cache(lambda: surnames(paras))  # counted only if a paragraph opens like a label
    for paragraph in paras:
        marks = [m for m in quotation_marks(paragraph.text) if not stray_before_dash(paragraph.text, m)]
        paragraph.masked = mask_quotes(paragraph, [(a, b) for a, b, _ in marks])
        dashes = dash_quotes(paragraph.masked) + label_quote(paragraph, names)
        paragraph.masked = mask_quotes(paragraph, [(a, b) for a, b, _ in marks + dashes])
        for start, close, style in sorted(marks + dashes):
            previous = spans[-1] if spans else None
            last = previous.parts[-1] if previous and previous.parts else previous
            if (last and last.close == -1 and start == 0 and last.paragraph.number == paragraph.number - 1
                    and (style == "dash") == (previous.style == "dash") and previous.style != "label"):
                previous.parts.append(Span(paragraph, start, close, style=style))
            else:
                spans.append(Span(paragraph, start, close, style=style))
    return spans


def stray_before_dash(text: str, mark: tuple[int, int, str]) -> bool:
    """True if a quotation mark that nothing closes opens a sentence right before dash-introduced speech ('"-
    Russia does not produce ... - said Anna Berg.'), as machine translation leaves them: the dash is the
    quotation (`dash_quotes`), the mark a stray one."""
    start, close, _ = mark
    opens = start == 0 or bool(re.search(r"[.!?]\s*$", text[:start]))
    return opens and close == -1 and bool(re.match(r"[-–—]\s", text[start + 1:start + 3]))


def surnames(paras: list[Paragraph]) -> Counter:
    """How often each capitalized word follows another capitalized word in the article ('Holm' in 'Lars Holm')."""
    return Counter(strip_possessive(w.strip(".,;:!?")) for p in paras for v, w in pairwise(p.text.split())
                   if v[:1].isupper() and w[:1].isupper())


def label_quote(paragraph: Paragraph, names: Callable[[], Counter]) -> list[tuple[int, int, str]]:
    """(colon, -1, 'label') for a body paragraph that opens with a speaker's label, as transcripts and interviews
    print them ('Lars Holm: There will be no war.'): one to four capitalized words, none a stop word, the last of
    which the article uses elsewhere after another capitalized word, as a surname (`names()`: `surnames`; 'Holm:
    ...' after 'Lars Holm said', never 'Kyiv: ...'), then a colon and a word;
    the speech runs from the colon to the paragraph's end unless a quotation lies in it. The label is recorded
    (`Paragraph.label`) for its reporting clause (`regex_clauses`)."""
    found = SPEAKER_LABEL.match(paragraph.text) if paragraph.kind in SPOKEN_KINDS else None
    label = found.group(1).split() if found else []
    if not found or any(w.lower() in STOP_WORDS for w in label) or names()[label[-1]] < 1 + (len(label) > 1):
        return []
    paragraph.label = found.group(1)
    rest = paragraph.masked[found.end(1) + 1:]
    return [] if MASK in rest or DASH_OPEN.search(rest) else [(found.end(1), -1, "label")]


def dash_quotes(masked: str) -> list[tuple[int, int, str]]:
    """(open, close, 'dash') of direct speech introduced by a dash in a paragraph's text (quotations already
    masked), the convention of many wires and translations: a dash and a space opening the paragraph, following a
    colon, or following a sentence's end ('- Talks with Beijing are difficult - Mychajlo Podolak said.', 'Kabajewa
    replied: - You see, ...'); it closes at the next spaced dash followed by a reporting clause (a speech verb within
    the next eight words), else runs to the paragraph's end (close = -1)."""
    found = []
    for opening in DASH_OPEN.finditer(masked):
        start = opening.start(1)
        if found and (found[-1][1] == -1 or start < found[-1][1]):
            continue
        close = next((m.start(1) for m in DASH_CLOSE.finditer(masked, start + 1)
                      if reporting_tail(masked[m.end():])), -1)
        found.append((start, close, "dash"))
    return found + unopened_dash_quotes(masked, found)


def unopened_dash_quotes(masked: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(open, close, 'dash') of wire-style speech with no opening dash: a sentence whose words end at a spaced dash
    followed by a reporting clause ('It was not like that - said Putin.'); the quotation runs from the sentence's
    start (or the paragraph's) to the dash, with three words or more outside any quotation inside it (a term in
    quotation marks there, 'their priority is the "protection" of ... - continues the expert.', stays a quotation of
    its own)."""
    extra = []
    for dash in DASH_CLOSE.finditer(masked):
        close = dash.start(1)
        if any(a <= close <= (b if b >= 0 else len(masked)) for a, b, _ in found) or not short_report(
                masked[dash.end():]):
            continue
        start = max((m.end() for m in re.finditer(r"[.!?]\s+", masked[:close])), default=0)
        if len(OUTSIDE_WORD.findall(masked[start:close])) >= 3:
            extra.append((start - 1, close, "dash"))  # 'opens' at the space before its first word (-1: none)
    return extra


def reporting_tail(text: str) -> bool:
    """True if `text` (what follows a spaced dash) opens with a reporting clause: a speech verb within its next
    eight words, before the end of its sentence, another spaced dash or a closing parenthesis ('- said the
    politician.', '- he sums up.'; a dash inside the quotation, '(counterpart of Facebook - PAP) and in a telegram
    - adds the director', is not its end; nor is one whose verb follows 'what', 'how' or 'why': '- ironically -
    understood what Joe Biden said')."""
    clause = re.split(r"(?<=[.!?])\s|[.!?]$|\s[-–—]\s|\)", text, maxsplit=1)[0]
    head = " ".join(clause.split()[:8])
    found = VERB.search(head)
    if found and SUBORDINATE.search(head[:found.start()]):
        return False  # '- understood what Joe Biden said, ...': the verb of a clause inside the quoted sentence
    return bool(found or inverted_report(head))


SUBORDINATE = re.compile(r"\b(?:what|how|why)\b", re.I)  # open a clause, never a reporting clause's subject


def short_report(text: str) -> bool:
    """True if `text` (what follows a spaced dash) is a short reporting clause ending its sentence: 16 words or
    fewer, a speech verb (not 'according to') among the first four ('- said Putin.', '- the expert points out.')."""
    clause = re.split(r"(?<=[.!?])\s|[.!?]$", text, maxsplit=1)[0]
    found = VERB.search(" ".join(clause.split()[:4])) or inverted_report(clause)
    return len(clause.split()) <= 16 and bool(found) and found.group(1).lower() != "according to"


def inverted_report(clause: str) -> re.Match | None:
    """The verb of a clause after a dash that opens with one of the `INVERTED_WORDS` ('continues Sarts'), or
    with 'he' or 'she' and one ('he continued'; any other subject may be narration: 'the fighting continues')."""
    return INVERTED_VERB.match(clause.lstrip()) or PERSONAL_INVERTED.match(clause.lstrip())


def span_pieces(span: Span) -> list[Span]:
    """The quotation's pieces, one per paragraph (the first piece is the span itself)."""
    return [Span(span.paragraph, span.open, span.close)] + span.parts


def piece_text(piece: Span) -> str:
    """Text between the marks of one piece (to the paragraph's end if left open; doubled single marks, ‘‘...’’,
    left out whole)."""
    text = piece.paragraph.text
    end = piece.close if piece.close >= 0 else len(text)
    start = piece.open + 1 + (text[piece.open:piece.open + 2] == "‘‘")
    return text[start:end - (text[end - 1:end + 1] == "’’")]


def span_text(span: Span) -> str:
    """The quotation's words: its pieces joined by a space, trailing commas and spaces removed."""
    return " ".join(piece_text(p).strip() for p in span_pieces(span)).rstrip(" ,")


def span_sentences(span: Span) -> tuple[int, int]:
    """(first, last) sentence_index of the sentences the quotation touches, the last one including a reporting
    clause the sentence splitter cut off after a question or exclamation (`cut_off_report`)."""
    first = span.paragraph.indexes[span.paragraph.sentence_at(span.open + 1)]  # the mark, or the space before
    tail = span_pieces(span)[-1]
    end = tail.close if tail.close >= 0 else len(tail.paragraph.text) - 1
    k = tail.paragraph.sentence_at(end)
    return first, tail.paragraph.indexes[k + cut_off_report(tail, k)]


def cut_off_report(tail: Span, k: int) -> bool:
    """True if the sentence after the paragraph's k-th, which holds a quotation's closing mark, is the reporting
    clause of that quotation cut off by the sentence splitter: the quotation ends with '?' or '!' inside its marks,
    the next sentence starts right after the mark and is a speech verb and its subject alone, at most six words
    and no quotation ('"Who else is there?" Lars Holm asked.')."""
    paragraph = tail.paragraph
    if tail.close < 0 or k + 1 >= len(paragraph.starts) or paragraph.text[tail.close - 1:tail.close] not in ("?", "!"):
        return False
    start, end = paragraph.bounds(k + 1)
    report = paragraph.masked[start:end]
    return (paragraph.text[tail.close + 1:start].strip() == "" and MASK not in report and len(report.split()) <= 6
            and bool(VERB.search(report)))


# --- reporting clauses ------------------------------------------------------------------------------------------

def clean_clause(text: str) -> str:
    """Clause text for parsing: parentheses removed, masked quotations as ' Q ', spaces collapsed."""
    text = PARENTHESES.sub(" ", text)
    text = MASKED.sub(" Q ", text)
    return " ".join(text.split())


def strip_possessive(word: str) -> str:
    """`word` without a trailing possessive 's (straight or curly apostrophe)."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


def name_run(words_: list[str]) -> list[str]:
    """The trailing run of capitalized words of a phrase ('of' and name particles such as 'von der' allowed
    between capitalized words; a word with a slash, or a sentence's last word before the run ('on Saturday.
    Rodion Miroshnik'), ends the run)."""
    start = len(words_)
    while start and ((words_[start - 1][:1].isupper() and words_[start - 1] != "Q" and "/" not in words_[start - 1]
                      and not (start < len(words_) and ends_sentence(words_[start - 1])))
                     or (words_[start - 1] in NAME_JOINERS and start < len(words_))):
        start -= 1
    while start < len(words_) and (words_[start] in NAME_JOINERS or not_name_start(words_[start])):
        start += 1
    return words_[start:]


def not_name_start(word: str) -> bool:
    """True for a capitalized word that opens a clause but never a name: a conjunction, preposition or adverb ('As
    Mikk Marran, director ...', 'When ...', 'Before Jarosław Kaczyński's speech', 'Now MP Marek Suski says') or a
    weekday ('Tuesday the Kremlin said'), also a preposition ('Unlike Israel', 'Amid ...')."""
    lower = word.lower()
    return (lower in STOPS or lower in CLAUSE_OPENERS or lower in PREPOSITIONS or lower in OTHER_PREPOSITIONS
            or bool(LEADING_TIME.match(word + " ")))


OTHER_PREPOSITIONS = set("unlike like following without among through until toward towards besides".split())


CLAUSE_OPENERS = set("before after now then today yesterday also later earlier during since".split())  # 'Before X'
TIME_NOUNS = set(("weekend week month year day days morning afternoon evening night hour hours time moment "
                  "period spring summer autumn fall winter").split())  # a role ending so is a time, never a speaker



def ends_sentence(word: str) -> bool:
    """True if `word` ends with a full stop, '!' or '?' that is not an abbreviation's ('Gov.', 'U.S.', 'J.')."""
    return (word[-1:] in "!?" or (word[-1:] == "." and word.lower() not in TITLES
                                  and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,2}\.", word)))


def title_word(word: str) -> bool:
    """True if `word` is a title ('Minister', "President's"), also after a prefix ('ex-President', 'Vice-Premier')."""
    word = strip_possessive(word).lower()
    return word in TITLES or word.split("-")[-1] in TITLES


def role_before(words_: list[str]) -> str:
    """Description made of the role words just before a name ('senior Chinese diplomat'), if the word before the
    name is a role noun; else ''. At most four words, stopping at conjunctions and prepositions."""
    if not words_ or words_[-1].lower() not in ROLE_NOUNS:
        return ""
    kept: list[str] = []
    for word in reversed(words_):
        if word.lower() in STOPS or len(kept) == 4 or word == "Q":
            break
        kept.insert(0, word)
    return " ".join(kept)


LETTER = re.compile(r"[^\W\d_]")  # a phrase whose last word has none (a stray quotation mark) names no one


@lru_cache(maxsize=1 << 12)
def parse_noun_phrase(phrase: str) -> tuple[str, str, str] | None:
    """(reference, description, kind) for the subject noun phrase of a reporting verb, or None if it is not one:
    kind 'pronoun' (he), 'name' (China's Foreign Minister Qin Gang → 'Qin Gang', "China's Foreign Minister") or
    'role' ('the new Chinese FM', 'analysts')."""
    phrase = phrase.strip(" ,.;:")
    words_ = LEADING.sub("", CREDIT.sub("", phrase) if "/" in phrase else phrase).split()
    while words_ and words_[-1] in WEEKDAYS:  # 'Viktor Orban Saturday called for ...'
        words_.pop()
    last = words_[-1].lower() if words_ else ""
    if (not words_ or words_[-1].strip('"“”') == "Q" or last in NOT_SUBJECTS or last in STOPS
            or not LETTER.search(words_[-1])):  # '"Q': a quotation's placeholder with its mark
        return None
    if last in PRONOUNS or last in OBJECT_PRONOUNS:
        return OBJECT_PRONOUNS.get(last, last), "", "pronoun"  # 'according to him': he
    run = name_run(words_)
    before = [w.lower() for w in words_[:len(words_) - len(run)]]
    tied = before[:-1] if before[-1:] == ["the"] else before  # 'ambassador to the U.S.'
    if (tied[-1:] and tied[-1] in OF_WORDS and len(tied) > 1 and (tied[-2] in ROLE_NOUNS or title_word(
            tied[-2])) and (len(run) <= 2 or tied[-3:-2] in (["the"], ["a"], ["an"]))):
        named = person_after_organization(run)  # 'the head of the Ministry of Foreign Affairs Liz Truss'
        if named:
            return " ".join(named), " ".join(words_[:len(words_) - len(named)]), "name"
        role = role_phrase(words_)  # 'the director of NATO Stratcom': a role; the name its organization's
        return (role, "", "role") if role else None
    titles = [i for i, w in enumerate(run) if title_word(w)]
    organizations = [is_organization(w) for w in run]
    if titles and any(organizations[titles[-1]:]):  # 'Minister of Foreign Affairs Vladimir Makei': a title with
        last = max(i for i, o in enumerate(organizations) if o)  # its organization, then the person's name
        if 1 <= len(run) - last - 1 <= 4 and all(NAME_WORD.fullmatch(w) for w in run[last + 1:]):
            titles.append(last)
    if titles and run[titles[-1] + 1:titles[-1] + 2] and run[titles[-1] + 1].lower() in OF_WORDS:
        named = trailing_name(run[titles[-1] + 2:])  # 'President of Russia Vladimir Putin'
        if not named or len(named) == len(run) - titles[-1] - 2:  # 'President of Ukraine': a title alone
            return " ".join(run), "", "role"
        titles.append(len(run) - len(named) - 1)
    elif not titles and tied[-1:] and tied[-1] in OF_WORDS and len(tied) > 1 and title_word(tied[-2]):
        named = trailing_name(run)  # 'ex-President of Poland Alexander Kwasniewski'
        if named and len(named) < len(run):
            return " ".join(named), " ".join(words_[:len(words_) - len(named)]), "name"
    person = run[titles[-1] + 1:] if titles else []  # 'European Commission President Ursula von der Leyen'
    if any(organizations) and not (person and not any(organizations[titles[-1] + 1:])):
        return " ".join(run[1:] if run[0] in ("The", "the") else run), "", "name"
    owned = [i + 1 for i, w in enumerate(run[:-1]) if w.endswith(("'s", "’s"))]  # "Vladimir Putin's Russia"
    name = [strip_possessive(w) for w in run[titles[-1] + 1 if titles else owned[-1] if owned else 0:]]
    if name and name[0] in ("The", "the"):
        name = name[1:]
    if name:
        title = " ".join(run[:titles[-1] + 1]) if titles else role_before(words_[:len(words_) - len(run)])
        return " ".join(name), "" if title.lower() in HONORIFICS else title, "name"
    role = role_phrase(words_)
    if role and prepositional_object(words_, role):  # 'Putin in his meeting with parliamentary leaders'
        cut = phrase_after_name(words_)
        return parse_noun_phrase(" ".join(words_[:cut])) if cut < len(words_) else None
    return (role, "", "role") if role else None


def person_after_organization(run: list[str]) -> list[str]:
    """The two to four name-like words (particles between them) that end a capitalized run after its last
    organization word ('Ministry of Foreign Affairs Liz Truss' → Liz Truss, 'Commission Ursula von der Leyen');
    [] if the run does not end so."""
    last = max((i for i, w in enumerate(run) if is_organization(w)), default=-1)
    named = run[last + 1:] if last >= 0 else []
    words_ = [w for w in named if w not in NAME_JOINERS]  # 'Ursula von der Leyen'
    return named if 2 <= len(words_) <= 4 and all(NAME_WORD.fullmatch(w) for w in words_) and words_[0] == named[
        0] else []


def prepositional_object(words_: list[str], role: str) -> bool:
    """True if the role that ends `words_` is the object of a preposition (a preposition other than one tying a role
    to its organization comes right before it: 'in his meeting with parliamentary leaders'), not a subject."""
    before = words_[:len(words_) - len(role.split())]
    return bool(before) and before[-1].lower() in PREPOSITIONS - OF_WORDS


def trailing_name(words_: list[str]) -> list[str]:
    """A person's name at the end of `words_`: its last two name-like words and any particles between them
    ('Vladimir Putin', 'Ursula von der Leyen'); [] if the words do not end so."""
    if len(words_) < 2 or not NAME_WORD.fullmatch(words_[-1]):
        return []
    start = len(words_) - 2
    while start > 0 and words_[start] in NAME_JOINERS - {"of", "for", "the"}:
        start -= 1
    return words_[start:] if NAME_WORD.fullmatch(words_[start]) else []


def is_organization(word: str) -> bool:
    """True if `word` names a kind of organization ('Ministry', 'Commission', "Council's")."""
    return strip_possessive(word).lower() in ORGANIZATIONS


def role_phrase(words_: list[str]) -> str:
    """The role reference at the end of a phrase: from its last determiner or possessor not after 'of' ('the new
    Chinese FM', 'the director of the institute', "Ukraine's ambassador to the U.S."), else its last two words
    after any auxiliary verb ('Western strategists'); '' if there is none, or if it holds a quotation's placeholder
    ('the "strategic" reserve': no one speaks as 'the Q reserve'), or if it is a time ('the weekend') or, read
    without a determiner, holds a preposition, conjunction or form of 'be' ('after being': a clause fragment)."""
    starts = [i for i, w in enumerate(words_) if (w.lower() in DETERMINERS or w.endswith(("'s", "’s")))
              and not (i and words_[i - 1].lower() in OF_WORDS)]
    tail = words_[starts[-1]:] if starts else words_[-2:]
    while tail and any(w.lower() in NOT_ROLE for w in tail):
        tail = tail[1:]
    if not starts and any(w.lower() in NOT_SPEAKER_WORDS for w in tail):
        return ""  # 'after being': a clause fragment
    return "" if "Q" in tail or (tail and tail[-1].lower().strip(".") in TIME_NOUNS) else " ".join(tail)


def subject_before(text: str) -> tuple[str, str, str] | None:
    """(reference, description, kind) of the subject just before a reporting verb in `text` (the clause text up to
    the verb), reading an appositive ('Serhiy Cherevatyi, a spokesman for ...,') as the description."""
    text = RELATIVE_END.sub("", ADJUNCT.sub("", clean_clause(text)))  # 'Anna Berg, who said': Anna Berg said
    if text.endswith(","):
        written = [s.strip() for s in text.rstrip(",").split(",")]
        segments = without_relative_clause(written)
        if len(segments) == 1 < len(written):  # 'Lars Holm, who managed to leave, accused'
            return parse_noun_phrase(segments[0])
        named = bare_name(segments[-1]) if len(segments) >= 2 else ""
        if named and (role := apposed_role(segments[-2])):
            return apposed_name(named, role)  # '(..., )the chief executive, Lars Holm, wrote'
        if len(segments) > 1 and appositive(segments[-1]):  # 'Lars Holm, 29, a sales manager, told'
            head = max(i for i, segment in enumerate(segments) if i == 0 or not appositive(segment))
            parsed = parse_noun_phrase(segments[head])
            described = ", ".join(x for x in segments[head + 1:] if not x.isdigit())
            return (parsed[0], described, parsed[2]) if parsed else None
        if len(segments) > 1 and participle(segments[-1]):  # 'Lars Holm, asked about the talks, said'
            return parse_noun_phrase(ADJUNCT.sub("", segments[-2]))  # 'Lars Holm last week, during ..., said'
        if named:
            return None  # 'an adviser to the president, Lars Holm,': he may be the president
    segments = text.split(",")
    if len(segments) > 1 and indefinite(segments[-1].strip()) and bare_name(segments[-2]):
        return bare_name(segments[-2]), segments[-1].strip(), "name"  # 'Lars Holm, a retired admiral told'
    return name_before_adjunct(segments[-1]) if text and not text.endswith(",") else None


def name_before_adjunct(phrase: str) -> tuple[str, str, str] | None:
    """`parse_noun_phrase` of the subject phrase before a reporting verb, the phrase after a person's name left out
    when a preposition opens it ('Anna Berg in an interview with the BBC said', 'Journalist Anna Berg on the
    channel The Lens pointed out': Anna Berg, not the BBC or The Lens), if the phrase opens with the name (no
    verb before it: `verb_before`) and the rest is short (eight words or fewer) and holds no quotation."""
    words_ = phrase.split()
    cut = phrase_after_name(words_)
    if (cut < len(words_) and trailing_name(words_[:cut]) and not verb_before(words_[:cut]) and "Q" not in words_
            and len(words_) - cut <= 8):
        parsed = parse_noun_phrase(" ".join(words_[:cut]))
        if parsed and parsed[2] == "name":
            return parsed
    return parse_noun_phrase(phrase)


def apposed_role(segment: str) -> str:
    """The role a comma segment before a name in apposition names, if the name is that role's person: a definite
    role ('the chief executive'), one after a possessive pronoun ('Its defense minister'), or an indefinite one
    ending in no person (`not_a_person_before`); else ''."""
    role = parse_noun_phrase(segment)
    if not role or role[2] != "role":
        return ""
    possessed = segment.split()[0].lower() in POSSESSIVES
    return role[0] if definite(role[0]) or possessed or not_a_person_before(role[0]) else ""


def not_a_person_before(role: str) -> bool:
    """True if an indefinite role phrase that a name follows in apposition ends in a word naming no person ('a
    spokeswoman for the Ministry of Foreign Affairs, Anna Berg,': the name is the spokeswoman's), not in a title
    or role ('an adviser to the president, Anna Berg,': the name may be the president's)."""
    last = strip_possessive(role.split()[-1]).lower() if role.split() else ""
    return last not in PERSON_WORDS and last.removesuffix("s") not in PERSON_WORDS


RELATIVE_END = re.compile(r",?\s+who$")  # a relative pronoun as the subject of a reporting verb


def without_relative_clause(segments: list[str]) -> list[str]:
    """The comma segments of a subject before its verb without a relative clause that ends them ('Lars Holm, the
    deputy mayor, who managed to leave, told': 'who managed to leave' left out), if a segment stays before it."""
    opening = [i for i, s in enumerate(segments) if i and s.split()[:1] and s.split()[0].lower() in RELATIVES]
    return segments[:opening[0]] if opening else segments


def apposed_name(name: str, role: str) -> tuple[str, str, str]:
    """(reference, description, 'name') of a person's name in apposition to a definite role: the name without
    an honorific ('Dr S. Jaishankar' → 'S. Jaishankar'), the role as its description."""
    parsed = parse_noun_phrase(name)
    return (parsed[0] if parsed and parsed[2] == "name" else name), role, "name"


def bare_name(segment: str) -> str:
    """The person's name a comma segment (of `clean_clause` text) is, after any quotation placeholder: two to four
    name-like words or initials, the last a word (particles between them), the first not a word that opens a
    clause ('Lars Holm', 'Ursula von der Leyen', an abbreviated title left out: 'Gen. Lars Holm'; not 'In Kyiv',
    'The Ministry'); else ''."""
    words_ = segment.split()
    words_ = words_[1:] if words_[:1] == ["Q"] else words_
    words_ = words_[1:] if len(words_) > 2 and title_word(words_[0]) and "." in words_[0] else words_  # 'Gen. X Y'
    named = [w for w in words_ if w not in NAME_JOINERS]
    is_name = (2 <= len(named) <= 4 and all(NAME_WORD.fullmatch(w) or INITIAL.fullmatch(w) for w in named)
               and NAME_WORD.fullmatch(named[-1]) and words_[0] not in NAME_JOINERS
               and not not_name_start(words_[0]) and words_[0].lower() not in STOP_WORDS)
    return " ".join(words_) if is_name else ""


def participle(segment: str) -> bool:
    """True if `segment` opens with a participle in lower case, as an interruption between a subject and its verb
    does ('asked about the talks', 'speaking to reporters')."""
    first = segment.split()[0] if segment.split() else ""
    return first.islower() and first.endswith(("ed", "ing")) and len(first) > 4


def appositive(segment: str) -> bool:
    """True if `segment` reads as an appositive description: an age, or starts with a/an/the or a title word."""
    first = segment.split()[0] if segment.split() else ""
    return first.isdigit() or first.lower() in ("a", "an", "the") or first.lower() in TITLES


def according_object(text: str) -> str:
    """The words after 'according to' that name the source: the first comma segment, with the name in apposition
    that ends the sentence ('according to former astronaut and Navy captain, Sen. Mark Kelly.')."""
    segments = text.split(",")
    apposed = len(segments) == 2 and bare_name(clean_clause(segments[1]).rstrip("."))
    return ",".join(segments) if apposed else segments[0]


def subject_after(text: str) -> tuple[str, str, str] | None:
    """(reference, description, kind) of an inverted subject right after a reporting verb (`said Marian, 21, a
    member of ...`): the first comma segment, described by the following age and appositive segments; a name in
    apposition to a role that is not indefinite ('said former Navy captain, Sen. Mark Kelly') is the person."""
    segments = [s.strip() for s in clean_clause(text).rstrip(".").split(",")]
    parsed = parse_noun_phrase(inverted_subject(segments[0])) if segments and segments[0] else None
    if parsed is None:
        return None
    if parsed[2] == "role" and not indefinite(parsed[0]) and len(segments) > 1 and bare_name(segments[1]):
        return apposed_name(bare_name(segments[1]), parsed[0])  # 'said India's foreign minister, S. Jaishankar'
    described = []
    for segment in segments[1:]:
        if not segment or not appositive(segment):
            break
        described.append(segment)
    return parsed[0], ", ".join(described) or parsed[1], parsed[2]


LEADING_TIME = re.compile(r"^(?:(?:on|last|this) )?(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+", re.I)
LEADING_MEDIUM = re.compile(r"^(?:in|on|to)\s+(?:[A-Z][\w-]*\d[\w-]*|[A-Z]{2,}\w*|Twitter|Facebook|Telegram|X)\s+"
                            r"(?=\S+\s+\S)")  # 'said in TVN24 Ambassador ...', 'wrote on Twitter the head ...'
AFTER_NAME = set("in during at with on to after before while when from quoted cited".split())  # end an inverted subject
# after a name or role ('said Riabkow quoted by The Washington Post': the outlet that quotes is never the speaker)


def inverted_subject(segment: str) -> str:
    """The subject in the words after an inverted reporting verb, without a leading day or medium ('on Friday',
    'in TVN24', 'on Twitter'), without a place or day between a title and the name that ends the words ('the
    Prime Minister of Great Britain on Sunday Boris Johnson', 'Ambassador of Ukraine in Poland Wasyl Zarycz')
    and without the phrase after the name or a role ('the head of Russian diplomacy Sergei Lavrov in an interview
    with radio' → 'the head of Russian diplomacy Sergei Lavrov'; 'the emergencies ministry in a statement';
    'Riabkow quoted by The Washington Post')."""
    words_ = LEADING_MEDIUM.sub("", LEADING_TIME.sub("", segment)).split()
    cut = min(phrase_after_name(words_), phrase_after_role(words_))
    if (len(words_) - cut == 4 and all(NAME_WORD.fullmatch(w) for w in words_[cut + 1:])
            and any(title_word(w) for w in words_[:cut])):
        return " ".join(words_[:cut] + words_[cut + 2:])  # '... of Great Britain on Sunday Boris Johnson'
    return " ".join(words_[:cut])


def phrase_after_role(words_: list[str]) -> int:
    """Index of the first word of `words_` that opens a phrase (`AFTER_NAME`) after a word naming an organization
    or a person's role, read after an inverted verb ('wrote the emergencies ministry in a statement', 'said the
    spokesman at a briefing'); len(words_) if there is none."""
    return next((i for i, w in enumerate(words_) if i and w in AFTER_NAME and (
        is_organization(words_[i - 1]) or words_[i - 1].lower() in SPEAKER_NOUNS)), len(words_))


def phrase_after_name(words_: list[str]) -> int:
    """Index of the first word of `words_` that opens a phrase after a capitalized word (`AFTER_NAME`: 'Sergei
    Lavrov in an interview', 'Putin in his meeting with ...'); len(words_) if there is none."""
    return next((i for i, w in enumerate(words_) if i and w in AFTER_NAME and words_[i - 1][:1].isupper()),
                len(words_))


def clause_subject(masked_sentence: str, start: int, end: int) -> tuple[str, str, str] | None:
    """Subject of the reporting verb at characters start:end of a masked sentence: read after the verb when a
    quotation (and punctuation) or a spaced dash comes right before it and a subject follows (`," said X`,
    '... around Ukraine - said on Friday Sergei Lavrov'), else before it, else after it when a comma comes right
    before it and at most twelve words, no quotation, close the sentence ('The meeting was productive, said Lars
    Holm.'); such a closing name also wins over a role read before the verb ('..., citing reasons, said the head of
    the agency, Klaus Berg.')."""
    before = masked_sentence[:start]
    cleaned = clean_clause(before)
    inverted = (cleaned.rstrip(" ,.;:!?—–-").endswith("Q") or not cleaned.strip()
                or bool(re.search(r"\s[-–—]$", cleaned)))
    after = masked_sentence[end:]
    closing = cleaned.rstrip().endswith(",") and MASK not in after and len(after.split()) <= 12
    if inverted and (found := subject_after(after)):
        return found
    found, named = subject_before(before), closing and subject_after(after)
    if found and named and found[2] == "role" and named[2] == "name":
        return named  # '..., citing reasons, said the head of the agency, Klaus Berg.': the name after the verb
    return found or named or None


# --- resolving speakers -----------------------------------------------------------------------------------------

@dataclass
class Resolver:
    """Turns references into canonical speakers within one article: names seen, latest speaker, dictionaries."""

    people: dict[str, str]
    actors: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)   # name in the article → description
    latest: str = ""
    person: tuple[int, str] = (0, "")  # (sentence index, speaker) of the latest speaker who is a person
    opening: Callable[[int], str] = lambda index: ""  # sentence index → the person it opens with ('' if none)
    known: dict[tuple[str, int], str] = field(default_factory=dict)  # (name, len(names)) → canonical
    spellings: dict[str, str] = field(default_factory=dict)  # the person dictionary keyed by `spelling`
    documents: Callable[[int], bool] = lambda index: False  # sentence index → whether it mentions a document
    author: str = ""  # who the latest document the article mentions with a reporting clause speaks for

    def canonical(self, name: str) -> str:
        """Canonical form of a name: an actor's alias as written (the speaker is named as the article names it:
        'the Kremlin' stays 'Kremlin', not 'Russia'), else the longest article name containing it, then the
        person dictionary's name. Memoized while no name is added (names are never removed)."""
        key = (name, len(self.names))
        if key not in self.known:
            self.known[key] = self._canonical(name)
        return self.known[key]

    def _canonical(self, name: str) -> str:
        """`canonical`, computed."""
        if name in self.actors:
            return name
        parts = name.lower().split()  # case aside: 'Von der Leyen' is 'Ursula von der Leyen'
        longer = [n for n in self.names if len(n.split()) > len(parts) and all(p in n.lower().split() for p in parts)]
        full = max(longer, key=lambda n: len(n.split()), default=name)
        return self.people.get(full) or self.people.get(name) or self.spelled().get(spelling(full), full)

    def spelled(self) -> dict[str, str]:
        """The person dictionary keyed by `spelling` ('lavrov' → 'Sergei Lavrov'), built once per resolver."""
        if not self.spellings:
            self.spellings = {spelling(alias): name for alias, name in self.people.items()}
        return self.spellings

    def description(self, speaker: str) -> str:
        """The description the article gives `speaker` (or a name that is canonically `speaker`), else ''."""
        found = [d for n, d in self.names.items() if d and self.canonical(n) == speaker]
        return found[0] if found else ""

    def role(self, phrase: str, sentence: int = 0) -> str:
        """The person whose description holds every content word of the role `phrase`, else (loosely) whose
        description matches each of them (`loosely_described`); the latest speaker first among several; else, for
        a definite reference to a person ('the head of state', 'the politician', 'the ambassador') in sentence
        `sentence`, the person 'he' would stand for there (`he_or_she`: the nearer of the latest person speaker
        and the person an earlier sentence opens with) if their description holds the organization the role names
        (`qualifiers`: not 'the State Department spokesperson' for a president); else the phrase."""
        wanted = self.role_words(role_head(phrase))
        if indefinite(phrase) or plural(phrase) or (not wanted & SPEAKER_NOUNS
                                                    and not any(w in wanted for w in ("foreign", "prime"))):
            return phrase
        matches = [n for n, d in self.names.items() if d and wanted <= self.role_words(d)]
        matches = matches or [n for n, d in self.names.items() if d and loosely_described(wanted, self.role_words(d))]
        chosen = [n for n in matches if self.canonical(n) == self.latest] or matches
        if chosen:
            return self.canonical(chosen[0])
        latest = self.he_or_she(sentence)
        fits = latest and loosely_described(self.qualifiers(phrase), self.role_words(self.description(latest)))
        return latest if definite(phrase) and fits and wanted & PERSON_ROLES else phrase

    def qualifiers(self, phrase: str) -> set[str]:
        """The role words of the organization a role phrase names in capitals ('the State Department spokesperson'
        → state, department; none for 'the Belarusian leader'): a person stands for the role only if the
        description the article gives them holds these too."""
        named = [w for w in role_head(phrase).split()[1:] if w[:1].isupper()]
        return self.role_words(" ".join(named)) if any(is_organization(w) for w in named) else set()

    def named_later(self, role: Attribution, later: list[tuple[Attribution, str]]) -> str:
        """The person a definite person role that matched no one when read ('"...," the president said' before
        the article names him) stands for: the first person named as a speaker in the next `CATAPHORA`
        sentences whose description, if any, fits the role (`loosely_described`); '' if none."""
        wanted = self.role_words(role_head(role.reference))
        if not wanted & PERSON_ROLES or not definite(role.reference):
            return ""
        for attribution, kind in later:
            if attribution.sentence_index - role.sentence_index > CATAPHORA:
                break
            speaker = attribution.speaker
            if kind == "name" and self.is_person(speaker, attribution.reference, kind):
                described = self.role_words(self.description(speaker))
                return speaker if not described or loosely_described(wanted, described) else ""
        return ""

    def role_words(self, phrase: str) -> set[str]:
        """Content words of a role phrase, lower-cased, abbreviations spelled out, nationalities as countries."""
        result = set()
        for word in phrase.replace(",", " ").split():
            word = strip_possessive(word)
            word = word[3:] if word.lower().startswith("ex-") else word  # 'the ex-president'
            country = self.actors.get(word)
            result |= {country.lower()} if country else set(ABBREVIATIONS.get(word.lower(), [word.lower()]))
        return result - GENERIC

    def resolve(self, reference: str, description: str, kind: str, sentence: int = 0) -> str:
        """Canonical speaker of a parsed subject in sentence `sentence`; records names, the latest speaker and the
        latest person speaker. 'he' and 'she' stand for the nearer of the latest person speaker and the person an
        earlier sentence opens with ('Nice mayor Christian Estrosi expressed ... "...," he said'); 'they' and
        'it' for the latest speaker."""
        if kind == "pronoun":
            speaker = self.he_or_she(sentence, own=True) if reference in PERSONAL else self.latest
        elif kind == "role" and document(reference):
            speaker = self.author or reference
        elif kind == "role":
            speaker = self.role(reference, sentence)
        else:
            self.names.setdefault(reference, description)
            if description and not self.names[reference]:
                self.names[reference] = description
            speaker = self.canonical(reference)
        self.latest = speaker or self.latest
        if speaker and self.is_person(speaker, reference, kind):
            self.person = (sentence, speaker)
        if speaker and not document(reference) and self.documents(sentence):
            self.author = speaker  # 'the ministry said this in a statement': 'the statement' is the ministry's
        return speaker

    def he_or_she(self, sentence: int, *, own: bool = False) -> str:
        """The person 'he' or 'she' in sentence `sentence` stands for (see `resolve`; with `own`, for a pronoun, the
        person its own sentence opens with is the nearest: 'Spokesman Lars Holm frowned as he asked ...'; a role
        there is someone else: 'Lars Holm welcomed it after the mayor said'), '' if none is known."""
        found = (self.opening(i) for i in range(sentence - (not own), self.person[0], -1))
        return next((name for name in found if name), self.person[1])

    def is_person(self, speaker: str, reference: str, kind: str) -> bool:
        """True if a resolved `speaker` (from `reference` of `kind`) is a person: 'he' or 'she'; a role resolved to a
        name or made of a role noun ('the spokesman'); a name that is not an actor (country, organization), not an
        acronym ('UK'), and has no organization or state word in it and no institution word at its end."""
        if kind == "pronoun":
            return reference in PERSONAL
        if kind == "role":
            return speaker != reference or bool(self.role_words(reference) & (ROLE_NOUNS | TITLES))
        return (kind == "name" and speaker not in self.actors.values() and speaker not in self.actors
                and not speaker.isupper() and not institution_name(speaker)
                and not any(is_organization(w) or w.lower() in STATE_WORDS for w in speaker.split()))


def document(phrase: str) -> bool:
    """True if a role phrase is a definite reference to a document ('the statement', 'the report'): its author
    speaks through it."""
    words_ = role_head(phrase).lower().split()
    return definite(phrase) and len(words_) > 1 and words_[-1] in DOCUMENTS


INDEFINITE = ("a", "an", "one", "another")  # open a role that introduces someone not named
DETERMINERS = ("the",) + INDEFINITE  # open a role phrase (`role_phrase`)


def indefinite(phrase: str) -> bool:
    """True if a role phrase introduces someone not named ('a former Indian diplomat', 'an official', 'one adviser
    to the president'): it opens with 'a', 'an', 'one' or 'another'. Such a role stands for no person of the
    article."""
    return phrase.split()[0].lower() in INDEFINITE if phrase.split() else False


def plural(phrase: str) -> bool:
    """True if a role phrase names several people ('the foreign ministers', 'ISW analysts'): the last word before
    any organization or place (`role_head`) is a role or title with a plural -s. Such a role stands for no one
    person."""
    words_ = role_head(phrase).lower().split()
    last = words_[-1] if words_ else ""
    return last.endswith("s") and (last[:-1] in PERSON_WORDS or last[:-2] in PERSON_WORDS)


def definite(phrase: str) -> bool:
    """True if a role phrase refers to someone already known: it opens with 'the', 'this', 'that' or a possessive
    ("NATO's top official")."""
    first = phrase.split()[0] if phrase.split() else ""
    return first.lower() in ("the", "this", "that") or first.endswith(("'s", "’s"))


def role_head(phrase: str) -> str:
    """A role phrase without what ties it to an organization or place ('the director of the organization' → 'the
    director'): the words before its first `OF_WORDS` word."""
    words_ = phrase.split()
    cut = next((i for i, w in enumerate(words_) if i and w.lower() in OF_WORDS), len(words_))
    return " ".join(words_[:cut])


TRANSLITERATIONS = [("ł", "l"), ("sz", "sh"), ("cz", "ch"), ("w", "v"), ("j", "y"), ("ff", "v"), ("iy", "y"),
                    ("ey", "ei")]  # Polish and German spellings of Slavic names, and common English variants


@lru_cache(maxsize=1 << 16)
def spelling(name: str) -> str:
    """A key under which transliterations of one name agree ('Siergiej Ławrow', 'Sergei Lavrov' and 'Sergey
    Lavrov' → 'sergei lavrov'; 'Tinkoff' → 'tinkov'): lower case, accents removed, Polish and German letter
    groups as English spells them, 'iy'/'y' and 'ey'/'ei' endings merged."""
    key = unicodedata.normalize("NFKD", name.lower()).replace("ł", "l")
    key = "".join(c for c in key if not unicodedata.combining(c))
    for written, spoken in TRANSLITERATIONS:
        key = key.replace(written, spoken)
    return " ".join(key.split())


def loosely_described(wanted: set[str], described: set[str]) -> bool:
    """True if each word of a role reference matches a word of a description: the same first five letters
    ('lithuania' / 'lithuanian') or a title the role word may stand for (`ROLE_SYNONYMS`: 'diplomat' /
    'minister')."""
    return all(any(w[:5] == d[:5] or d in ROLE_SYNONYMS.get(w, ()) for d in described) for w in wanted)


def article_names(paras: list[Paragraph], resolver: Resolver) -> None:
    """Record in `resolver` every capitalized name of the article with the title or role words before it."""
    for paragraph in paras:
        for phrase in PHRASE.findall(paragraph.text):
            words_ = phrase.split()
            for end in range(1, len(words_) + 1):
                if words_[end - 1][:1].isupper() and (end == len(words_) or not words_[end][:1].isupper()):
                    parsed = parse_noun_phrase(" ".join(words_[:end]))
                    if parsed and parsed[2] == "name" and not headline(parsed[0]) and not glued(parsed[0]):
                        name, title = without_place(parsed[0], resolver), parsed[1]
                        resolver.names[name] = resolver.names.get(name) or title


def without_place(name: str, resolver: Resolver) -> str:
    """A capitalized run without a country or other actor's alias that opens it before a person's name of two
    words or more ('Ambassador of Ukraine in Poland Wasyl Zarycz': 'Poland Wasyl Zarycz' → 'Wasyl Zarycz')."""
    first, *rest = name.split()
    return " ".join(rest) if first in resolver.actors and len(rest) >= 2 and not any(
        w in resolver.actors for w in rest) else name


def glued(name: str) -> bool:
    """True if a capitalized run of several words holds an acronym or word in capitals ('Lars Holm AKA', 'Anna Berg
    MP') or a web address ('Gazeta.pl Anna Berg'): not recorded as a name, so that the person's name is not
    lengthened by it."""
    return len(name.split()) > 1 and any((len(w) > 1 and w.isupper()) or WEB_ADDRESS.search(w) for w in name.split())


WEB_ADDRESS = re.compile(r"[a-z]\.[a-z]{2,}")  # 'Gazeta.pl', 'Onet.pl': a medium, never part of a person's name


def headline(name: str) -> bool:
    """True if a capitalized run is a headline or label in capitals ('LIZ TRUSS ALREADY ENGULFED IN TURMOIL'), not
    a name: two words or more, every one in upper case."""
    return len(name.split()) > 1 and name.isupper()


def sentence_opening(paragraph: Paragraph, k: int, resolver: Resolver) -> str:
    """The person the paragraph's k-th sentence opens with: the name (with any title) before the first comma or
    connecting word of one of its first two phrases outside quotation marks ('Nice mayor Christian Estrosi, on
    Twitter, expressed ...', 'Meanwhile, Maria Zakharova, a spokesperson ...', 'Mr. Holm, 58, did not respond'), if
    it is a person (`Resolver.is_person`, `looks_like_a_person`; an honorific counts as a title); else '', also
    when it opens with several names joined by 'and' ('Korsakov, Artemyev and Matveyev were ...': no one person)."""
    start, end = paragraph.bounds(k)
    if NAME_LIST.match(paragraph.masked[start:end]):
        return ""
    for _, phrase in zip(range(2), PHRASE.finditer(paragraph.masked[start:end])):  # quoted words masked
        words_ = LEADING.sub("", phrase.group().strip()).split()  # 'But Russia's ambassador ...'
        if (subject := name_before_verb(words_, resolver)):
            return subject  # 'Marles met the Ukrainian prime minister'
        if words_ and words_[0].lower() in PREPOSITIONS:
            named = name_after_preposition(words_)  # 'In the morning talk Anna Berg was ...'; not 'With Putin now'
        else:
            named = first_name_words(words_[:subject_end(words_)])
        if not named or named[-1].endswith(("'s", "’s")) or verb_before(named):
            continue  # "Mr Putin's views ...": a possessor; 'The agency has accused President X': an object
        parsed = parse_noun_phrase(" ".join(named))
        if parsed and parsed[2] == "name":
            speaker = resolver.canonical(parsed[0])
            title = (parsed[1] or next((w for w in named if w.lower() in HONORIFICS), "")  # 'Mr. Holm'
                     or resolver.names.get(parsed[0], ""))  # 'Rutte', titled elsewhere ('Prime Minister Rutte')
            if resolver.is_person(speaker, parsed[0], "name") and looks_like_a_person(speaker, title, resolver):
                return speaker
    return ""


def name_before_verb(words_: list[str], resolver: Resolver) -> str:
    """The person whose name, alone (after any title or honorific), opens a phrase and is followed by a lower-case
    word that is no role, title, name particle or preposition (a verb: 'Marles met the Ukrainian prime minister',
    'Mr Biden backed Ukraine'; not a possessor, "Mr Putin's popularity", nor after a preposition, 'With Putin now
    looking'), if the article or the person dictionary
    names that person in full (two words or more); else ''."""
    run = 0 if words_ and not not_name_start(words_[0]) else len(words_)  # not 'With Putin now ...'
    while run < len(words_) and NAME_WORD.fullmatch(words_[run]):
        run += 1
    after = words_[run] if 0 < run < len(words_) else ""
    if (not after.islower() or after in PERSON_WORDS | NAME_JOINERS | GENERIC | PREPOSITIONS | STOPS
            or words_[run - 1].endswith(("'s", "’s"))):  # "Mr Putin's popularity": a possessor
        return ""
    parsed = parse_noun_phrase(" ".join(words_[:run]))  # 'Mr Putin' → Putin, 'President Biden' → Biden
    speaker = resolver.canonical(parsed[0]) if parsed and parsed[2] == "name" else ""
    known = len(speaker.split()) >= 2 and resolver.is_person(speaker, speaker, "name")
    return speaker if known and looks_like_a_person(speaker, "", resolver) else ""


def subject_end(words_: list[str]) -> int:
    """Index of the first connecting word (`STOPS`) after the first word of a phrase that opens a sentence,
    except a preposition tying a role to its organization or place ("Russia's ambassador to the US Anatoly
    Antonov"): the words before it may hold the sentence's subject; len(words_) if there is none."""
    return next((i for i, w in enumerate(words_) if i and w.lower() in STOPS and not (
        w.lower() in OF_WORDS and (words_[i - 1].lower() in ROLE_NOUNS or title_word(words_[i - 1])))), len(words_))


def verb_before(named: list[str]) -> bool:
    """True if the words of a sentence's opening up to its first name hold a verb before that name (an auxiliary,
    a form of 'be', or a lower-case word in -ed that is no role) or a pronoun: the name is then an object ('The
    agency has accused President Anna Berg', 'He told Anna Berg'), not the subject the sentence opens with."""
    return any(w in NOT_ROLE or w in COPULA or w.lower() in PRONOUNS
               or (w.islower() and w.endswith("ed") and w not in SPEAKER_NOUNS) for w in named[:-1])


def name_after_preposition(words_: list[str]) -> list[str]:
    """The name of two name-like words or more that ends a phrase opening with a preposition and no comma, right
    before the first lower-case word after a name, if the preposition's object comes between them and that word
    is no stop word, preposition, clause opener or name particle ('In the morning talk of Gazeta.pl Anna Berg was
    ...' → 'Anna Berg'; not 'With Lars Holm now pressing ...'): the subject after the prepositional phrase; []
    if none."""
    for i in range(3, len(words_)):
        run = trailing_name(words_[1:i]) if words_[i][:1].islower() and words_[i] not in NAME_JOINERS else []
        if run:
            follows_object = i - len(run) > 2  # words of the preposition's object come before the name
            return run if follows_object and words_[i] not in STOPS | PREPOSITIONS | CLAUSE_OPENERS else []
    return []


NAMES = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"  # one to four capitalized words
NAME_LIST = re.compile(rf"{NAMES}(?:,\s+{NAMES})*,?\s+and\s+[A-Z]")  # 'Korsakov, Artemyev and Matveyev'
PREPOSITIONS = set("with by for to in on at from of after before amid despite against under over during".split())
NOT_SPEAKER_WORDS = PREPOSITIONS | STOPS | COPULA | CLAUSE_OPENERS  # never in a two-word role without determiner


def first_name_words(words_: list[str]) -> list[str]:
    """The words of a phrase up to the end of its first name of two name-like words or more: after such a name, a
    lower-case word other than a name particle, or a capitalized word that is not name-like, ends it ('European
    Commission President Ursula von der Leyen has rolled out', 'Lars Holm AKA', "Mr Putin's views"); else up to its
    last capitalized word ('Nice mayor Christian Estrosi'); [] if no word is capitalized."""
    end, run = 0, 0  # run: name-like capitalized words in a row (particles between them allowed)
    for i, word in enumerate(words_):
        name_like = bool(NAME_WORD.fullmatch(strip_possessive(word)))
        if run >= 2 and not name_like and word not in NAME_JOINERS:
            break
        if word[:1].isupper():
            end, run = i + 1, run + 1 if name_like else 0
        elif word not in NAME_JOINERS:
            run = 0
    return words_[:end]


INITIAL = re.compile(r"[A-Z]\.")  # an initial in a name ('S. Jaishankar')
NAME_WORD = re.compile(r"[A-Z][a-z\u00C0-\u024F'’-]+(?:-[A-Z][a-z\u00C0-\u024F'’-]+)?")  # 'Síkela', 'Franz-Stefan'
NOT_NAME_ENDS = set(("university institute foundation forum bank group fund press presse cross spring network company "
                     "corporation association centre center school college museum club index exchange "
                     "birthday").split())


def institution_name(name: str) -> bool:
    """True if `name` ends in a word naming an institution or event ('Economic Forum', 'Red Cross',
    'Agence France-Presse')."""
    return name.split()[-1].split("-")[-1].lower() in NOT_NAME_ENDS if name.split() else False


def looks_like_a_person(speaker: str, title: str, resolver: Resolver) -> bool:
    """True if a name that opens a sentence (already a person by `Resolver.is_person`) looks like a person's:
    one of the actor dictionary's people; or one name-like word after a title ('Pope Francis'); or two to four
    name-like words (capitalized, no full stops or capitals inside: not 'DAX') none of which is an actor's alias
    ('Kyiv'), whose first word is not a common word capitalized at the start of a sentence (an English stop word,
    an -ly adverb, an -ing form: 'During', 'Apparently', 'Using'; but 'Anatoly', 'Vitaly' are names)."""
    words_ = speaker.split()
    if speaker in resolver.people.values() or (len(words_) == 1 and title and NAME_WORD.fullmatch(speaker)):
        return True
    first = words_[0].lower() if words_ else ""
    return (2 <= len(words_) <= 4 and all(NAME_WORD.fullmatch(w) for w in words_)
            and not any(w in resolver.actors or strip_possessive(w) in resolver.actors for w in words_)
            and first not in STOP_WORDS
            and not (first.endswith(("ly", "ing")) and not first.endswith(("oly", "aly"))))


@dataclass
class Clause:
    """A reporting clause found before resolving: sentence, verb position in the paragraph, verb, parsed subject
    (reference, description, kind) and the words that decided it."""

    sentence_index: int
    position: int
    verb: str
    subject: tuple[str, str, str]
    evidence: str


def regex_clauses(paragraph: Paragraph, k: int) -> list[Clause]:
    """Reporting clauses of the paragraph's k-th sentence found by the cheap path: a speech verb (`VERB`, or
    `INVERTED_VERB` right after a quotation) and the subject read around it (`clause_subject`)."""
    start, end = paragraph.bounds(k)
    masked, found = paragraph.masked[start:end], []
    inverted = [m for m in INVERTED_VERB.finditer(masked)
                if clean_clause(masked[:m.start()]).rstrip(" ,.;:!?—–-").endswith("Q")]
    labelled = paragraph.label and k == 0 and parse_noun_phrase(paragraph.label)
    if labelled:
        found.append(Clause(paragraph.indexes[k], start, ":", labelled, f"label: {labelled[0]}"))
    tail = TAIL_CLAUSE.search(masked.rstrip())
    inverted += [tail] if tail and not any(m.start() == tail.start(1) for m in inverted) else []
    for match in sorted([*VERB.finditer(masked), *inverted], key=lambda m: m.start(1)):
        if match.group(1).lower() == "according to":
            parsed = subject_after(according_object(masked[match.end(1):]))
        else:
            parsed = clause_subject(masked, match.start(1), match.end(1))
        if parsed:
            found.append(Clause(paragraph.indexes[k], start + match.start(1), match.group(1), parsed,
                                f"{match.group(1)}: {parsed[0]}"))
    return found


def needs_parse(paragraph: Paragraph, k: int) -> bool:
    """True if the paragraph's k-th sentence may hold speech whose reporting clause the parse can find: it has at
    least two words outside its quotations, and one of its quotations is not a scare-quote candidate (it is
    dash-introduced, has four words or more, or a function word: `a_term`). Else parsing cannot change a speaker."""
    start, end = paragraph.bounds(k)
    masked = paragraph.masked[start:end]
    if paragraph.kind not in SPOKEN_KINDS or MASK not in masked or len(OUTSIDE_WORD.findall(masked)) < 2:
        return False
    for run in MASKED.finditer(masked):
        quoted = paragraph.text[start + run.start():start + run.end()]
        found = words(word_tokens(quoted))
        if quoted[:1] in "-–—" or len(found) >= 4 or not a_term(" ".join(found)):
            return True
    return False


def holds_term(paragraph: Paragraph, k: int) -> bool:
    """True if the paragraph's k-th sentence (body text, two words or more outside its quotations) holds a short
    quotation that reads as a term (`a_term`, one to three words): whether it is the speaker's words or a scare
    quote depends on its place in the parse (`quote_kind`)."""
    start, end = paragraph.bounds(k)
    masked = paragraph.masked[start:end]
    if paragraph.kind not in SPOKEN_KINDS or MASK not in masked or len(OUTSIDE_WORD.findall(masked)) < 2:
        return False
    for run in MASKED.finditer(masked):
        found = words(word_tokens(paragraph.text[start + run.start():start + run.end()]))
        if 1 <= len(found) <= 3 and a_term(" ".join(found)):
            return True
    return False


def quotation_roles(doc, start: int, origin: list[int]) -> dict[int, str]:
    """Paragraph position of each quotation's opening mark → the dependency label of its placeholder in `doc`
    (the parse of `parse_text`, from the sentence starting at paragraph position `start`)."""
    return {start + origin[t.idx]: quoted_role(t) for t in doc if t.text == "Q" and t.i and doc[t.i - 1].text == '"'}


def quoted_role(token) -> str:
    """The dependency label of a quotation placeholder, but 'speech' for the object of a preposition that a speech
    verb or speech act governs ('warned of a "distinct possibility"', 'described the invasion as "imminent"') and
    for the subject of the clause a speech verb reports ('said "street fighting" was taking place'): words the
    speaker used, not a label referred to; and 'name' for a term a naming noun (`NAMING`) mentions ('the
    term "smart sanctions"'): a label."""
    verb = token.head.head
    if naming(token):
        return "name"
    if sourced(token):
        return "sourced"
    if token.dep_ == "pobj" and token.head.dep_ == "prep" and (speech_verb(verb) or verb.lower_ in SPEECH_ACTS):
        return "speech"
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ccomp" and speech_verb(token.head.head):
        return "speech"  # 'said "street fighting" was taking place': the subject of what the speaker said
    return token.dep_


def sourced(token) -> bool:
    """True if a quotation placeholder lies in a noun phrase that names its own source, below the nearest verb: a
    noun with a 'from' or 'by' phrase whose object can speak (a role noun such as 'officials', a person, an
    organization or a country: 'amid warnings from US officials on "consequences"'; not 'an offensive from a
    refinery'): the term is that source's, not the speaker's of the sentence."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return False
        sources = [g for c in ancestor.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                   for g in c.children if g.dep_ == "pobj"]
        if ancestor.pos_ in ("NOUN", "PROPN") and any(
                g.lower_.removesuffix("s") in SPEAKER_NOUNS or g.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                for g in sources):
            return True
    return False


def naming(token) -> bool:
    """True if a quotation placeholder is a term the sentence mentions as a term: a naming noun (`NAMING`) is among
    its modifiers ('the term "Q"') or it is in apposition to one ('the slogan, "Q"')."""
    return (any(c.lower_ in NAMING for c in token.children if c.dep_ in ("nmod", "compound", "amod", "appos"))
            or (token.dep_ == "appos" and token.head.lower_ in NAMING))


PARTY_TAG = r"(,\s+[DRI]-[A-Z][A-Za-z.]{1,11},|,\s+[DRI]-[A-Z][A-Za-z]{1,11}\.?(?=\s|$)|\s*\([DRI]-[A-Z][A-Za-z.]{1,11}\))"
PARSE_PIECES = re.compile(MASK + "+|" + PARTY_TAG + "|[^" + MASK + ",(]+|[,(]")  # a US politician's party and state


def parse_text(masked: str) -> tuple[str, list[int]]:
    """A masked sentence as text for the parser (each quotation a quoted placeholder '"Q"', a US politician's party
    and state left out: 'Kelly, D-AZ., told', 'Sen. Ted Cruz (R-Texas) said') and, for each of its characters,
    the position in `masked` it comes from."""
    text, origin = [], []
    for piece in PARSE_PIECES.finditer(masked):
        chunk = '"Q"' if piece.group()[0] == MASK else "" if piece.group(1) else piece.group()
        text.append(chunk)
        origin += [piece.start()] * len(chunk) if chunk == '"Q"' else list(range(piece.start(), piece.end()))
    return "".join(text), origin


def parsed_clauses(doc, paragraph: Paragraph, k: int, origin: list[int]) -> list[Clause]:
    """Reporting clauses of the paragraph's k-th sentence read from its dependency parse (`doc`, of `parse_text`):
    each verb that is a speech verb (`SPEECH_VERBS`) or governs a quotation ('"...," he continued', 'Kyiv "might"
    consider it, the ambassador suggested'), with its subject (that of the verb it is conjoined to,
    if it has none; for a verb that is not a speech verb, a subject that can speak: `can_speak`); 'according to
    X' gives X."""
    start, _ = paragraph.bounds(k)
    found = []
    for token, subject, verb in reporting_words(doc):
        subject = person_before(token) if subject is None and verb else subject
        parsed = subject_phrase(subject) if subject is not None else None
        if parsed and (not verb or speech_verb(token) or can_speak(subject, token)):
            found.append(Clause(paragraph.indexes[k], start + origin[token.idx], token.text, parsed,
                                f"{token.text}: {parsed[0]} (parse: {subject.dep_})"))
    return found


def can_speak(subject, verb) -> bool:
    """True unless a parsed subject of `verb` (a verb governing a quotation, not a speech verb) cannot be a speaker:
    a named entity of a kind that cannot speak (a place, a date, an event, a number: `MUTE_ENTITIES`; 'Central
    Europe'), a token holding a quotation mark (a placeholder glued to a word), or, for a form of 'be', a common
    noun that is neither a named entity, a role nor an organization ('invasion could be "two to three weeks
    away"': the quotation describes the subject, nobody says it)."""
    thing = (verb.lower_ in COPULA and subject.pos_ == "NOUN" and not subject.ent_type_
             and subject.lower_.removesuffix("s") not in SPEAKER_NOUNS and subject.lower_ not in SPEAKER_NOUNS
             and not is_organization(subject.text))
    return subject.ent_type_ not in MUTE_ENTITIES and not DOUBLE_MARK.search(subject.text) and not thing


def reporting_words(doc) -> Iterator[tuple]:
    """(word, subject token or None, whether the word is a verb) of each reporting word of a parse: 'according'
    with the object of its 'to'; 'opinion' with its holder (`opinion_of`); a speech verb (`verbal`), or a verb
    governing a quotation that no speech verb reports, with its subject (`verb_subject`; where it has none,
    `parsed_clauses` takes a person named just before it)."""
    for token in doc:
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            objects = [g for c in token.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
            yield token, objects[0] if objects else None, False
        elif verbal(token) and (speech_verb(token) or (
                (governs_quote(token) or quoted_complement(token)) and not reported_by(token))):
            yield token, verb_subject(token), True
        elif (holder := opinion_of(token)) is not None:
            yield token, holder, False


def verbal(token) -> bool:
    """True if a parsed word acts as a verb: tagged a verb, or a speech participle the tagger took for a noun but
    the parse attaches as a clause ('appeared on TV, saying, "..."')."""
    return token.pos_ in ("VERB", "AUX") or (token.lower_ in SPEECH_PARTICIPLES and token.dep_ in CLAUSES)


def opinion_of(token):
    """The holder of an opinion that introduces the speaker's words ('In his opinion, "..."', 'in Holm's view'):
    the possessor of 'opinion', 'view' or 'words' after 'in', when the sentence holds a quotation; else None."""
    if token.lower_ not in OPINIONS or token.dep_ != "pobj" or token.head.lower_ != "in":
        return None
    if not any(t.text == "Q" for t in token.doc):
        return None
    return next((c for c in token.children if c.dep_ == "poss"), None)


def reads_entities(doc) -> bool:
    """True if `parsed_clauses` reads the named entities of `doc` (which `parse.recognize` must have found): for a
    reporting verb without a subject (`person_before`) or a subject that is no pronoun (`subject_phrase`)."""
    return any(verb if subject is None else not pronoun_subject(subject)
               for _, subject, verb in reporting_words(doc))


def entity_parses(docs: list, clauses: list[bool]) -> list:
    """The parses among `docs` whose named entities `parsed_clauses` reads: where `clauses` says the sentence's
    reporting clauses are read from its parse (it has no cheap clause) and `reads_entities`."""
    return [doc for doc, read in zip(docs, clauses) if read and reads_entities(doc)]


def pronoun_subject(subject) -> bool:
    """True if `subject_phrase` reads a subject token as a pronoun, or as no phrase at all, without its entities."""
    return subject.lower_ in PRONOUNS or subject.lower_ in POSSESSIVES or subject.tag_ in NO_PHRASE_TAGS


def governs_quote(verb) -> bool:
    """True if the quotation placeholder depends on the verb, or lies in its complement clause, or opens the
    sentence and the parse hangs it on the verb's subject ('"Q" the document, the first of its kind, reads.')."""
    for child in verb.children:
        if child.text == "Q" or (child.dep_ in ("ccomp", "parataxis") and any(t.text == "Q" for t in child.subtree)):
            return True
        if child.dep_ == "nsubj" and any(g.text == "Q" and g.i < child.i and opens_parse(g) for g in child.children):
            return True
    return False


def opens_parse(token) -> bool:
    """True if `token` is the first word of its parse (only punctuation before it)."""
    return all(t.is_punct for t in token.doc[:token.i])


def quoted_complement(verb) -> bool:
    """True if `verb` is a speech act (`SPEECH_ACTS`) and a quotation placeholder lies in its object or that
    object's complement: every dependency from the placeholder up to the verb is a `COMPLEMENT` relation (not a
    clause of its own: a relative clause, an adverbial clause)."""
    if verb.lower_ not in SPEECH_ACTS:
        return False
    for token in verb.subtree:
        link = token
        while token.text == "Q" and link.i != verb.i and link.dep_ in COMPLEMENT:
            link = link.head
        if token.text == "Q" and link.i == verb.i:
            return True
    return False


def speech_verb(token) -> bool:
    """True if a parsed verb is a speech verb (`SPEECH_VERBS`, `SPEECH_PARTICIPLES`)."""
    return token.lower_ in SPEECH_VERBS or token.lower_ in SPEECH_PARTICIPLES


def reported_by(verb) -> bool:
    """True if a verb lies in what a speech verb reports: its clause is the complement (or a clause conjoined to
    the complement) of a speech verb ('Baerbock said the world had reached "..."': 'reached' is reported by
    'said', whose subject is the speaker, not 'the world'), or the content of a noun ('the idea that ...')."""
    if verb.dep_ in ("acl", "ccomp") and verb.head.pos_ in ("NOUN", "PROPN"):
        return True  # 'spreading the idea that Slovakia has "lost ..."': a noun's content, not its subject's words
    token = verb
    while token.dep_ in ("ccomp", "xcomp", "conj", "parataxis", "advcl") and token.head is not token:
        token = token.head
        if speech_verb(token):
            return True
    return False


def person_before(verb):
    """The last token of a PERSON entity that ends just before a verb the parse gave no subject, with only
    punctuation between ('At a summit, Norway's trade minister, Ingrid Falk, said ...', where the parser hangs the
    apposition on the place name); else None."""
    entity = next((e for e in reversed(verb.doc.ents) if e.end <= verb.i), None)
    if entity is None or entity.label_ != "PERSON":
        return None
    between = verb.doc[entity.end:verb.i]
    return entity[-1] if all(t.is_punct for t in between) else None


def verb_subject(verb):
    """The active subject of a verb, or of the verb it is conjoined to ('made the announcement and said'); where
    the parse makes the quotation the subject, the noun in apposition to it."""
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "advcl", "xcomp") else None):
        if candidate is None:
            continue
        subjects = [c for c in candidate.children if c.dep_ == "nsubj" and c.text != "Q"]
        if subjects:  # '"Q" the minister joked': the placeholder is parsed as a second subject
            return min(subjects, key=lambda c: c.ent_type_ != "PERSON")  # 'Ambassador ... Anna Berg appeared
        apposed = [a for c in candidate.children if c.dep_ == "nsubj" and c.text == "Q" for a in c.children
                   if a.dep_ == "appos" and a.pos_ in ("NOUN", "PROPN")]
        if apposed:  # '"Q," the document, the first of its kind, reads': the subject hung on the placeholder
            return apposed[0]
    return None


def subject_phrase(subject) -> tuple[str, str, str] | None:
    """(reference, description, kind) of a subject token from the parse: a pronoun; the person (or organization)
    the named entity in its phrase or its apposition names, with the words before it as description ('Ukraine's
    foreign minister, Dmytro Kuleba,'); else the phrase read by `parse_noun_phrase` (a role such as 'Lithuania's
    top diplomat', later linked to the named person it stands for)."""
    if subject.lower_ in PRONOUNS or subject.lower_ in POSSESSIVES:
        return POSSESSIVES.get(subject.lower_, subject.lower_), "", "pronoun"
    if subject.tag_ in NO_PHRASE_TAGS:
        return None
    words_ = [t for t in subject.subtree if t.dep_ not in ("relcl", "acl", "punct") and t.text != "Q"
              and not any(a.dep_ in ("relcl", "acl", "appos") and a.i < subject.i for a in t.ancestors)]
    apposed = [c for c in subject.children if c.dep_ == "appos"] + [  # 'The mayor of Lund, Per Ekholm,'
        t for t in subject.subtree if t.dep_ == "appos" and t.head is not subject and t.ent_type_ == "PERSON"]
    head_words = [t for t in words_ if t.i <= subject.i or t.dep_ in ("compound", "flat")]
    for source in ([subject] + apposed):
        entity = next((e for e in source.doc.ents if e.start <= source.i < e.end), None)
        if entity is not None and entity.label_ in ("PERSON", "ORG"):
            before = token_text([t for t in head_words if t.i < entity.start])
            name = " ".join(POSSESSOR.split(strip_possessive(entity.text))[-1].split())  # "Putin's Russia": Russia
            name = name[4:] if name.startswith(("The ", "the ")) else name
            return name, "" if before.lower() in HONORIFICS else before.strip(" ,"), "name"
    return parse_noun_phrase(token_text(head_words))


POSSESSOR = re.compile(r"['’]s\s+")  # a possessive inside a named entity ("Vladimir Putin's Russia")


def token_text(tokens: list) -> str:
    """Parse tokens joined by spaces, a possessive ('s, ’s) written against its word ("Putin’s spokesperson")."""
    return " ".join(t.text for t in tokens).replace(" 's", "'s").replace(" ’s", "’s")


def clause_plan(paras: list[Paragraph]) -> tuple[dict[tuple[int, int], list[Clause]], list[tuple[Paragraph, int]]]:
    """The cheap path's reporting clauses of each sentence ((paragraph number, k) → `regex_clauses`) and the
    sentences left to the parse ((paragraph, k): no cheap clause and `needs_parse`, or a cheap clause and a short
    quoted term whose kind the parse decides, `holds_term`), of paragraphs whose quotations are masked
    (`quote_spans`)."""
    cheap = {(p.number, k): regex_clauses(p, k) if p.kind in SPOKEN_KINDS else []
             for p in paras for k in range(len(p.indexes))}
    return cheap, [(p, k) for p in paras for k in range(len(p.indexes))
                   if (needs_parse(p, k) if not cheap[p.number, k] else holds_term(p, k))]


@dataclass
class Plan:
    """The start of one article's attribution: its paragraphs (quotations masked), its quotations (`quote_spans`),
    the cheap path's clauses of each sentence and the sentences left to the parse (`clause_plan`)."""

    paras: list[Paragraph]
    spans: list[Span]
    cheap: dict[tuple[int, int], list[Clause]]
    wanted: list[tuple[Paragraph, int]]


def article_plan(rows: list[dict]) -> Plan:
    """The `Plan` of one article's sentence rows (as `article_quotes` takes them)."""
    paras = paragraphs(rows)
    spans = quote_spans(paras)
    return Plan(paras, spans, *clause_plan(paras))


def parse_requests(rows: list[dict]) -> list[tuple[str, bool]]:
    """The texts `article_clauses` parses for one article's sentence rows (as `article_quotes` takes them), each
    with whether its reporting clauses are read from the parse (no cheap clause: its named entities may be read),
    so that a worker can parse those of many articles in one batch (`parse.prefetched`, `parse.recognize`)."""
    return plan_requests(article_plan(rows))


def plan_requests(plan: Plan) -> list[tuple[str, bool]]:
    """`parse_requests` of an article's `Plan`."""
    return [(parse_text(p.masked[slice(*p.bounds(k))])[0], not plan.cheap[p.number, k]) for p, k in plan.wanted]


_planned: dict[int, tuple[list[dict], Plan]] = {}  # id of an article's rows → (rows, plan): the `planned` block's


@contextmanager
def planned(articles: Iterable[list[dict]]) -> Iterator[list[tuple[str, bool]]]:
    """Yields the `parse_requests` of `articles` (each one article's sentence rows), in order; within the block,
    `article_quotes` of one of these very row lists starts from the `Plan` made for its requests rather than
    making it again (once: the attribution changes its plan)."""
    plans = [(rows, article_plan(rows)) for rows in articles]
    _planned.update((id(rows), (rows, plan)) for rows, plan in plans)
    try:
        yield [request for _, plan in plans for request in plan_requests(plan)]
    finally:
        for rows, _ in plans:
            _planned.pop(id(rows), None)


def article_clauses(plan: Plan) -> list[Clause]:
    """Reporting clauses of an article (its `Plan`) in reading order: the cheap path's (`regex_clauses`) where it
    finds one; the parse's (`parsed_clauses`) for each sentence holding a quotation where it finds none. The
    sentences the parse needs are parsed together, in one batch."""
    paras, cheap, wanted = plan.paras, plan.cheap, plan.wanted
    texts = [parse_text(p.masked[slice(*p.bounds(k))]) for p, k in wanted]
    docs = parse([t for t, _ in texts])
    recognize(entity_parses(docs, [not cheap[p.number, k] for p, k in wanted]))
    for (p, k), doc, (_, origin) in zip(wanted, docs, texts):
        p.roles |= quotation_roles(doc, p.bounds(k)[0], origin)
        cheap[p.number, k] = cheap[p.number, k] or parsed_clauses(doc, p, k, origin)
    return [c for p in paras for k in range(len(p.indexes)) for c in cheap[p.number, k]]


def resolve_clauses(clauses: list[Clause], resolver: Resolver) -> list[Attribution]:
    """Attributions of reporting clauses, resolved one after the other in reading order."""
    found = []
    for clause in clauses:
        reference, description, kind = clause.subject
        speaker = resolver.resolve(reference, description, kind, sentence=clause.sentence_index)
        description = description or resolver.description(speaker)
        evidence = clause.evidence + (f" → {speaker}" if speaker and speaker != reference else "")
        found.append(Attribution(clause.sentence_index, clause.position, clause.verb, reference, speaker,
                                 description if kind != "role" else reference, evidence))
    people = [(a, kind) for a, (_, _, kind) in zip(found, (c.subject for c in clauses))]
    for k, (attribution, kind) in enumerate(people):
        if kind == "role" and attribution.speaker == attribution.reference:
            named = resolver.named_later(attribution, [(a, kind_) for a, kind_ in people[k + 1:]])
            if named:  # the role, and every pronoun read as the role meanwhile ('The governor said'; 'he said')
                for later in [attribution] + [a for a, _ in people[k + 1:] if a.speaker == attribution.reference]:
                    later.speaker = named
                    later.evidence += f" → {named} (named after it)"
    return found


# --- quotations -------------------------------------------------------------------------------------------------

def opens_sentence(span: Span) -> bool:
    """True if the quotation opens its sentence, or follows a colon or a reporting verb and comma."""
    paragraph = span.paragraph
    start, _ = paragraph.bounds(paragraph.sentence_at(span.open))
    before = clean_clause(paragraph.masked[start:span.open])
    return not before.strip(" (") or before.endswith(":") or bool(VERB_THEN_COMMA.search(before))


def after_colon(span: Span) -> bool:
    """True if the quotation follows a colon in its sentence, words before it ('Rutte was not clear: "..."')."""
    paragraph = span.paragraph
    start, _ = paragraph.bounds(paragraph.sentence_at(span.open))
    before = clean_clause(paragraph.masked[start:span.open])
    return before.endswith(":") and len(before.split()) > 1


def quote_kind(span: Span, n_words: int, attributed: bool, *, reported: bool = False) -> str:
    """'quote', 'partial' or 'scare' (see the module docstring), for a quotation of `n_words` word tokens;
    `attributed`: its sentence has a reporting clause with a speaker; `reported`: that clause's speech verb comes
    before the quotation (`reports`): a short term it reports is the speaker's words unless a naming noun mentions
    it ('accused them of "staying silent"', not 'the term "X"')."""
    if span.style in ("dash", "label"):
        return "quote"
    first, last = span_sentences(span)
    own_punctuation = piece_text(span_pieces(span)[-1]).rstrip()[-1:] in ",.?!…;:"
    if opens_sentence(span) and (first != last or own_punctuation or n_words >= 4):
        return "quote"
    if n_words >= 4 or (attributed and not a_term(span_text(span))):
        return "partial"
    role = span.paragraph.roles.get(span.open, "pobj")
    return "partial" if attributed and (role not in LABEL_ROLES or (reported and role in PARSE_ROLES)) else "scare"


def reports(clause: Attribution, span: Span) -> bool:
    """True if a quotation's reporting clause has a speech verb before the quotation in its sentence, or is an
    'according to' after it ('pushed millions into "acute hunger", according to the World Food Programme')."""
    if clause.verb.lower() == "according to":
        return clause.position > span.close >= 0 and clause.sentence_index == span_sentences(span)[1]
    return (clause.position < span.open and clause.sentence_index == span_sentences(span)[0]
            and clause.verb.lower() in SPEECH_VERBS)


def a_term(text: str) -> bool:
    """True if a short quotation reads as a term or label (scare quotes: 'invisible hand', 'denazify'): none of its
    words is a function word other than an article ('not to withdraw', 'in the coming days' are words someone
    said)."""
    return all(w.lower() not in STOP_WORDS or w.lower() in ("a", "an", "the") for w in words(word_tokens(text)))


def span_attribution(span: Span, clauses: dict[int, list[Attribution]]) -> Attribution | None:
    """The reporting clause of a quotation (`clauses`: each sentence_index's reporting clauses, in order): the first
    one after its closing mark in its last sentence (within twelve words), else the last one before its opening
    mark in its first sentence."""
    first, last = span_sentences(span)
    tail = span_pieces(span)[-1]
    after = [c for c in clauses.get(last, []) if tail.close >= 0 and c.position > tail.close
             and (len(clean_clause(tail.paragraph.masked[tail.close:c.position]).split()) <= 12
                  or closes_sentence(tail.paragraph, c.position) or subject_between(tail, c))]
    before = [c for c in clauses.get(first, []) if c.position < span.open]
    if before and after and not opens_sentence(span) and not right_after(tail, after[0]):
        return before[-1]
    return after[0] if after else (before[-1] if before else None)


def subject_between(tail: Span, clause: Attribution) -> bool:
    """True if the words between a quotation's closing mark and a reporting verb after it are the clause's subject
    and its description ('"...," Lars Holm, a retired admiral and former head of ... told the paper'), or open with
    the subject ('"...," Lars Holm, the deputy mayor, who managed to leave ..., told the paper'), however long."""
    between = clean_clause(tail.paragraph.masked[tail.close:clause.position]).strip(" Q,.;:!?").split()
    subject = clause.reference.split()
    opening = [w.strip(",;:") for w in between[:len(subject)]]
    return len(between) <= 2 + len(subject) + len(clause.description.split()) or opening == subject


def right_after(tail: Span, clause: Attribution) -> bool:
    """True if a reporting clause follows a quotation's closing mark closely: at most four words between them."""
    return len(clean_clause(tail.paragraph.masked[tail.close + 1:clause.position]).split()) <= 4


def article_quotes(rows: list[dict], resolver: Resolver) -> tuple[list[dict], list[Attribution]]:
    """Quotation rows (without quote_index) and reporting clauses of one article's sentence rows (dicts with
    article_id, paragraph, kind, sentence_index, text; reading order)."""
    entry = _planned.pop(id(rows), None)
    plan = entry[1] if entry is not None and entry[0] is rows else article_plan(rows)
    paras, spans = plan.paras, plan.spans
    article_names(paras, resolver)
    where = {index: (paragraph, k) for paragraph in paras for k, index in enumerate(paragraph.indexes)}
    resolver.opening = cache(lambda index: sentence_opening(*where[index], resolver) if index in where else "")
    resolver.documents = lambda index: index in where and mentions_document(*where[index])
    clauses = resolve_clauses(article_clauses(plan), resolver)
    by_sentence: dict[int, list[Attribution]] = {}
    for clause in clauses:
        by_sentence.setdefault(clause.sentence_index, []).append(clause)
    found, previous = [], None
    for span in spans:
        clause = span_attribution(span, by_sentence)
        speaker, description = (clause.speaker, clause.description) if clause else ("", "")
        evidence = clause.evidence if clause and speaker else ""
        text, (first, last) = span_text(span), span_sentences(span)
        n_words = len(words(word_tokens(text)))
        kind = quote_kind(span, n_words, bool(speaker), reported=bool(speaker) and reports(clause, span))
        follows = previous and previous[1]["last_sentence"] >= first - 1  # a run of quotes
        opener = resolver.opening(first) if kind == "quote" and clause is None and after_colon(
            span) else ""
        neighbour = adjacent_clause(span, by_sentence) if kind == "quote" and clause is None and not follows else None
        if opener:
            speaker, description = opener, resolver.description(opener)
            evidence = f"no reporting clause: {opener}, whom the sentence opens with, before a colon"
        elif neighbour is not None:
            speaker, description = neighbour.speaker, neighbour.description
            evidence = f"no reporting clause: {neighbour.evidence}, sentence {neighbour.sentence_index}"
        elif clause is None and previous and (near(previous[0], span) if kind == "quote" else kind == "partial"
                                              and follows):  # a partial quote goes on a quotation just before it
            speaker, description = previous[1]["speaker"], previous[1]["speaker_description"]
            evidence = f"no reporting clause: speaker of the quotation in sentence {previous[1]['first_sentence']}"
        spoken = kind != "scare"
        row = dict(article_id=span.paragraph.article_id, kind=kind, style=span.style,
                   speaker=speaker if spoken else "", speaker_description=description if spoken else "",
                   speaker_evidence=evidence if spoken else "", text=text,
                   first_sentence=first, last_sentence=last, words=n_words)
        found.append(row)
        previous = (span, row) if spoken and row["speaker"] else previous
    return requoted(found, resolver), clauses


def requoted(found: list[dict], resolver: Resolver) -> list[dict]:
    """Quotation rows in which a quotation of three words or more that has no speaker, or an actor's (a country,
    an organization: 'China said the war "could have been avoided"'), takes the person whose longer quotation
    in the article holds the same words ('"The crisis is a tragedy that could have been avoided," Qin Gang
    said'): the same words are one speaker's, and the article names who spoke them."""
    people = [(q, plain_words(q["text"])) for q in found if q["kind"] != "scare" and q["speaker"]
              and resolver.is_person(q["speaker"], q["speaker"], "name")]
    for row in found:
        if row["kind"] == "scare" or row["words"] < 3 or (row["speaker"] and row["speaker"] not in resolver.actors
                                                         and row["speaker"] not in resolver.actors.values()):
            continue
        said = plain_words(row["text"])
        source = next((q for q, plain in people if q is not row and said in plain), None)
        if source is not None:
            row.update(speaker=source["speaker"], speaker_description=source["speaker_description"],
                       speaker_evidence=f"the same words quoted from {source['speaker']} in sentence "
                                        f"{source['first_sentence']}")
    return found


def plain_words(text: str) -> str:
    """A quotation's words in lower case, one space apart and between spaces (' could have been avoided ')."""
    return " " + " ".join(LETTERS.findall(text.lower())) + " "


LETTERS = re.compile(r"[^\W_]+")  # a run of letters or digits (`plain_words`)


def mentions_document(paragraph: Paragraph, k: int) -> bool:
    """True if the paragraph's k-th sentence names a document (`DOCUMENTS`) outside its quotations ('the ministry
    said this in a statement')."""
    return not DOCUMENTS.isdisjoint(re.findall(r"[a-zé]+", paragraph.masked[slice(*paragraph.bounds(k))].lower()))


def closes_sentence(paragraph: Paragraph, position: int) -> bool:
    """True if the reporting verb at `position` is in a clause that closes its sentence after a comma, governing
    all of it ('The country faces an "increasingly fragile order" that ..., a spy report says.'): a comma within
    the five words before the verb and at most four words after it."""
    start, end = paragraph.bounds(paragraph.sentence_at(position))
    before = paragraph.masked[start:position].split()[-6:]
    return len(paragraph.masked[position:end].split()) <= 5 and any(w.endswith(",") for w in before[:-1])


def adjacent_clause(span: Span, clauses: dict[int, list[Attribution]]) -> Attribution | None:
    """For a quotation with no reporting clause of its own: the reporting clause (with a speaker) of the sentence
    just before it ('Zelensky said there were lines of traffic.' then '"The absolute majority ..."'), else of the
    sentence just after it ('"Who else is there to invite?"' then 'Mr. Malofeev asked.'); None if neither has
    one (the quotation then keeps the speaker of the quotation before it, `near`)."""
    first, last = span_sentences(span)
    before = [c for c in clauses.get(first - 1, []) if c.speaker]
    after = [c for c in clauses.get(last + 1, []) if c.speaker]
    return before[-1] if before else (after[0] if after else None)


def near(earlier: Span, later: Span) -> bool:
    """True if `later` follows `earlier` in the same paragraph or in one of the next `CARRY` paragraphs."""
    return 0 <= later.paragraph.number - span_pieces(earlier)[-1].paragraph.number <= CARRY


def find_quotes(sentences: pd.DataFrame, actors: list[Actor] | None = None) -> pd.DataFrame:
    """Quotations of every article (the sentences table: article_id, sentence_index, paragraph, text), one row
    each: article_id, quote_index (1-based per article), kind (quote / partial / scare), speaker (canonical; ''
    for scare quotes and unattributed ones), speaker_description (as the article describes the speaker), text
    (between the marks), first_sentence, last_sentence, words (word tokens)."""
    actors = load_actors() if actors is None else actors
    rows = [row for group in rows_by_article(sentences).values() for row in numbered_quotes(group, actors)]
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def numbered_quotes(rows: list[dict], actors: list[Actor]) -> list[dict]:
    """Quotation rows of one article's sentence rows (see `article_quotes`), with quote_index from 1."""
    found, _ = article_quotes(rows, Resolver(person_names(actors), actor_names(actors)))
    return [{**row, "quote_index": i} for i, row in enumerate(found, start=1)]


def reported_speech(sentences: pd.DataFrame, actors: list[Actor] | None = None) -> pd.DataFrame:
    """Every reporting clause ('X said', 'said X', 'X told Y'), quoted or indirect speech alike, one row each:
    article_id, sentence_index, verb, speaker (canonical), speaker_description, reference (as written)."""
    actors = load_actors() if actors is None else actors
    rows = []
    for article_id, group in rows_by_article(sentences).items():
        _, clauses = article_quotes(group, Resolver(person_names(actors), actor_names(actors)))
        rows += [dict(article_id=article_id, sentence_index=c.sentence_index, verb=c.verb, speaker=c.speaker,
                      speaker_description=c.description, reference=c.reference) for c in clauses]
    return pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)


def sentence_reporters(clauses: pd.DataFrame) -> pd.DataFrame:
    """Who each sentence reports as speaking (from `reported_speech`): article_id, sentence_index, reported_by
    (the canonical speakers of its reporting clauses, in order, joined by '; ')."""
    named = clauses[clauses["speaker"] != ""]
    joined = named.groupby(["article_id", "sentence_index"], sort=False)["speaker"].agg(
        lambda s: "; ".join(dict.fromkeys(s)))
    return joined.rename("reported_by").reset_index()


def sentence_speakers(sentences: pd.DataFrame, quotes: pd.DataFrame) -> pd.Series:
    """Speaker of each sentence, same index as `sentences`: the speaker of the direct quote the sentence belongs
    or partial quote the sentence belongs to (every sentence it touches); '' for narration (scare quotes and
    unattributed quotes give no speaker)."""
    rows = sentences[["article_id", "sentence_index", "tokens"]].to_dict("records")
    return pd.Series(speakers_of(rows, quotes.to_dict("records")), index=sentences.index, name="speaker", dtype=str)


def speakers_of(rows: list[dict], quotes: list[dict]) -> list[str]:
    """`sentence_speakers` for sentence rows and quote rows given as dicts: one speaker ('' for narration) per
    sentence row, in order (the first quotation touching a sentence decides)."""
    owner: dict[tuple[str, int], str] = {}
    for q in quotes:
        if q["speaker"] != "" and q["kind"] != "scare":
            for index in range(q["first_sentence"], q["last_sentence"] + 1):
                owner.setdefault((q["article_id"], index), q["speaker"])
    return [owner.get((r["article_id"], r["sentence_index"]), "") for r in rows]


# --- voices and frames ------------------------------------------------------------------------------------------

def quote_frames(quotes: pd.DataFrame, frames: list[Frame] | None = None, *, coder: str = "study") -> pd.DataFrame:
    """The quotes table with the frames coded in each quotation's own words by the study's coding (or the coding
    `coder` names, as in `coders.code_sentences`): columns `frames`, `frame_evidence` and `frame_model` added."""
    found, evidence, model = code_tokens([word_tokens(text) for text in quotes["text"]], frames, coder=coder)
    return quotes.assign(frames=found, frame_evidence=evidence, frame_model=model)


def voice_words(quotes: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Words each voice gets per article (quotes and partial quotes with a speaker): article_id, speaker, quotes,
    words, share_quoted (of the article's attributed quoted words), share_article (of all its word tokens)."""
    spoken = quotes[(quotes["kind"] != "scare") & (quotes["speaker"] != "")]
    if spoken.empty:
        return pd.DataFrame(columns=["article_id", "speaker", "quotes", "words", "share_quoted", "share_article"])
    table = spoken.groupby(["article_id", "speaker"], sort=False).agg(quotes=("text", "size"), words=("words", "sum"))
    table = table.reset_index()
    totals = sentences.groupby("article_id")["tokens"].agg(lambda ts: sum(len(words(t)) for t in ts))
    table["share_quoted"] = table["words"] / table.groupby("article_id")["words"].transform("sum")
    table["share_article"] = table["words"] / table["article_id"].map(totals)
    order = table["article_id"].map({a: i for i, a in enumerate(dict.fromkeys(sentences["article_id"]))})
    ranked = table.assign(order=order).sort_values(["order", "words"], ascending=[True, False], kind="stable")
    return ranked.drop(columns="order").reset_index(drop=True)


def voice_frames(quotes: pd.DataFrame, frames: list[Frame] | None = None, *, coder: str = "study") -> pd.DataFrame:
    """Frames each voice's quotations carry, per article: article_id, speaker, frame, quotes (the speaker's
    quotations and partial quotes), frame_quotes (those whose words carry the frame), words, frame_words; frames
    coded by `quote_frames` (`coder` as there)."""
    frames = load_frames() if frames is None else frames
    spoken = quote_frames(quotes[(quotes["kind"] != "scare") & (quotes["speaker"] != "")], frames, coder=coder)
    rows = []
    for (article_id, speaker), group in spoken.groupby(["article_id", "speaker"], sort=False):
        carries = {f.id: group["frames"].map(lambda v, f=f: f.id in v.split(";")) for f in frames}
        rows += [dict(article_id=article_id, speaker=speaker, frame=f.id, quotes=len(group),
                      frame_quotes=int(carries[f.id].sum()), words=int(group["words"].sum()),
                      frame_words=int(group.loc[carries[f.id], "words"].sum())) for f in frames]
    return pd.DataFrame(rows, columns=["article_id", "speaker", "frame", "quotes", "frame_quotes", "words",
                                       "frame_words"])


def quoted_shares(coded: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """Per unit of a sentences table with a `speaker` column (column `article_id`: articles, or groups of
    articles): sentences, quoted sentences (with a speaker), their share with its Wilson score 95%
    interval (`stats.wilson_interval`, as for frame shares), and the `top` speakers by sentences ('Name (k)')."""
    from analysis.stats import wilson_interval

    rows = []
    for unit, group in coded.groupby("article_id", sort=False):
        quoted = (group["speaker"] != "").astype(float)
        low, high = (float(end) for end in wilson_interval(quoted.sum(), len(quoted)))
        speakers = group.loc[group["speaker"] != "", "speaker"].value_counts().head(top)
        rows.append(dict(article_id=unit, sentences=len(group), quoted=int(quoted.sum()), share=quoted.mean(),
                         share_low=low, share_high=high,
                         speakers="; ".join(f"{name} ({n})" for name, n in speakers.items())))
    return pd.DataFrame(rows, columns=["article_id", "sentences", "quoted", "share", "share_low", "share_high",
                                       "speakers"])
