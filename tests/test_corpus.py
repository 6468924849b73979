"""Loading articles: the seeds sentence by sentence, encodings, headers, boilerplate and bad input."""
import codecs
import random
import unicodedata
import warnings

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.corpus import (check_named_columns, decode, expand_paths, iso_date, label_name, latin_share, load_corpus,
                             non_latin_share, readable_name, short_form, split_header, strip_html, table_metadata,
                             warnings_table)
from analysis.errors import InputError
from analysis.score import score_corpus

MAR17_SENTENCES = [
    "China urges Ukraine talks as Bakhmut battle continues",
    "Chinese officials are urging Ukraine and Russia to agree to a gradual de-escalation leading to a comprehensive "
    "ceasefire while fighting continues in Bakhmut.",
    "China wants Russia and Ukraine to hold peace talks and is concerned about an escalation of the war, senior "
    "Chinese diplomat Qin Gang has told his Ukrainian counterpart over a phone call as the battle for Bakhmut "
    "continued.",
    "China, which has refrained from condemning Russia for its invasion of Ukraine, has urged both sides to agree to "
    "a gradual de-escalation leading to a comprehensive ceasefire in its 12-point paper on the “political resolution "
    "of the Ukraine crisis”.",
    "The plan, which received a lukewarm welcome on both sides, called for the protection of civilians and respect "
    "for each other’s sovereignty.",
    "“China hopes that all parties will remain calm, rational and restrained, and resume peace talks as soon as "
    "possible,” Qin told Ukrainian Foreign Minister Dmytro Kuleba, according to a Chinese foreign ministry statement.",
    "Chinese President Xi Jinping is expected to visit Russian Vladimir Putin as soon as next week and hold a virtual "
    "meeting with Ukrainian President Volodymyr Zelenskiy.",
    "Analysts say it will be hard for China to get Russia and Ukraine to the negotiating table but some pointed out "
    "that Xi could act as a “back channel” for starting momentum towards talks.",
    "Meanwhile, on the battlefield in Ukraine’s east, Ukrainian forces continued to withstand Russian assaults on the "
    "now-ruined city of Bakhmut.",
    "Reuters reporters about 1.5km from the frontline heard a constant rumble of artillery on all sides.",
    "Russian forces led by the Wagner private army have captured Bakhmut’s eastern part but have so far failed to "
    "encircle the city.",
    "“Sometimes we see groups of seven people (Russian soldiers).",
    "We strike, three fall and the rest continue to advance,” said Marian, 21, a member of Ukraine’s 80th Air "
    "Assault Brigade, at a mortar position, describing his experiences along the front.",
    "The brigade fired seven mortars from that position while small arms fire could also be heard in the distance.",
    "Russia says taking Bakhmut would be a major success, opening a path to capture the rest of the surrounding "
    "Donetsk region, one of its central war aims.",
    "Ukraine says it has decided not to pull out because it is inflicting huge losses on the Russian assault force "
    "which will make it easier to stage a counterattack later this year.",
    "“They (Russian forces) need this victory like air and therefore do not count the losses,” Serhiy Cherevatyi, a "
    "spokesman for Ukraine’s eastern military command, told Ukrainian television.",
    "The Pentagon on Thursday released a de-classified video showing a Russian military jet intercept a US drone "
    "downed over the Black Sea two days ago.",
    "The United States has said Tuesday’s incident showed Russia was behaving irresponsibly in international "
    "airspace, while Russia accused the US of trying to escalate tensions near Crimea, the Ukrainian peninsula it "
    "forcibly annexed in 2014.",
]

MAR07_SELECTED = {  # sentence_index: text
    1: "As Vladimir Putin's Russian forces fight in Bakhmut against Volodymyr Zelenskiy's troops to secure their "
       "first major battlefield gain in more than six months, China on Tuesday (March 7, 2023) said that the Ukraine "
       "crisis is a tragedy that \"could have been avoided\".",
    4: "\"Conflict, sanctions, and pressure will not solve the problem...",
    5: "The process of peace talks should begin as soon as possible, and the legitimate security concerns of all "
       "parties should be respected,\" Qin added.",
    9: "This is absolutely unacceptable,\" he told reporters.",
    20: "Ukraine vows to defend Bakhmut city as Russia tries to storm it",
    30: "Ukraine and the West, however, say it is a baseless pretext for an illegal land grab.",
}


