"""False-positive rate of the claim rules on clean, authoritative health articles.

Usage (from the project root)::

    python bench/claims_fp.py [--data ../shared/data/clean_health] [--limit N] [--show N]

Every ``*.txt`` under the data folder is a clean article (NIH/MedlinePlus answers), so every
claim finding at warning level or above is counted as a false positive. The script prints the
findings per article for all built-in claim packs and, beside it, for the Hype pack alone (the
baseline: what the first pack gave before the other packs existed). Both figures come from the
same run: claim rules are independent of each other, so filtering the findings by rule prefix
equals running the Hype pack alone. A third row reruns only the claims stage with every rule's
context set to ``keep`` (no negation, question, hedge, quote, mention or name handling), to
show what context awareness removes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

# Allow running as a plain script from the project root without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))  # the other bench scripts' helpers

from pipeline import claims
from pipeline.document import Category, Document, Finding, Level
from pipeline.ruleset import CONTEXT_DEFAULTS, RuleSet, load_ruleset
from pipeline.run import process_text

DEFAULT_DATA = Path("../shared/data/clean_health")
BASELINE_PACK = "Hype."
TARGET = 0.2  # findings (warning or error) per clean article the packs must stay under


def counted(doc: Document) -> list[Finding]:
    """Claim findings at warning level or above: the ones that fail a CI run by default."""
    return [f for f in doc.findings if f.category is Category.CLAIM and f.level.rank >= Level.WARNING.rank]


def without_context(ruleset: RuleSet) -> RuleSet:
    """The same rules with every context action set to ``keep``."""
    keep = dict.fromkeys(CONTEXT_DEFAULTS, "keep")
    return RuleSet(tuple(replace(r, context=keep) for r in ruleset.rules), ruleset.checks)


def run(files: list[Path], show: int, wrap: int = 0) -> None:
    """Process every file once and print the rates, top rules and sample findings."""
    from promo import hard_wrapped  # bench/promo.py: paragraphs filled to a width

    ruleset = load_ruleset()
    blind = without_context(ruleset)
    everything: list[tuple[Path, Document, Finding]] = []
    blind_count = errors = 0
    started = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = process_text(hard_wrapped(text, wrap) if wrap else text, ruleset)
        errors += bool(doc.errors)
        everything.extend((path, doc, f) for f in counted(doc))
        blind_count += len(counted(claims.check(replace(doc, findings=()), blind)))
    elapsed = time.perf_counter() - started
    baseline = [item for item in everything if item[2].rule.startswith(BASELINE_PACK)]
    n = len(files)
    wrapped = f"  (paragraphs wrapped at {wrap} columns)" if wrap else ""
    print(f"articles: {n}  stage errors: {errors}  time: {elapsed:.1f}s{wrapped}")
    print(f"all claim packs : {len(everything) / n:.3f} findings/article ({len(everything)} total)")
    print(f"baseline (Hype) : {len(baseline) / n:.3f} findings/article ({len(baseline)} total)")
    print(f"all, no context : {blind_count / n:.3f} findings/article ({blind_count} total)")
    print(f"target          : <= {TARGET} -> {'PASS' if len(everything) / n <= TARGET else 'FAIL'}")
    articles_hit = len({path for path, _, _ in everything})
    print(f"articles with any finding: {articles_hit} ({articles_hit / n:.1%})")
    print("\nmost frequent rules (all packs | Hype alone):")
    base_counts = Counter(f.rule for _, _, f in baseline)
    for rule, count in Counter(f.rule for _, _, f in everything).most_common(15):
        print(f"  {count:5d}  {rule:34} | {base_counts.get(rule, 0)}")
    for path, doc, finding in everything[:show]:
        context = doc.text[max(0, finding.start - 60) : finding.end + 60].replace("\n", " ")
        print(f"\n{path.name} {finding.rule}: ...{context}...")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="Only the first N articles (0 = all).")
    parser.add_argument("--show", type=int, default=0, help="Print N findings with their context.")
    parser.add_argument("--wrap", type=int, default=0, help="Hard-wrap every paragraph at N columns first.")
    args = parser.parse_args()
    files = sorted(args.data.rglob("*.txt"))
    if args.limit:
        files = files[:: max(1, len(files) // args.limit)][: args.limit]  # spread over both subsets
    if not files:
        raise SystemExit(f"{args.data}: no .txt articles found")
    run(files, args.show, args.wrap)


if __name__ == "__main__":
    main()
