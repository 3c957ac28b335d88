"""Topic coherence measured on the document itself: no model, no download.

Each sentence becomes a set of crude stems of its content words. A stem that occurs in
other sentences of the same article (or in its title) is "on topic". A sentence whose
content words are almost all absent from the rest of the article does not belong to it,
which is the mark of a sentence pasted in from elsewhere. This is weak evidence on its
own (a genuine aside can be off topic too), so promo rules combine it with other cues.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import chain

from pipeline.document import Record
from pipeline.words import byte_table, remember, runs, tally

# A word: ASCII letters, with apostrophes (' or U+2019) and hyphens inside it.
_WORD_CHARACTERS = byte_table(lambda c: c.isalpha() or c in "'-")
# Ordered: the longest suffix that leaves a stem of at least _MIN_STEM letters is cut.
_SUFFIXES = (
    "ational",
    "ations",
    "ation",
    "ments",
    "ment",
    "ities",
    "ity",
    "ness",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "al",
    "ic",
    "s",
    "y",
    "e",
)
_MIN_STEM = 4
# Stems longer than this are cut: "diabetes"/"diabetic" and "infection"/"infectious" agree.
_STEM_LENGTH = 6


@cache
def stop_words() -> frozenset[str]:
    """The English stop words of spaCy (read once)."""
    from pipeline.tokenizer import stop_words as spacy_stop_words  # without importing spaCy

    return spacy_stop_words()


@lru_cache(maxsize=1 << 16)  # pure and called for every word of every sentence: memoised
def stem(word: str) -> str:
    """A crude, deterministic stem: lower case, one suffix cut, truncated."""
    word = word.lower().replace("\u2019", "'").removesuffix("'s").strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    return word[:_STEM_LENGTH]


def is_content_word(word: str) -> bool:
    """Not a stop word and at least three letters long."""
    return len(word) >= 3 and word.lower() not in stop_words()


def content_stems(text: str) -> AbstractSet[str]:
    """The stems of the content words in ``text``.

    A word is a run of letters, apostrophes and hyphens with those stripped from its ends
    (U+2019 read as "'": stems and stop words read the two alike; one-letter words have no
    stem anyway). The stem is remembered for the run as it stands, so a run seen before
    costs one look-up.
    """
    stems: set[str] = set()
    for run in runs(text.replace("\u2019", "'"), _WORD_CHARACTERS):
        found = _RUN_STEMS.get(run)
        if found is None:
            word = run.strip("'-")
            found = remember(_RUN_STEMS, run, _content_stem(word) if word else "")
        if found:
            stems.add(found)
    return stems  # read-only from here on: a frozenset copy of every sentence's set bought nothing


_RUN_STEMS: dict[str, str] = {}  # each run's content stem so far, "" for none (see ``words.remember``)


def _content_stem(word: str) -> str:
    """The stem of a content word; "" for a stop word or a short one."""
    return stem(word) if is_content_word(word) else ""


@dataclass(frozen=True)
class TopicModel(Record):
    """How many sentences of one article use each stem."""

    sentence_stems: tuple[AbstractSet[str], ...]
    frequency: dict[str, int]
    # Memos of the properties below (see ``Record._remember``).
    _recurring_memo: tuple[frozenset[str]] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )

    @classmethod
    def build(cls, sentences: Sequence[str], title: str | None = None) -> TopicModel:
        """Count stems over the sentences (the title counts as one more sentence)."""
        stems = tuple(content_stems(s) for s in sentences)
        # One count over every sentence's stems.
        frequency = tally(chain.from_iterable((*stems, content_stems(title or ""))))
        return cls(stems, frequency)

    def support(self, index: int) -> tuple[float, int]:
        """(share of sentence ``index``'s stems used elsewhere in the article, its stem count)."""
        own = self.sentence_stems[index]
        if not own:
            return 1.0, 0
        return len(own & self._recurring) / len(own), len(own)

    @property
    def _recurring(self) -> frozenset[str]:
        """Stems used by more than one sentence (or a sentence and the title)."""
        memo = self._recurring_memo
        if memo is None:
            return self._remember("_recurring_memo", frozenset(s for s, n in self.frequency.items() if n > 1))
        return memo[0]

    def topic_stems(self, min_sentences: int) -> frozenset[str]:
        """Stems used in at least ``min_sentences`` sentences: the article's subject words."""
        return frozenset(s for s, n in self.frequency.items() if n >= min_sentences)

    def share_of_sentences(self, stems: Iterable[str]) -> float:
        """Share of sentences that use any of ``stems``."""
        wanted = set(stems)
        hits = sum(1 for own in self.sentence_stems if own & wanted)
        return hits / max(1, len(self.sentence_stems))
