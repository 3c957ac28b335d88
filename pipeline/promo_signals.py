"""Promotion evidence that needs code rather than a phrase list.

Each signal reads the whole document and yields ``Clue``s: a span of ``Document.text`` and
a note for the removal report. The span places the clue in a sentence; for rules with
``unit: span`` it is also the text to remove. A rule file with ``extends: signal`` names the
signal, gives its weight and, where the signal takes them, its word list (``tokens``),
``exceptions`` and ``threshold``/``max`` — so signals are documented, weighted and disabled
like any other rule, and their vocabularies are data.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipeline.document import (
    WRAPPED_LINE_MIN,
    BlockKind,
    Document,
    Link,
    Record,
    Sentence,
    markdown_link_markup,
)
from pipeline.language import foreign_phrases
from pipeline.topic import TopicModel, is_content_word, stem, stop_words
from pipeline.words import byte_table, has_spaced, runs, tally

if TYPE_CHECKING:
    from pipeline.checks.base import Exceptions, Prefilter, TextView


class Clue:
    """One piece of evidence: ``text[start:end]`` and why it points at promotion.

    A plain class, not a frozen dataclass: signals make one for every sign they see, and
    compiled, a dataclass's ``__init__`` stays Python.
    """

    def __init__(self, start: int, end: int, note: str, strength: float = 1.0) -> None:
        self.start = start
        self.end = end
        self.note = note
        self.strength = strength  # scales the rule's weight

    def __repr__(self) -> str:
        return f"Clue({self.start}, {self.end}, {self.note!r}, {self.strength})"


@dataclass(frozen=True)
class SignalOptions(Record):
    """What a signal rule may configure: a word pattern, excused phrases, numeric limits."""

    pattern: re.Pattern[str] | None = None
    exceptions: re.Pattern[str] | None = None
    threshold: float | None = None
    max: float | None = None
    # Memos of the properties below (see ``Record._remember``).
    _prefilter_memo: tuple[Prefilter | None] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )
    _fullmatch_memo: tuple[Callable[[str], bool]] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )
    _exception_phrases_memo: tuple[Exceptions] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )
    _covers_memo: tuple[Callable[[str], tuple[tuple[int, int], ...]]] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )

    @property
    def prefilter(self) -> Prefilter | None:
        """The pattern's literal starts, so most articles skip the scan (see checks.base)."""
        memo = self._prefilter_memo
        if memo is None:
            return self._remember("_prefilter_memo", self._compute_prefilter())
        return memo[0]

    def _compute_prefilter(self) -> Prefilter | None:
        from pipeline.checks.base import Prefilter  # the checks package imports this module

        return Prefilter.of(self.pattern) if self.pattern is not None else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, trying only offsets where a match can start."""
        if self.pattern is None or self.prefilter is None:
            return iter(())
        return self.prefilter.finditer(self.pattern, _view_of(text))

    def matches(self, word: str) -> bool:
        """Whether ``word`` is entirely one of the rule's tokens."""
        fullmatch = self._fullmatch  # a local: mypyc would call the property as a method
        return fullmatch(word)

    def excused(self, text: str, start: int, end: int) -> bool:
        """Whether an exception phrase covers ``text[start:end]``."""
        covers = self._covers  # a local: mypyc would call the property as a method
        return any(lo <= start and end <= hi for lo, hi in covers(text))

    # Signals ask the same questions many times (every word of every article against a word
    # list, every clue against the exception phrases): memo tables, keyed by the string
    # only (hashing a compiled pattern rehashes its whole source), answer the repeats.
    @property
    def _fullmatch(self) -> Callable[[str], bool]:
        memo = self._fullmatch_memo
        if memo is None:
            return self._remember("_fullmatch_memo", _memoised_fullmatch(self.pattern))
        return memo[0]

    @property
    def exception_phrases(self) -> Exceptions:
        """The ``exceptions`` as a check reads them (their prefilter joins the rule set's table)."""
        memo = self._exception_phrases_memo
        if memo is None:
            return self._remember("_exception_phrases_memo", self._compute_exception_phrases())
        return memo[0]

    def _compute_exception_phrases(self) -> Exceptions:
        from pipeline.checks.base import Exceptions  # the checks package imports this module

        return Exceptions(self.exceptions)

    @property
    def _covers(self) -> Callable[[str], tuple[tuple[int, int], ...]]:
        memo = self._covers_memo
        if memo is None:
            return self._remember("_covers_memo", _memoised_covers(self.exception_phrases))
        return memo[0]


# Module-level: compiled by mypyc, a decorated closure inside a method is called as if undecorated.
def _memoised_fullmatch(pattern: re.Pattern[str] | None) -> Callable[[str], bool]:
    def fullmatch(word: str) -> bool:
        return pattern is not None and pattern.fullmatch(word) is not None

    return lru_cache(maxsize=1 << 15)(fullmatch)


def _memoised_covers(exceptions: Exceptions) -> Callable[[str], tuple[tuple[int, int], ...]]:
    def covers(text: str) -> tuple[tuple[int, int], ...]:
        return tuple(exceptions.spans(text))

    return lru_cache(maxsize=8)(covers)


@lru_cache(maxsize=4)
def _view_of(text: str) -> TextView:
    from pipeline.checks.base import TextView  # the checks package imports this module

    return TextView(text, ())


Evidence = Iterator[Clue]

