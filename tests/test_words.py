"""The regex-free word readers (pipeline/words.py) find exactly the words their regex defines.

Summary terms, topic stems, the rules' word index and the keyword-stuffing tokens are read
with ``bytes.translate`` and ``split`` for speed; any text, in any script, must give the
words the stage's regex would, or reports would change with the reader.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline import language, promo_signals, summarize, topic, words
from pipeline.checks import base

# Letters, marks the readers treat specially, other scripts and a lone surrogate.
TRICKY = st.text(
    alphabet=st.sampled_from(list("aZk _-'\u2019.,\n\t0\u00e9\u212a\u0130\u00df\u03a3\u00a0\x1c\ud800"))
)
ANY_TEXT = st.one_of(TRICKY, st.text(max_size=60))


@given(ANY_TEXT)
@example("Re-test --x-- a'b 'quoted' don\u2019t \u212aelvin \u0130stanbul")
def test_summary_words_are_the_regex_words(text: str) -> None:
    assert summarize._words(text) == re.findall(r"[a-z][a-z'-]*[a-z]|[a-z]", text.lower())


@given(ANY_TEXT)
@example("Doctors don\u2019t agree; the doctor\u2019s re-test")
def test_topic_stems_are_those_of_the_regex_words(text: str) -> None:
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]", text)
    assert topic.content_stems(text) == {topic._content_stem(w) for w in words} - {""}


@given(ANY_TEXT)
@example("Botox, botox_2 and BOTOX: 3 times")
def test_word_index_holds_every_word_at_its_offsets(text: str) -> None:
    lowered = base._lowered(text)  # compiled, "ΟΔΟΣ" lowers to "οδοσ" (no final sigma): the index's text
    expected: dict[str, list[int]] = {}
    for match in re.finditer(r"\w+", lowered):
        expected.setdefault(match.group(), []).append(match.start())
    index = base._word_starts.__wrapped__(text)
    if len(lowered) != len(text):
        assert index is None  # offsets of the lower-cased text would not be the text's
    else:
        assert index is not None
        assert list(index.words.items()) == list(expected.items())


@given(ANY_TEXT)
def test_stuffing_tokens_are_the_regex_tokens(text: str) -> None:
    lowered = text.lower()
    assert promo_signals._tokens(lowered) == re.findall(r"[^\W_]+", lowered)


@given(ANY_TEXT, st.integers(0, 60), st.integers(0, 60))
@example("abc--def a-b1 x_y 'quoted' don't COVID-19 abc1 1abc", 0, 60)
@example("abc def", 1, 7)  # a stretch that starts inside a word
@settings(max_examples=400)
def test_foreign_phrase_words_are_the_regex_words(text: str, start: int, end: int) -> None:
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    found = [(w.start, w.end, w.text) for w in language._words_between(text, start, end)]
    assert found == [(m.start(), m.end(), m.group()) for m in language._WORD.finditer(text, start, end)]


@given(st.text(alphabet=st.sampled_from(list("ab -;\n\t\u2013\u2022\u00a0x1")), max_size=40))
@example("real-world data - and more")
def test_stuffing_items_are_the_regex_items(text: str) -> None:
    lowered = text.lower()
    expected = [tuple(re.findall(r"[^\W_]+", part)) for part in promo_signals._ITEM_BREAK.split(lowered)]
    assert promo_signals._items(text) == expected


@given(ANY_TEXT)
@example(" two  words\t\n")
def test_word_count_is_the_number_of_split_words(text: str) -> None:
    assert words.word_count(text) == len(text.split())
