"""Claim flagging on sentences the claim rules were not written from.

Usage (from the project root)::

    python bench/claims_novel.py [--items bench/data/claims_novel.yml]
                                 [--clean-health ../shared/data/clean_health] [--per-item 3] [--details]

``bench/claims_fp.py`` counts findings on clean articles and ``bench/claims.py`` scores the
claim-strength classifier; neither says whether an overstatement worded in a new way is
flagged. ``bench/data/claims_novel.yml`` holds 120 sentences written by a separate writer who
never saw the rules: 60 overstated (hype, cures, safety, guarantees, causal claims from
observation, proof language, relative risk alone, quick fixes, anecdotes) and 60 genuine (30
plain, 30 traps that use the tempting words negated, hedged, quoted, attributed or asked).
The rules were never tuned on them. Each sentence is inserted as a paragraph of its own into
``--per-item`` clean NIH articles, and counts as flagged when a claim finding at warning or
above lies inside it (the default ``--fail-on``), as ``healthvet check`` reports it.

Printed per kind: the share flagged; overstated kinds should be high, genuine ones low;
beside the do-nothing baseline (flags nothing).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

# Allow running as a plain script from the project root without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))  # the other bench scripts' helpers

from pipeline.document import Category, Level
from pipeline.ruleset import load_ruleset
from pipeline.run import Options, process_text

DEFAULT_ITEMS = Path(__file__).resolve().parent / "data" / "claims_novel.yml"
DEFAULT_CLEAN = Path("../shared/data/clean_health")


def flagged(text: str, sentence: str, ruleset: object) -> tuple[bool, list[str]]:
    """Whether a warning-or-above claim finding lies inside ``sentence`` (and their rules)."""
    doc = process_text(text, ruleset, options=Options(strengths=False, summary=False))  # type: ignore[arg-type]
    start = doc.text.find(sentence)
    if start < 0:
        return False, []
    end = start + len(sentence)
    rules = [
        f.rule
        for f in doc.findings
        if f.category is Category.CLAIM and f.level.rank >= Level.WARNING.rank and start <= f.start < end
    ]
    return bool(rules), rules


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=Path, default=DEFAULT_ITEMS)
    parser.add_argument("--clean-health", type=Path, default=DEFAULT_CLEAN)
    parser.add_argument("--per-item", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--details", action="store_true", help="list misses and false flags")
    args = parser.parse_args(argv)
    from promo_novel import pick_articles  # bench/promo_novel.py: clean articles with body paragraphs

    articles = pick_articles(args.clean_health, 20, args.seed)
    if not articles:
        raise SystemExit(f"no clean articles under {args.clean_health}")
    items = yaml.safe_load(args.items.read_text(encoding="utf-8"))["items"]
    ruleset = load_ruleset()
    rng = random.Random(args.seed)
    total: Counter[tuple[bool, str]] = Counter()
    hits: Counter[tuple[bool, str]] = Counter()
    notes = []
    for number, item in enumerate(items):
        sentence = " ".join(item["text"].split())
        got = 0
        rules: set[str] = set()
        for k in range(args.per_item):
            article = articles[(number * args.per_item + k) % len(articles)]
            paragraphs = article.split("\n\n")
            at = rng.randrange(1, len(paragraphs))
            text = "\n\n".join([*paragraphs[:at], sentence, *paragraphs[at:]])
            hit, found = flagged(text, sentence, ruleset)
            got += hit
            rules.update(found)
        key = (bool(item["overstated"]), str(item["kind"]))
        total[key] += args.per_item
        hits[key] += got
        wrong = got < args.per_item if item["overstated"] else got > 0
        if args.details and wrong:
            notes.append(f"{got}/{args.per_item} {key[1]}: {sentence}  {sorted(rules)}")
    for overstated, label in ((True, "overstated (should be flagged)"), (False, "genuine (should not be)")):
        kinds = sorted(k for o, k in total if o is overstated)
        n = sum(total[(overstated, k)] for k in kinds)
        h = sum(hits[(overstated, k)] for k in kinds)
        print(f"\n== {label}: {n} insertions, flagged {h / max(1, n):.3f}  (do nothing: 0.000)")
        for kind in kinds:
            print(
                f"  {kind:14s} {total[(overstated, kind)]:4d}  {hits[(overstated, kind)] / total[(overstated, kind)]:.3f}"
            )
    for line in notes:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
