"""``--format text``: one line per finding, ``path:line:col: level Rule.ID: message``.

Colour (ANSI) only when asked: the CLI turns it on for a terminal unless ``NO_COLOR`` is
set or ``--no-color`` is given, so piped output and files stay plain.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.document import Category, Document, Finding, Level, LineIndex

_RESET = "\x1b[0m"
_STYLES = {
    "path": "\x1b[1m",
    "error": "\x1b[1;31m",
    "warning": "\x1b[33m",
    "suggestion": "\x1b[36m",
    "rule": "\x1b[2m",
}


def render(docs: Sequence[Document], min_level: Level = Level.SUGGESTION, color: bool = False) -> str:
    """All findings of all documents, then a one-line total."""
    lines: list[str] = []
    total = 0
    for doc in docs:
        index = LineIndex(doc.text)
        for finding in doc.reported_findings():
            if finding.level.rank < min_level.rank:
                continue
            lines.append(_line(doc.source.name, index, finding, color))
            total += 1
        lines.extend(f"{doc.source.name}: error in {e.stage}: [{e.code}] {e.message}" for e in doc.errors)
    noun = "finding" if total == 1 else "findings"
    lines.append(f"{total} {noun} in {len(docs)} document{'s' if len(docs) != 1 else ''}")
    return "\n".join(lines) + "\n"


def _line(name: str, index: LineIndex, finding: Finding, color: bool) -> str:
    line, col = index.line_col(finding.start)
    detail = f" (removed: {_quote(finding.match)})" if finding.category is Category.PROMO else ""
    level = str(finding.level)
    return (
        f"{_paint(f'{name}:{line}:{col}:', 'path', color)} {_paint(level, level, color)} "
        f"{_paint(finding.rule + ':', 'rule', color)} {finding.message}{detail}"
    )


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_STYLES[style]}{text}{_RESET}" if color else text


def _quote(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "\u2026")