# Generic top-level domains and the country codes spam sites use; two-letter codes that are
# English words ("is", "so", "to", "no") are left out: "day.so" is a sentence glued to the next.
_TLDS = (
    "com|net|org|info|biz|co|io|xyz|online|site|shop|store|top|club|tv|blog|news|health|app|dev|live|"
    "life|world|today|space|website|click|link|fun|vip|pro|buzz|guru|tips|care|clinic|fit|fitness|beauty|"
    "agency|media|digital|tech|mobi|travel|host|studio|finance|money|bet|casino|games|pharmacy|ltd|services|"
    "solutions|network|center|guide|reviews|ai|eu|id|"
    "ke|ng|in|uk|us|me|pk|za|nl|de|fr|ru|es|it|pl|br|au|ca|ug|tz|gh|rw|zm|zw|et|ph|vn|bd|lk|np|ae|sa|qa|"
    "eg|ma|tn|mx|cl|pe|ve|ar|tr|ua|kz|cn|jp|kr|tw|hk|sg|nz|ie|ch|se|dk|fi|cz|sk|hu|ro|bg|gr|pt|ws|cc"
)
# The top-level domain is written in lower case: "age.It is" is a sentence glued to the next.
_DOMAIN = re.compile(rf"\b(?:https?://)?(?:www\.)?((?:[a-z0-9-]{{2,63}}\.)+(?-i:{_TLDS}))\b", re.IGNORECASE)
# Every domain holds "." and a top-level domain and no space: the pattern above runs only on
# the space-free stretches where this literal-led finder (a fast scan) sees one.
_DOT_TLD = re.compile(rf"\.(?=[a-z])(?:{_TLDS})", re.IGNORECASE)  # most dots end a sentence: out at once
# Institutional domains are cited as sources, not advertised: never evidence of promotion.
_TRUSTED_SUFFIXES = (
    *(".gov", ".edu", ".int", ".nhs.uk", ".who.int", ".nih.gov", ".ac.uk", ".mil"),
    *(".gc.ca", ".europa.eu"),
)
# Other countries' government and academic zones: nih.go.kr, moh.gov.sg, health.gov.au,
# sante.gouv.fr, uonbi.ac.ke, salud.gob.mx.
_TRUSTED_ZONE = re.compile(r"\.(?:gov|go|gob|gouv|govt|edu|ac|mil|nic)\.[a-z]{2}$")
_ORPHAN_ANCHOR = re.compile(
    r"^\W*(?:click\s+here|here|this\s+link|this\s+(?:text|page|site|website|post|article)|link|read\s+more|"
    r"more|learn\s+more|this|source|website|details|more\s+(?:info|information|details))\W*$",
    re.IGNORECASE,
)
# Words that lead into an orphan anchor and go with it: "as mentioned <here>", "click <here>".
_ORPHAN_LEAD = re.compile(
    r"(?:\b(?:as|which\s+(?:is|was|are))\s+(?:(?:you\s+can|we|I)\s+)?\w+\s+|\b(?:click|tap|see|read)\s+(?:on\s+)?)$",
    re.IGNORECASE,
)
_LINK_ONLY_SHARE = 0.8
# Non-profit sites are usually cited as resources; they count half as much as commercial ones.
_ORG_STRENGTH = 0.5
# Off-topic: share of a sentence's content stems found elsewhere in the article.
_OFF_TOPIC_SHARE = 0.2
_OFF_TOPIC_MIN_STEMS = 5
_MIN_SENTENCES_FOR_TOPIC = 8
# A vertical (gambling, loans ...) is the article's topic when many sentences use its words.
_VERTICAL_MAX_SHARE = 0.05
_VERTICAL_MIN_TOPIC_SENTENCES = 2
# Keyword stuffing: a phrase of 2+ words repeated at least this often in a short stretch ...
_STUFF_MIN_REPEATS = 3
_STUFF_MAX_WORDS = 5  # longest phrase counted as stuffing
# ... covering at least this share of the stretch's words.
_STUFF_MIN_COVER = 0.35
# A full clue needs the phrase to fill half the passage.
_STUFF_STRONG_COVER = 0.5
_STUFF_WEAK_STRENGTH = 0.6
_LIST_MIN_BREAKS = 2
# Two different terms of one vertical in a sentence ("online slots for real money") are
# stronger than one: the sentence is about the vertical, not merely mentioning it.
_VERTICAL_PAIR_STRENGTH = 1.5


def host_of(href: str) -> str:
    """Lower-case host of an absolute URL, '' for relative links."""
    try:
        return (urlsplit(href).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def article_host(doc: Document) -> str:
    """The article's own host (URL sources only)."""
    return host_of(doc.source.name) if doc.source.kind == "url" else ""


def is_trusted(host: str) -> bool:
    """Government, university and international-agency hosts ("nhs.uk" as well as "www.nhs.uk")."""
    dotted = "." + host
    return dotted.endswith(_TRUSTED_SUFFIXES) or _TRUSTED_ZONE.search(dotted) is not None


def _is_external(link: Link, own_host: str) -> bool:
    host = host_of(link.href)
    if not host or is_trusted(host):
        return False
    return not own_host or not (host == own_host or host.endswith("." + own_host))


def external_link(doc: Document, opts: SignalOptions) -> Evidence:
    """A link to another (non-institutional) site."""
    own = article_host(doc)
    for link in doc.links:
        if _is_external(link, own) and not _anchor_is_domain(doc.text, link):  # named: bare_domain's
            yield Clue(link.start, link.end, f"links to {host_of(link.href)}")


def marked_link(doc: Document, opts: SignalOptions) -> Evidence:
    """A link whose ``rel`` says it is paid or user-made (``tokens`` lists the rel values)."""
    for link in doc.links:
        marks = [r for r in link.rel if opts.matches(r)]
        if marks and not is_trusted(host_of(link.href)):
            yield Clue(link.start, link.end, f"link marked rel={' '.join(marks)}")


def orphan_anchor(doc: Document, opts: SignalOptions) -> Evidence:
    """A link whose anchor says nothing about its target ("here", "this link").

    The clue spans the anchor and the words that lead into it ("as mentioned here"), so a
    span rule removes the whole phrase.
    """
    for link in doc.links:
        anchor = doc.text[link.start : link.end]
        if _ORPHAN_ANCHOR.match(anchor):
            before = link.start - (doc.text[link.start - 1 : link.start] == "[")  # Markdown's bracket
            lead = _ORPHAN_LEAD.search(doc.text, max(0, before - 40), before)
            start = lead.start() if lead else link.start
            yield Clue(start, link.end, f"anchor text {anchor!r} names no subject")


def _anchor_chars(doc: Document, start: int, end: int) -> int:
    return sum(
        min(link.end, end) - max(link.start, start)
        for link in doc.links
        if link.start < end and start < link.end
    )


def _visible_length(doc: Document, start: int, end: int) -> int:
    """Characters of ``text[start:end]`` a reader sees: Markdown link markup does not count."""
    markup = 0
    for link in doc.links:
        if start <= link.start and link.end <= end and doc.text.startswith("](", link.end):
            close = doc.text.find(")", link.end)
            markup += 1 + (close + 1 - link.end if close >= 0 else 0)
    return max(1, len(doc.text[start:end].strip()) - markup)


def link_only_block(doc: Document, opts: SignalOptions) -> Evidence:
    """A paragraph that is nothing but links: related-post lists and link bait."""
    share = opts.threshold or _LINK_ONLY_SHARE
    if not doc.links:
        return  # no anchor: no paragraph can be all links
    for block in doc.blocks:
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.LIST_ITEM):
            continue
        length = _visible_length(doc, block.start, block.end)
        if _anchor_chars(doc, block.start, block.end) / length >= share:
            for sentence in block.sentences or ():
                yield Clue(sentence.start, sentence.end, "paragraph is all links")


