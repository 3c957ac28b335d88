"""Extraction: raw input → a Document of blocks with link spans.

HTML goes through trafilatura (the best open-source F1 on the article-extraction
benchmark we measured, see README), asked for its XML output so that block structure
(head, p, list/item, quote) and in-body links (``<ref target>``) survive. Text and
Markdown are split into blocks here, keeping offsets into the original file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.document import WRAPPED_LINE_MIN, Block, BlockKind, Document, Link, Source
from pipeline.sources import RawInput

_WS = re.compile(r"\s+")
_A_TAG = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(href|rel)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+")
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+")
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_MD_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# Link text may run over a few line breaks (wrapped Markdown), never over a blank line. The
# bounds on every part keep a text full of unclosed "[" or "](" linear, not quadratic.
_MD_LINK = re.compile(
    r"(?<!!)\[([^\]\n]{1,400}+(?:\n[ \t]*+[^\]\s][^\]\n]{0,400}+){0,3})\]"
    r"\(([^)\s]{1,2000}+)(?:\s+\"[^\"\n]{0,400}+\")?\)"
)
_TERMINAL = ".!?;,:"
_OG_TITLE = re.compile(r"""<meta[^>]+property=["']og:title["'][^>]+content=["']([^"']+)""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>([^<]{1,400})</title>", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+(?=[^|\u2013\u2014-]*$)")
_HEADING_MAX_WORDS = 12
# In hard-wrapped text, a line this close to the wrap width was cut by the wrap: no heading.
_WRAPPED_LINE_SHARE = 0.7


def to_document(raw: RawInput) -> Document:
    """Build the Document for any input, dispatching on its media type."""
    source = Source(raw.ref.name, raw.ref.kind, raw.media_type, raw.status)
    if raw.media_type == "html":
        return html_to_document(raw.content, source)
    if raw.media_type == "markdown":
        return markdown_to_document(raw.content, source)
    return text_to_document(raw.content, source)


# --- HTML -------------------------------------------------------------------------------


@dataclass
class _Builder:
    """Accumulates block text with collapsed whitespace and tracks link offsets."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add_block(
        self, kind: BlockKind, pieces: list[tuple[str, str | None]], rels: dict[str, tuple[str, ...]]
    ) -> None:
        """Append one block made of (text, href-or-None) pieces."""
        text, spans = _join_pieces(pieces)
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(Block(kind, start, start + len(text)))
        for lo, hi, href in spans:
            self.links.append(Link(start + lo, start + hi, href, rels.get(href, ())))

    def text(self) -> str:
        """The document text built so far."""
        return "".join(self.parts)


def _join_pieces(pieces: list[tuple[str, str | None]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Join text pieces, collapsing whitespace, and return link spans in the result."""
    out: list[str] = []
    size = 0
    spans: list[tuple[int, int, str]] = []
    for raw_text, href in pieces:
        piece = _WS.sub(" ", raw_text)
        if out and out[-1].endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        if not out and piece.startswith(" "):
            piece = piece.lstrip()
        start = size + (len(piece) - len(piece.lstrip()))
        out.append(piece)
        size += len(piece)
        if href is not None and piece.strip():
            spans.append((start, size - (len(piece) - len(piece.rstrip())), href))
    text = "".join(out)
    stripped = text.rstrip()
    return stripped, [(lo, min(hi, len(stripped)), h) for lo, hi, h in spans if lo < len(stripped)]


def html_to_document(html: str, source: Source) -> Document:
    """Extract the article from an HTML page with trafilatura, keeping blocks and links."""
    import trafilatura  # heavy import, only when HTML is processed
    from lxml import etree

    xml = trafilatura.extract(
        _prepared_tree(html),
        output_format="xml",
        include_links=True,
        include_comments=False,
        include_tables=True,
        # favor_precision: +0.009 F1 on the AEB dev split (bench/extract.py), keeps links.
        favor_precision=True,
        url=source.name if source.kind == "url" else None,
    )
    if not xml:
        return _fallback_html(html, source)
    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(huge_tree=True, recover=True))
    title = page_title(html)
    builder = _Builder()
    rels = _link_rels(html)
    main = root.find("main")
    blocks = [block for element in (main if main is not None else []) for block in _xml_blocks(element)]
    texts = [_WS.sub(" ", "".join(text for text, _ in pieces)).strip() for _, pieces in blocks]
    last_prose = max((i for i, text in enumerate(texts) if _is_prose(text)), default=-1)
    for index, (kind, pieces) in enumerate(blocks):
        if not _is_furniture(kind, texts[index], trailing=index > last_prose):
            builder.add_block(kind, pieces, rels)
    return _finish(builder, source, title)


# Page furniture that sits inside the article element and that trafilatura drops only when
# class names say what it is ("post-meta", "tags", "author-box"): read from the words.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b",
    re.IGNORECASE,
)
_NAME = r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?[A-Z][\w'.\u2019-]*(?:\s+[A-Z][\w'.\u2019-]*){0,3}"
_BYLINE = re.compile(
    rf"^(?:[Bb]y|(?:[Ww]ritten|[Pp]osted|[Ww]ords|[Rr]eviewed|[Mm]edically reviewed) by|[Aa]uthor:)\s+{_NAME}"
)
_DATELINE = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|posted|updated|reviewed|modified)(?:\s+on)?|date)\s*:?\s",
    re.IGNORECASE,
)
_READ_TIME = re.compile(r"\b\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\.?\s+read\b", re.IGNORECASE)
_META_SEPARATOR = re.compile(r"\s[|\u2022\u00b7]\s")
_TAG_LINE = re.compile(
    r"^(?:tags?|tagged(?:\s+(?:with|as|in))?|filed\s+under|categor(?:y|ies)|topics?|posted\s+in|keywords?)\s*:",
    re.IGNORECASE,
)
_AUTHOR_NOTE = re.compile(
    rf"^{_NAME}\s+(?:(?:is|was)\s+an?\s+(?:[\w-]+\s+){{0,4}}?"
    r"(?:writer|blogger|journalist|editor|author|contributor|reporter|columnist|correspondent)\b"
    r"|writes\s+(?:about|for|on)\b)"
)
_META_MAX_WORDS = 20
_BARE_BYLINE_WORDS = 6  # "By Jane Doe, Staff Writer": no date, no separator, no full stop
_TAG_MAX_WORDS = 30
_AUTHOR_NOTE_MAX_WORDS = 60
_PROSE_WORDS = 25


