"""What every rule type shares: a hit, the check protocol, and regex helpers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from mypy_extensions import mypyc_attr

from pipeline.document import Record
from pipeline.ruleset import Rule
from pipeline.words import blanked, byte_table

try:  # a C automaton for many literals at once; without it each is searched for alone
    import ahocorasick
except ImportError:  # pragma: no cover - an install without the wheel
    ahocorasick = None

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Hit:
    """A match of a rule in the document text; ``replacement`` is a suggested rewrite.

    A plain class with value equality, not a frozen dataclass: one is made for every match,
    and compiled, a dataclass's ``__init__`` stays Python.
    """

    def __init__(self, start: int, end: int, replacement: str | None = None) -> None:
        self.start = start
        self.end = end
        self.replacement = replacement

    def _key(self) -> tuple[int, int, str | None]:
        return self.start, self.end, self.replacement

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Hit(start={self.start}, end={self.end}, replacement={self.replacement!r})"


class Check(Protocol):
    """A compiled rule: finds its hits anywhere in a text; scopes are applied by the caller."""

    @property
    def rule(self) -> Rule:
        """The rule this check was compiled from (read-only: checks are frozen)."""
        ...

    def find(self, text: str) -> Iterator[Hit]:
        """Every hit in ``text``."""
        ...


class TextView:
    """What a rule type may read beyond the raw text: sentence spans and (lazily) tokens.

    Built once per document by the claims stage, so token-based rule types share one
    tokenization; ``TextView.of`` builds one from a bare string (rule tests, ``find``).
    A plain class, not a frozen dataclass: the stages and the exception phrases make
    several a document, and compiled, a dataclass's ``__init__`` stays Python.
    """

    def __init__(
        self, text: str, sentences: tuple[tuple[int, int], ...], given_tokens: Doc | None = None
    ) -> None:
        self.text = text
        self.sentences = sentences
        # The pipeline tokenizes each document once (sentence stage); rule types reuse that Doc.
        self.given_tokens = given_tokens
        # Memos of the properties below, as ``(value,)``: None may be a value.
        self._lowered_memo: tuple[str] | None = None
        self._word_starts_memo: tuple[WordIndex | None] | None = None
        self._sentence_words_memo: tuple[tuple[frozenset[str], ...]] | None = None
        self._sentence_starts_memo: tuple[list[int]] | None = None
        self._tokens_memo: tuple[Doc] | None = None

    @classmethod
    def of(cls, text: str) -> TextView:
        """Segment ``text`` into sentences as the pipeline does."""
        from pipeline.sentences import sentence_spans  # sentences imports nothing from checks

        return cls(text, tuple(sentence_spans(text)))

    @property
    def lowered(self) -> str:
        """The lower-cased text, shared by every rule's prefilter."""
        memo = self._lowered_memo
        if memo is None:
            value = _lowered(self.text)
            self._lowered_memo = (value,)
            return value
        return memo[0]

    @property
    def word_starts(self) -> WordIndex | None:
        """Start offsets of each lower-case word, grouped by the word's first two characters.

        None when lower-casing changes the text's length (rare scripts), so offsets in
        ``lowered`` would not be offsets in ``text``.
        """
        memo = self._word_starts_memo
        if memo is None:
            value = _word_starts(self.text)
            self._word_starts_memo = (value,)
            return value
        return memo[0]

    @property
    def sentence_words(self) -> tuple[frozenset[str], ...]:
        """Each sentence's lower-case word and punctuation tokens (token rules' prefilter)."""
        memo = self._sentence_words_memo
        if memo is None:
            value = self._compute_sentence_words()
            self._sentence_words_memo = (value,)
            return value
        return memo[0]

    def _compute_sentence_words(self) -> tuple[frozenset[str], ...]:
        from pipeline.checks.sequence import sentence_words

        lowered = self.lowered
        return tuple(sentence_words(lowered[start:end]) for start, end in self.sentences)

    def sentences_with_word(self, word: str) -> set[int]:
        """Indices of the sentences a lower-case word occurs in (read from the word index)."""
        index = self.word_starts
        if index is None:  # lower-casing changed the length: read each sentence's words
            return {i for i, words in enumerate(self.sentence_words) if word in words}
        found = set()
        for offset in index.words.get(word, ()):
            i = bisect_right(self._sentence_starts, offset) - 1
            if i >= 0 and offset < self.sentences[i][1]:
                found.add(i)
        return found

    @property
    def _sentence_starts(self) -> list[int]:
        memo = self._sentence_starts_memo
        if memo is None:
            value = [start for start, _ in self.sentences]
            self._sentence_starts_memo = (value,)
            return value
        return memo[0]

    @property
    def tokens(self) -> Doc:
        """The spaCy tokens of the whole text (the pipeline's, or tokenized on first use)."""
        memo = self._tokens_memo
        if memo is None:
            value = self._compute_tokens()
            self._tokens_memo = (value,)
            return value
        return memo[0]

    def _compute_tokens(self) -> Doc:
        if self.given_tokens is not None:
            return self.given_tokens
        from pipeline.nlp import tokenize

        return tokenize(self.text)


# The promo signals, the promo phrase rules and the claim rules each read a view of the same
# text: the lower-cased text and the word index are computed once per text, not per view
# (the word index alone is ~0.2 ms for a 700-word article).
@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    return text.lower()


class WordIndex:
    """Each distinct lower-case word of a text → its start offsets (``words``).

    A rule's literal start is tested once per distinct word ("the" once, not at each of its
    40 offsets), and only against the words that share its first three characters.

    It holds the dict rather than being one: a subclass of ``dict`` cannot be a native
    class when compiled, and its attributes (read a few hundred times an article) would be
    looked up in an instance ``__dict__``.
    """

    def __init__(self, lowered: str, words: dict[str, list[int]]) -> None:
        self.lowered = lowered
        self.words = words
        self._holds: dict[str, bool] = {}
        self._searched: frozenset[str] = frozenset()  # literals a table's search settled (``settle``)
        self._present: set[str] = set()  # those of them the text holds
        self.shared: dict[StartTable, dict[int, list[int]]] = {}  # each rule set's starts found here
        # Memos of the properties below (mypyc compiles no cached_property).
        self._distinct_words_memo: tuple[str] | None = None

    def settle(self, searched: frozenset[str], present: set[str]) -> None:
        """Record that of the literals ``searched`` for, the text holds ``present`` and no other."""
        if self._searched:  # another table's literals were settled too: keep both answers
            searched, present = self._searched | searched, self._present | present
        self._searched, self._present = searched, present

    def settled_any(self, literals: frozenset[str]) -> bool:
        """``holds_any`` for literals a settled search looked for: one set operation.

        The caller knows they were all searched for (a table's literals, after its search
        settled this index), so the subset test ``holds_any`` makes on every call is spared.
        """
        return not literals.isdisjoint(self._present)

    def holds_any(self, literals: frozenset[str]) -> bool:
        """Whether the text contains one of ``literals`` (two set operations when all were searched for)."""
        if literals <= self._searched:
            return not literals.isdisjoint(self._present)
        return any(map(self.holds, literals))

    def holds(self, literal: str) -> bool:
        """Whether the lower-cased text contains ``literal`` anywhere (memoised: rules share literals)."""
        found = self._holds.get(literal)
        if found is None:
            if literal in self._searched:
                found = literal in self._present
            else:
                # Letters and digits only: it lies inside one word, so the distinct words, joined
                # by spaces, hold it exactly when the text does (and are half its length or less).
                found = literal in (self._distinct_words if literal.isalnum() else self.lowered)
            self._holds[literal] = found
        return found

    @property
    def _distinct_words(self) -> str:
        memo = self._distinct_words_memo
        if memo is None:
            memo = self._distinct_words_memo = (" ".join(self.words),)
        return memo[0]


@lru_cache(maxsize=4)
def _word_starts(text: str) -> WordIndex | None:
    lowered = _lowered(text)
    if len(lowered) != len(text):
        return None
    return WordIndex(lowered, _ascii_word_starts(lowered) if lowered.isascii() else _any_word_starts(lowered))


# The characters of ``\w`` an ASCII text can hold: its words are then what ``split(" ")``
# leaves, at offsets a running sum gives (a third of the regex's time).
_ASCII_WORD = byte_table(lambda c: c.isalnum() or c == "_")


