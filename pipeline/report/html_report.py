"""``--format html``: one self-contained page for editors to look at, not read JSON.

The article is shown block by block: removed text struck through (``<del>``) and labelled
with its rule, flagged claims highlighted (``<mark>``); hovering or focusing (Tab) a span
shows its rule, message and suggestion. Each document gets its summary and its counts by
rule; several documents get an index. There is no script at all: tooltips are CSS
``:hover``/``:focus-within`` on ``tabindex="0"`` spans. Every piece of page content goes
through ``html.escape`` and a strict Content-Security-Policy forbids scripts, so even a
mistake here cannot run anything an article smuggles in.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count, pairwise
from typing import TYPE_CHECKING

from pipeline.document import Block, BlockKind, Category, Document, Finding, LineIndex, Removal
from pipeline.ruleset import Rule

if TYPE_CHECKING:
    from pipeline.report import ReportContext

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"
# Tooltips are positioned against their block (p/li), not their span, so a span near the
# right edge still gets a tip that fits; ``top`` stays auto: a block-level box starts on the line
# after the span (its static position), so the tip opens just below the span.
_CSS = """
:root{color-scheme:light;--ink:#1d1d1f;--muted:#5f6368;--line:#d8dadf;--mark:#fff0a8;--del:#fde0df;
--del-ink:#8a1c1c;--tip:#202124}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#f6f7f9}
header,main,nav{max-width:52rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:0 0 .3rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.muted{color:var(--muted);font-size:.9rem}
nav ol{padding-left:1.4rem}
section.document{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1.25rem 1.5rem;
margin:1.25rem 0}
table{border-collapse:collapse;font-size:.9rem}
th,td{text-align:left;padding:.2rem .8rem .2rem 0;border-bottom:1px solid var(--line)}
.article{border-top:1px solid var(--line);margin-top:1rem;padding-top:.5rem}
.article .b-title{font-size:1.2rem;font-weight:700}
.article .b-heading{font-weight:700}
blockquote{margin:.5rem 0;padding-left:1rem;border-left:3px solid var(--line)}
.article p,.article li{position:relative}
.hit{cursor:help;border-radius:2px}
.hit:focus{outline:2px solid #1a73e8;outline-offset:1px}
mark{background:var(--mark);color:inherit;padding:0 .05em}
.level-error mark{background:#ffd1c2;box-shadow:inset 0 -2px 0 #d93025}
.level-suggestion mark{background:#e3f0ff}
del{background:var(--del);color:var(--del-ink);text-decoration:line-through}
.rule-label{font-size:.7rem;font-family:ui-monospace,monospace;background:var(--del-ink);color:#fff;
border-radius:3px;padding:0 .3em;margin-left:.2em;vertical-align:.15em;white-space:nowrap}
.tip{display:none;position:absolute;left:0;margin-top:.35em;z-index:10;width:max-content;max-width:min(30rem,100%);
background:var(--tip);color:#fff;padding:.5rem .65rem;border-radius:6px;font-size:.85rem;
line-height:1.4;font-weight:400;white-space:normal;text-align:left;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.tip-item{display:block}
.tip-item+.tip-item{margin-top:.4rem;border-top:1px solid #555;padding-top:.4rem}
.tip code{font-size:.8rem}
.hit:hover>.tip,.hit:focus>.tip,.hit:focus-within>.tip{display:block}
.hit:hover>.tip{z-index:11}
.legend span{margin-right:1rem}
.errors{color:#b3261e}
footer{max-width:52rem;margin:0 auto 2rem;padding:0 1.25rem;color:var(--muted);font-size:.85rem}
"""


def _e(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True, slots=True)
class _Span:
    """A finding or removal to draw, clipped to a block."""

    start: int
    end: int
    item: Finding | Removal


def render(docs: Sequence[Document], context: ReportContext) -> str:
    """The whole page."""
    rules = {rule.id: rule for rule in context.rules}
    ids = count(1)
    sections = [_document(i, doc, rules, ids) for i, doc in enumerate(docs, start=1)]
    findings = sum(len(d.findings) for d in docs)
    removals = sum(len(d.removals) for d in docs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>healthvet report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>healthvet report</h1>",
        f'<p class="totals">{_plural(findings, "flagged claim")}, {_plural(removals, "removal")} '
        f"in {_plural(len(docs), 'document')}</p>",
        '<p class="legend muted"><span><mark>highlighted</mark>: flagged claim</span>'
        "<span><del>struck through</del>: removed as spam or promotion</span>"
        "<span>hover or Tab to a span for the rule and its message</span></p>",
        "</header>",
        _index(docs),
        "<main>",
        *sections,
        "</main>",
        f"<footer>healthvet {_e(context.version)}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _index(docs: Sequence[Document]) -> str:
    if len(docs) < 2:
        return ""
    items = "".join(
        f'<li><a href="#doc-{i}">{_e(doc.title or doc.source.name)}</a> '
        f'<span class="muted">{_e(doc.source.name)}: {len(doc.findings)} flagged, '
        f"{len(doc.removals)} removed</span></li>"
        for i, doc in enumerate(docs, start=1)
    )
    return f'<nav aria-label="Documents"><h2>Documents</h2><ol>{items}</ol></nav>'


def _document(number: int, doc: Document, rules: dict[str, Rule], ids: Iterator[int]) -> str:
    anchor = f"doc-{number}"
    parts = [
        f'<section class="document" id="{anchor}" aria-labelledby="{anchor}-title">',
        f'<h2 id="{anchor}-title">{_e(doc.title or doc.source.name)}</h2>',
        f'<p class="muted">{_e(doc.source.name)} ({_e(doc.source.media_type)}): '
        f"{_plural(len(doc.findings), 'flagged claim')}, {_plural(len(doc.removals), 'removal')}</p>",
        _errors(doc),
        _summary(doc),
        _counts(doc),
        '<h3>Article</h3><div class="article">',
        *_blocks(doc, rules, ids),
        "</div>",
        _finding_list(doc),
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def _errors(doc: Document) -> str:
    if not doc.errors:
        return ""
    items = "".join(f"<li>error in {_e(e.stage)}: [{_e(e.code)}] {_e(e.message)}</li>" for e in doc.errors)
    return f'<ul class="errors">{items}</ul>'


def _summary(doc: Document) -> str:
    if not doc.summary:
        return ""
    items = "".join(f"<li>{_e(s.text)}</li>" for s in doc.summary)
    return f'<h3>Summary</h3><ol class="summary">{items}</ol>'


def _counts(doc: Document) -> str:
    found = doc.reported_findings()
    if not found:
        return '<p class="counts">No findings.</p>'
    by_rule = Counter((f.rule, str(f.level), str(f.category)) for f in found)
    rows = "".join(
        f"<tr><td><code>{_e(rule)}</code></td><td>{_e(level)}</td><td>{_e(cat)}</td><td>{n}</td></tr>"
        for (rule, level, cat), n in sorted(by_rule.items())
    )
    return (
        '<table class="counts"><caption class="muted">Findings by rule</caption><thead><tr>'
        "<th>Rule</th><th>Level</th><th>Category</th><th>Count</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _finding_list(doc: Document) -> str:
    found = doc.reported_findings()
    if not found:
        return ""
    index = LineIndex(doc.text)
    items = []
    for f in found:
        line, col = index.line_col(f.start)
        verb = "removed" if f.category is Category.PROMO else "flagged"
        items.append(
            f"<li>{line}:{col} <code>{_e(f.rule)}</code> ({_e(f.level)}, {verb}): {_e(f.message)} "
            f'<span class="muted">\u201c{_e(" ".join(f.match.split()))}\u201d</span></li>'
        )
    return f"<details><summary>All findings as a list</summary><ol>{''.join(items)}</ol></details>"


# --- the article ----------------------------------------------------------------------------

_BLOCK_TAGS = {
    BlockKind.TITLE: ("p", "b-title"),
    BlockKind.HEADING: ("p", "b-heading"),
    BlockKind.PARAGRAPH: ("p", "b-paragraph"),
    BlockKind.LIST_ITEM: ("li", "b-item"),
    BlockKind.QUOTE: ("p", "b-quote"),
}


def _blocks(doc: Document, rules: dict[str, Rule], ids: Iterator[int]) -> Iterator[str]:
    spans = [_Span(f.start, f.end, f) for f in doc.findings] + [
        _Span(r.start, r.end, r) for r in doc.removals
    ]
    in_list = False
    for block in doc.blocks:
        is_item = block.kind is BlockKind.LIST_ITEM
        if is_item != in_list:
            yield "<ul>" if is_item else "</ul>"
            in_list = is_item
        tag, css = _BLOCK_TAGS[block.kind]
        body = "".join(_inline(doc, block, spans, rules, ids))
        element = f'<{tag} class="{css}">{body}</{tag}>'
        yield f"<blockquote>{element}</blockquote>" if block.kind is BlockKind.QUOTE else element
    if in_list:
        yield "</ul>"


def _inline(
    doc: Document, block: Block, spans: Sequence[_Span], rules: dict[str, Rule], ids: Iterator[int]
) -> Iterator[str]:
    """The block's text cut at every span edge; each covered piece is wrapped once."""
    mine = [
        _Span(max(s.start, block.start), min(s.end, block.end), s.item)
        for s in spans
        if s.start < block.end and s.end > block.start and s.end > s.start
    ]
    edges = sorted({block.start, block.end, *(s.start for s in mine), *(s.end for s in mine)})
    for lo, hi in pairwise(edges):
        covering = [s for s in mine if s.start < hi and s.end > lo]
        piece = doc.text[lo:hi]
        yield _wrapped(piece, covering, hi, rules, next(ids)) if covering else _e(piece)


def _wrapped(piece: str, covering: Sequence[_Span], piece_end: int, rules: dict[str, Rule], uid: int) -> str:
    removals = [s for s in covering if isinstance(s.item, Removal)]
    worst = max(covering, key=lambda s: s.item.level.rank).item.level
    kind = "removal" if removals else "claim"
    tag = "del" if removals else "mark"
    labels = "".join(
        f'<span class="rule-label">{_e(s.item.rule)}</span>' for s in removals if s.end == piece_end
    )
    tips = "".join(_tip(s.item, rules.get(s.item.rule)) for s in covering)
    return (
        f'<span class="hit {kind} level-{_e(worst)}" tabindex="0" aria-describedby="tip-{uid}">'
        f"<{tag}>{_e(piece)}</{tag}>{labels}"
        f'<span class="tip" role="tooltip" id="tip-{uid}">{tips}</span></span>'
    )


def _tip(item: Finding | Removal, rule: Rule | None) -> str:
    what = "Removed" if isinstance(item, Removal) else "Flagged"
    lines = [f"<strong>{_e(item.rule)}</strong> ({_e(item.level)}, {what.lower()})", _e(item.message)]
    suggestion = item.suggestion if isinstance(item, Finding) else None
    if suggestion:
        lines.append(f"<em>Suggestion:</em> {_e(suggestion)}")
    if rule is not None and rule.doc.why:
        lines.append(f"<em>Why:</em> {_e(rule.doc.why)}")
    if isinstance(item, Removal) and item.evidence:
        lines.append(f"<em>Evidence:</em> {_e('; '.join(item.evidence))}")
    return f'<span class="tip-item">{"<br>".join(lines)}</span>'