def _is_prose(text: str) -> bool:
    return len(text.split()) >= _PROSE_WORDS


def _is_furniture(kind: BlockKind, text: str, trailing: bool) -> bool:
    """A byline, dateline, reading time or tag line; an author note after the article's prose.

    Only short blocks that announce themselves ("By Jane Doe | 3 May 2024", "Updated 3 May
    2024", "Tags: ...", "Jane Doe is a health writer ...") count: "By March, the swelling
    had gone." is a sentence (it ends as one and carries no date, separator or reading
    time), and "Updated guidelines" a heading (no date).
    """
    if kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING):
        return False
    words = len(text.split())
    if words <= _META_MAX_WORDS:
        dated = bool(_DATE.search(text) or _READ_TIME.search(text))
        if _BYLINE.match(text) and (
            dated or _META_SEPARATOR.search(text) or (words <= _BARE_BYLINE_WORDS and text[-1] not in ".!?")
        ):
            return True
        if dated and (_DATELINE.match(text) or _READ_TIME.fullmatch(text.strip(" ."))):
            return True
    if words <= _TAG_MAX_WORDS and _TAG_LINE.match(text):
        return True
    return trailing and words <= _AUTHOR_NOTE_MAX_WORDS and _AUTHOR_NOTE.match(text) is not None


def page_title(html: str) -> str | None:
    """The page's ``og:title`` or ``<title>``, without a " | Site name" tail.

    Read directly rather than through trafilatura's metadata pass, which also fingerprints
    the page and costs about a fifth of the extraction time.
    """
    match = _OG_TITLE.search(html) or _TITLE.search(html)
    if not match:
        return None
    from html import unescape

    title = _WS.sub(" ", unescape(match.group(1))).strip()
    head = _SITE_SUFFIX.split(title, maxsplit=1)[0].strip()
    return (head or title) or None


_BLOCK_TAGS = frozenset(
    "p div ul ol dl table h1 h2 h3 h4 h5 h6 blockquote section article aside nav header footer form "
    "pre figure main li".split()
)