def link_density(doc: Document, opts: SignalOptions) -> Evidence:
    """A sentence whose words are mostly the anchors of links to other sites."""
    share = opts.threshold or 0.5
    own = article_host(doc)
    external = [lk for lk in doc.links if _is_external(lk, own)]
    if not external:
        return  # a plain-text article: no sentence can be covered by links
    for sentence in doc.sentences():
        covered = sum(
            min(lk.end, sentence.end) - max(lk.start, sentence.start)
            for lk in external
            if lk.start < sentence.end and sentence.start < lk.end
        )
        if not covered:
            continue
        length = _visible_length(doc, sentence.start, sentence.end)
        if covered / length >= share:
            yield Clue(sentence.start, sentence.end, f"{covered} of {length} characters are links")


def bare_domain(doc: Document, opts: SignalOptions) -> Evidence:
    """A commercial domain name written out in the text ("from example-news.com")."""
    # A link's text and its Markdown URL are the link's evidence, not a site named in the
    # text; but an anchor that is the domain itself names it to the reader as plain text does.
    linked = [_with_markup(doc.text, lk) for lk in doc.links]
    shown = [(lk.start, lk.end) for lk in doc.links if _anchor_is_domain(doc.text, lk)]
    for match in _domains(doc.text):
        domain = match.group(1).lower()
        inside = any(lo <= match.start() < hi for lo, hi in linked)
        if is_trusted(domain) or (inside and not any(lo <= match.start() < hi for lo, hi in shown)):
            continue
        if doc.text[max(0, match.start() - 1)] == "@" or doc.text.startswith("@", match.start()):
            continue  # an e-mail address (an author's contact line), not a site named to visit
        strength = _ORG_STRENGTH if domain.endswith(".org") else 1.0
        yield Clue(match.start(), match.end(), f"names the site {domain}", strength)


def _anchor_is_domain(text: str, link: Link) -> bool:
    """Whether a link's text is a domain name ("hotgossip.co.ug", "www.shop.com/deals")."""
    anchor = text[link.start : link.end].strip().lower()
    anchor = anchor.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
    return _DOMAIN.fullmatch(anchor.split("/", 1)[0]) is not None


def _with_markup(text: str, link: Link) -> tuple[int, int]:
    """A link's anchor text, and its ``](url)`` when it is a Markdown link."""
    markup = markdown_link_markup(text, link)
    return link.start, link.end if markup is None else markup[1]


def _domains(text: str) -> Iterator[re.Match[str]]:
    """``_DOMAIN.finditer(text)``, run only on the space-free stretches that can hold a domain."""
    end = 0
    for hint in _DOT_TLD.finditer(text):
        if hint.start() < end:
            continue  # inside the stretch just read
        start = max(text.rfind(c, 0, hint.start()) for c in _SPACES) + 1
        stops = [i for i in (text.find(c, hint.end()) for c in _SPACES) if i >= 0]
        end = min(stops, default=len(text))
        yield from _DOMAIN.finditer(text, start, end)


_SPACES = (" ", "\n", "\t", "\r", "\u00a0")


def _topic(doc: Document) -> tuple[list[Sentence], TopicModel]:
    sentences = doc.sentences()
    return sentences, _topic_model(doc.text, doc.title, tuple((s.start, s.end) for s in sentences))


@lru_cache(maxsize=4)  # the off-topic and foreign-phrase signals read the same model
def _topic_model(text: str, title: str | None, spans: tuple[tuple[int, int], ...]) -> TopicModel:
    return TopicModel.build([text[start:end] for start, end in spans], title)


def _body_sentences(doc: Document) -> Iterator[tuple[int, Sentence]]:
    """(index, sentence) of paragraph, list and quote sentences: headings are short labels."""
    index = 0
    for block in doc.blocks:
        for sentence in block.sentences:
            if block.kind not in (BlockKind.TITLE, BlockKind.HEADING):
                yield index, sentence
            index += 1


