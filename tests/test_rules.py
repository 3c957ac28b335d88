"""Self-checking rule registry: every rule in rules/ validates, is documented, and its examples behave.

Like proselint, a rule without a text that must fire and a text that must not fire fails
the suite: examples are the rule's specification.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ruleset import Rule, builtin_rules_dir, discover, load_rule, load_ruleset
from pipeline.ruletest import run_examples

RULE_FILES = discover([builtin_rules_dir()])
RULES = [load_rule(path) for path in RULE_FILES]
CLAIM_PACKS = ("Hype", "Cure", "Safety", "Absolutes", "Evidence", "Causal")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def test_the_claim_packs_exist():
    packs = {rule.pack for rule in RULES}
    assert set(CLAIM_PACKS) <= packs


def test_rule_ids_are_unique():
    ids = [rule.id.lower() for rule in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_compiles(rule: Rule, ruleset):
    assert ruleset.get(rule.id) is not None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_flag_and_pass_examples(rule: Rule):
    assert rule.flag_examples, f"{rule.path}: add at least one 'examples: flag:' text"
    assert rule.pass_examples, f"{rule.path}: add at least one 'examples: pass:' text"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples_behave(rule: Rule, ruleset):
    failures = run_examples(ruleset, ruleset.get(rule.id))
    assert not failures, "\n".join(f"should {f.expected}: {f.text!r}" for f in failures)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_every_doc_section(rule: Rule):
    missing = [name for name in ("flags", "why", "example", "better") if not getattr(rule.doc, name)]
    assert not missing, f"{rule.path}: doc lacks {missing}"
    assert rule.description, f"{rule.path}: add a one-line description"


@pytest.mark.parametrize("rule", [r for r in RULES if r.pack in CLAIM_PACKS], ids=lambda r: r.id)
def test_claim_rule_has_provenance_and_advice(rule: Rule):
    assert rule.references and all(ref.title for ref in rule.references), f"{rule.path}: cite a source"
    assert rule.suggestion, f"{rule.path}: say what to write instead"
    name = rule.id.split(".", 1)[1]
    assert not name.startswith(("Avoid", "Dont", "Never", "Use")), "name rules after what they flag"


@pytest.mark.parametrize("rule", [r for r in RULES if r.pack in CLAIM_PACKS], ids=lambda r: r.id)
def test_claim_rule_doc_example_is_flagged(rule: Rule, ruleset):
    """The doc's example is what the rule flags; the better wording is not flagged by it."""
    from pipeline.run import process_text

    example = process_text(rule.doc.example, ruleset)
    better = process_text(rule.doc.better, ruleset)
    assert any(f.rule == rule.id for f in example.findings), rule.doc.example
    assert not any(f.rule == rule.id for f in better.findings), rule.doc.better


def test_rules_live_in_pack_folders():
    for path in RULE_FILES:
        assert Path(path).parent.parent == builtin_rules_dir()
        assert Path(path).suffix == ".yml"
