"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

``::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=Rule.ID::message``; levels map
error→error, warning→warning, suggestion→notice. GitHub shows at most 10 annotations of
each level per step and 50 per job, so at most ``MAX_ANNOTATIONS`` are printed (errors
first, then warnings, then notices, each in file order) and a summary line says how many
were left out; the plain ``path:line:col`` lines of the text format follow for the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.document import Category, Document, Finding, Level, LineIndex
from pipeline.report import text

MAX_ANNOTATIONS = 50  # GitHub's per-job limit; more would be dropped silently
_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.SUGGESTION: "notice"}


def render(docs: Sequence[Document], limit: int = MAX_ANNOTATIONS) -> str:
    """Annotations (capped at ``limit``), a summary when capped, then the text report."""
    everything = [(doc, f) for doc in docs for f in doc.reported_findings()]
    everything.sort(key=lambda pair: -pair[1].level.rank)  # stable: file order within a level
    lines = [annotation(doc, f) for doc, f in everything[:limit]]
    if len(everything) > limit:
        left = len(everything) - limit
        lines.append(
            f"::notice title=healthvet::{len(everything)} findings; {left} not shown as annotations "
            f"(GitHub shows at most {limit} per job). See the log below or the SARIF report."
        )
    for doc in docs:
        lines.extend(
            f"::error file={_property(doc.source.name)},title=healthvet::"
            f"{_data(f'error in {e.stage}: [{e.code}] {e.message}')}"
            for e in doc.errors
        )
    return "\n".join(lines) + ("\n" if lines else "") + text.render(docs)


def annotation(doc: Document, finding: Finding) -> str:
    """One workflow command for one finding."""
    index = LineIndex(doc.text)
    line, col = index.line_col(finding.start)
    end_line, end_col = index.line_col(finding.end)
    fields = [f"file={_property(doc.source.name)}", f"line={line}", f"endLine={end_line}"]
    if line == end_line:  # GitHub ignores columns on annotations that span lines
        fields += [f"col={col}", f"endColumn={end_col}"]
    fields.append(f"title={_property(finding.rule)}")
    message = finding.message
    if finding.category is Category.PROMO:
        message += f" (removed: {' '.join(finding.match.split())})"
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    return f"::{_COMMANDS[finding.level]} {','.join(fields)}::{_data(message)}"


def _data(value: str) -> str:
    """Escape a command's message (GitHub's escapeData)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    """Escape a command property (GitHub's escapeProperty)."""
    return _data(value).replace(":", "%3A").replace(",", "%2C")