# Elements trafilatura's own extraction always discards (its MANUALLY_CLEANED list), dropped
# up front so that its precision pass and the readability comparison do not walk the menus
# and scripts again: the same F1 on the AEB dev pages, 17.8 -> 13.2 ms per page. (Forms,
# iframes and SVG are kept: dropping those emptied two pages, whose text sits in a form.)
_CHROME_TAGS = ("nav", "aside", "footer", "script", "style", "noscript")


def _prepared_tree(html: str) -> Any:
    """The page parsed once by trafilatura's own loader, with text divs turned into paragraphs.

    Many CMS templates put article paragraphs in bare divs; trafilatura drops those (7% of
    the genuine sentences of the promo_dev pages). A div whose own text starts it and that
    has no block children is a paragraph; chrome divs start with a tag (a label, a link).
    Handing trafilatura the tree (not the HTML) spares it a second parse; the raw HTML is
    returned when its loader rejects the page, so trafilatura reports that itself.
    """
    from lxml import etree
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    etree.strip_elements(tree, *_CHROME_TAGS, with_tail=False)
    for container in list(tree.iter(*_CONTAINER_TAGS)):
        _paragraph_loose_text(container)
    for div in tree.iter("div"):
        if div.text and div.text.strip() and not any(child.tag in _BLOCK_TAGS for child in div):
            div.tag = "p"
    _mark_article(tree)
    return tree


# What makes a paragraph or list item count towards its container's claim to be the article.
_MIN_PROSE_CHARS = 80
# Prose beside the chosen element that makes its parent the article: a lead paragraph of the
# parent's own, or other sections holding as much and this share of the element's prose
# (an author note or a comment beside a short article is less).
_LEAD_CHARS = 150
_SIBLING_SHARE = 0.1
_CANDIDATE_TAGS = ("div", "section", "td")


def _mark_article(tree: Any) -> None:
    """Name the element that holds the page's prose ``<article>`` when nothing is named so.

    trafilatura finds the article by its tag (<article>, <main>) or by class and id names
    ("entry-content", "post-body"). A page with neither (flat markup, or class names a
    minifier made opaque) sends it to fallbacks that keep only paragraphs: headings and
    lists go, comments and newsletter boxes stay. As readability does, the element whose
    own paragraphs hold the most prose is the article's core; its parent is the article
    instead while prose sits beside it (a lead paragraph, the other sections of an article
    cut into one element per heading).
    """
    if next(tree.iter("article", "main"), None) is not None:
        return
    own: dict[Any, int] = {}  # prose in an element's own paragraphs and lists
    total: dict[Any, int] = {}  # prose anywhere inside an element
    for paragraph in tree.iter("p", "li"):  # a list item can be prose too
        size = len("".join(paragraph.itertext()).strip())
        if size < _MIN_PROSE_CHARS:
            continue
        holder = next(paragraph.iterancestors(*_CANDIDATE_TAGS), None)
        if holder is not None:
            own[holder] = own.get(holder, 0) + size
        for ancestor in paragraph.iterancestors():
            total[ancestor] = total.get(ancestor, 0) + size
    if not own:
        return
    best = max(own, key=own.__getitem__)
    while (parent := best.getparent()) is not None and parent.tag in _CANDIDATE_TAGS:
        beside = total[parent] - total[best]
        if own.get(parent, 0) < _LEAD_CHARS and beside < max(_LEAD_CHARS, _SIBLING_SHARE * total[best]):
            break
        best = parent
    best.tag = "article"


STRIP_CHROME = True

# Elements whose loose text (text beside block children, or runs split by <br><br>) is
# article prose on pages that predate <p> everywhere: old CMS templates, forum posts.
_CONTAINER_TAGS = ("div", "article", "section", "main", "td", "body", "blockquote", "center")