def off_topic(doc: Document, opts: SignalOptions) -> Evidence:
    """A sentence whose content words are almost all absent from the rest of the article."""
    sentences, model = _topic(doc)
    if len(sentences) < _MIN_SENTENCES_FOR_TOPIC:
        return
    limit = opts.threshold if opts.threshold is not None else _OFF_TOPIC_SHARE
    for index, sentence in _body_sentences(doc):
        share, size = model.support(index)
        if size >= _OFF_TOPIC_MIN_STEMS and share <= limit:
            yield Clue(
                sentence.start,
                sentence.end,
                f"only {share:.0%} of its {size} content words recur in the article",
            )


def foreign_vertical(doc: Document, opts: SignalOptions) -> Evidence:
    """Words of a commercial vertical (``tokens``) that the rest of the article never uses.

    A vertical the article is about (gambling in an article on gambling addiction) is its
    topic, not promotion: when at least ``max`` of the sentences (and two or more) use its
    words, no clue.
    """
    if opts.pattern is None:
        return
    text = doc.flowed_text()  # "online\ncasino" is the phrase
    hits = [m for m in opts.finditer(text) if not opts.excused(text, m.start(), m.end())]
    if not hits:
        return
    sentences = doc.sentences()
    using = sum(1 for s in sentences if any(s.start <= m.start() < s.end for m in hits))
    if using >= max(_VERTICAL_MIN_TOPIC_SENTENCES, (opts.max or _VERTICAL_MAX_SHARE) * len(sentences)):
        return
    for sentence in sentences:
        inside = [m for m in hits if sentence.start <= m.start() < sentence.end]
        distinct = {m.group().lower() for m in inside}
        strength = _VERTICAL_PAIR_STRENGTH if len(distinct) >= 2 else 1.0
        for m in inside:
            yield Clue(
                m.start(), m.end(), f"commercial vertical term {m.group()!r} foreign to the article", strength
            )


_REGISTER_MIN_WORDS = 3  # distinct advertising words that make a sentence's register
_REGISTER_TOPIC_SHARE = 0.1  # a word used in more sentences than this is the article's topic


def sales_register(doc: Document, opts: SignalOptions) -> Evidence:
    """The register of an advertisement: several distinct shop or click-bait words in one sentence.

    One such word (``tokens``) is ordinary in a health article ("prices", "online", "stories");
    ``threshold`` distinct ones in one sentence (default 3) are how sellers and link bait
    write: "Get yours now before the price goes up", "DM us on Instagram to order". Words
    the article uses throughout (in more than ``max`` of its sentences, default a tenth)
    are its subject, not promotion, and do not count.
    """
    if opts.pattern is None:
        return
    text = doc.flowed_text()
    sentences = doc.sentences()
    starts = [s.start for s in sentences]
    words: dict[int, set[str]] = {}
    for match in opts.finditer(text):
        index = bisect_right(starts, match.start()) - 1
        if index < 0 or match.start() >= sentences[index].end:
            continue
        if not opts.excused(text, match.start(), match.end()):
            words.setdefault(index, set()).add(" ".join(match.group().lower().split()))
    need = int(opts.threshold) if opts.threshold is not None else _REGISTER_MIN_WORDS
    if all(len(found) < need for found in words.values()):
        return  # no sentence has enough of the words, counted or not (most articles)
    usage = tally(word for found in words.values() for word in found)
    common = max(2.0, (opts.max if opts.max is not None else _REGISTER_TOPIC_SHARE) * len(sentences))
    for index, found in sorted(words.items()):
        counted = sorted(word for word in found if usage[word] <= common)
        if len(counted) >= need:
            sentence = sentences[index]
            yield Clue(sentence.start, sentence.end, f"advertising words: {', '.join(counted)}")


# A coined product name: two capitalised parts run together ("SlimTrim", "OsteoMax"), not a
# surname's prefix ("McDonald", "DeBakey"); or a name with a product-line suffix ("Bioxin Plus").
_COINED = re.compile(r"(?!(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Du|St|Al|El)[A-Z])[A-Z][a-z]+[A-Z][A-Za-z]*")
_LINE_SUFFIX = re.compile(r"[A-Z][\w-]*\s+(?:Plus|Pro|Max|Forte|Gold|Ultra|Extra|Premium)\b")
# A person named as a product's maker: "Mama Rose's", "Dr Ade's" (eponymous diseases take
# "disease" or "syndrome", not "syrup" or "tea", after them).
_MAKER = re.compile(r"[A-Z][a-z]+['\u2019]s")
_BRAND_REACH = 40  # characters before a product noun where its brand name stands


def product_mention(doc: Document, opts: SignalOptions) -> Evidence:
    """A product word ("capsules", "tea", ``tokens``) right after a coined brand name.

    "OsteoMax capsules", "SlimTrim tea", "Bioxin Plus supplement": health articles name
    medicines by their generic names, shops by their brands. Weak on its own (a real
    brand can be named); with a seller's voice, an endorsement or a shop's site it marks a
    product pitch.
    """
    if opts.pattern is None:
        return
    text = doc.flowed_text()
    for match in opts.finditer(text):
        start = _brand_start(text, match.start())
        if start is None or opts.excused(text, match.start(), match.end()):
            continue
        yield Clue(start, match.end(), f"product {text[start : match.end()]!r}")


_BRAND_WORD = re.compile(r"\S+")


def _brand_start(text: str, noun: int) -> int | None:
    """Where the coined brand before a product word starts, within its sentence; None if none."""
    reach = max(0, noun - _BRAND_REACH)
    sentence_start = max(text.rfind(mark, reach, noun) for mark in ".!?\n") + 1
    lo = max(reach, sentence_start)
    words = list(_BRAND_WORD.finditer(text, lo, noun))[-3:]
    for index, word in enumerate(words):
        if _COINED.fullmatch(word.group().strip(",;:()'\u2019")):
            return word.start()
        if _MAKER.fullmatch(word.group()):  # "Mama Rose's herbal syrup": a maker's own product
            before = words[index - 1] if index else None
            return before.start() if before is not None and before.group()[:1].isupper() else word.start()
    suffix = _LINE_SUFFIX.search(text, lo, noun)
    return suffix.start() if suffix else None


