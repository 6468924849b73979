"""benchmarks/quote_agreement.py: which coded set it reads (the development set, a split, or a named file)."""
from __future__ import annotations

import pytest

from tests.conftest import benchmark_module


def benchmark():
    """The benchmarks/quote_agreement.py module."""
    return benchmark_module("quote_agreement")


def test_the_whole_coded_set_is_the_development_set_and_a_split_is_a_part_of_it():
    module = benchmark()
    whole, label = module.coded_set(module.CODING, "all")
    dev, dev_label = module.coded_set(module.CODING, "dev")
    assert label.startswith("development set") and dev_label == "split dev"
    assert len(whole) == 1067 and 0 < len(dev) < len(whole) and set(dev["split"]) == {"dev"}


def test_a_named_coded_file_is_read_whole_without_a_split_column(tmp_path):
    path = tmp_path / "quote_coding_other.csv"
    path.write_text("file,sentence_index,sha1,quote,speaker\na.txt,1,0123456789ab,speech,Anna Berg\n"
                    "a.txt,2,ba9876543210,,\n", encoding="utf-8")
    coding, label = benchmark().coded_set(path, "all")
    assert label == "quote_coding_other.csv" and coding["speaker"].tolist() == ["Anna Berg", ""]
    with pytest.raises(ValueError, match="quote_coding_other.csv: no column split"):
        benchmark().coded_set(path, "test")


def test_a_coded_file_without_the_columns_the_comparison_needs_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("file,sentence_index\na.txt,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv: no column sha1, quote, speaker"):
        benchmark().coded_set(path, "all")


def test_every_third_article_by_file_name_is_kept_unread(tmp_path):
    path = tmp_path / "quote_coding_other.csv"
    rows = [f"{name}.txt,{i},0123456789ab,speech,Anna Berg" for name in "edcba" for i in (1, 2)]
    path.write_text("file,sentence_index,sha1,quote,speaker\n" + "\n".join(rows) + "\n", encoding="utf-8")
    module = benchmark()
    unread, label = module.coded_set(path, "all", "unread")
    studied, _ = module.coded_set(path, "all", "studied")
    assert set(unread["file"]) == {"c.txt"} and label.endswith("unread articles")
    assert set(studied["file"]) == {"a.txt", "b.txt", "d.txt", "e.txt"}


def test_the_alias_comparison_merges_only_names_the_package_knows_as_one():
    module = benchmark()
    assert not module.same_speaker("the EU", "European Union")
    assert module.same_aliased_speaker("the EU", "European Union")
    assert module.same_aliased_speaker("the Kremlin", "Russia")
    assert not module.same_aliased_speaker("the Kremlin", "Ukraine")
    assert not module.same_aliased_speaker("Lars Holm", "Russia")
    assert module.same_aliased_speaker("US", "US officials") and not module.same_speaker("United States", "US officials")