def _paragraph_loose_text(container: Any) -> None:
    """Wrap each run of loose text and inline elements in its own ``<p>``, as browsers show them.

    "Intro<h2>..</h2>Text<br><br>More text" holds two paragraphs after the heading, but
    trafilatura reads only elements, so it drops such text or runs it into one block: on
    pages whose paragraphs are separated by ``<br><br>``, 29% of the genuine sentences of
    the promo_dev pages were lost. A run ends at a block element or at two line breaks in
    a row; a single ``<br>`` stays inside its paragraph. Containers with no loose text, or
    whose loose text no block or double break interrupts, are left as they are.
    """
    children = list(container)
    if not _has_loose_text(container, children) or not _interrupted(children):
        return
    for child in children:
        container.remove(child)  # each child's tail text leaves with it
    runs: list[tuple[str | None, list[Any]]] = [(container.text, [])]
    container.text = None
    index = 0
    while index < len(children):
        child = children[index]
        if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
            tail, child.tail = child.tail, None
            runs += [(None, [child]), (tail, [])]
        elif _double_break(children, index):
            while index + 1 < len(children) and _double_break(children, index):
                index += 1  # every break of the run of breaks goes
            runs.append((children[index].tail, []))
        else:
            runs[-1][1].append(child)
        index += 1
    for text, elements in runs:
        _append_run(container, text, elements)


def _has_loose_text(container: Any, children: list[Any]) -> bool:
    return bool((container.text or "").strip()) or any((c.tail or "").strip() for c in children)


def _interrupted(children: list[Any]) -> bool:
    """Whether a block child or a double line break splits the container's content."""
    return any(
        (isinstance(c.tag, str) and c.tag in _BLOCK_TAGS) or _double_break(children, i)
        for i, c in enumerate(children)
    )


def _double_break(children: list[Any], index: int) -> bool:
    """``<br>`` followed, with only white space between, by another ``<br>``."""
    return (
        children[index].tag == "br"
        and not (children[index].tail or "").strip()
        and index + 1 < len(children)
        and children[index + 1].tag == "br"
    )


def _append_run(container: Any, text: str | None, elements: list[Any]) -> None:
    """Put a block element back, or a run of loose text and inline elements as a new ``<p>``."""
    from lxml import etree

    if len(elements) == 1 and text is None and elements[0].tag in _BLOCK_TAGS:
        container.append(elements[0])
        return
    has_text = bool((text or "").strip()) or any(
        "".join(e.itertext()).strip() or (e.tail or "").strip() for e in elements if isinstance(e.tag, str)
    )
    if not has_text:
        return  # white space or lone breaks between blocks
    paragraph = etree.SubElement(container, "p")
    paragraph.text = text
    paragraph.extend(elements)


def _finish(builder: _Builder, source: Source, title: str | None) -> Document:
    blocks = builder.blocks
    text = builder.text()
    if (
        blocks
        and blocks[0].kind is BlockKind.HEADING
        and title
        and text[blocks[0].start : blocks[0].end] == title
    ):
        blocks[0] = Block(BlockKind.TITLE, blocks[0].start, blocks[0].end)
    return Document(source=source, text=text, blocks=tuple(blocks), links=tuple(builder.links), title=title)


_XML_KINDS = {"head": BlockKind.HEADING, "p": BlockKind.PARAGRAPH, "quote": BlockKind.QUOTE}


def _xml_blocks(element: object) -> Iterator[tuple[BlockKind, list[tuple[str, str | None]]]]:
    """Blocks in one child of trafilatura's <main>: paragraphs, headings, list items, table rows."""
    tag = element.tag  # type: ignore[attr-defined]
    if tag in _XML_KINDS:
        yield _XML_KINDS[tag], _inline_pieces(element)
    elif tag == "list":
        for item in element.iter("item"):  # type: ignore[attr-defined]
            yield BlockKind.LIST_ITEM, _inline_pieces(item, skip_nested_lists=True)
    elif tag == "table":
        for row in element.iter("row"):  # type: ignore[attr-defined]
            cells: list[tuple[str, str | None]] = []
            for cell in row.iter("cell"):
                cells.extend([*_inline_pieces(cell), (" | ", None)])
            yield BlockKind.PARAGRAPH, cells[:-1]
    elif tag != "graphic":
        yield BlockKind.PARAGRAPH, _inline_pieces(element)