_TOKEN = re.compile(r"[^\W_]+")
# List items joined on one line ("a - b - c") and clauses after a semicolon are items:
# a phrase that starts most items is a parallel list ("Nutrition for ... - Nutrition for ...").
_ITEM_BREAK = re.compile(r"\s[-\u2013\u2022;]\s|;\s|\n")
_SPACED_MARKS = ("-", "\u2013", "\u2022")  # an item break with spaces on both sides


# A line break inside a sentence of running prose, before a word: the line goes on with a
# lower-case word, or was long enough to have been cut by a wrap at a fixed width.
_SOFT_WRAP = re.compile(rf"\n(?:(?=[ \t]*[^\W\d_A-Z])|(?<=[^\n]{{{WRAPPED_LINE_MIN}}}\n)(?=[ \t]*[^\W\d_]))")


@lru_cache(maxsize=4)  # keyword stuffing and foreign phrases read the same text
def _unwrapped(text: str) -> str:
    """``text`` with the line breaks of hard-wrapped prose read as spaces (same offsets).

    Markdown and plain text are often wrapped at a fixed width (60-100 columns): such a
    break is no end of a list item, whose items are short lines that start a phrase of
    their own ("Nutrition for kids" / "Nutrition for teens").
    """
    return _SOFT_WRAP.sub(" ", text) if "\n" in text else text


def _items(text: str) -> list[tuple[str, ...]]:
    """The lower-case tokens of each list item or clause of ``text``."""
    lowered = text.lower()
    if ";" not in lowered and "\n" not in lowered and not has_spaced(lowered, _SPACED_MARKS):
        return [tuple(_tokens(lowered))]  # one item: most sentences have no item break
    return [tuple(_tokens(part)) for part in _ITEM_BREAK.split(lowered)]


_ASCII_ALPHANUMERIC = byte_table(str.isalnum)


def _tokens(text: str) -> list[str]:
    """``_TOKEN``'s runs of letters and digits (read in C without the regex when ASCII)."""
    return runs(text, _ASCII_ALPHANUMERIC) if text.isascii() else _TOKEN.findall(text)


def _phrase_counts(
    items: Sequence[tuple[str, ...]], n: int
) -> tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]:
    """(occurrences, occurrences at an item's start) of each n-word phrase within items."""
    total: Counter[tuple[str, ...]] = Counter()
    leading: Counter[tuple[str, ...]] = Counter()
    for item in items:
        for i in range(len(item) - n + 1):
            total[item[i : i + n]] += 1
            leading[item[i : i + n]] += i == 0
    return total, leading