def sentences_of(corpus, article_id):
    """Sentence texts of one article, in order."""
    return list(corpus.sentences.loc[corpus.sentences["article_id"] == article_id, "text"])


def test_seed_17_march_sentence_by_sentence(seed_corpus):
    assert sentences_of(seed_corpus, "mar17") == MAR17_SENTENCES


def test_seed_7_march_sentence_count_and_selected_sentences(seed_corpus):
    texts = sentences_of(seed_corpus, "mar07")
    assert len(texts) == 30
    for index, text in MAR07_SELECTED.items():
        assert texts[index - 1] == text


def test_seed_kinds_and_paragraphs(seed_corpus):
    s = seed_corpus.sentences.set_index(["article_id", "sentence_index"])
    assert s.loc[("mar17", 1), "kind"] == "headline"
    assert s.loc[("mar17", 2), "kind"] == "standfirst"
    assert s.loc[("mar17", 3), "kind"] == "body"
    assert s.loc[("mar07", 20), "kind"] == "subheadline"
    assert (s.loc[("mar17", 12), "paragraph"], s.loc[("mar17", 13), "paragraph"]) == (12, 12)  # one quote paragraph


def test_seed_boilerplate_removed_and_recorded(seed_corpus):
    text = " ".join(seed_corpus.sentences["text"])
    for furniture in ("Estimated reading time", "More in Top Stories", "date 2023-03-07", "17 March 2023"):
        assert furniture not in text
    assert len(seed_corpus.removed) == 5
    assert set(seed_corpus.removed["reason"].str.split(" ").str[0]) == {"reading-time", "date", "related-links"}


@pytest.mark.parametrize("line, reason", [
    ("Other Topics of Interest Minister: Troop Training Won't Trigger War Kallas said that it would not.",
     "related-stories teaser"),
    ("Read also: Ukraine asks Germany to provide more tanks", "related-stories teaser"),
    ("READ MORE: 12 Telegram Accounts to Follow", "related-stories teaser"),
    ("Read more information from Ukraine on Gazeta", "related-stories teaser"),
    ("CLICK HERE TO GET THE FOX NEWS APP", "app or newsletter prompt"),
    ("Subscribe to us Twitter", "follow prompt"),
    ("For more information, please visit Onet", "site link"),
    ("Expand", "image control"),
    ("View image in fullscreen", "photo caption"),
    ("View image in fullscreen The minister greets members of the delegation. Photograph: AP", "photo caption"),
    ("Image 2 of 3 prev next", "image control"),
    ("Continuation of the material under the video", "video prompt"),
    ("The rest of the article can be found under video material:", "video prompt"),
    ("Sign up for Onet's newsletter and get the news first", "sign-up prompt"),
    ("skip past newsletter promotion Sign up to First Edition Free daily newsletter", "sign-up prompt"),
    ("We use Google reCaptcha to protect this form", "captcha or cookie notice"),
    ("Photo: Stringer, Anadolu Agency", "photo credit"),
    ("Credit: Visit Ukraine", "photo credit"),
    ("Read more CNN Opinion.", "related-stories teaser"),
    ("* * *", "separator line"),
    ("Author/author: TAS/KG", "byline"),
    ("Fox News Digital's Timothy H.J. Nerozzi contributed to this report.", "byline"),
    ("CNN's Natasha Bertrand and Mariya Knight contributed reporting.", "byline"),
    ("We are glad that you are with us.Sign up for Onet's newsletter to receive the most valuable content",
     "sign-up prompt"),
    ("Sign up to First Edition, our free daily newsletter – every weekday morning at 7am BST", "sign-up prompt"),
    ("You’re reading an excerpt from the Today’s WorldView newsletter. Sign up to get the rest free", "sign-up prompt"),
    ("JOIN US ON TELEGRAM! Follow our coverage of the war on the @Kyivpost_official.", "follow prompt"),
    ("NEW You can now listen to Fox News articles!", "audio prompt"),
    ("VIEW VIDEO Col. Smith: The use of nuclear weapons is unlikely", "video prompt"),
    ("Watch TV live on TVN24 GO", "video prompt"),
    ("Help Ukraine, join the collection.You will pay the money at example.org/ukraina >>>", "donation appeal"),
    ("See the video before Boris Johnson took up politics, he invented fake news", "video teaser"),
    ("See the video. Do we have time to continuous tensions?Gen. Pacek explains", "video teaser"),
    ("You can track information about the defense of Ukraine around the clock in our live coverage",
     "live-coverage prompt"),
    ("The latest reports about the situation in Ukraine can be followed in live coverage HERE.",
     "live-coverage prompt"),
    ("More important information can be found on the Onet's main page.If you don't want to miss any important "
     "messages - sign up for our newsletter", "site link"),
    ("You can find more such stories on the Onet's main page", "site link"),
    ("More information can be found on the main page of the Gazeta.pl portal.", "site link")])
