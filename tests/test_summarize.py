"""The extractive summary: faithful, in order, sized as asked, readable, neutral on request."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import main
from pipeline import summarize as summarize_module
from pipeline.document import Document, Removal
from pipeline.report.json_report import document_json
from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import Options, process_text
from pipeline.summarize import Length, rule_fixes, summarize

ARTICLE = """Sleep and memory

Sleep helps the brain store new memories after a day of learning.
Researchers tested memory in 120 adults after a full night of sleep or a night awake.
Adults who slept recalled more word pairs than adults who stayed awake all night.
This difference was largest for word pairs learned late in the evening.
The researchers measured brain waves during sleep with small scalp sensors.
Slow brain waves during deep sleep predicted how many word pairs adults recalled.

Short naps also helped memory, but less than a full night of sleep.
Caffeine in the evening shortened deep sleep and weakened recall the next morning.
"""


@cache
def hype_rules() -> RuleSet:
    return load_ruleset(select=("Hype",))


def run(text: str, **options: object) -> Document:
    return process_text(text, hype_rules(), options=Options(**options))  # type: ignore[arg-type]


def sentence_texts(doc: Document) -> list[str]:
    return [s.text for s in doc.summary]


def test_summary_is_in_document_order_and_has_the_asked_length() -> None:
    for n in (1, 2, 3, 5):
        doc = run(ARTICLE, summary_sentences=n)
        starts = [s.start for s in doc.summary]
        assert len(starts) == n
        assert starts == sorted(starts)


def test_summary_sentences_are_sentences_of_the_article() -> None:
    doc = run(ARTICLE)
    for s in doc.summary:
        assert s.text == doc.text[s.start : s.end]
        assert s.text in ARTICLE


def test_a_hard_wrapped_article_gives_the_same_summary_each_sentence_on_one_line() -> None:
    title, *paragraphs = ARTICLE.split("\n\n")
    prose = [" ".join(p.split()) for p in paragraphs]
    unwrapped = "\n\n".join([title, *prose]) + "\n"
    wrapped = "\n\n".join([title, *(textwrap.fill(p, 60) for p in prose)]) + "\n"
    doc = run(wrapped)
    assert any("\n" in doc.text[s.start : s.end] for s in doc.summary)  # the source breaks them
    assert sentence_texts(doc) == sentence_texts(run(unwrapped))
    assert all("\n" not in text for text in sentence_texts(doc))


def test_word_budget_and_ratio_bound_the_length() -> None:
    total = len(ARTICLE.split())
    for words in (25, 40, 80):
        doc = run(ARTICLE, summary_words=words)
        assert 0 < sum(len(t.split()) for t in sentence_texts(doc)) <= words
    short, long = run(ARTICLE, summary_ratio=0.2), run(ARTICLE, summary_ratio=0.6)
    assert sum(len(t.split()) for t in sentence_texts(short)) <= 0.2 * total
    assert len(long.summary) > len(short.summary)


def test_a_tiny_word_budget_still_gives_one_self_contained_sentence() -> None:
    doc = run(ARTICLE, summary_words=3)
    assert len(doc.summary) == 1
    assert not doc.summary[0].text.startswith("This")


def test_removed_text_never_appears() -> None:
    base = run(ARTICLE, summary_sentences=9)
    target = next(s for s in base.summary if "recalled more word pairs" in s.text)
    cut = base.text.index(" than adults who stayed awake", target.start)
    removal = Removal(cut, cut + len(" than adults who stayed awake"), "Promo.Test", "test", "cut")
    whole = base.text.index("Caffeine in the evening")
    whole_removal = Removal(whole, base.text.index("\n", whole), "Promo.Test", "test", "cut")
    doc = summarize(replace(base, removals=(removal, whole_removal), summary=()), 9)
    joined = " ".join(sentence_texts(doc))
    assert "stayed awake" not in joined
    assert "Caffeine" not in joined
    assert "Adults who slept recalled more word pairs all night." in joined


def test_dangling_sentence_comes_with_its_antecedent_or_not_at_all() -> None:
    for n in range(1, 8):
        doc = run(ARTICLE, summary_sentences=n)
        texts = sentence_texts(doc)
        for i, text in enumerate(texts):
            if text.startswith("This difference"):
                assert i > 0
                assert texts[i - 1].startswith("Adults who slept")
    one = sentence_texts(run(ARTICLE, summary_sentences=1))
    assert not one[0].startswith("This")


def test_dangling_sentence_without_antecedent_is_never_chosen() -> None:
    text = "Memory\n\nThese results held for sleep, memory and learning in every adult group tested.\n"
    text += "Sleep is short.\n"
    assert run(text, summary_sentences=3).summary == ()


def test_hype_sentence_is_demoted() -> None:
    text = (
        "Sleep improved memory for word pairs in adults.\n\n"
        "Sleep produced a remarkable improvement in memory for word pairs in adults.\n"
    )
    assert sentence_texts(run(text, summary_sentences=1)) == [
        "Sleep improved memory for word pairs in adults."
    ]


NEUTRAL = """Migraine treatment

