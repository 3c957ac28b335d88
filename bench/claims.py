"""Benchmark the rule-based claim-strength classifier on a labelled TSV.

Usage (from the project root)::

    python bench/claims.py [--data ../shared/data/claim_strength/pubmed.tsv]

The file needs a header row ``sentence<TAB>label``.  The script prints, for the classifier and
for a majority-class baseline run in the same process: a per-class precision/recall/F1 table,
macro-F1, accuracy and the confusion matrix; then the binary direct_causal-vs-rest F1, the same
figures on the even- and odd-indexed rows (the cues were developed looking only at even rows),
and throughput.  Metrics use only the standard library.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Allow running as a plain script from the project root without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.strength import Strength, classify

LABELS: tuple[str, ...] = tuple(s.value for s in Strength)
DEFAULT_DATA = Path("../shared/data/claim_strength/pubmed.tsv")
POSITIVE = Strength.DIRECT_CAUSAL.value
SPEED_PASSES = 3


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def load(path: Path) -> list[tuple[str, str]]:
    """Read (sentence, label) rows; quotes are literal text in this file format."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header[:2] != ["sentence", "label"]:
            raise SystemExit(f"{path}: expected header 'sentence<TAB>label', got {header!r}")
        rows = [(row[0], row[1]) for row in reader if len(row) >= 2]
    unknown = {label for _, label in rows} - set(LABELS)
    if unknown:
        raise SystemExit(f"{path}: unknown labels {sorted(unknown)}")
    return rows


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def per_class(gold: Sequence[str], pred: Sequence[str]) -> list[ClassScore]:
    pairs = Counter(zip(gold, pred, strict=True))
    scores = []
    for label in LABELS:
        tp = pairs[(label, label)]
        predicted = sum(n for (_, p), n in pairs.items() if p == label)
        actual = sum(n for (g, _), n in pairs.items() if g == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        scores.append(ClassScore(label, precision, recall, _f1(precision, recall), actual))
    return scores


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(s.f1 for s in per_class(gold, pred)) / len(LABELS)


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def binary_f1(gold: Sequence[str], pred: Sequence[str], positive: str = POSITIVE) -> float:
    tp = sum(g == positive and p == positive for g, p in zip(gold, pred, strict=True))
    fp = sum(g != positive and p == positive for g, p in zip(gold, pred, strict=True))
    fn = sum(g == positive and p != positive for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return _f1(precision, recall)


def _short(label: str) -> str:
    return {"conditional_causal": "conditional", "direct_causal": "direct"}.get(label, label)


def report_block(title: str, gold: Sequence[str], pred: Sequence[str]) -> list[str]:
    """Format the per-class table, summary figures and confusion matrix as lines."""
    lines = [title, f"  {'label':<20}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}"]
    for s in per_class(gold, pred):
        lines.append(f"  {s.label:<20}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.support:>7d}")
    lines.append(f"  macro-F1 {macro_f1(gold, pred):.4f}   accuracy {accuracy(gold, pred):.4f}")
    lines.append("  confusion (rows = gold, columns = predicted)")
    lines.append("  " + " " * 14 + "".join(f"{_short(lab):>14}" for lab in LABELS))
    pairs = Counter(zip(gold, pred, strict=True))
    for g in LABELS:
        lines.append(f"  {_short(g):<14}" + "".join(f"{pairs[(g, p)]:>14d}" for p in LABELS))
    return lines


def side_by_side(left: list[str], right: list[str]) -> str:
    width = max(len(line) for line in left) + 4
    height = max(len(left), len(right))
    left = left + [""] * (height - len(left))
    right = right + [""] * (height - len(right))
    return "\n".join(f"{a:<{width}}{b}".rstrip() for a, b in zip(left, right, strict=True))


def best_pass_seconds(sentences: Sequence[str], passes: int = SPEED_PASSES) -> float:
    """Fastest of several timed passes, so a busy machine inflates the figure less."""
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for sentence in sentences:
            classify(sentence)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="TSV: sentence<TAB>label")
    args = parser.parse_args(argv)

    rows = load(args.data)
    sentences = [s for s, _ in rows]
    gold = [label for _, label in rows]

    pred = [classify(s).value for s in sentences]
    elapsed = best_pass_seconds(sentences)

    majority = Counter(gold).most_common(1)[0][0]
    baseline = [majority] * len(gold)

    print(f"data: {args.data}  ({len(rows)} sentences)")
    print(
        side_by_side(
            report_block("rule-based classifier", gold, pred),
            report_block(f"majority baseline (always '{majority}')", gold, baseline),
        )
    )
    print()
    print(
        f"binary direct_causal vs rest F1: classifier {binary_f1(gold, pred):.4f}"
        f"   baseline {binary_f1(gold, baseline):.4f}"
    )
    for name, offset in (("even", 0), ("odd", 1)):
        g, p = gold[offset::2], pred[offset::2]
        print(
            f"{name:>4} rows (n={len(g)}): macro-F1 {macro_f1(g, p):.4f}"
            f"   accuracy {accuracy(g, p):.4f}   direct-vs-rest F1 {binary_f1(g, p):.4f}"
        )
    rate = len(sentences) / elapsed if elapsed else float("inf")
    print(
        f"speed: {rate:,.0f} sentences/second ({1e6 * elapsed / len(sentences):.1f} us each,"
        f" best of {SPEED_PASSES} passes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
