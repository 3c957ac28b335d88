"""``--format text``: one line per finding, ``path:line:col: level Rule.ID: message``."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.document import Category, Document, Level, LineIndex


def render(docs: Sequence[Document], min_level: Level = Level.SUGGESTION) -> str:
    """All findings of all documents, then a one-line total."""
    lines: list[str] = []
    total = 0
    for doc in docs:
        index = LineIndex(doc.text)
        for finding in doc.reported_findings():
            if finding.level.rank < min_level.rank:
                continue
            line, col = index.line_col(finding.start)
            detail = f" (removed: {_quote(finding.match)})" if finding.category is Category.PROMO else ""
            lines.append(
                f"{doc.source.name}:{line}:{col}: {finding.level} {finding.rule}: {finding.message}{detail}"
            )
            total += 1
        lines.extend(f"{doc.source.name}: error in {e.stage}: [{e.code}] {e.message}" for e in doc.errors)
    noun = "finding" if total == 1 else "findings"
    lines.append(f"{total} {noun} in {len(docs)} document{'s' if len(docs) != 1 else ''}")
    return "\n".join(lines) + "\n"


def _quote(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "\u2026")