Patients had a truly remarkable reduction in headache days after the injections.
The injections are given every twelve weeks by a trained neurologist.
Doctors say the future of migraine treatment looks promising.
"""


def test_neutral_deletes_attributive_hype_and_records_it() -> None:
    doc = run(NEUTRAL, summary_sentences=3, neutral=True)
    texts = sentence_texts(doc)
    assert "Patients had a reduction in headache days after the injections." in texts
    rewritten = next(s for s in doc.summary if s.rewrites)
    assert [r.rule for r in rewritten.rewrites] == ["Hype.Remarkable"]
    item = next(x for x in document_json(doc)["summary"] if x["rewrites"])
    assert item["rewrites"][0]["rule"] == "Hype.Remarkable"
    assert "remarkable" in item["rewrites"][0]["from"]


def test_neutral_leaves_predicative_hype_unrewritten_and_prefers_other_sentences() -> None:
    doc = run(NEUTRAL, summary_sentences=2, neutral=True)
    assert not any("looks" in t for t in sentence_texts(doc))
    whole = run(NEUTRAL, summary_sentences=3, neutral=True)
    kept = next(s for s in whole.summary if "looks" in s.text)
    assert kept.text.endswith("looks promising.")
    assert kept.rewrites == ()


def test_without_neutral_the_text_is_untouched() -> None:
    doc = run(NEUTRAL, summary_sentences=3)
    assert any("truly remarkable reduction" in t for t in sentence_texts(doc))
    assert all(not s.rewrites for s in doc.summary)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "A remarkable 40% drop in pain was seen in the trial group.",
            "A 40% drop in pain was seen in the trial group.",
        ),
        (
            "Botox is a safe and remarkable drug for older patients with pain.",
            "Botox is a safe drug for older patients with pain.",
        ),
        (
            "An extraordinary result was seen in the older patients.",
            "A result was seen in the older patients.",
        ),
        (
            "Remarkable results were seen in older patients with pain.",
            "Results were seen in older patients with pain.",
        ),
        (
            "The drug cures diabetes in older patients with pain.",
            "The drug cures diabetes in older patients with pain.",
        ),
        (
            "Doctors hail a breakthrough in care for older patients.",
            "Doctors hail a breakthrough in care for older patients.",
        ),
    ],
)
def test_neutral_rewrites_only_where_the_sentence_still_reads(sentence: str, expected: str) -> None:
    doc = run(sentence, neutral=True)
    assert sentence_texts(doc) == [expected]


def test_rule_fixes_reads_fix_and_substitution() -> None:
    fixes = rule_fixes(hype_rules().rules)
    assert fixes["Hype.Remarkable"] == ""


def test_keyword_stuffing_and_sales_voice_stay_out() -> None:
    text = ARTICLE + (
        "\nThis is the sleep memory guide: sleep memory tips, sleep memory facts and more.\n"
        "Visit our shop to order your sleep memory supplement today!\n"
        "See the sleep and memory pages of the brain research society for more detail.\n"
    )
    joined = " ".join(sentence_texts(run(text, summary_sentences=4)))
    assert "guide" not in joined
    assert "shop" not in joined
    assert "society" not in joined


def test_length_object_and_int_agree() -> None:
    doc = run(ARTICLE)
    assert summarize(doc, 2).summary == summarize(doc, Length(sentences=2)).summary


def test_cli_jsonl_prints_one_object_per_document(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(NEUTRAL, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["summarize", str(first), str(second), "--format", "jsonl", "-n", "2", "--select", "Hype"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [Path(x["source"]).name for x in lines] == ["a.txt", "b.txt"]
    assert all(len(x["summary"]) == 2 and all(isinstance(s, str) for s in x["summary"]) for x in lines)


def test_cli_neutral_and_word_budget(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(NEUTRAL, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["summarize", str(path), "--neutral", "--words", "30", "--select", "Hype"]
    )
    assert result.exit_code == 0, result.output
    assert "remarkable" not in result.output
    assert len(result.output.split()) <= 30


def test_cli_rejects_words_with_ratio(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(NEUTRAL, encoding="utf-8")
    result = CliRunner().invoke(main, ["summarize", str(path), "--words", "30", "--ratio", "0.2"])
    assert result.exit_code == 2
    assert "not both" in result.output


def _stuffed_by_every_count(words: list[str]) -> bool:
    """The stuffing test as first written: every phrase length counted in full."""
    if len(words) - len(set(words)) < max(4, len(words) // 4):
        return False
    for n in (2, 3, 4):
        grams = Counter(zip(*(words[i:] for i in range(n)), strict=False))
        count = max(grams.values(), default=0)
        if count >= 3 and count * n >= 0.4 * len(words):
            return True
    return False


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["best", "dentist", "nairobi", "the", "of", "a", "cheap"]), max_size=40))
def test_the_stuffing_test_counts_only_pairs_of_frequent_words_and_answers_as_before(words):
    assert summarize_module._is_stuffed(words) == _stuffed_by_every_count(words)