def _top_pair_count(items: Sequence[tuple[str, ...]]) -> int:
    """How often the most repeated two-word phrase occurs (pairwise and Counter run in C).

    Any phrase repeated c times starts with a two-word phrase repeated at least c times:
    most passages repeat no pair often, and this one count spares the longer ones.
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for item in items:
        pairs.update(itertools.pairwise(item))
    return max(pairs.values(), default=0)


def _repeats_a_pair(items: Sequence[tuple[str, ...]]) -> bool:
    """Whether some two-word phrase occurs ``_STUFF_MIN_REPEATS`` times."""
    return _top_pair_count(items) >= _STUFF_MIN_REPEATS


# A repeated phrase ending in a preposition or conjunction is the frame of a parallel
# sentence ("compared milrinone versus placebo, ... compared milrinone versus dobutamine"),
# not a search keyword: keywords end in a noun or a place.
_FRAME_ENDS = frozenset("versus vs and or with without to of for in on at by from than against".split())


def _stuffed_phrase(items: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], int] | None:
    """The phrase of 2-5 words (two of them content words) repeated most, by words covered."""
    best: tuple[tuple[str, ...], int] | None = None
    if not _repeats_a_pair(items):
        return None
    for n in range(_STUFF_MAX_WORDS, 1, -1):
        total, leading = _phrase_counts(items, n)
        for gram, count in total.most_common(3):
            content = sum(1 for w in gram if is_content_word(w))
            if count < _STUFF_MIN_REPEATS or content < 2 or leading[gram] >= 2 or gram[-1] in _FRAME_ENDS:
                continue
            if best is None or count * n > best[1] * len(best[0]):
                best = (gram, count)
    return best


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


def repeated_phrase(doc: Document, opts: SignalOptions) -> Evidence:
    """Keyword stuffing: a short passage that repeats one search phrase.

    Full strength when the phrase has three or more words and fills half the passage;
    otherwise (a two-word phrase such as "benign prostatic", or a condition's name that a
    genuine sentence repeats) it counts for less.
    """
    cover_min = opts.threshold or _STUFF_MIN_COVER
    unwrapped = _unwrapped(doc.text)  # a wrapped line's end is no list item's end
    for block in doc.blocks:
        texts = [unwrapped[s.start : s.end] for s in block.sentences]
        per_sentence = [_items(text) for text in texts]
        repeated, candidates = _repeated_content_pairs(per_sentence)
        if not repeated:
            continue  # no window of this block can repeat a phrase often enough
        # Each sentence's occurrences of those few pairs only: most hold none or one, and
        # need no count.
        pairs = [[p for p in found if p in repeated] for found in candidates]
        # Each sentence's highest count of a repeated pair: their sum over a window bounds
        # the window's top count from above, so most windows are ruled out without it.
        peaks = [_peak(found) for found in pairs]
        if sum(peaks) < _STUFF_MIN_REPEATS:
            continue  # not even the whole block repeats a pair often enough in one window
        # Running totals: a window's sizes, item breaks and peaks are two look-ups each.
        sizes = list(itertools.accumulate((sum(map(len, items)) for items in per_sentence), initial=0))
        breaks = list(itertools.accumulate((len(items) - 1 for items in per_sentence), initial=0))
        peak_sums = list(itertools.accumulate(peaks, initial=0))
        for lo, hi in _stuffing_windows(len(texts)):
            if breaks[hi] - breaks[lo] >= _LIST_MIN_BREAKS:
                continue  # a list joined on one line repeats its pattern by design
            size = sizes[hi] - sizes[lo]
            if _too_rare(peak_sums[hi] - peak_sums[lo], size, cover_min):
                continue  # the cheap upper bound already rules the window out
            if _too_rare(_top(pairs[lo:hi]), size, cover_min):
                continue
            items = [item for sentence_items in per_sentence[lo:hi] for item in sentence_items]
            found = _stuffed_phrase(items)
            if found is None or len(found[0]) * found[1] / max(1, size) < cover_min:
                continue
            phrase, count = found
            strong = len(phrase) >= 3 and len(phrase) * count / size >= _STUFF_STRONG_COVER
            for sentence, text in zip(block.sentences[lo:hi], texts[lo:hi], strict=True):
                if _contains(_TOKEN.findall(text.lower()), phrase):
                    note = f"repeats {' '.join(phrase)!r} {count} times"
                    yield Clue(sentence.start, sentence.end, note, 1.0 if strong else _STUFF_WEAK_STRENGTH)


def _repeated_content_pairs(
    per_sentence: Sequence[Sequence[tuple[str, ...]]],
) -> tuple[frozenset[tuple[str, str]], list[list[tuple[str, str]]]]:
    """Pairs that occur three times in a block with a content word; each sentence's pairs of frequent words.

    Only such a pair can make a window's phrase count: a stuffed phrase has two content
    words, so each of its pairs next to one holds a content word, and pairs of stop words
    ("of the") never bound its count. A sentence's pairs of words that occur three times
    hold every occurrence of those pairs in it, in order.
    """
    items = [item for items in per_sentence for item in items]
    # Both words of such a pair occur three times: only pairs of those words are counted.
    common = {
        word for word, n in tally(itertools.chain.from_iterable(items)).items() if n >= _STUFF_MIN_REPEATS
    }
    if not any(map(is_content_word, common)):
        return frozenset(), []
    candidates = [_pairs_among(sentence_items, common) for sentence_items in per_sentence]
    counts = tally(itertools.chain.from_iterable(candidates))
    frequent = [p for p, n in counts.items() if n >= _STUFF_MIN_REPEATS]  # a few, if any
    repeated = frozenset(p for p in frequent if is_content_word(p[0]) or is_content_word(p[1]))
    return repeated, candidates


def _pairs_among(items: Sequence[tuple[str, ...]], words: AbstractSet[str]) -> list[tuple[str, str]]:
    """The two-word phrases within the items whose two words are both in ``words``, in order.

    Within an item only: an item's last word and the next item's first are no pair. Each
    word is looked up once.
    """
    found: list[tuple[str, str]] = []
    for item in items:
        before = ""  # the word before, when it is in ``words``
        for word in item:
            if word in words:
                if before:
                    found.append((before, word))
                before = word
            else:
                before = ""
    return found


def _peak(found: Sequence[tuple[str, str]]) -> int:
    """The highest count of one pair among ``found`` (a sentence's repeated pairs)."""
    return len(found) if len(found) < 2 else max(tally(found).values())


def _top(found: Sequence[Sequence[tuple[str, str]]]) -> int:
    """The highest count of one pair over several sentences' repeated pairs."""
    return max(tally(itertools.chain.from_iterable(found)).values(), default=0)


def _too_rare(top: int, size: int, cover_min: float) -> bool:
    """Whether no phrase can be stuffed in a window of ``size`` words whose top pair occurs ``top`` times.

    A stuffed phrase repeated c times holds a pair with a content word repeated c times and
    has at most five words: when even that cannot cover enough of the window, skip the count.
    """
    return top < _STUFF_MIN_REPEATS or _STUFF_MAX_WORDS * top / max(1, size) < cover_min


def _stuffing_windows(count: int) -> Iterator[tuple[int, int]]:
    """(first, last + 1) of each sentence alone and each run of up to three sentences."""
    for i in range(count):
        for j in range(i, min(i + 3, count)):
            yield i, j + 1


# A list of search queries: items split by commas, pipes, slashes or spaced dashes.
_QUERY_BREAK = re.compile(r"\s*[,|/;]\s*|\s+[-\u2013\u2014]\s+")
_QUERY_MIN_ITEMS = 3
_QUERY_MAX_WORDS = 8  # a search query is short; a clause of prose runs longer
_QUERY_MIN_SHARED = 2  # stems the queries repeat ("dentist", "nairobi") ...
_QUERY_SUBJECT_SHARE = 0.6  # ... the first in this share of the items (and three or more) ...
_QUERY_MIN_SECOND = 2  # ... the second in two or more
_QUERY_MIN_MODIFIED = 2  # queries with a search modifier ("best", "cheap", "near me", "cost")


def _content_words_of(item: str) -> set[str]:
    return {t for t in _TOKEN.findall(item.lower()) if is_content_word(t)}


def keyword_list(doc: Document, opts: SignalOptions) -> Evidence:
    """Keyword stuffing as a list of search queries, in any word order.

    "best dentist in Nairobi, cheap dentist Nairobi, Nairobi dentist cost": three or more
    short items that repeat the same two content words, two of them with a search modifier
    (``tokens``). A repeated phrase in fixed order is ``repeated_phrase``'s; prose that lists
    comparisons ("compared A versus B, compared A versus C") has no modifiers.
    """
    if opts.pattern is None:
        return
    # Where the modifiers are (prefiltered): a sentence with fewer than two is no such list.
    modifiers = [m.start() for m in opts.finditer(doc.flowed_text())]
    if len(modifiers) < _QUERY_MIN_MODIFIED:
        return
    for sentence in doc.sentences():
        inside = bisect_left(modifiers, sentence.end) - bisect_left(modifiers, sentence.start)
        if inside < _QUERY_MIN_MODIFIED:
            continue
        text = doc.text[sentence.start : sentence.end]
        if text.count(",") + text.count("|") + text.count("/") + text.count(";") < _QUERY_MIN_ITEMS - 1:
            continue  # not even the separators of a list
        items = [item for item in _QUERY_BREAK.split(text.rstrip(".!? ")) if item.strip()]
        if len(items) < _QUERY_MIN_ITEMS or any(len(item.split()) > _QUERY_MAX_WORDS for item in items):
            continue
        shared = _query_subject(items)
        modified = sum(1 for item in items if opts.pattern.search(item))
        if shared and modified >= _QUERY_MIN_MODIFIED:
            yield Clue(sentence.start, sentence.end, f"{len(items)} search queries on {' '.join(shared)!r}")


def _query_subject(items: Sequence[str]) -> list[str]:
    """The two word stems a list of search queries is about, or [] when it is about none.

    One stem (the service: "dentist", "rhinoplasty") recurs in three items and three in
    five, and a second (the place or a variant: "nairobi", "turkey") in two or more: the
    queries ring changes on one subject, in any word order.
    """
    uses = Counter(s for item in items for s in {stem(w) for w in _content_words_of(item)})
    ranked = uses.most_common(_QUERY_MIN_SHARED)
    enough = max(_QUERY_MIN_ITEMS, math.ceil(_QUERY_SUBJECT_SHARE * len(items)))
    if len(ranked) < _QUERY_MIN_SHARED or ranked[0][1] < enough or ranked[1][1] < _QUERY_MIN_SECOND:
        return []
    return [word for word, _ in ranked]


# English prose is about half stop words ("the", "of", "and" ...); a text in another
# language has few (its own function words are different). Below this share the text is
# not English, and its own words are no foreign keywords.
_ENGLISH_MIN_STOP_SHARE = 0.2
_LANGUAGE_MIN_WORDS = 40
_LANGUAGE_SAMPLE_WORDS = 300


def _is_english(text: str) -> bool:
    """Whether ``text`` reads as English prose by its share of English stop words."""
    # The first few hundred words tell (punctuation stays on some: a slight undercount).
    words = text.lower().split(maxsplit=_LANGUAGE_SAMPLE_WORDS)[:_LANGUAGE_SAMPLE_WORDS]
    if len(words) < _LANGUAGE_MIN_WORDS:
        return True  # too short to tell: read it as English
    need, found, stops = _ENGLISH_MIN_STOP_SHARE * len(words), 0, stop_words()
    for word in words:
        if word in stops:
            found += 1
            if found >= need:
                return True  # English prose gets there within the first half of its words
    return False


def foreign_phrase(doc: Document, opts: SignalOptions) -> Evidence:
    """A non-English phrase (``tokens`` = foreign search words) inside the English text."""
    subject: list[frozenset[str]] = []  # the topic's stems, built when a foreign word needs them

    def is_subject(word: str) -> bool:
        if not is_content_word(word):
            return False
        if not subject:
            subject.append(frozenset(_topic(doc)[1].topic_stems(min_sentences=3)))
        return stem(word) in subject[0]

    # The lexicon pattern's matches (prefiltered: most articles skip the scan) hold every
    # lexicon word, so only the words inside them are looked up.
    flowed = doc.flowed_text()  # the text the phrase rules read: one word index for both
    hints = [(m.start(), m.end()) for m in opts.finditer(flowed)] if opts.pattern is not None else None
    if (hints or not flowed.isascii()) and not _is_english(flowed):
        return  # a Portuguese or Indonesian article: its own language is no keyword
    found = [
        p
        for p in foreign_phrases(_unwrapped(doc.text), opts.matches, is_subject, hints)  # wraps: spaces
        if not opts.excused(flowed, p.start, p.end)
    ]
    keys = [_phrase_key(doc.text[p.start : p.end]) for p in found]
    counts = tally(keys)
    for p, key in zip(found, keys, strict=True):
        phrase = doc.text[p.start : p.end]
        repeats = counts[key]
        note = f"non-English phrase {phrase!r}" + (f", {repeats} times in the article" if repeats > 1 else "")
        yield Clue(p.start, p.end, note)


# A phone number: 9 to 13 digits in groups ("0722 481 390", "+233 54 771 2098",
# "0300-4527719", "(02) 8123 4567"), not part of a decimal, a range of years or a longer number.
_PHONE = re.compile(r"(?<![\w.,/-])\+?(?:\(\d{1,4}\)[ -]?)?\d{2,12}(?:[ -]\d{2,8}){0,4}(?![\w.,/-]\d)")
_PHONE_DIGITS = (9, 13)
_DIGIT_RUN = re.compile(r"\d[\d ()+-]{7,}\d")
# The same run in an ASCII text marked digit ("d"), separator ("s") or other ("x"): a pattern
# led by a literal is searched for in C, where sre tries the digit class at every character.
_DIGIT_RUN_MARKS = re.compile(rb"d[ds]{7,}d")
_RUN_MARKS = (
    bytes(100 if chr(code).isdigit() else 115 if chr(code) in " ()+-" else 120 for code in range(128))
    + b"x" * 128
)
# A social-media handle: "@drherbalmanila", "@slimqueen.ke" (an e-mail address is not one).
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z_][\w.]{2,29}(?<!\.)(?![\w@])")
# An e-mail address: "orders@purelifeng.com".
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# Where a contact clause starts: after a clause break before the number or handle.
_CLAUSE_BREAKS = (",", ";", ":", "\u2014", "\u2013", " - ", "(", "\n")