def _inline_pieces(element: object, skip_nested_lists: bool = False) -> list[tuple[str, str | None]]:
    """Flatten an element's text, marking the text of <ref> elements with their target."""
    pieces: list[tuple[str, str | None]] = []

    def walk(node: object, href: str | None) -> None:
        if node.text:  # type: ignore[attr-defined]
            pieces.append((node.text, href))  # type: ignore[attr-defined]
        for child in node:  # type: ignore[attr-defined]
            if child.tag == "lb":
                pieces.append((" ", None))
            elif not (skip_nested_lists and child.tag == "list"):
                walk(child, child.get("target", href) if child.tag == "ref" else href)
            if child.tail:
                pieces.append((child.tail, href))

    walk(element, None)
    return pieces


def _link_rels(html: str) -> dict[str, tuple[str, ...]]:
    """``rel`` values of the page's anchors by href (trafilatura drops them)."""
    rels: dict[str, tuple[str, ...]] = {}
    for tag in _A_TAG.findall(html):
        attrs = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTR.finditer(tag)
        }
        if attrs.get("rel") and attrs.get("href"):
            rels[attrs["href"]] = tuple(attrs["rel"].lower().split())
    return rels


def _fallback_html(html: str, source: Source) -> Document:
    """Pages trafilatura gives up on (very short, odd markup): every visible block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for junk in soup(["script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form"]):
        junk.decompose()
    builder = _Builder()
    kinds = {
        "h1": BlockKind.HEADING,
        "h2": BlockKind.HEADING,
        "h3": BlockKind.HEADING,
        "li": BlockKind.LIST_ITEM,
    }
    for node in soup.find_all(["h1", "h2", "h3", "p", "li", "blockquote"]):
        pieces: list[tuple[str, str | None]] = []
        for piece in node.descendants:
            if isinstance(piece, str):
                # A NavigableString: a str with its tag (getattr: typed as str where bs4 is absent,
                # as in the isolated build that compiles this module).
                parent = getattr(piece, "parent", None)
                href = parent.get("href") if parent is not None and parent.name == "a" else None
                pieces.append((str(piece), href if isinstance(href, str) else None))
        builder.add_block(kinds.get(node.name, BlockKind.PARAGRAPH), pieces, {})
    title = soup.title.get_text(strip=True) if soup.title else None
    return _finish(builder, source, title or None)


def extract_text(html: str, url: str | None = None) -> str:
    """The article text of an HTML page (used by bench/extract.py)."""
    kind = "url" if url else "inline"
    return html_to_document(html, Source(url or "<html>", kind, "html")).text


# --- plain text ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _is_heading_like(line: str) -> bool:
    """A short standalone line without closing punctuation reads as a heading."""
    words = line.split()
    if not words or len(words) > _HEADING_MAX_WORDS or (not line[0].isupper() and not line[0].isdigit()):
        return False
    return line.rstrip()[-1] not in _TERMINAL or line.rstrip().endswith("?")


def _hard_wrapped(lines: list[_Line]) -> bool:
    """True when paragraphs are wrapped over several lines (a line continues on the next)."""
    continued = sum(
        1
        for a, b in itertools.pairwise(lines)
        if a.text.strip()
        and b.text.strip()
        and a.text.rstrip()[-1] not in _TERMINAL
        and b.text.lstrip()[:1].islower()
    )
    return continued >= 2


def _carries_on(line: str, following: str) -> bool:
    """Whether ``following`` continues the sentence of a long ``line`` (a wrap, not a list)."""
    end = line.rstrip()
    return len(end) >= WRAPPED_LINE_MIN and end[-1] not in _TERMINAL and following[:1].islower()


def _wrap_width(lines: list[_Line]) -> int:
    """The width a hard-wrapped text was filled to: most lines followed by another come close to it."""
    pairs = itertools.pairwise(lines)
    inner = sorted(len(a.text.rstrip()) for a, b in pairs if a.text.strip() and b.text.strip())
    return inner[int(0.9 * (len(inner) - 1))] if inner else 0


def text_to_document(text: str, source: Source) -> Document:
    """Split plain text into blocks: blank-line paragraphs, one-line paragraphs, list items."""
    lines = _lines(text)
    wrapped = _hard_wrapped(lines)
    full = _WRAPPED_LINE_SHARE * _wrap_width(lines) if wrapped else float("inf")
    groups: list[list[_Line]] = []
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            groups.append([])
            continue
        previous = groups[-1] if groups else []
        # In a text too short to tell it is wrapped, a long line that stops mid-sentence
        # before a lower-case word is still one wrapped paragraph.
        carried = bool(previous) and _carries_on(previous[-1].text, stripped)
        starts_new = (not wrapped and not carried) or _LIST_MARKER.match(line.text) is not None
        # A short capitalised line reads as a heading, unless the next line carries on its
        # sentence or it fills the wrap width: then it was the first line of a wrapped paragraph.
        continues = bool(previous) and (
            not _is_heading_line(previous) or stripped[:1].islower() or len(previous[0].text.rstrip()) >= full
        )
        if continues and not starts_new:
            groups[-1].append(line)
        else:
            groups.append([line])
    blocks = [_text_block(g, text) for g in groups if g]
    return Document(source=source, text=text, blocks=_mark_title(blocks, text), title=_title(blocks, text))


def _is_heading_line(group: list[_Line]) -> bool:
    return len(group) == 1 and _is_heading_like(group[0].text.strip())


def _text_block(group: list[_Line], text: str) -> Block:
    first = group[0]
    marker = _LIST_MARKER.match(first.text)
    start = first.start + (marker.end() if marker else len(first.text) - len(first.text.lstrip()))
    end = group[-1].start + len(group[-1].text.rstrip())
    if marker:
        return Block(BlockKind.LIST_ITEM, start, end)
    kind = BlockKind.HEADING if len(group) == 1 and _is_heading_like(text[start:end]) else BlockKind.PARAGRAPH
    return Block(kind, start, end)


def _mark_title(blocks: list[Block], text: str) -> tuple[Block, ...]:
    if blocks and blocks[0].kind is BlockKind.HEADING:
        blocks = [Block(BlockKind.TITLE, blocks[0].start, blocks[0].end), *blocks[1:]]
    return tuple(blocks)


def _title(blocks: list[Block], text: str) -> str | None:
    return text[blocks[0].start : blocks[0].end] if blocks and blocks[0].kind is BlockKind.HEADING else None


# --- Markdown -----------------------------------------------------------------------------


def markdown_to_document(text: str, source: Source) -> Document:
    """Split Markdown into blocks, skipping front matter and code; links become spans."""
    lines = _lines(text)
    blocks: list[Block] = []
    paragraph: list[_Line] = []
    fence: str | None = None
    index = _front_matter_end(lines)

    def flush() -> None:
        if paragraph:
            blocks.append(Block(BlockKind.PARAGRAPH, paragraph[0].start, paragraph[-1].end))
            paragraph.clear()

    for line in lines[index:]:
        fence_match = _MD_FENCE.match(line.text)
        if fence is not None:
            fence = None if fence_match and fence_match.group(1)[0] == fence[0] else fence
            continue
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        block = _markdown_line_block(line)
        if block is None and line.text.strip() and not line.text.startswith("    "):
            paragraph.append(line)
            continue
        flush()
        if block is not None:
            blocks.append(block)
    flush()
    blocks = [b for b in blocks if b.end > b.start]
    title_block = blocks[0] if blocks and blocks[0].kind is BlockKind.HEADING else None
    if title_block is not None:
        blocks[0] = Block(BlockKind.TITLE, title_block.start, title_block.end)
    links = tuple(Link(m.start(1), m.end(1), m.group(2)) for m in _MD_LINK.finditer(text))
    title = text[title_block.start : title_block.end] if title_block else None
    return Document(source=source, text=text, blocks=tuple(blocks), links=links, title=title)


def _front_matter_end(lines: list[_Line]) -> int:
    if not lines or lines[0].text.strip() != "---":
        return 0
    for i, line in enumerate(lines[1:], start=1):
        if line.text.strip() in ("---", "..."):
            return i + 1
    return 0


def _markdown_line_block(line: _Line) -> Block | None:
    for pattern, kind in (
        (_MD_HEADING, BlockKind.HEADING),
        (_MD_QUOTE, BlockKind.QUOTE),
        (_LIST_MARKER, BlockKind.LIST_ITEM),
    ):
        match = pattern.match(line.text)
        if match:
            content = (
                line.text.rstrip().rstrip("#").rstrip() if kind is BlockKind.HEADING else line.text.rstrip()
            )
            return Block(kind, line.start + match.end(), line.start + len(content))
    return None
