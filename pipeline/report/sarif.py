"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; every rule used or loaded is a ``reportingDescriptor`` in ``tool.driver.rules``
with its documentation (what it flags, why, an example, a better wording). Levels map
error→error, warning→warning, suggestion→note. Promo removals are results too. Regions
give line:column (columns count Unicode code points, as ``columnKind`` says) and the
character offset and length. ``partialFingerprints`` carries healthvet's baseline
fingerprint, so viewers track a finding across edits that move it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pipeline.document import Category, Document, Finding, Level, LineIndex
from pipeline.ruleset import Rule
from pipeline.suppress import UNUSED_RULE, fingerprint

if TYPE_CHECKING:
    from pipeline.report import ReportContext

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.SUGGESTION: "note"}


def render(docs: Sequence[Document], context: ReportContext) -> str:
    """The SARIF log for ``docs`` as JSON text."""
    return json.dumps(sarif_log(docs, context.rules, context.version), ensure_ascii=False, indent=2) + "\n"


def sarif_log(docs: Sequence[Document], rules: Iterable[Rule], version: str = "") -> dict[str, Any]:
    """The SARIF log object."""
    descriptors = _rules_used(docs, rules)
    index = {rule.id: i for i, rule in enumerate(descriptors)}
    driver: dict[str, Any] = {
        "name": "healthvet",
        "rules": [descriptor(rule) for rule in descriptors],
    }
    if version:
        driver["version"] = version
    results = [_result(doc, f, index) for doc in docs for f in doc.reported_findings()]
    notifications = [_notification(doc, e.stage, e.code, e.message) for doc in docs for e in doc.errors]
    invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rules_used(docs: Sequence[Document], rules: Iterable[Rule]) -> list[Rule]:
    """The loaded rules, plus the built-in ones a result refers to, sorted by ID."""
    by_id = {rule.id: rule for rule in rules}
    for doc in docs:
        for finding in doc.reported_findings():
            if finding.rule not in by_id:
                by_id[finding.rule] = UNUSED_RULE if finding.rule == UNUSED_RULE.id else _stand_in(finding)
    return [by_id[rid] for rid in sorted(by_id)]


def _stand_in(finding: Finding) -> Rule:
    """A minimal descriptor for a finding whose rule is not in the list (never left dangling)."""
    return Rule(id=finding.rule, extends="unknown", message=finding.message, level=finding.level, path="")


def descriptor(rule: Rule) -> dict[str, Any]:
    """A SARIF reportingDescriptor with the rule's documentation."""
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.id.replace(".", ""),
        "shortDescription": {"text": rule.description or rule.message},
        "fullDescription": {"text": rule.doc.flags or rule.description or rule.message},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": _LEVELS[rule.level]},
        "properties": {"category": str(rule.category), "tags": [str(rule.category), rule.pack]},
    }
    if rule.link:
        out["helpUri"] = rule.link
    return out


def _sections(rule: Rule) -> list[tuple[str, str]]:
    return [
        ("What it flags", rule.doc.flags or rule.description or rule.message),
        ("Why it matters", rule.doc.why),
        ("Example", rule.doc.example),
        ("Better", rule.doc.better or rule.suggestion or ""),
    ]


def help_text(rule: Rule) -> str:
    """Plain-text help: the doc sections and references."""
    parts = [f"{title}: {body}" for title, body in _sections(rule) if body]
    parts += [f"Reference: {r.title} {r.url}".rstrip() for r in rule.references]
    return "\n\n".join(parts)


def help_markdown(rule: Rule) -> str:
    """Markdown help: the doc sections as headings, references as links."""
    parts = [f"**{title}**\n\n{body}" for title, body in _sections(rule) if body]
    refs = [f"- [{r.title}]({r.url})" if r.url else f"- {r.title}" for r in rule.references]
    if refs:
        parts.append("**References**\n\n" + "\n".join(refs))
    return "\n\n".join(parts)


def artifact_uri(name: str) -> str:
    """A relative URI reference for a path (URLs stay as they are)."""
    if name.startswith(("http://", "https://")):
        return name
    if name == "-":
        return "stdin"
    return quote(PurePath(name).as_posix().removeprefix("./"), safe="/:@")


def _result(doc: Document, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    lines = LineIndex(doc.text)
    start_line, start_col = lines.line_col(finding.start)
    end_line, end_col = lines.line_col(finding.end)
    message = finding.message
    if finding.category is Category.PROMO:
        message += " Removed from the cleaned article."
    region = {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": finding.start,
        "charLength": finding.end - finding.start,
        "snippet": {"text": finding.match},
    }
    properties: dict[str, Any] = {"category": str(finding.category), "healthvetLevel": str(finding.level)}
    if finding.suggestion:
        properties["suggestion"] = finding.suggestion
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": _LEVELS[finding.level],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(doc.source.name)},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"healthvet/v1": fingerprint(doc, finding.rule, finding.start, finding.end)},
        "properties": properties,
    }


def _notification(doc: Document, stage: str, code: str, message: str) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{doc.source.name}: error in {stage}: [{code}] {message}"},
        "descriptor": {"id": code},
    }