def direct_contact(doc: Document, opts: SignalOptions) -> Evidence:
    """A phone number, handle or e-mail address offered for contact, with the clause that offers it.

    Full strength when the sentence names a messaging app or a seller's business (``tokens``:
    "WhatsApp", "bulk orders", "delivery", "our sales rep"): a clinic's number or a helpline is
    common in genuine text, a number to order on is not, and a handle alone credits someone.
    Nor does a sentence that names a government or university site. A sentence with one of the
    ``exceptions`` (emergency and crisis lines: "911", "poison", "helpline") gives none.
    """
    text = doc.flowed_text()
    spots = sorted(_contact_spots(text), key=lambda m: m.start())
    if not spots:
        return  # most articles give no number and no handle
    for sentence in doc.sentences():
        inside = [m for m in spots if sentence.start <= m.start() < sentence.end]
        if not inside:
            continue
        body = _masked(text, sentence.start, sentence.end, inside)  # "111" in a number is no NHS 111
        if opts.exceptions is not None and opts.exceptions.search(body):
            continue  # an emergency or crisis line: genuine advice
        if any(is_trusted(m.group(1).lower()) for m in _domains(body)):
            continue  # an institution's line beside its site ("niddk.nih.gov or 1-800-860-8747")
        cue = opts.pattern.search(body) if opts.pattern is not None else None
        if cue is None:
            continue  # a number alone is a clinic's or a helpline's; a handle alone credits someone
        first = inside[0]
        spot = first.group()
        what = "phone number" if "@" not in spot else "handle" if spot[0] == "@" else "address"
        note = f"{what} {spot!r} to contact ({cue.group()!r})"
        start = _clause_start(text, sentence.start, first.start())
        yield Clue(start, sentence.end, note)