def test_web_page_furniture_removed_with_its_reason_and_never_taken_as_title(tmp_path, line, reason):
    path = tmp_path / "page.txt"
    path.write_text(f"{line}\n\nTalks resumed on Monday, the ministry said.\n\n{line}\n\n"
                    "Read more about the talks, she said, in the report.\n", encoding="utf-8")
    corpus = load_corpus([str(path)])
    assert list(corpus.removed["reason"]) == [reason, reason]
    assert list(corpus.sentences["text"]) == ["Talks resumed on Monday, the ministry said.",
                                              "Read more about the talks, she said, in the report."]
    assert corpus.articles["title"].iloc[0] != line


@pytest.mark.parametrize("prefix, place, outlet", [
    ("Atlanta, United States (CNN)- ", "Atlanta, United States", "CNN"),
    ("KYIV (Reuters) - ", "KYIV", "Reuters"),
    ("(CNN)- ", "", "CNN")])
def test_a_dateline_opening_a_paragraph_becomes_metadata_and_the_paragraph_stays(tmp_path, prefix, place, outlet):
    path = tmp_path / "wire.txt"
    path.write_text(f"{prefix}Talks resumed on Monday, the ministry said.\n\nThe talks went on.\n", encoding="utf-8")
    corpus = load_corpus([str(path)])
    assert list(corpus.removed["text"]) == [prefix.strip()]
    assert list(corpus.sentences["text"]) == ["Talks resumed on Monday, the ministry said.", "The talks went on."]
    assert corpus.articles["outlet"].iloc[0] == outlet and corpus.articles["dateline"].iloc[0] == place


def test_an_advertisement_glued_to_a_paragraph_end_and_an_outlet_credit_line_are_removed(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("CNN —\n\nTalks resumed on Monday, the ministry said. Advertisement\n\nThe talks went on.\n",
                    encoding="utf-8")
    corpus = load_corpus([str(path)])
    assert list(corpus.removed["reason"]) == ["dateline → metadata 'dateline', 'outlet'", "advertisement"]
    assert list(corpus.sentences["text"]) == ["Talks resumed on Monday, the ministry said.", "The talks went on."]
    assert corpus.articles["outlet"].iloc[0] == "CNN" and corpus.articles["title"].iloc[0] != "CNN —"


def test_a_line_in_capitals_between_paragraphs_is_a_teaser_not_text(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Talks resumed on Monday, the ministry said.\n\nUS TO MOVE MORE TROOPS TO THE EASTERN FLANK\n\n"
                    "The talks went on.\n", encoding="utf-8")
    corpus = load_corpus([str(path)])
    assert list(corpus.removed["reason"]) == ["teaser in capitals (a link to another story)"]
    assert list(corpus.sentences["text"]) == ["Talks resumed on Monday, the ministry said.", "The talks went on."]


def test_a_paragraph_repeated_word_for_word_is_kept_once(tmp_path):
    path = tmp_path / "page.txt"
    repeated = "Talks resumed on Monday in Minsk, the ministry said in a statement."
    path.write_text(f"{repeated}\n\nThe talks went on.\n\n{repeated}\n\nThe talks went on.\n", encoding="utf-8")
    corpus = load_corpus([str(path)])
    assert list(corpus.removed["reason"]) == ["repeated paragraph (the same text earlier in the article)"]
    assert list(corpus.sentences["text"]) == [repeated, "The talks went on.", "The talks went on."]  # short: kept


def test_seed_metadata_from_table_and_text(seed_corpus):
    a = seed_corpus.articles.set_index("article_id")
    assert list(a.index) == ["mar17", "mar07"]
    assert a.loc["mar17", "date"] == "2023-03-17" and a.loc["mar07", "date"] == "2023-03-07"
    assert a.loc["mar07", "dateline"] == "New Delhi"
    assert a.loc["mar17", "title"] == "China urges Ukraine talks as Bakhmut battle continues"


ARTICLE = "title: Test piece\noutlet: Example\n\nTalks resumed on Monday. Fighting went on.\n\nMore in Top Stories\n"


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: t.replace("\n", "\r\n").encode("utf-16"),
])
def test_utf8_bom_crlf_and_utf16_read_alike(tmp_path, encode):
    path = tmp_path / "a.txt"
    path.write_bytes(encode(ARTICLE))
    corpus = load_corpus([path])
    assert list(corpus.sentences["text"]) == ["Talks resumed on Monday.", "Fighting went on."]
    assert corpus.articles.loc[0, "title"] == "Test piece" and corpus.articles.loc[0, "outlet"] == "Example"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_with_a_warning(tmp_path, encoding):
    path = tmp_path / "u.txt"
    path.write_bytes(ARTICLE.replace("Monday", "Monday in Kyiv’s café").encode(encoding))
    with pytest.warns(UserWarning, match=f"no byte-order mark; read as {encoding.upper()}"):
        corpus = load_corpus([path])
    assert list(corpus.sentences["text"]) == ["Talks resumed on Monday in Kyiv’s café.", "Fighting went on."]
    assert corpus.articles.loc[0, "encoding"] == encoding


