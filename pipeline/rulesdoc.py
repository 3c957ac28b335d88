"""A rule's documentation as text, in ruff's fixed sections."""

from __future__ import annotations

from pipeline.ruleset import CONTEXT_DEFAULTS, Rule


def render_doc(rule: Rule) -> str:
    """``healthvet rules show ID``: what it flags, why, an example, a better wording, sources."""
    sections = [
        f"{rule.id} ({rule.level}, {rule.category}, extends: {rule.extends})",
        rule.description,
        _section("What it flags", rule.doc.flags or rule.message),
        _section("Why it matters", rule.doc.why),
        _section("Example", rule.doc.example),
        _section("Better", rule.doc.better or (rule.suggestion or "")),
        _section("Suggestion", (rule.suggestion or "") if rule.doc.better else ""),
        _section("Flags", _bullets(rule.flag_examples)),
        _section("Does not flag", _bullets(rule.pass_examples)),
        _section("Context", _context(rule)),
        _section("References", "\n".join(f"- {r.title} {r.url}".rstrip() for r in rule.references)),
        _section("Link", rule.link or ""),
        f"Defined in {rule.path}",
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _bullets(items: tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _context(rule: Rule) -> str:
    """Only the context actions this rule changes from the defaults."""
    changed = {k: v for k, v in rule.context.items() if CONTEXT_DEFAULTS.get(k) != v}
    return ", ".join(f"{k}: {v}" for k, v in changed.items())


def _section(title: str, body: str) -> str:
    return f"## {title}\n{body.strip()}" if body.strip() else ""