def _contact_spots(text: str) -> Iterator[re.Match[str]]:
    """Phone numbers (not registry numbers), handles and e-mail addresses in ``text``.

    The number pattern runs only on the stretches a quick scan finds nine or more digits
    and separators in (a pattern led by a digit class is skipped through in C).
    """
    for run in _digit_runs(text):
        lo = max(0, run.start() - 6)  # a "+" or "(" just before the digits
        for m in _PHONE.finditer(text, lo, min(len(text), run.end() + 1)):
            if _is_phone(m.group()) and not _is_identifier(text, max(0, m.start() - 20), m.start()):
                yield m
    if "@" in text:
        yield from _HANDLE.finditer(text)
        yield from _EMAIL.finditer(text)


def _digit_runs(text: str) -> Iterator[re.Match[str]] | Iterator[re.Match[bytes]]:
    """``_DIGIT_RUN``'s matches (their spans: an ASCII text's are found in its marks)."""
    if text.isascii():
        return _DIGIT_RUN_MARKS.finditer(text.encode("ascii").translate(_RUN_MARKS))
    return _DIGIT_RUN.finditer(text)


def _masked(text: str, start: int, end: int, spots: Sequence[re.Match[str]]) -> str:
    """``text[start:end]`` with the numbers and handles blanked out (same length)."""
    chars = list(text[start:end])
    for m in spots:
        chars[m.start() - start : m.end() - start] = " " * (m.end() - m.start())
    return "".join(chars)


# A registry or reference label before a number: "UMIN-CTR: 000018870", "ISRCTN 12345678".
_IDENTIFIER_LABEL = re.compile(
    r"(?:\b[A-Z][A-Z0-9]*-?[A-Z]{2,}[A-Z0-9]*|\b(?:ID|No|Nr|Ref|Reg|PMID|DOI))\.?\s*[:#]?\s*$"
)
_CONTACT_LABELS = frozenset(
    {"TEL", "CALL", "PHONE", "MOBILE", "CONTACT", "SMS", "TEXT", "WHATSAPP", "HOTLINE", "CELL"}
)


def _is_identifier(text: str, lo: int, pos: int) -> bool:
    """Whether the number at ``pos`` follows a registry or reference label (not a contact word)."""
    label = _IDENTIFIER_LABEL.search(text, max(lo, pos - 20), pos)
    return label is not None and label.group().strip(" :#.").upper() not in _CONTACT_LABELS


def _is_phone(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    return _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Start of the clause holding ``pos``: after the last clause break in ``text[lo:pos]``."""
    found = (text.rfind(mark, lo, pos) for mark in _CLAUSE_BREAKS)
    cut = max((at + len(mark) for at, mark in zip(found, _CLAUSE_BREAKS, strict=True) if at >= 0), default=lo)
    while cut < pos and text[cut].isspace():
        cut += 1
    return cut


_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")


def _phrase_key(phrase: str) -> str:
    """The phrase's words in lower case: its repeats count alike whatever their case or marks."""
    return " ".join(_LETTERS_AND_DIGITS.findall(phrase.lower()))


SIGNALS: Mapping[str, Callable[[Document, SignalOptions], Evidence]] = {
    "external_link": external_link,
    "marked_link": marked_link,
    "orphan_anchor": orphan_anchor,
    "link_only_block": link_only_block,
    "link_density": link_density,
    "bare_domain": bare_domain,
    "off_topic": off_topic,
    "foreign_vertical": foreign_vertical,
    "sales_register": sales_register,
    "product_mention": product_mention,
    "repeated_phrase": repeated_phrase,
    "keyword_list": keyword_list,
    "foreign_phrase": foreign_phrase,
    "direct_contact": direct_contact,
}
