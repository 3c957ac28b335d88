"""Suppression: inline ``healthvet:`` comments, protected Markdown spans, and the baseline.

Inline comments (markdownlint's and ESLint's vocabulary), in Markdown, text and HTML::

    <!-- healthvet: disable Hype.Remarkable -->     from here ...
    <!-- healthvet: enable Hype.Remarkable -->      ... to here (or to the end)
    <!-- healthvet: disable-next-line Hype -->      the next line only
    <!-- healthvet: disable -->                     every rule

Rules are named by ID or prefix (``Hype`` covers ``Hype.X``). A bare ``enable`` ends every
open region; ``enable X`` ends the region that ``disable X`` opened. A comment works inside
a paragraph too: the region starts where the comment is. A suppressed promo removal is
not made: its text stays in the cleaned article.

HTML: trafilatura drops comments, so each comment is placed in the extracted text by
anchoring on the words that follow it in the page (or, failing that, the words before
it). "Next line" there means the extracted paragraph the comment stands before. A
comment that cannot be placed suppresses nothing and is reported as unused.

Markdown inline code spans and HTML comments are never checked: findings and removals
touching them are dropped (front matter and fenced code never become blocks at all).

The baseline records findings by fingerprint (rule + normalised matched text + normalised
sentence text, never line numbers) with a count, so edits elsewhere in a file keep old
findings baselined and a second copy of a baselined finding still counts as new.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.document import Category, Document, Finding, Level, Removal
from pipeline.errors import Code, ConfigError
from pipeline.ruleset import Rule, RuleDoc, matches_prefix
from pipeline.sources import RawInput

UNUSED_RULE = Rule(
    id="Healthvet.UnusedSuppression",
    extends="builtin",
    message="Unused suppression: '%s' disables nothing here.",
    level=Level.WARNING,
    path="<built-in>",
    description="A healthvet: disable comment that suppresses no finding.",
    doc=RuleDoc(
        flags="A `<!-- healthvet: disable ... -->` comment that suppressed no finding or removal.",
        why="Stale suppressions hide future problems in text that has since been rewritten.",
        example="<!-- healthvet: disable-next-line Hype.Remarkable -->\nThe effect was small.",
        better="Delete the comment.",
    ),
    suggestion="Delete the comment.",
)
BASELINE_VERSION = 1
_DIRECTIVE = re.compile(
    r"<!--\s*healthvet:\s*(disable-next-line|disable|enable)\b([^>]*?)\s*-->", re.IGNORECASE
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_HTML_SKIP = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")
# Anchor on a few words: enough to be unique in an article, few enough to survive
# extraction tidying (trafilatura may drop a trailing link or merge whitespace).
_ANCHOR_WORDS = (8, 4, 2)
_LOOKAHEAD_CHARS = 3000
_SENTENCE_CHARS = 160  # a baseline entry's sentence, cut so the file stays reviewable


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``healthvet:`` comment; ``start``/``end`` index Document.text (None: not placed)."""

    index: int
    kind: str  # "disable" | "enable" | "disable-next-line"
    rules: tuple[str, ...]  # empty: every rule
    start: int | None
    end: int | None
    comment: str


@dataclass(frozen=True, slots=True)
class Region:
    """Text offsets ``[start, end)`` where ``rules`` (empty: all) are off, opened by a directive."""

    start: int
    end: int
    rules: tuple[str, ...]
    directive: int

    def covers(self, rule: str, offset: int) -> bool:
        """True when this region switches ``rule`` off at ``offset``."""
        return self.start <= offset < self.end and (not self.rules or matches_prefix(rule, self.rules))