def _ascii_word_starts(lowered: str) -> dict[str, list[int]]:
    """Each word (a run of letters, digits and "_") of an ASCII text → its offsets."""
    index: dict[str, list[int]] = {}
    pos = 0
    for token in blanked(lowered, _ASCII_WORD).split(" "):
        size = len(token)
        if size:
            found = index.get(token)
            if found is None:
                index[token] = [pos]
            else:
                found.append(pos)
        pos += size + 1
    return index


def _any_word_starts(lowered: str) -> dict[str, list[int]]:
    """Each word of any text → its offsets (each found after the one before it)."""
    index: dict[str, list[int]] = {}
    pos = 0
    for token in _WORD.findall(lowered):
        pos = lowered.find(token, pos)  # between two words only non-word characters
        found = index.get(token)
        if found is None:
            index[token] = [pos]
        else:
            found.append(pos)
        pos += len(token)
    return index


class ViewCheck(Protocol):
    """A rule type that needs sentences or tokens: it reads a ``TextView`` instead of a string."""

    @property
    def rule(self) -> Rule:
        """The rule this check was compiled from."""
        ...

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """Every hit in the view's text."""
        ...


def compile_regex(rule: Rule, key: str, source: str) -> re.Pattern[str]:
    """A rule's regex, checked now and compiled on first use.

    A bad or catastrophic pattern is reported at the key's line. Parsing (with the
    look-behind widths the compiler checks) finds every mistake a rule file can hold;
    compiling is most of the time loading the rules takes, and most rules never reach their
    regex in a given document (no literal start of theirs occurs), so a one-file run
    compiles only the regexes it uses.
    """
    flags = re.IGNORECASE if rule.ignorecase else 0
    try:
        tree = list(_syntax_tree(source, flags))
        # Only a pattern that has a look-behind can have one of variable width.
        problem = _lookbehind_problem(tree) if "(?<" in source else None
    except re.error as exc:
        raise rule.error(key, f"invalid regular expression: {exc}") from exc
    if problem:  # the one mistake Python finds only when compiling
        raise rule.error(key, f"invalid regular expression: {problem}")
    pattern = cast("re.Pattern[str]", LazyPattern(source, flags))
    nested = nested_quantifier(pattern)
    if nested:
        raise rule.error(
            key,
            f"the regular expression repeats a repeat ({nested}), which can take exponential time "
            "on some texts; bound the inner or outer repeat, e.g. {1,5}",
        )
    return pattern


def _lookbehind_problem(items: list[tuple[object, object]]) -> str | None:
    """What ``re.compile`` would say of a look-behind that has no fixed width, else None."""
    for op, arg in items:
        if str(op) in ("ASSERT", "ASSERT_NOT") and arg[0] < 0:  # type: ignore[index]
            low, high = arg[1].getwidth()  # type: ignore[index]
            if low != high:
                return "look-behind requires fixed-width pattern"
        for child in _children(op, arg):
            found = _lookbehind_problem(child)
            if found:
                return found
    return None


def _children(op: object, arg: object) -> list[list[tuple[object, object]]]:
    """The parsed sequences inside one item: a group's, each branch's, a repeat's, a lookaround's."""
    name = str(op)
    if name in _REPEAT_OPS:
        return [list(arg[2])]  # type: ignore[index]
    if name == "SUBPATTERN":
        return [list(arg[-1])]  # type: ignore[index]
    if name == "BRANCH":
        return [list(b) for b in arg[1]]  # type: ignore[index]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [list(arg[1])]  # type: ignore[index]
    return []


@mypyc_attr(native_class=False)  # a Python class: it fills its __dict__ from __getattr__
class LazyPattern:
    """A ``re.Pattern`` compiled when first matched: ``pattern`` and ``flags`` are there at once.

    On first use the compiled pattern's methods are stored on the instance, so later calls
    cost an ordinary attribute lookup.
    """

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _PATTERN_METHODS:
            self.__dict__[method] = getattr(compiled, method)
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str, int]]:
        return LazyPattern, (self.pattern, self.flags)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


_PATTERN_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split", "groups")


@lru_cache(maxsize=1024)
def _syntax_tree(source: str, flags: int) -> Any:
    """The parsed pattern (``re._parser``), read once for the refusal test and the prefilter."""
    from re import _parser  # type: ignore[attr-defined]

    return _parser.parse(source, flags)


def nested_quantifier(pattern: re.Pattern[str]) -> str | None:
    """The first unbounded repeat inside another unbounded repeat, e.g. ``(a+)+``, else None.

    Python's regex engine backtracks: such a pattern can run for hours on a line of text,
    so a rule file that contains one is refused before any document is read.
    """
    if _OUTER_REPEAT.search(pattern.pattern) is None:
        return None  # no group is repeated without bound: nothing can nest (a quick test of the source)
    try:
        tree = _syntax_tree(pattern.pattern, pattern.flags)
    except Exception:  # a private parser: if it disagrees, accept the pattern
        return None
    return _nested(list(tree))


# An unbounded repeat of a group: ")*", ")+", "){2,}" (or a false alarm such as "\)+",
# which only costs the full test).
_OUTER_REPEAT = re.compile(r"\)[*+]|\)\{\d*,\}")
_FIXED_OPS = frozenset({"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"})
_REPEAT_OPS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def _has_fixed(items: list[tuple[object, object]]) -> bool:
    """Whether every match of ``items`` consumes a character outside any repeat.

    Then the parts a surrounding repeat matches are delimited by those characters, and the
    engine cannot try exponentially many ways of splitting one stretch of text.
    """
    for op, arg in items:
        name = str(op)
        if name in _FIXED_OPS:
            return True
        if name == "SUBPATTERN" and _has_fixed(list(arg[-1])):  # type: ignore[index]
            return True
        if name == "BRANCH" and all(_has_fixed(list(b)) for b in arg[1]):  # type: ignore[index]
            return True
    return False


def _contains_unbounded(items: list[tuple[object, object]]) -> bool:
    from re import _parser  # type: ignore[attr-defined]

    for op, arg in items:
        name = str(op)
        if name in _REPEAT_OPS and (arg[1] == _parser.MAXREPEAT or _contains_unbounded(list(arg[2]))):  # type: ignore[index]
            return True
        if name == "SUBPATTERN" and _contains_unbounded(list(arg[-1])):  # type: ignore[index]
            return True
        if name == "BRANCH" and any(_contains_unbounded(list(b)) for b in arg[1]):  # type: ignore[index]
            return True
    return False


def _nested(items: list[tuple[object, object]]) -> str | None:
    """An unbounded repeat whose body repeats without a fixed character, as in ``(a+)+``."""
    from re import _parser  # type: ignore[attr-defined]

    for op, arg in items:
        name = str(op)
        if name in _REPEAT_OPS:
            body = list(arg[2])  # type: ignore[index]
            unbounded = arg[1] == _parser.MAXREPEAT and name != "POSSESSIVE_REPEAT"  # type: ignore[index]
            if unbounded and _contains_unbounded(body) and not _has_fixed(body):
                return "an unbounded repeat of a part that can itself repeat"
        for child in _children(op, arg):
            found = _nested(child)
            if found:
                return found
    return None


def string_list(rule: Rule, key: str, required: bool = True) -> list[str]:
    """A list-of-strings field (a single string is accepted as a one-item list)."""
    value = rule.options.get(key)
    if value is None and not required:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise rule.error(key, f"'{key}' must be a non-empty list of strings")
    for i, item in enumerate(items, 1):
        if isinstance(item, dict):  # YAML read "a (?: b)" as a mapping: an unquoted ": "
            raise rule.error(key, f"'{key}' item {i} is a mapping; quote a regex that contains ': '")
        if not isinstance(item, str) or not item:
            raise rule.error(key, f"'{key}' item {i} must be a non-empty string")
    return items


def word_bounded(alternatives: Sequence[str], nonword: bool) -> str:
    r"""Vale's wrapping: ``\\b(?:a|b)\\b`` unless the rule is ``nonword``."""
    body = "|".join(f"(?:{a})" for a in alternatives)
    return f"(?:{body})" if nonword else rf"\b(?:{body})\b"