def test_nul_bytes_not_at_alternate_positions_are_binary(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="b.txt: looks like a binary file"):
        load_corpus([path])


def test_windows_1252_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes("Kyiv’s “café” talks – resumed.".encode("cp1252"))
    with pytest.warns(UserWarning, match="read as Windows-1252"):
        corpus = load_corpus([path])
    assert corpus.sentences.loc[0, "text"] == "Kyiv’s “café” talks – resumed."
    assert corpus.articles.loc[0, "encoding"] == "cp1252"


def test_header_needs_a_known_key_and_a_blank_line():
    assert split_header("title: A\ndate: 2023-03-07\n\nBody.") == ({"title": "A", "date": "2023-03-07"}, "Body.", [])
    assert split_header("Note: this is prose.\n\nBody.") == ({}, "Note: this is prose.\n\nBody.", [])
    assert split_header("Kyiv: shelling went on.\nMore.\n\nBody.") == ({}, "Kyiv: shelling went on.\nMore.\n\nBody.", [])


def test_header_keeps_unknown_keys_as_metadata_and_names_suspect_ones():
    meta, body, notes = split_header("date: 2022-01-25\ncountry: GB\nsource: https://x\n\nBody text.")
    assert meta == {"date": "2022-01-25", "country": "GB", "source": "https://x"} and body == "Body text."
    assert notes == []
    meta, _, notes = split_header("title: A\ntitel: B\nSentences: 5\n\nBody.")
    assert meta == {"title": "A", "titel": "B"}
    assert notes == ["header key 'titel' is not a known key; kept as a metadata column (did you mean 'title'?)",
                     "header key 'sentences' names a column the study computes; it was ignored"]


def test_header_without_its_blank_line_is_read_with_a_note():
    meta, body, notes = split_header("title: A\ndate: 2023-03-07\nThe war went on.\n\nMore.")
    assert meta == {"title": "A", "date": "2023-03-07"} and body == "The war went on.\n\nMore."
    assert notes == ["the header is not ended by a blank line: its first 2 lines were read as metadata and the "
                     "rest as article text"]
    assert split_header("title: A\nThe war went on.")[2] == ["the header is not ended by a blank line: its first "
                                                             "line was read as metadata and the rest as article text"]


def test_a_header_of_unknown_keys_only_is_text_with_a_note_saying_how_to_make_it_metadata():
    meta, body, notes = split_header("group: wire copy\n\nThe war went on.")
    assert meta == {} and body == "group: wire copy\n\nThe war went on."
    assert notes == ["the first lines look like a header (group:) but hold none of the keys id, title, date, outlet, "
                     "dateline, source, author, label, language, so they were read as article text; add one of "
                     "those keys (e.g. a title: line) to read them as metadata"]
    assert split_header("Kyiv: Russian forces shelled the city.\n\nMore.")[2] == []  # a dateline-like opening
    assert split_header("group: wire copy\ntitle: A\n\nThe war went on.")[0] == {"group": "wire copy", "title": "A"}