@dataclass(frozen=True, slots=True)
class Suppressions:
    """Everything that keeps findings out of one document's report."""

    directives: tuple[Directive, ...] = ()
    regions: tuple[Region, ...] = ()
    protected: tuple[tuple[int, int], ...] = ()  # code spans and comments: never checked

    def region_for(self, rule: str, start: int) -> Region | None:
        """The first region that suppresses ``rule`` at ``start`` (a finding counts where it starts)."""
        return next((r for r in self.regions if r.covers(rule, start)), None)

    def is_protected(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` touches a code span or comment."""
        return any(lo < max(end, start + 1) and start < hi for lo, hi in self.protected)


# --- scanning -----------------------------------------------------------------------------


_NOTHING = Suppressions()  # immutable: shared by every document without comments or code


def scan(raw: RawInput, doc: Document) -> Suppressions:
    """Directives, their regions and the protected spans of one extracted document."""
    # No comment, so no directive; only Markdown has code spans. Most documents.
    no_code = raw.media_type != "markdown" or "`" not in doc.text
    if raw.media_type != "html" and "<!--" not in doc.text and no_code:
        return _NOTHING
    if raw.media_type == "html":
        directives = tuple(_html_directives(raw.content, doc.text))
        protected: tuple[tuple[int, int], ...] = ()
    else:
        directives = tuple(_text_directives(doc))
        protected = protected_spans(doc.text, markdown=raw.media_type == "markdown")
    return Suppressions(directives, tuple(_regions(directives, doc.text, raw.media_type)), protected)


def protected_spans(text: str, markdown: bool = True) -> tuple[tuple[int, int], ...]:
    """HTML comments, and (in Markdown) inline code spans, as sorted offset pairs."""
    spans = [(m.start(), m.end()) for m in _COMMENT.finditer(text)]
    if markdown:
        spans += _code_spans(text)
    return tuple(sorted(spans))


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code spans (within a paragraph)."""
    if "`" not in text:  # the pattern opens with a lookbehind, so re would try every offset
        return []
    return [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text) if "\n\n" not in m.group(0)]


def _parse_rules(body: str) -> tuple[str, ...]:
    return tuple(part for part in re.split(r"[\s,]+", body.strip()) if part)


def _text_directives(doc: Document) -> Iterator[Directive]:
    """Directives in Markdown or text: only inside blocks, so never in code or front matter."""
    code = _code_spans(doc.text)
    index = 0
    for match in _DIRECTIVE.finditer(doc.text):
        in_block = any(b.start <= match.start() < b.end for b in doc.blocks)
        in_code = any(lo <= match.start() < hi for lo, hi in code)
        if in_block and not in_code:
            kind, rules = match.group(1).lower(), _parse_rules(match.group(2))
            yield Directive(index, kind, rules, match.start(), match.end(), match.group(0))
            index += 1


def _html_directives(page: str, text: str) -> Iterator[Directive]:
    """Directives in an HTML page, placed in the extracted text by the words around them."""
    cursor = 0
    for index, match in enumerate(_DIRECTIVE.finditer(page)):
        kind, rules = match.group(1).lower(), _parse_rules(match.group(2))
        offset = _anchor_after(page, match.end(), text, cursor)
        if offset is None:
            offset = _anchor_before(page, match.start(), text, cursor)
        if offset is not None:
            cursor = offset
        yield Directive(index, kind, rules, offset, offset, match.group(0))


def _visible_words(fragment: str) -> list[str]:
    return html.unescape(_TAG.sub(" ", _HTML_SKIP.sub(" ", fragment))).split()


def _anchor_after(page: str, at: int, text: str, cursor: int) -> int | None:
    words = _visible_words(page[at : at + _LOOKAHEAD_CHARS])
    for count in _ANCHOR_WORDS:
        found = _find_words(text, words[:count], cursor)
        if found is not None:
            return found[0]
    return None


def _anchor_before(page: str, at: int, text: str, cursor: int) -> int | None:
    words = _visible_words(page[max(0, at - _LOOKAHEAD_CHARS) : at])
    for count in _ANCHOR_WORDS:
        found = _find_words(text, words[-count:], cursor)
        if found is not None:
            return found[1]
    return None


def _find_words(text: str, words: Sequence[str], cursor: int) -> tuple[int, int] | None:
    """The span of ``words`` (any whitespace between) in ``text`` at or after ``cursor``."""
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.compile(pattern).search(text, cursor)
    return (match.start(), match.end()) if match else None


def _regions(directives: Sequence[Directive], text: str, media_type: str) -> Iterator[Region]:
    """Regions from directives in text order: disable…enable pairs and next-line ranges."""
    open_regions: dict[tuple[str, ...], Directive] = {}
    placed = sorted((d for d in directives if d.start is not None), key=lambda d: (d.start or 0, d.index))
    for d in placed:
        start, end = d.start or 0, d.end or 0
        if d.kind == "disable-next-line":
            yield Region(*_next_line(text, end, same_line=media_type == "html"), d.rules, d.index)
        elif d.kind == "disable":
            open_regions.setdefault(d.rules, d)
        else:
            closing = list(open_regions) if not d.rules else [d.rules] if d.rules in open_regions else []
            for rules in closing:
                opener = open_regions.pop(rules)
                yield Region(opener.start or 0, start, rules, opener.index)
    for rules, opener in open_regions.items():
        yield Region(opener.start or 0, len(text), rules, opener.index)


def _next_line(text: str, offset: int, same_line: bool) -> tuple[int, int]:
    """The line after ``offset`` (HTML: the extracted line the comment stands before)."""
    if same_line:
        line_start = text.rfind("\n", 0, offset) + 1
    else:
        newline = text.find("\n", offset)
        line_start = len(text) if newline < 0 else newline + 1
    line_end = text.find("\n", line_start)
    return line_start, len(text) if line_end < 0 else line_end


# --- applying -----------------------------------------------------------------------------


def apply(doc: Document, sup: Suppressions) -> tuple[Document, frozenset[int]]:
    """Drop suppressed and protected findings and removals; also return the directives used."""
    if not sup.regions and not sup.protected:
        return doc, frozenset()  # nothing to apply: most documents
    used: set[int] = set()

    def keep(rule: str, start: int, end: int) -> bool:
        if sup.is_protected(start, end):
            return False
        region = sup.region_for(rule, start)
        if region is not None:
            used.add(region.directive)
        return region is None

    findings = tuple(f for f in doc.findings if keep(f.rule, f.start, f.end))
    removals = tuple(r for r in doc.removals if keep(r.rule, r.start, r.end))
    return replace(doc, findings=findings, removals=removals), frozenset(used)


def report_unused(doc: Document, sup: Suppressions, used: Iterable[int]) -> Document:
    """Add a ``Healthvet.UnusedSuppression`` finding for each disable comment that did nothing."""
    used_set = set(used)
    extra = [_unused_finding(d) for d in sup.directives if d.kind != "enable" and d.index not in used_set]
    findings = sorted((*doc.findings, *extra), key=lambda f: (f.start, f.rule))
    return replace(doc, findings=tuple(findings))


def _unused_finding(d: Directive) -> Finding:
    label = " ".join(d.rules) or "all rules"
    message = UNUSED_RULE.message.replace("%s", label)
    if d.start is None:
        message += " (the comment could not be placed in the extracted article text)"
    start = d.start or 0
    return Finding(
        rule=UNUSED_RULE.id,
        level=UNUSED_RULE.level,
        message=message,
        start=start,
        end=d.end if d.end is not None else start,
        match=d.comment,
        category=Category.CLAIM,
        suggestion=UNUSED_RULE.suggestion,
    )


# --- baseline -----------------------------------------------------------------------------


def _normal(text: str) -> str:
    return _WS.sub(" ", text).strip().lower()


def sentence_of(doc: Document, offset: int) -> str:
    """The text of the sentence containing ``offset`` ("" when it is in none)."""
    sentences = doc.sentences()
    i = bisect_right([s.start for s in sentences], offset) - 1
    return doc.text[sentences[i].start : sentences[i].end] if i >= 0 and offset < sentences[i].end else ""


def fingerprint(doc: Document, rule: str, start: int, end: int) -> str:
    """Stable ID of a finding: rule + matched text + its sentence, all normalised; no positions."""
    key = "\x1f".join((rule, _normal(doc.text[start:end]), _normal(sentence_of(doc, start))))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _items(doc: Document) -> list[Finding | Removal]:
    return sorted((*doc.findings, *doc.removals), key=lambda x: (x.start, x.rule, x.end))


def baseline_key(name: str, kind: str, root: Path) -> str:
    """A document's key in a baseline: its path relative to the baseline's folder when inside it."""
    if kind != "file":
        return name
    path = Path(name).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def baseline_json(docs: Sequence[Document], path: Path) -> str:
    """The baseline file for ``docs`` (``--write-baseline``)."""
    root = path.resolve().parent
    files: dict[str, dict[str, Any]] = {}
    for doc in docs:
        entries: dict[str, dict[str, Any]] = {}
        for item in _items(doc):
            fp = fingerprint(doc, item.rule, item.start, item.end)
            entry = entries.setdefault(
                fp,
                {
                    "rule": item.rule,
                    "match": doc.text[item.start : item.end],
                    # for the people reviewing the file; matching uses the fingerprint only
                    "sentence": " ".join(sentence_of(doc, item.start).split())[:_SENTENCE_CHARS],
                },
            )
            entry["count"] = entry.get("count", 0) + 1
        if entries:
            files[baseline_key(doc.source.name, doc.source.kind, root)] = dict(sorted(entries.items()))
    payload = {"healthvet_baseline": BASELINE_VERSION, "files": dict(sorted(files.items()))}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@dataclass(frozen=True)
class Baseline:
    """Known findings: per document key, fingerprint → how many are known."""

    root: Path
    counts: dict[str, dict[str, int]]

    def apply(self, doc: Document) -> Document:
        """``doc`` without its known findings and removals: only the new ones are left."""
        budget = Counter(self.counts.get(baseline_key(doc.source.name, doc.source.kind, self.root), {}))
        tagged = sorted(
            [(f.start, f.rule, "f", i) for i, f in enumerate(doc.findings)]
            + [(r.start, r.rule, "r", i) for i, r in enumerate(doc.removals)]
        )
        known: set[tuple[str, int]] = set()
        for start, rule, kind, i in tagged:
            end = doc.findings[i].end if kind == "f" else doc.removals[i].end
            fp = fingerprint(doc, rule, start, end)
            if budget[fp] > 0:
                budget[fp] -= 1
                known.add((kind, i))
        return replace(
            doc,
            findings=tuple(f for i, f in enumerate(doc.findings) if ("f", i) not in known),
            removals=tuple(r for i, r in enumerate(doc.removals) if ("r", i) not in known),
        )


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; a missing or malformed one is a configuration error (exit 2)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            Code.CONFIG, f"{path}: no such baseline file; create it with --write-baseline"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(Code.CONFIG, f"{path}: not a healthvet baseline: {exc}") from exc
    if not isinstance(data, dict) or data.get("healthvet_baseline") != BASELINE_VERSION:
        raise ConfigError(Code.CONFIG, f"{path}: not a version {BASELINE_VERSION} healthvet baseline")
    files = data.get("files")
    if not isinstance(files, dict):
        raise ConfigError(Code.CONFIG, f"{path}: 'files' must be an object")
    counts = {
        key: {fp: _count(entry) for fp, entry in entries.items()}
        for key, entries in files.items()
        if isinstance(entries, dict)
    }
    return Baseline(path.resolve().parent, counts)


def _count(entry: Any) -> int:
    count = entry.get("count", 1) if isinstance(entry, dict) else 1
    return count if isinstance(count, int) and not isinstance(count, bool) else 1