@dataclass(frozen=True)
class Exceptions(Record):
    """Phrases that excuse a hit when one of their matches covers it."""

    pattern: re.Pattern[str] | None
    # Memos of the properties below (see ``Record._remember``).
    _prefilter_memo: tuple[Prefilter | None] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )

    @classmethod
    def from_rule(cls, rule: Rule) -> Exceptions:
        """Compile the rule's ``exceptions`` list (may be empty)."""
        items = string_list(rule, "exceptions", required=False)
        if not items:
            return cls(None)
        return cls(compile_regex(rule, "exceptions", word_bounded(items, nonword=False)))

    @property
    def prefilter(self) -> Prefilter | None:
        """The exception phrases' literal starts: a rule's hit no longer scans the whole text."""
        memo = self._prefilter_memo
        if memo is None:
            return self._remember(
                "_prefilter_memo", Prefilter.of(self.pattern) if self.pattern is not None else None
            )
        return memo[0]

    def prefilters(self) -> list[Prefilter]:
        """Its prefilter, if it has phrases (for the rule set's shared table)."""
        return [self.prefilter] if self.prefilter is not None else []

    def excuse(self, text: str, hits: Iterator[Hit]) -> Iterator[Hit]:
        """Drop hits that lie inside an exception match."""
        if self.pattern is None:
            yield from hits
            return
        covers: list[tuple[int, int]] | None = None  # scanned on the first hit: most texts have none
        for hit in hits:
            if covers is None:
                covers = self.spans(text)
            if not any(lo <= hit.start and hit.end <= hi for lo, hi in covers):
                yield hit

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every exception match in ``text``, found through the prefilter."""
        if self.pattern is None:
            return []
        matches = (
            self.prefilter.finditer(self.pattern, TextView(text, ()))
            if self.prefilter is not None
            else self.pattern.finditer(text)
        )
        return [(m.start(), m.end()) for m in matches]


# --- literal prefilter --------------------------------------------------------------------------
# Python's re tries a case-insensitive alternation at every position of the text, which
# costs ~80 us per rule on a 300-word article. Most rules match nowhere in most articles,
# so each regex is reduced to the literal words every match must start with; a cheap
# substring test on the lower-cased text decides whether the regex runs at all.

_SKIPPABLE = frozenset({"AT", "ASSERT", "ASSERT_NOT"})  # \b, ^, lookarounds: zero-width
_WORD = re.compile(r"\w+")
# A literal start of words and the spaces between them goes on into what follows ("the " into
# "the experts"): a start that ends at a space would be tried at every "the" of a text.
_WORDS_AND_SPACES = re.compile(r"[\w ]+")
# Marks the end of a prefix after which every match goes on with a character that is not a
# word character (a space, a sign, the end): "we" in "[Ww]e\s+love" is the whole word "we".
# (A regex's own NUL character is not a word character either: the mark reads the same.)
_COMPLETE = "\x00"
_DIGITS = frozenset("0123456789")
_SHORT_START = 2  # starts this rare or less ("i", "my") would be tried at many words
_MAX_EXTENDED_PREFIXES = 16  # continuations a literal start may go on into (not a class of letters)


@dataclass(frozen=True)
class Starts(Record):
    """Literal starts of matches: of words (looked up in the word index) or anywhere."""

    indexed: frozenset[str] = frozenset()  # \b before a word character: a word starts there
    scanned: frozenset[str] = frozenset()  # no \b, or a non-word start ("#1"): found with str.find
    # Whole words: a match that starts with one goes on with a space or a sign ("we\s+love"),
    # so it starts only at that word, not at every word it begins ("i" is not "in", "is").
    exact: frozenset[str] = frozenset()
    # The rule set's table of every rule's starts and this one's slot in it (``share_starts``):
    # one pass over a text's words then finds every rule's starts at once.
    shared: tuple[StartTable, int] | None = field(default=None, compare=False, repr=False)
    # Memos of the properties below (see ``Record._remember``).
    _own_table_memo: tuple[StartTable] | None = field(default=None, kw_only=True, repr=False, compare=False)

    @classmethod
    def of(cls, prefixes: Iterable[str], boundary: bool) -> Starts:
        """Split ``prefixes`` by whether the word index can find them.

        A prefix that ends in ``_COMPLETE`` is followed by no word character in any match:
        when it is one word and the match starts at a word boundary, it is that whole word.
        """
        given = frozenset(prefixes)
        open_ended = {p for p in given if not p.endswith(_COMPLETE)}
        complete = {p.rstrip(_COMPLETE) for p in given - open_ended}
        exact = frozenset(w for w in complete if boundary and _WORD.fullmatch(w))
        found = frozenset(open_ended | (complete - exact))
        indexed = frozenset(p for p in found if boundary and _WORD.match(p[:1]))
        return cls(indexed, found - indexed, exact)

    def positions(self, index: WordIndex) -> list[int]:
        """Every offset of ``lowered`` where one of the starts begins (a word, for indexed ones)."""
        table, slot = self.shared if self.shared is not None else (self.own_table, 0)
        found = table.found(index).get(slot, [])
        return [*found, *self.scan(index.lowered)] if self.scanned else found

    def scan(self, lowered: str) -> list[int]:
        """Offsets of the starts found with ``str.find`` (not at a word start, or not a word)."""
        found: list[int] = []
        for prefix in self.scanned:
            # Its first character first: one memchr pass, where searching a text for "<?php"
            # or "${" reads it ten to twenty times slower, found or not.
            if prefix[:1] not in lowered:
                continue
            pos = lowered.find(prefix)
            while pos >= 0:
                found.append(pos)
                pos = lowered.find(prefix, pos + 1)
        return found

    @property
    def own_table(self) -> StartTable:
        """A table of these starts alone, for starts no rule set's table holds (built on first use)."""
        memo = self._own_table_memo
        if memo is None:
            return self._remember("_own_table_memo", StartTable([self]))
        return memo[0]