def test_unknown_header_keys_become_articles_table_columns(tmp_path):
    (tmp_path / "a.txt").write_text("date: 2022-01-25\ncountry: GB\n\nThe talks went on. Both sides met.\n")
    (tmp_path / "b.txt").write_text("date: 2022-02-25\n\nThe fighting went on. Both sides fired.\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus([str(tmp_path / "*.txt")])
    assert list(corpus.articles["country"]) == ["GB", ""]
    assert list(corpus.sentences["text"])[:2] == ["The talks went on.", "Both sides met."]


def test_ids_come_from_file_names_without_a_header(tmp_path):
    (tmp_path / "My Article 1.txt").write_text("Talks resumed.")
    assert load_corpus([tmp_path / "*.txt"]).articles.loc[0, "article_id"] == "my-article-1"


def test_exact_duplicates_are_dropped_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text("Talks resumed.")
    (tmp_path / "b.txt").write_text("Talks  resumed.\n")
    with pytest.warns(UserWarning, match="duplicate"):
        corpus = load_corpus([tmp_path / "*.txt"])
    assert list(corpus.articles["article_id"]) == ["a"]


def test_html_is_stripped_with_a_warning(tmp_path):
    (tmp_path / "h.txt").write_text("<html><body><h1>Talks resume</h1><p>Talks resumed &amp; went on.</p>"
                                    "<script>var x = 1;</script><p>Fighting <b>continued</b>.</p></body></html>")
    with pytest.warns(UserWarning, match="HTML"):
        corpus = load_corpus([tmp_path / "h.txt"])
    assert list(corpus.sentences["text"]) == ["Talks resume", "Talks resumed & went on.", "Fighting continued."]
    assert strip_html("<p>a</p><p>b</p>") == "a\n\nb"


def test_headline_glued_by_a_single_line_break_stays_its_own_segment(tmp_path):
    (tmp_path / "g.txt").write_text("Ukraine vows to defend Bakhmut\nMeanwhile, fighting went on.")
    corpus = load_corpus([tmp_path / "g.txt"])
    assert list(corpus.sentences["kind"]) == ["headline", "body"]


@pytest.mark.parametrize("content, problem", [
    (b"", "the file is empty"), (b"  \n\n ", "the file holds only white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"Estimated reading time 3 minutes 3 Min\n\nMore in Top Stories", "no article text left"),
])
def test_bad_files_raise_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as error:
        load_corpus([path])
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_missing_paths_and_empty_globs_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        expand_paths([tmp_path / "missing.txt"])
    with pytest.raises(InputError, match="matches no files"):
        expand_paths([str(tmp_path / "*.txt")])
    with pytest.raises(InputError, match="no .txt files"):
        expand_paths([tmp_path])


def test_decode_reports_encodings():
    assert decode("Kyiv".encode(), "f")[1] == "utf-8"
    assert decode(codecs.BOM_UTF8 + b"Kyiv", "f")[1] == "utf-8-sig"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode("Kyiv’s".encode("cp1252"), "f")[1:] == ("cp1252", ["f: not valid UTF-8; read as Windows-1252"])


def test_seeds_folder_holds_the_originals_byte_for_byte():
    from tests.conftest import shared_path
    from analysis import config

    originals = shared_path("seeds")
    for original in originals.glob("*.txt"):
        assert (config.SEEDS / original.name).read_bytes() == original.read_bytes()


def test_non_english_text_gets_a_warning(tmp_path):
    text = ("Die Gespräche über einen Waffenstillstand wurden am Montag in Genf fortgesetzt. " * 4 +
            "Beide Seiten erklärten danach, dass weitere Treffen folgen sollen, sobald es möglich sei.")
    (tmp_path / "de.txt").write_text(text)
    with pytest.warns(UserWarning, match="does not look like English"):
        load_corpus([tmp_path / "de.txt"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = load_corpus([tmp_path / "de.txt"], quiet=True)  # kept for the notebooks' table, not issued
    assert len(warnings_table(quiet)) == 1 and "de.txt" in warnings_table(quiet)["warning"].iloc[0]


def test_near_duplicates_are_flagged_and_kept(tmp_path, seed_corpus):
    body = " ".join(seed_corpus.sentences.loc[seed_corpus.sentences["article_id"] == "mar17", "text"])
    (tmp_path / "a.txt").write_text(body)
    (tmp_path / "b.txt").write_text(body.replace("seven mortars", "six mortars"))
    with pytest.warns(UserWarning, match="near-duplicate of"):
        corpus = load_corpus([tmp_path / "*.txt"])
    assert list(corpus.articles["article_id"]) == ["a", "b"]


def test_seeds_load_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_corpus(["seeds/*.txt"])


def test_long_file_names_get_short_unique_readable_labels(tmp_path):
    (tmp_path / "cnn_2023-03-01_xi_lukashenko_china_position.txt").write_text("Talks resumed.")
    (tmp_path / "cnn_2023-03-01_xi_lukashenko_other_story.txt").write_text("Fighting went on.")
    (tmp_path / "short.txt").write_text("Shelling continued.")
    labels = list(load_corpus([tmp_path / "*.txt"]).articles["label"])
    # both cut to "cnn 2023-03-01 xi…" would collide: lengthened until they differ, at word ends
    assert labels == ["cnn 2023-03-01 xi lukashenko china position", "cnn 2023-03-01 xi lukashenko other story",
                      "short"]


def test_gdelt_file_names_keep_their_date_country_and_case_in_labels(tmp_path):
    # the review's case: '20230302T061500Z_GB_en_458471b87b.txt' was labelled '20230302t06…458471b87b' (lower
    # case, the country lost), so a GB and a US article of the same time told apart only by their hashes
    names = ["20230302T061500Z_GB_en_458471b87b", "20230302T061500Z_US_en_0f4eec13f1",
             "20230302T061500Z_GB_en_7d015e6984"]
    for number, name in enumerate(names):
        (tmp_path / f"{name}.txt").write_text(f"date: 2023-03-02\ncountry: XX\n\nTalks went on for {number} days.")
    labels = list(load_corpus([tmp_path / "*.txt"]).articles["label"])
    assert labels == ["2023-03-02 06:15 GB en 458471b87b", "2023-03-02 06:15 GB en 7d015e6984",
                      "2023-03-02 06:15 US…"]
    assert readable_name("20230302T061500Z_GB_en_458471b87b") == "2023-03-02 06:15 GB en 458471b87b"
    assert readable_name("report_20231301_v2") == "report 20231301 v2"  # not a date: left as written


def test_a_repeated_file_name_keeps_its_case_and_the_id_suffix():
    assert label_name("kyiv-report-2", "/b/Kyiv Report.txt") == "Kyiv Report-2"
    assert label_name("kyiv-report", "/a/Kyiv Report.txt") == "Kyiv Report"
    assert label_name("given-id", "/a/Kyiv Report.txt") == "given-id"  # an id: header, not the file name


def test_score_and_run_label_articles_by_the_same_rule(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = {"20230302T061500Z_GB_en_458471b87b": "date: 2023-03-02\ncountry: GB\n\nTalks went on.",
             "20230302T061500Z_GB_en_7d015e6984": "date: 2023-03-02\ncountry: GB\n\nFighting went on.",
             "Kyiv Report": "title: Kyiv\noutlet: CNN\n\nSirens sounded.",
             "Kyiv Story": "title: Kyiv\noutlet: BBC\n\nThe city was calm.",
             "labelled": "label: Wire, 1 March\n\nShelling continued."}
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_labels = list(load_corpus([folder / "*.txt"]).articles["label"])
        score_corpus([str(folder / "*.txt")], tmp_path / "out", jobs=1)
    scored = pd.read_csv(tmp_path / "out" / "tables" / "articles.csv", keep_default_na=False)
    assert list(scored["label"]) == run_labels
    assert run_labels == ["2023-03-02 06:15 GB en 458471b87b", "2023-03-02 06:15 GB en 7d015e6984",
                          "Kyiv (Kyiv Report)", "Kyiv (Kyiv Story)", "Wire, 1 March"]


def test_a_broken_link_in_a_glob_is_an_input_error(tmp_path):
    (tmp_path / "a.txt").write_text("Talks resumed.")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="b.txt: is a link to a file that does not exist"):
        expand_paths([str(tmp_path / "*.txt")])


@pytest.mark.parametrize("written, iso", [
    ("March 17, 2023", "2023-03-17"), ("march 7, 2023", "2023-03-07"), ("17 March 2023", "2023-03-17"),
    ("2023/3/7", "2023-03-07"), ("2023-03-07", "2023-03-07"), ("2023-03-17T06:24:27Z", "2023-03-17"),
    ("2022-02-24 10:00:00", "2022-02-24"), ("0023-01-01", "0023-01-01"),
    ("Feb. 24, 2022", "Feb. 24, 2022"), ("2023-02-30", "2023-02-30"), ("yesterday", "yesterday"), ("", ""),
])
def test_iso_date_reads_the_documented_forms_and_leaves_other_text_as_written(written, iso):
    assert iso_date(written) == iso


def test_latin_share_counts_the_latin_letters_among_all_letters():
    text = "Kyiv, Київ, 基辅 — Ærø 12 ŋ!"
    letters = [ch for ch in text if ch.isalpha()]
    assert latin_share(text) == (sum(unicodedata.name(ch).startswith("LATIN") for ch in letters) / len(letters),
                                 len(letters)) == (8 / 14, 14)
    assert latin_share("12 — !") == (0.0, 0)


def test_non_latin_share_is_the_latin_share_rule_with_or_without_its_shortcut():
    def by_counting(text):
        latin, letters = latin_share(text)
        return 1 - latin if letters >= 20 and latin < 0.5 else None
    rng = random.Random(17)
    alphabet = "abcXYZ éüßŋЖжщ中文بα  .,1—“”"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    texts += ["Київ " * k + "Kyiv " * j for k in range(6) for j in range(6)]
    found = [non_latin_share(text) for text in texts]
    assert found == [by_counting(text) for text in texts]
    assert 0 < sum(share is not None for share in found) < len(texts)
    assert non_latin_share("Київ " * 5 + "Kyiv") == pytest.approx(20 / 24)  # 20 Cyrillic letters of 24


def test_a_table_rows_named_columns_give_the_header_keys_and_the_rest_keep_their_names():
    row = {"uid": "a1", "headline": "Talks resume", "published": "March 17, 2023", "country": "UA", "desk": ""}
    meta = table_metadata(row, {"id": "uid", "title": "headline", "date": "published"})
    assert meta == {"country": "UA", "id": "a1", "title": "Talks resume", "date": "March 17, 2023"}
    assert table_metadata(row, {}) == {"uid": "a1", "headline": "Talks resume", "published": "March 17, 2023",
                                       "country": "UA"}  # an empty cell is no metadata
    # a named column wins over a column of the key's own name; an empty named cell leaves that column's value
    assert table_metadata({"title": "Old", "headline": "New"}, {"title": "headline"}) == {"title": "New"}
    assert table_metadata({"title": "Old", "headline": ""}, {"title": "headline"}) == {"title": "Old"}


def test_a_named_column_missing_or_holding_the_texts_is_one_line_naming_the_table(tmp_path):
    path = tmp_path / "news.csv"
    check_named_columns(path, ["headline", "body"], "body", {"title": "headline"})
    with pytest.raises(InputError, match=r"news\.csv: no column 'head' for --title-column \(columns: headline, "
                                         r"body\)"):
        check_named_columns(path, ["headline", "body"], "body", {"title": "head"})
    with pytest.raises(InputError, match=r"news\.csv: --date-column 'body' is the column of texts"):
        check_named_columns(path, ["headline", "body"], "body", {"date": "body"})



@pytest.mark.parametrize("rows, problem", [
    ("a.txt,First\nb.txt,Second\na.txt,Again\n", "row 3 repeats the row for 'a.txt' (row 1); keep one row per file"),
    ("a.txt,First\nb.tx,Second\n", "row 2 names 'b.tx', which is no file in"),
])
def test_a_metadata_row_for_no_file_or_a_repeated_file_is_one_line(tmp_path, rows, problem):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Talks resumed in Minsk. Shelling went on near Bakhmut.\n", encoding="utf-8")
    (tmp_path / "articles.csv").write_text("file,title\n" + rows, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_corpus([tmp_path / "a.txt"])  # the table is checked whole, whichever of its files are named
    assert str(raised.value).startswith(f"{tmp_path / 'articles.csv'}: ") and problem in str(raised.value)


def test_an_article_whose_id_an_earlier_one_has_is_renamed_with_a_warning_naming_its_file(tmp_path):
    for folder in ("kyiv", "minsk"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"Talks resumed in {folder.title()}. Shelling went on.\n",
                                                     encoding="utf-8")
    corpus = load_corpus([tmp_path / "kyiv" / "report.txt", tmp_path / "minsk" / "report.txt"], quiet=True)
    assert corpus.articles["article_id"].tolist() == ["report", "report-2"]
    assert corpus.articles["file"].tolist() == ["report.txt", "report.txt"]  # the tables cannot tell them apart
    assert [w for w in corpus.warnings if "report-2" in w] == [
        f"{tmp_path / 'minsk' / 'report.txt'}: id 'report' is an earlier article's too; this article is 'report-2' "
        "in the tables"]
