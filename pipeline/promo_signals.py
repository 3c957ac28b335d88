"""Promotion evidence that needs code rather than a phrase list: links and domains.

Each signal looks at the whole document and yields ``(offset, note)`` pairs: the offset
places the evidence in a sentence, the note explains it in the removal report. A rule file
with ``extends: signal`` names the signal and gives its weight, so signals are documented,
weighted and disabled like any other rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from urllib.parse import urlsplit

from pipeline.document import BlockKind, Document, Link

Evidence = Iterator[tuple[int, str]]

_DOMAIN = re.compile(
    r"\b(?:https?://)?(?:www\.)?((?:[a-z0-9-]{2,63}\.)+(?:com|net|org|info|biz|co|io|ke|ng|in|uk|us|"
    r"xyz|online|site|shop|store|top|club|me|tv|pk|za|nl|de|fr|ru|es|it|pl|br|au|ca|blog|news|health))\b",
    re.IGNORECASE,
)
# Institutional domains are cited as sources, not advertised: never evidence of promotion.
_TRUSTED_SUFFIXES = (".gov", ".edu", ".int", ".nhs.uk", ".who.int", ".nih.gov", ".ac.uk", ".mil")
_ORPHAN_ANCHOR = re.compile(
    r"^\W*(?:click\s+here|here|this\s+link|this\s+(?:text|page|site|website|post|article)|link|read\s+more|"
    r"more|learn\s+more|this|source|website)\W*$",
    re.IGNORECASE,
)
_LINK_ONLY_SHARE = 0.8


def host_of(href: str) -> str:
    """Lower-case host of an absolute URL, '' for relative links."""
    try:
        return (urlsplit(href).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def article_host(doc: Document) -> str:
    """The article's own host (URL sources only)."""
    return host_of(doc.source.name) if doc.source.kind == "url" else ""


def _is_external(link: Link, own_host: str) -> bool:
    host = host_of(link.href)
    if not host or host.endswith(_TRUSTED_SUFFIXES):
        return False
    return not own_host or not (host == own_host or host.endswith("." + own_host))


def external_link(doc: Document) -> Evidence:
    """A link to another (non-institutional) site."""
    own = article_host(doc)
    for link in doc.links:
        if _is_external(link, own):
            yield link.start, f"links to {host_of(link.href)}"


def orphan_anchor(doc: Document) -> Evidence:
    """A link whose anchor says nothing about its target ("click here", "this text")."""
    for link in doc.links:
        if _ORPHAN_ANCHOR.match(doc.text[link.start : link.end]):
            yield link.start, f"anchor text {doc.text[link.start : link.end]!r} names no subject"


def link_only_block(doc: Document) -> Evidence:
    """A paragraph that is nothing but links: related-post lists and link bait."""
    for block in doc.blocks:
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.QUOTE):
            continue
        anchor_chars = sum(
            min(link.end, block.end) - max(link.start, block.start)
            for link in doc.links
            if link.start < block.end and block.start < link.end
        )
        length = len(doc.text[block.start : block.end].strip()) or 1
        if anchor_chars / length >= _LINK_ONLY_SHARE:
            for sentence in block.sentences or ():
                yield sentence.start, "paragraph is all links"


def bare_domain(doc: Document) -> Evidence:
    """A commercial domain name written out in the text ("from khusoko.com")."""
    linked = [(lk.start, lk.end) for lk in doc.links]
    for match in _DOMAIN.finditer(doc.text):
        domain = match.group(1).lower()
        if domain.endswith(_TRUSTED_SUFFIXES) or any(lo <= match.start() < hi for lo, hi in linked):
            continue
        yield match.start(), f"names the site {domain}"


SIGNALS: Mapping[str, Callable[[Document], Evidence]] = {
    "external_link": external_link,
    "orphan_anchor": orphan_anchor,
    "link_only_block": link_only_block,
    "bare_domain": bare_domain,
}