@mypyc_attr(native_class=False)  # pickled in the rule cache: restored without calling __init__
class StartTable:
    """Every rule's indexed starts in one table: one pass over a text's words finds them all.

    Rule by rule, each prefilter intersected its starts with the text's word index and then
    read the words it shared: ~10 us a rule, most of them finding nothing. Here each distinct
    word of the text is looked up once, by its prefixes, and its offsets go to the slot of
    every ``Starts`` that has one of them. Built once per rule set (``share``); the result
    for a text is kept with its word index, so the promo, claim and signal rules share it.
    """

    def __init__(self, starts: Sequence[Starts], literals: Iterable[str] = ()) -> None:
        whole: dict[str, dict[str, list[int]]] = {}  # first three letters -> prefix -> slots
        short: dict[str, list[int]] = {}  # two letters: every word they begin ("no", "dm")
        singles: dict[str, list[int]] = {}  # one character: every word it begins ("i", a digit)
        tails: dict[str, list[tuple[str, int]]] = {}  # "up to ": the word "up", then the rest in place
        for slot, found in enumerate(starts):
            for word in found.exact:  # the word itself, never a longer one it begins
                tails.setdefault(word, []).append((word, slot))
            for prefix in found.indexed:
                lead = _WORD.match(prefix)
                word = lead.group() if lead else prefix
                if len(prefix) == 1:
                    singles.setdefault(prefix, []).append(slot)
                elif word != prefix:
                    tails.setdefault(word, []).append((prefix, slot))
                elif len(prefix) == 2:
                    short.setdefault(prefix, []).append(slot)
                else:
                    whole.setdefault(prefix[:3], {}).setdefault(prefix, []).append(slot)
        self.whole = {
            key: (tuple(sorted({len(p) for p in group})), {p: tuple(slots) for p, slots in group.items()})
            for key, group in whole.items()
        }
        self.short = {two: tuple(slots) for two, slots in short.items()}
        self.singles = {one: tuple(slots) for one, slots in singles.items()}
        self.tails = {word: _WordTails.of(word, found) for word, found in tails.items()}
        # The starts that go on past their word ("the answer", "up to "), with their slots.
        going_on: dict[str, list[int]] = {}
        for word, found_tails in tails.items():
            for literal, slot in found_tails:
                if literal != word:
                    going_on.setdefault(literal, []).append(slot)
        # Per first three letters, what their words may start: filled as texts show them
        # (a few thousand keys at most).
        self._entries: dict[str, _KeyEntry | None] = {}
        # Per word, the slots it starts and its tails: most words of a text were seen in
        # earlier texts, and cost one look-up.
        self._words: dict[str, tuple[tuple[int, ...], _WordTails | None]] = {}
        # The words the rules' conditional starts require ("weight" for "lose ... weight"):
        # whether a text holds each is settled in one pass when its starts are found, the
        # pass that also finds the starts going on past their word.
        self.literals = _LiteralSearch(literals, {literal: tuple(at) for literal, at in going_on.items()})

    @classmethod
    def share(cls, starts: Sequence[Starts], literals: Iterable[str] = ()) -> StartTable:
        """Build the table of ``starts`` and point each of them at its slot in it.

        ``literals``: the required literals the starts' prefilters ask ``WordIndex.holds``
        about, answered for each text at once.
        """
        table = cls(starts, literals)
        for slot, found in enumerate(starts):
            object.__setattr__(found, "shared", (table, slot))  # frozen: set once, at load
        return table

    def found(self, index: WordIndex) -> dict[int, list[int]]:
        """Slot -> offsets where its starts begin a word (may repeat); computed once per text.

        The first call for a text also settles which of the table's literals it holds.
        """
        memo = index.shared.get(self)
        if memo is None:
            memo = index.shared[self] = self._find(index)
            self.literals.settle(index, memo)
        return memo

    def _find(self, index: WordIndex) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        lowered = index.lowered
        words = self._words
        tested = not self.literals.finds_tails  # else the literal search finds what goes on past a word
        for word, offsets in index.words.items():
            found = words.get(word)
            if found is None:
                found = self._word_starts(word)
            slots, tail = found
            for slot in slots:
                out.setdefault(slot, []).extend(offsets)
            if tail is not None:
                for slot in tail.whole:  # the word itself: every offset, no test
                    out.setdefault(slot, []).extend(offsets)
                if tested and (tail.short or tail.keyed):  # starts that go on past it
                    for slot, pos in tail.found(lowered, offsets):
                        out.setdefault(slot, []).append(pos)
        return out

    def _word_starts(self, word: str) -> tuple[tuple[int, ...], _WordTails | None]:
        """The slots whose starts begin ``word``, and its tails; worked out once per word."""
        key = word[:3]
        entry = self._entries[key] if key in self._entries else self._entry(key)
        found: tuple[tuple[int, ...], _WordTails | None] = _NO_STARTS
        if entry is not None:  # else no rule starts with these letters: most of a text's words
            every, lengths, prefixes, tails = entry
            slots = list(every)
            for length in lengths:
                if length > len(word):
                    break
                slots.extend(prefixes.get(word[:length], ()))
            if slots or word in tails:
                found = (tuple(slots), tails.get(word))
        if len(self._words) >= _MAX_KNOWN_WORDS:
            self._words.clear()  # a bound on memory over a corpus with a huge vocabulary
        self._words[word] = found
        return found

    def _entry(self, key: str) -> _KeyEntry | None:
        """What the words with these first three characters may start, worked out on first sight."""
        every = (*self.short.get(key[:2], ()), *self.singles.get(key[:1], ()))
        lengths, prefixes = self.whole.get(key, ((), {}))
        tails = {word: found for word, found in self.tails.items() if word[:3] == key}
        entry = (every, lengths, prefixes, tails) if every or lengths or tails else None
        self._entries[key] = entry
        return entry


@mypyc_attr(native_class=False)  # pickled in the rule cache: restored without calling __init__
class _LiteralSearch:
    """Which of many literals a text holds, and where the starts going on past a word begin.

    A rule's conditional starts ask whether the text holds their required words: some 400
    distinct literals, each a substring search of its own, most answered "no". One
    automaton over the lower-cased text answers them all (pyahocorasick, in C), and in the
    same pass finds the starts that go on past their first word ("the answer", "up to "):
    tested at each offset of their word, they cost the table's pass more than all its other
    look-ups. Without the package, ``WordIndex.holds`` searches for each literal and the
    table tests the starts at each offset (``_WordTails.found``), as before.
    """

    def __init__(self, literals: Iterable[str], tails: Mapping[str, tuple[int, ...]] | None = None) -> None:
        self.literals = frozenset(literals)
        tails = tails or {}
        self._automaton: Any = None
        if (self.literals or tails) and ahocorasick is not None:
            automaton = ahocorasick.Automaton()
            for literal in {*self.literals, *tails}:
                # A literal rules only ask about is itself; a start is (the literal, whether a
                # rule asks about it, the slots it starts).
                slots = tails.get(literal)
                value = literal if slots is None else (literal, literal in self.literals, slots)
                automaton.add_word(literal, value)
            automaton.make_automaton()
            self._automaton = automaton

    @property
    def finds_tails(self) -> bool:
        """Whether ``settle`` finds the starts that go on past a word."""
        return self._automaton is not None

    def settle(self, index: WordIndex, found: dict[int, list[int]]) -> None:
        """Record in ``index`` whether its text holds each literal; add the tails' offsets to ``found``.

        A tail ("the answer") counts where a word starts: its first word is then a word of
        the index (its next character is no word character), as when it was tested there.
        """
        if self._automaton is None:
            return
        lowered = index.lowered
        present: set[str] = set()
        for end, value in self._automaton.iter(lowered):
            if isinstance(value, str):
                present.add(value)  # most matches: a literal a rule asks about
                continue
            literal, asked, slots = value
            if asked:
                present.add(literal)
            if slots:
                pos = end - len(literal) + 1
                if pos == 0 or not _is_word_char(lowered[pos - 1]):
                    for slot in slots:
                        found.setdefault(slot, []).append(pos)
        index.settle(self.literals, present)


# The starts that go on past a word, by the characters after it: (start, slots) of each.
_Keyed = dict[str, tuple[tuple[str, tuple[int, ...]], ...]]


class _WordTails:
    """The starts that go on past one word ("the answer", "the only", "up to "), found at its offsets.

    A common word ("the", "for") leads many rules' starts: testing each at each of its
    offsets was most of the table's pass. Here the few characters after the word pick the
    starts worth testing, so an offset costs a look-up and a test or two.
    """

    _KEY: ClassVar[int] = 3  # characters after the word that pick the starts (" an" for "the answer")

    def __init__(
        self,
        width: int,
        whole: tuple[int, ...],
        short: tuple[tuple[str, tuple[int, ...]], ...],
        keyed: _Keyed,
    ) -> None:
        self.width = width
        self.whole = whole  # slots whose start is the word itself ("we"): every offset, no test
        self.short = short  # starts too short to have a key ("the ", "cure,"): tested at each offset
        self.keyed = keyed

    def __reduce__(
        self,
    ) -> tuple[
        type[_WordTails], tuple[int, tuple[int, ...], tuple[tuple[str, tuple[int, ...]], ...], _Keyed]
    ]:
        # Compiled, the class has no __dict__ to pickle: it is rebuilt from its fields (rule cache).
        return _WordTails, (self.width, self.whole, self.short, self.keyed)

    @classmethod
    def of(cls, word: str, found: Iterable[tuple[str, int]]) -> _WordTails:
        """Group ``found`` (start, slot) by start, and the starts by the characters after ``word``."""
        slots: dict[str, list[int]] = {}
        for literal, slot in found:
            slots.setdefault(literal, []).append(slot)
        short: list[tuple[str, tuple[int, ...]]] = []
        keyed: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        width = len(word)
        whole = tuple(dict.fromkeys(slots.pop(word, ())))
        for literal, group in slots.items():
            entry = (literal, tuple(dict.fromkeys(group)))
            if len(literal) < width + cls._KEY:
                short.append(entry)
            else:
                keyed.setdefault(literal[width : width + cls._KEY], []).append(entry)
        return cls(width, whole, tuple(short), {key: tuple(group) for key, group in keyed.items()})

    def found(self, lowered: str, offsets: Sequence[int]) -> list[tuple[int, int]]:
        """(slot, offset) of each start that begins at one of the word's ``offsets``."""
        width, key_width, short, keyed = self.width, self._KEY, self.short, self.keyed
        found: list[tuple[int, int]] = []
        for pos in offsets:
            for literal, slots in short:
                if lowered.startswith(literal, pos):
                    for slot in slots:
                        found.append((slot, pos))
            after = pos + width
            for literal, slots in keyed.get(lowered[after : after + key_width], ()):
                if lowered.startswith(literal, pos):
                    for slot in slots:
                        found.append((slot, pos))
        return found


