"""Reports: one module per output format, each a view of the same Document results.

``render(fmt, docs, context)`` is the one entry point; ``write`` is the one place a report
is written to a file. Positions are 1-based line:column into ``Document.text`` (for text
and Markdown that is the file itself; for HTML, the extracted article text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.document import Document, Level
from pipeline.errors import Code, ConfigError

if TYPE_CHECKING:
    from pipeline.ruleset import Rule

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What a format may need besides the documents."""

    rules: tuple[Rule, ...] = ()  # for SARIF's rule descriptors and HTML's rule docs
    color: bool = False  # ANSI colour in the text format
    version: str = ""  # healthvet's version, for SARIF and JUnit


def visible(doc: Document, min_level: Level) -> Document:
    """``doc`` with the findings and removals below ``min_level`` hidden (the display filter)."""
    if min_level is Level.SUGGESTION:
        return doc
    return replace(
        doc,
        findings=tuple(f for f in doc.findings if f.level.rank >= min_level.rank),
        removals=tuple(r for r in doc.removals if r.level.rank >= min_level.rank),
    )


def _renderers() -> Mapping[str, Callable[[Sequence[Document], ReportContext], str]]:
    from pipeline.report import github, html_report, json_report, junit, sarif, text

    return {
        "text": lambda docs, ctx: text.render(docs, color=ctx.color),
        "json": lambda docs, _ctx: json_report.render(docs),
        "sarif": sarif.render,
        "github": lambda docs, _ctx: github.render(docs),
        "junit": junit.render,
        "html": html_report.render,
    }


def render(fmt: str, docs: Sequence[Document], context: ReportContext = ReportContext()) -> str:
    """The report for ``docs`` in format ``fmt`` (one of FORMATS)."""
    return _renderers()[fmt](docs, context)


def write(report: str, path: Path) -> None:
    """Write a report file (UTF-8); an unwritable path is a usage error (exit 2)."""
    try:
        path.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(Code.CONFIG, f"{path}: cannot write the report: {exc.strerror or exc}") from exc
