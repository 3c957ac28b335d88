"""Run the ``examples`` of rules: each ``flag`` text must trigger the rule, each ``pass`` text not.

A claim rule triggers when it yields a finding; a promo rule triggers when a removal in
the example counts it among its evidence (promo rules may be weak cues that only remove
text together with others, so their examples are written as whole promotional sentences).
Examples are read as HTML when they start with a page or block tag and as Markdown when they contain a
``[text](https://...)`` link, so link rules can be shown with real links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.document import Category, Document
from pipeline.ruleset import Rule, RuleSet

_HTML = re.compile(r"\s*<(?:!doctype|html|body|article|main|div|p)\b", re.IGNORECASE)
_MD_LINK = re.compile(r"\[[^\]\n]+\]\(https?://[^)\s]+\)")


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """An example that did not behave as its rule says."""

    rule: str
    expected: str  # "flag" | "pass"
    text: str


def triggered(rule: Rule, doc: Document) -> bool:
    """Whether ``rule`` fired on the processed example document."""
    if rule.category is Category.PROMO:
        return any(any(note.startswith(rule.id + ":") for note in r.evidence) for r in doc.removals)
    return any(f.rule == rule.id for f in doc.findings)


def media_type(text: str) -> str:
    """How to read an example: HTML when it starts with a tag, Markdown when it has a link."""
    if _HTML.match(text):
        return "html"
    return "markdown" if _MD_LINK.search(text) else "text"


def run_examples(ruleset: RuleSet, rule: Rule) -> list[ExampleFailure]:
    """Failures among one rule's examples (an empty list means every example behaves)."""
    from pipeline.run import process_text  # run imports the stages; keep this module light

    failures = []
    for expected, texts in (("flag", rule.flag_examples), ("pass", rule.pass_examples)):
        for text in texts:
            fired = triggered(rule, process_text(text, ruleset, media_type(text)))
            if fired != (expected == "flag"):
                failures.append(ExampleFailure(rule.id, expected, text))
    return failures