_NO_STARTS: tuple[tuple[int, ...], _WordTails | None] = ((), None)
_MAX_KNOWN_WORDS = 1 << 17
# (slots every such word goes to, prefix lengths to try, prefix -> slots, word -> tails)
_Tails = dict[str, _WordTails]
_KeyEntry = tuple[tuple[int, ...], tuple[int, ...], dict[str, tuple[int, ...]], _Tails]
# A prefilter's plan: (table, slot) of its starts, its starts again when some are found with
# ``str.find``, (required literals, slot) of conditional starts in the same table, and
# (required literals, starts) of the other conditional starts. Each set of required literals
# comes with whether the table's literal search settles all of them (``WordIndex.settled_any``).
_Plan = tuple[
    StartTable,
    int,
    Starts | None,
    tuple[tuple[frozenset[str], bool, int], ...],
    tuple[tuple[frozenset[str], bool, Starts], ...],
]


@dataclass(frozen=True)
class Prefilter(Record):
    r"""Where a rule's matches can start, so the regex runs at a few offsets or not at all.

    ``prefixes``: the literal starts of every possible match (None when unknown).
    ``required``: literals one of which every match contains somewhere ("near" in
    ``\w+\s+near\s+me``), for patterns that start with a class or a digit.

    Each top-level alternative (a rule's ``tokens`` item) is read on its own: its literal
    starts are looked up in the text's word index (or found with ``str.find`` when they do
    not start a word); an item whose required words are rarer than its start ("[Ll]orem
    ipsum") is looked up only when they occur; and an item with no literal start
    (``\w+ near me``) forces a full scan only when the text holds the literals it requires.
    """

    prefixes: frozenset[str] | None
    at_word_start: bool = False  # every match starts at \b with a word character
    required: frozenset[str] | None = None
    starts: Starts | None = None  # None when the syntax tree could not be read: always scan
    conditional: tuple[tuple[frozenset[str], Starts], ...] = ()  # (required literals, starts)
    unknown: tuple[frozenset[str] | None, ...] = ()  # required literals of unindexable items
    # The lower-case literal starts of each top-level alternative's matches (None: any).
    alternative_starts: tuple[frozenset[str] | None, ...] = ()
    # Memos of the properties below (see ``Record._remember``).
    _plan_memo: tuple[_Plan] | None = field(default=None, kw_only=True, repr=False, compare=False)
    _by_start_memo: tuple[_ByStart | None] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Prefilter:
        """Derive the prefixes and required literals from the pattern's syntax tree."""
        try:
            parsed = list(_syntax_tree(pattern.pattern, pattern.flags))
            boundary = bool(parsed) and str(parsed[0][0]) == "AT" and str(parsed[0][1]) == "AT_BOUNDARY"
            # An item of a ``nonword`` rule may still start at \b ("\bundefined"): its starts
            # are then looked up in the word index like a word-bounded rule's.
            alternatives = [
                (
                    _some_start(_lowered_set(_prefixes(items))),
                    _lowered_set(_required(items)),
                    boundary or _starts_at_boundary(items),
                )
                for items in _top_alternatives(parsed)
            ]
        except Exception:  # a private parser: if it disagrees, just never filter
            return cls(None)
        # The whole pattern's starts and required literals are its alternatives' together
        # (reading the tree again for them doubled the time rules take to load).
        prefixes = _union([None if found is None else _cores(found) for found, _, _ in alternatives])
        required = _union([needed for _, needed, _ in alternatives])
        # An item is looked up only when its required words occur if its starts are so short
        # ("[Ll]orem ipsum" starts with "l") that they would match at many words.
        gated = [
            (found, needed, bounded)
            for found, needed, bounded in alternatives
            if found is not None and needed is not None and _gated(found, needed)
        ]
        plain = [
            (found, bounded)
            for found, needed, bounded in alternatives
            if found is not None and (found, needed, bounded) not in gated
        ]
        starts = _merged_starts(plain)
        return cls(
            prefixes=prefixes,
            at_word_start=prefixes is not None and all(_WORD.match(p[:1]) for p in prefixes) and boundary,
            required=required,
            starts=starts,
            conditional=tuple((needed, Starts.of(found, bounded)) for found, needed, bounded in gated),
            unknown=tuple(needed for found, needed, _ in alternatives if found is None),
            alternative_starts=tuple(
                None if found is None else _cores(found) for found, _, _ in alternatives
            ),
        )

    def asked_literals(self) -> set[str]:
        """The literals ``candidates`` may ask ``WordIndex.holds`` about."""
        asked = {literal for needed in self.unknown if needed is not None for literal in needed}
        return asked | {literal for needed, _ in self.conditional for literal in needed}

    def shareable_starts(self) -> list[Starts]:
        """The starts ``StartTable`` finds for it: all but conditional ones of one character.

        A digit or a letter ("[Ii]") starts a large share of a text's words: the table's pass
        would take them all for a rule that rarely needs them (only when its required words
        occur), so such starts are found on their own, when needed.
        """
        conditional = [s for _, s in self.conditional if all(len(p) > 1 for p in s.indexed)]
        return [*([self.starts] if self.starts is not None else []), *conditional]

    def may_match(self, lowered: str) -> bool:
        """False only when no match can exist in the (lower-cased) text."""
        if self.required is not None and not any(r in lowered for r in self.required):
            return False
        return self.prefixes is None or any(p in lowered for p in self.prefixes)

    def candidates(self, view: TextView) -> list[int] | None:
        """Offsets where a match may start (sorted), or None when the whole text must be scanned."""
        index = view.word_starts
        if index is None or self.starts is None:
            return None
        table, slot, scanned, same_table, elsewhere = self._plan
        where_found = index.shared.get(table)  # the table's pass over this text, once made
        if where_found is None:
            where_found = table.found(index)  # first: it settles the literals asked below
        if not same_table and not elsewhere and scanned is None and not self.unknown:
            main = where_found.get(slot)  # most rules: their starts alone
            return sorted(set(main)) if main else []
        for needed in self.unknown:
            if needed is None or index.holds_any(needed):
                return None  # e.g. "\w+ near me" in a text that says "near"
        main = where_found.get(slot)
        # A conditional start counts when its required words occur: for starts in the same
        # table, where they are is known, so the words are asked only when they are there.
        more: list[list[int]] = []
        for needed, settled, other in same_table:
            where = where_found.get(other)
            if where and (index.settled_any(needed) if settled else index.holds_any(needed)):
                more.append(where)
        for needed, settled, starts in elsewhere:
            if index.settled_any(needed) if settled else index.holds_any(needed):
                more.append(starts.positions(index))
        if scanned is not None:
            more.append(scanned.scan(index.lowered))
        if not more:
            return sorted(set(main)) if main else []  # most rules in most texts: no start at all
        return sorted(set(main or ()).union(*more))

    @property
    def _plan(self) -> _Plan:
        """Where ``candidates`` finds the starts, worked out once per rule (see ``_Plan``)."""
        memo = self._plan_memo
        if memo is None:
            return self._remember("_plan_memo", self._compute_plan())
        return memo[0]

    def _compute_plan(self) -> _Plan:
        starts = self.starts
        assert starts is not None  # candidates asks only then
        table, slot = starts.shared if starts.shared is not None else (starts.own_table, 0)
        same_table: list[tuple[frozenset[str], bool, int]] = []
        elsewhere: list[tuple[frozenset[str], bool, Starts]] = []
        search = table.literals  # it settles its literals for each text, if it has its automaton
        for needed, other in self.conditional:
            settled = search.finds_tails and needed <= search.literals
            if other.shared is not None and other.shared[0] is table and not other.scanned:
                same_table.append((needed, settled, other.shared[1]))
            else:
                elsewhere.append((needed, settled, other))
        return table, slot, starts if starts.scanned else None, tuple(same_table), tuple(elsewhere)

    def finditer(self, pattern: re.Pattern[str], view: TextView) -> Iterator[re.Match[str]]:
        """``pattern.finditer(view.text)``, trying only the candidate offsets when they are known."""
        return iter(self.matches_at(pattern, view, self.candidates(view)))

    def matches_at(
        self, pattern: re.Pattern[str], view: TextView, positions: list[int] | None
    ) -> list[re.Match[str]]:
        """``finditer``'s matches given its ``candidates`` (None: scan the text, if it may match at all).

        A list, not a generator: most rules tried at a few offsets match at none, and every
        caller reads all of them.
        """
        if positions is None:
            return list(pattern.finditer(view.text)) if self.may_match(view.lowered) else []
        by_start = self._by_start(pattern)
        by_key = by_start.by_key if by_start is not None else None  # read here: one look-up an offset
        text, lowered = view.text, view.lowered
        found: list[re.Match[str]] = []
        end = 0
        for pos in positions:
            if pos < end:
                continue  # inside the previous match: finditer would not look here either
            at = pattern
            if by_start is not None and by_key is not None:
                key = lowered[pos : pos + _START_KEY]
                known = by_key.get(key)
                at = known if known is not None else by_start.pattern_for(key)
            match = at.match(text, pos)
            if match is not None and match.end() > match.start():
                end = match.end()
                found.append(match)
        return found

    def _by_start(self, pattern: re.Pattern[str]) -> _ByStart | None:
        """``pattern`` cut by how its alternatives start (built on first use)."""
        memo = self._by_start_memo
        if memo is None:
            return self._remember("_by_start_memo", _ByStart.of(pattern, self.alternative_starts))
        return memo[0]


