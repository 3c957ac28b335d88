"""A rule's documentation as text, in ruff's fixed sections."""

from __future__ import annotations

from pipeline.ruleset import Rule


def render_doc(rule: Rule) -> str:
    """``healthvet rules show ID``: what it flags, why, an example, a better wording, sources."""
    sections = [
        f"{rule.id} ({rule.level}, {rule.category})",
        rule.description,
        _section("What it flags", rule.doc.flags or rule.message),
        _section("Why it matters", rule.doc.why),
        _section("Example", rule.doc.example),
        _section("Better", rule.doc.better or (rule.suggestion or "")),
        _section("References", "\n".join(f"- {r.title} {r.url}".rstrip() for r in rule.references)),
        _section("Link", rule.link or ""),
        f"Defined in {rule.path}",
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _section(title: str, body: str) -> str:
    return f"## {title}\n{body.strip()}" if body.strip() else ""