_START_KEY = 3  # characters at an offset that pick the alternatives to try there


@mypyc_attr(native_class=False)  # may be pickled with its rule set: restored through __dict__
class _ByStart:
    r"""A word-bounded alternation cut into smaller ones by the first characters of a match.

    A rule's pattern joins hundreds of phrases (``\b(?:(?:a)|(?:b)|...)\b``), and Python's
    engine tries each phrase in turn at every offset it is asked about: with IGNORECASE it
    cannot skip a phrase by its first letter, so one attempt costs ~2 us. At an offset whose
    (lower-case) text starts with ``key`` (three characters), only the phrases whose literal
    starts agree with ``key`` can match: the pattern of just those, in their order, finds
    the same match, as the first phrase that matches is the same. Built per key on first use.
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        frame: tuple[str, str],
        pieces: list[str],
        starts: tuple[frozenset[str] | None, ...],
    ) -> None:
        self.pattern = pattern
        self.frame = frame  # what goes before and after the alternation
        self.pieces = pieces  # the alternatives' sources, in order
        self.starts = starts  # each alternative's literal starts (None: it may start anyhow)
        self.by_key: dict[str, re.Pattern[str]] = {}
        self.by_choice: dict[tuple[str, ...], re.Pattern[str]] = {}  # keys that pick the same ones
        self.leads: dict[int, _Lead | None] = {}  # each piece's leading group, read on first use

    @classmethod
    def of(cls, pattern: re.Pattern[str], starts: tuple[frozenset[str] | None, ...]) -> _ByStart | None:
        """The cut of ``pattern``; None unless it is an alternation of ``word_bounded`` shape.

        Not for a pattern with groups: the smaller patterns would number them differently.
        """
        source = pattern.pattern
        for head, tail in ((r"\b(?:", r")\b"), ("(?:", ")")):
            if source.startswith(head) and source.endswith(tail):
                pieces = _alternatives(source[len(head) : len(source) - len(tail)])
                if (
                    pieces is not None
                    and len(pieces) == len(starts) > 1
                    and all(p.startswith("(?:") and p.endswith(")") for p in pieces)
                ):
                    return cls(pattern, (head, tail), pieces, starts)
                return None
        return None

    def pattern_for(self, key: str) -> re.Pattern[str]:
        """The pattern of the alternatives a match may take where the lower-cased text starts with ``key``."""
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = self._build(key)
        return found

    def _build(self, key: str) -> re.Pattern[str]:
        # A start longer than the key must begin with it; a shorter one must begin the key.
        chosen = tuple(
            i
            for i, starts in enumerate(self.starts)
            if starts is None or any(start.startswith(key) or key.startswith(start) for start in starts)
        )
        # Each chosen phrase's leading group ("(?:cuts?|reduces?|...) the risk") keeps only
        # the branches that can begin with ``key``: with IGNORECASE, sre enters every branch.
        pieces = tuple(self._pruned(i, key) for i in chosen)
        if pieces == tuple(self.pieces):
            return self.pattern
        found = self.by_choice.get(pieces)
        if found is None:
            head, tail = self.frame
            # No alternative can start here: a pattern that never matches (but compiles).
            body = "|".join(pieces) if pieces else "(?!)"
            found = self.by_choice[pieces] = re.compile(f"{head}{body}{tail}", self.pattern.flags)
        return found

    def _pruned(self, index: int, key: str) -> str:
        """Piece ``index`` with the branches of its leading group that cannot begin with ``key`` left out."""
        lead = self.leads.get(index, _UNREAD)
        if lead is _UNREAD:
            # In a verbose pattern a space is no character of the text: nothing is read then.
            verbose = self.pattern.flags & re.VERBOSE
            lead = self.leads[index] = None if verbose else _leading_group(self.pieces[index])
        if lead is None:
            return self.pieces[index]
        before, branches, after = lead
        kept = [branch for branch, literal in branches if literal[: len(key)] == key[: len(literal)]]
        if len(kept) == len(branches):
            return self.pieces[index]
        return f"{before}{'|'.join(kept) if kept else '(?!)'}{after}"


# A piece's leading group: (what comes before its branches, each branch with the lower-case
# literal every match of it begins with, what comes after them).
_Lead = tuple[str, tuple[tuple[str, str], ...], str]
_UNREAD: Any = object()  # a piece whose leading group is not read yet
_QUANTIFIERS = ("?", "*", "+", "{")


def _leading_group(piece: str) -> _Lead | None:
    r"""The group a ``word_bounded`` piece begins with (``(?:\b(?:a|b) c)``), when every match does.

    None when the piece begins otherwise, when the group is optional or repeated (a match
    may then begin after it), or when no branch has a literal start to tell it apart.
    """
    open_at = 5 if piece.startswith("(?:\\b(?:") else 3 if piece.startswith("(?:(?:") else -1
    if open_at < 0:
        return None
    close = _group_end(piece, open_at)
    if close is None or piece.startswith(_QUANTIFIERS, close + 1):
        return None
    branches = _alternatives(piece[open_at + 3 : close])
    if branches is None or len(branches) < 2:
        return None
    read = tuple((branch, _leading_literal(branch)) for branch in branches)
    if all(not literal for _, literal in read):
        return None
    return piece[: open_at + 3], read, piece[close:]


def _group_end(source: str, open_at: int) -> int | None:
    """The offset of the ")" that closes the group opened at ``open_at``."""
    depth = 0
    for at, char in _grouping_marks(source, open_at) or ():
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at
    return None


def _grouping_marks(source: str, start: int = 0) -> list[tuple[int, str]] | None:
    """(offset, character) of each "(", ")" and "|" of a pattern's source, escapes and classes read.

    None when a class is left open.
    """
    found: list[tuple[int, str]] = []
    i, in_class = start, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A "]" first in the class (after an optional "^") is a literal, not its end.
            i += 2 if source.startswith("^]", i + 1) else 1
            i += 1 if source.startswith("]", i) else 0
            continue
        elif char in "()|":
            found.append((i, char))
        i += 1
    return None if in_class else found


def _leading_literal(branch: str) -> str:
    """The lower-case letters, digits and spaces every match of ``branch`` begins with ("" if none).

    Read up to the first other character; a letter that a quantifier after it may leave out
    ("cures?") is not counted, one that ``+`` repeats is.
    """
    end = 0
    while end < len(branch) and (branch[end].isalnum() or branch[end] == " "):
        end += 1
    literal = branch[:end]
    if branch.startswith(("?", "*", "{"), end):
        literal = literal[:-1]
    return literal.lower()


def _alternatives(body: str) -> list[str] | None:
    """``body`` split at its top-level ``|`` (outside groups and classes).

    None if it is unbalanced or has a capturing group (read from the source: compiling the
    pattern to ask would cost what the cut saves).
    """
    marks = _grouping_marks(body)
    if marks is None:
        return None
    pieces: list[str] = []
    depth, start = 0, 0
    for at, char in marks:
        if char == "(":
            if not body.startswith("?", at + 1) or body.startswith("?P<", at + 1):
                return None  # a capturing group
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:  # a "|" between two alternatives
            pieces.append(body[start:at])
            start = at + 1
    if depth != 0:
        return None
    pieces.append(body[start:])
    return pieces


def _merged_starts(groups: Sequence[tuple[frozenset[str], bool]]) -> Starts:
    """One ``Starts`` of several items' starts, each item with its own word boundary or none."""
    bounded = Starts.of((p for found, at_boundary in groups if at_boundary for p in found), boundary=True)
    loose = Starts.of((p for found, at_boundary in groups if not at_boundary for p in found), boundary=False)
    return Starts(bounded.indexed - loose.scanned, bounded.scanned | loose.scanned, bounded.exact)


def _starts_at_boundary(items: Sequence[tuple[object, object]]) -> bool:
    r"""Whether every match of ``items`` starts at ``\b`` (after any look-behinds before it)."""
    for op, arg in items:
        name = str(op)
        if name in ("ASSERT", "ASSERT_NOT"):
            continue  # zero-width: the \b after it holds at the same offset
        if name == "AT":
            return str(arg) == "AT_BOUNDARY"
        if name == "SUBPATTERN":
            return _starts_at_boundary(list(arg[-1]))  # type: ignore[index]
        if name == "BRANCH":
            return all(_starts_at_boundary(list(branch)) for branch in arg[1])  # type: ignore[index]
        return False
    return False


def _gated(found: frozenset[str], needed: frozenset[str]) -> bool:
    """Whether an item is looked up only when its required words occur.

    So it is when its starts are so short ("[Ll]orem ipsum" starts with "l") or so common
    ("the ") that they would match at many words, and it requires other words than them.
    """
    cores = _cores(found)
    if needed == cores:
        return False
    return min(map(_rarity, cores)) <= _SHORT_START or all(map(_is_common_start, cores))


def _some_start(found: frozenset[str] | None) -> frozenset[str] | None:
    """``found``, or None when a match may start with nothing literal (an empty prefix)."""
    return None if found is None or any(not p.rstrip(_COMPLETE) for p in found) else found


def _cores(found: frozenset[str]) -> frozenset[str]:
    """The prefixes without their ``_COMPLETE`` marks (what a text must contain)."""
    return frozenset(p.rstrip(_COMPLETE) for p in found)


def _union(sets: Sequence[frozenset[str] | None]) -> frozenset[str] | None:
    """The union of the sets, or None when any is unknown (None)."""
    if not sets or any(found is None for found in sets):
        return None
    return frozenset().union(*sets)  # type: ignore[arg-type]


def _repeat_prefixes(arg: object, rest: list[tuple[object, object]]) -> set[str] | None:
    """Prefixes of a repeat ("(?:the )?best"): its body's, and what follows when it may be absent.

    An optional plain literal goes on into what follows ("the best", "best"), as a literal
    start does: "the " alone would start at every "the" of a text.
    """
    low: int = arg[0]  # type: ignore[index]
    high: int = arg[1]  # type: ignore[index]
    body = list(arg[2])  # type: ignore[index]
    head = _prefixes(body)
    if head is None or low >= 1:
        return head
    after = _prefixes(rest)
    if after is None:
        return None
    spellings = _spellings(body) if high == 1 else None  # "(?:the )?", "s?", "[sd]?"
    if spellings is not None and len(spellings) * len(after) <= _MAX_EXTENDED_PREFIXES:
        return {spelling + tail for spelling in spellings for tail in after} | after
    return head | after


def _spellings(items: list[tuple[object, object]]) -> list[str] | None:
    """Every string ``items`` can match, when it is a few fixed spellings ("the ", "[sd]", "es|s")."""
    found = [""]
    for op, arg in items:
        name = str(op)
        choices: list[str] | None
        if name == "LITERAL":
            choices = [chr(arg)]  # type: ignore[arg-type]
        elif name == "IN":
            choices = _class_literals(arg)
        elif name == "SUBPATTERN":
            choices = _spellings(list(arg[-1]))  # type: ignore[index]
        elif name == "BRANCH":
            branches = [_spellings(list(branch)) for branch in arg[1]]  # type: ignore[index]
            choices = None if any(b is None for b in branches) else [c for b in branches for c in b or ()]
        elif name in _REPEAT_OPS and arg[0] == 0 and arg[1] == 1:  # type: ignore[index]
            body = _spellings(list(arg[2]))  # type: ignore[index]
            choices = None if body is None else ["", *body]  # "s?": absent, or "s"
        else:
            return None
        if choices is None:
            return None
        found = [start + choice for start in found for choice in choices]
        if len(found) > _MAX_EXTENDED_PREFIXES:
            return None
    return found


def _zero_width(op: object, arg: object) -> bool:
    r"""Whether a parsed item matches no character: \b, ^, a lookaround, or a group of only those.

    "(?:(?<=\bour\s)|(?<=\bmy\s))herbal" starts with such a group; its literal start is "herbal".
    """
    name = str(op)
    if name in _SKIPPABLE:
        return True
    if name == "SUBPATTERN":
        return all(_zero_width(o, a) for o, a in arg[-1])  # type: ignore[index]
    if name == "BRANCH":
        return all(branch and all(_zero_width(o, a) for o, a in branch) for branch in arg[1])  # type: ignore[index]
    return False


def _prefixes(items: list[tuple[object, object]]) -> set[str] | None:
    r"""Literal prefixes of a parsed sequence; None when a match may start with a non-literal.

    A sequence that starts with no literal but surely with a non-word character (``\s+``)
    has the one empty prefix ``_COMPLETE``: the literal before it then ends a word.
    """
    found = _literal_prefixes(items)
    if found is None and _starts_non_word(items):
        return {_COMPLETE}
    return found


def _starts_non_word(items: list[tuple[object, object]]) -> bool:
    """Whether every match of ``items`` starts with a character that is not a word character.

    Only what the sequence itself says counts: at its end the answer is its caller's, so no.
    """
    for index, (op, arg) in enumerate(items):
        if str(op) not in ("ASSERT", "ASSERT_NOT"):  # a lookaround matches no character
            return _first_is_non_word(str(op), arg, items[index + 1 :])
    return False


def _first_is_non_word(name: str, arg: Any, rest: list[tuple[object, object]]) -> bool:
    """Whether the item ``name``/``arg``, then ``rest``, starts with a non-word character."""
    if name == _NON_WORD_NEXT[0]:
        return True
    if name in _REPEAT_OPS:
        low, body = arg[0], list(arg[2])
        return _starts_non_word(body) and (low >= 1 or _starts_non_word(rest))
    if name in ("SUBPATTERN", "BRANCH"):
        branches = [arg[-1]] if name == "SUBPATTERN" else arg[1]
        return all(_starts_non_word([*branch, *rest]) for branch in branches)
    if name == "LITERAL":
        return not _is_word_char(chr(arg))
    if name == "CATEGORY":
        return str(arg) in _NON_WORD_CATEGORIES
    return name == "IN" and all(_is_non_word_item(op, value) for op, value in arg)  # else \b ...: unknown


_NON_WORD_CATEGORIES = frozenset({"CATEGORY_SPACE", "CATEGORY_NOT_WORD"})
# Stands, after a branch read alone, for what follows its alternation when that starts with a
# non-word character: no literal, but the word before it ends there.
_NON_WORD_NEXT: tuple[object, object] = ("NON_WORD_NEXT", None)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


def _is_non_word_item(op: object, value: object) -> bool:
    """Whether one item of a character class matches only non-word characters."""
    if str(op) == "LITERAL":
        return not _is_word_char(chr(value))  # type: ignore[arg-type]
    return str(op) == "CATEGORY" and str(value) in _NON_WORD_CATEGORIES


def _literal_prefixes(items: list[tuple[object, object]]) -> set[str] | None:
    literal = ""
    for index, (op, arg) in enumerate(items):
        name = str(op)
        if not literal and _zero_width(op, arg):
            continue
        if name == "LITERAL":
            literal += chr(arg)  # type: ignore[arg-type]
            continue
        if literal:
            return _extended(literal, items[index:])
        if name in _REPEAT_OPS:
            return _repeat_prefixes(arg, items[index + 1 :])
        if name == "SUBPATTERN":
            return _prefixes(list(arg[-1]))  # type: ignore[index]
        if name in ("IN", "CATEGORY"):
            return _class_start(name, arg, items[index + 1 :])
        return _branch_prefixes(arg, items[index + 1 :]) if name == "BRANCH" else None
    return {literal} if literal else None


def _extended(literal: str, rest: list[tuple[object, object]]) -> set[str]:
    """A literal start, gone on into what follows when the parser cut a word short.

    The parser factors shared letters out of an alternation ("find|found" reads as "f", then
    "ind|ound"): a start of one or two letters would be tried at every word they begin. A
    sign ("%", "{") is found by a scan of the text; more of them would mean more scans.
    """
    return _extended_all([literal], rest)


def _extended_all(literals: Sequence[str], rest: list[tuple[object, object]]) -> set[str]:
    """``_extended`` of several literals before the same ``rest`` (read once for all of them)."""
    found: set[str] = set()
    more: set[str] | None = None
    if any(_WORDS_AND_SPACES.fullmatch(literal) for literal in literals):
        more = _prefixes(rest)
    for literal in literals:
        found |= _gone_on(literal, more) if _WORDS_AND_SPACES.fullmatch(literal) else {literal}
    return found


def _gone_on(literal: str, more: set[str] | None) -> set[str]:
    """``literal`` followed by each of ``more`` (the prefixes of what follows it), within bounds."""
    if more and len(more) <= _MAX_EXTENDED_PREFIXES:
        return {literal + tail for tail in more}
    if more:  # too many ways to go on: one step of each still says whether the word ends here
        steps = {_first_step(tail) for tail in more}
        if len(steps) <= _MAX_EXTENDED_PREFIXES:
            return {literal + step for step in steps}
    return {literal}


def _may_be_empty(items: list[tuple[object, object]]) -> bool:
    """Whether ``items`` may match no character (every item zero-width or optional)."""
    for op, arg in items:
        name = str(op)
        if name in _REPEAT_OPS and arg[0] == 0:  # type: ignore[index]
            continue
        if not _zero_width(op, arg):
            return False
    return True


def _first_step(tail: str) -> str:
    """A prefix's first character, or ``_COMPLETE`` when what follows is no word character."""
    return tail[0] if tail and tail[0] != _COMPLETE and _is_word_char(tail[0]) else _COMPLETE


def _class_start(name: str, arg: object, rest: list[tuple[object, object]]) -> set[str] | None:
    """Prefixes of a class and what follows: "[Ww]e" reads as "We" and "we", gone on as literals."""
    letters = _case_letters(name, arg)
    if letters is None:
        return _class_prefixes(name, arg)
    return _extended_all(letters, rest)


def _case_letters(name: str, arg: object) -> list[str] | None:
    """The letters of a class of a few literal word characters ("[Ii]", "[Ww]"), else None."""
    letters = _class_literals(arg) if name == "IN" else None
    return letters if letters is not None and all(map(_is_word_char, letters)) else None


def _class_literals(arg: object) -> list[str] | None:
    """The characters of a class of a few literal characters ("[sd]", "[- ]"), else None."""
    items = list(arg)  # type: ignore[call-overload]
    if not 0 < len(items) <= _MAX_CLASS_LETTERS or any(str(op) != "LITERAL" for op, _ in items):
        return None
    return [chr(value) for _, value in items]


_MAX_CLASS_LETTERS = 4  # "[Ii]", "[Mm]y": a larger class is no word's spelling


def _class_prefixes(name: str, arg: object) -> set[str] | None:
    r"""One-character prefixes of ``\d`` or a class of literal characters (``[Ii]``)."""
    items: list[tuple[object, Any]] = [("CATEGORY", arg)] if name == "CATEGORY" else list(arg)  # type: ignore[call-overload]
    found: set[str] = set()
    for op, value in items:
        if str(op) == "LITERAL":
            found.add(chr(value))
        elif str(op) == "CATEGORY" and str(value) == "CATEGORY_DIGIT":
            found |= _DIGITS
        elif str(op) == "RANGE" and {chr(c) for c in range(value[0], value[1] + 1)} <= _DIGITS:
            found |= {chr(c) for c in range(value[0], value[1] + 1)}
        else:
            return None
    return found


def _branch_prefixes(arg: object, rest: Sequence[tuple[object, object]] = ()) -> set[str] | None:
    r"""Prefixes of an alternation and what follows it; None if a branch's are unknown.

    A branch of fixed spellings ("all|the", "[Ii]|[Ww]e", "cures?") goes on into ``rest``, as
    a literal start does (``rest`` is read once for all of them); so does a branch that may
    match nothing. Any other is read alone, knowing only whether a non-word character
    follows it ("click(?:\s+on)?" before "\s+the": "click" is a whole word).
    """
    found: set[str] = set()
    fixed: list[str] = []
    then = [_NON_WORD_NEXT] if rest and _starts_non_word(list(rest)) else []
    for branch in arg[1]:  # type: ignore[index]
        items = list(branch)
        spellings = _spellings(items) if rest else None
        if spellings and "" not in spellings:
            fixed.extend(spellings)
            continue
        sub = _prefixes([*items, *rest] if _may_be_empty(items) else [*items, *then])
        if sub is None:
            return None
        found |= sub
    if fixed:
        found |= _extended_all(fixed, list(rest))
    return found


def _lowered_set(found: set[str] | None) -> frozenset[str] | None:
    return frozenset(p.lower() for p in found) if found else None


def _top_alternatives(parsed: list[tuple[object, object]]) -> list[list[tuple[object, object]]]:
    r"""The top-level alternatives of ``\b(?:(?:a)|(?:b))\b`` (Vale's wrapping), else the whole."""
    core = [(op, arg) for op, arg in parsed if str(op) != "AT"]
    while len(core) == 1 and str(core[0][0]) == "SUBPATTERN":
        core = list(core[0][1][-1])  # type: ignore[index]
    if len(core) == 1 and str(core[0][0]) == "BRANCH":
        return [list(branch) for branch in core[0][1][1]]  # type: ignore[index]
    return [parsed]


def _required(items: list[tuple[object, object]]) -> set[str] | None:
    """Literals one of which every match of ``items`` contains; None when there are none.

    Each part of a sequence that must match (a literal run, a group, an alternation whose
    branches all have such literals, a repeat of at least one) offers a set; the most
    selective set (by the rarity of its least rare literal) is kept.
    """
    offers: list[set[str]] = []
    literal = ""
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            literal += chr(arg)  # type: ignore[arg-type]
            continue
        if literal:
            offers.append({literal})
            literal = ""
        offer: set[str] | None = None
        if name == "SUBPATTERN":
            offer = _required(list(arg[-1]))  # type: ignore[index]
        elif name == "BRANCH":
            offer = _branch_required(arg)
        elif name in _REPEAT_OPS and arg[0] >= 1:  # type: ignore[index]
            offer = _required(list(arg[2]))  # type: ignore[index]
        if offer:
            offers.append(offer)
    if literal:
        offers.append({literal})
    return max(offers, key=lambda o: (min(map(_rarity, o)), -len(o))) if offers else None


def _is_common_start(literal: str) -> bool:
    """Whether a start is a stop word ("the ", "which", "see"): one that most texts hold many of."""
    from pipeline.topic import stop_words  # topic imports nothing from checks

    lead = _WORD.match(literal)
    return lead is not None and lead.group() in stop_words()


def _rarity(literal: str) -> int:
    """How selective a literal is: its length, punctuation counting triple ("[" beats "ad")."""
    core = literal.strip()
    return len(core) + 2 * sum(not c.isalnum() and not c.isspace() for c in core)


def _branch_required(arg: object) -> set[str] | None:
    found: set[str] = set()
    for branch in arg[1]:  # type: ignore[index]
        sub = _required(list(branch))
        if not sub:
            return None
        found |= sub
    return found
