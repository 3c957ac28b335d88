"""Benchmark the extractive summarizer: ROUGE against baselines, speed, and spam in summaries.

Run from the project root (needs the ``bench`` extra: sumy, rouge-score)::

    python bench/summary.py [--cochrane ../shared/data/cochrane_pls] [--promo ../shared/data/promo_dev]
                            [--limit N] [--half all|even|odd] [--sentences 3]

1. ROUGE-1/2/L F1 (rouge-score, Porter stemming on) of 3-sentence summaries of each
   ``val.source`` line against its ``val.target`` plain-language summary, for our summarizer,
   Lead-3, sumy LexRank and sumy LSA. Every system gets the same sentences: the body
   sentences of the cleaned document our pipeline builds (sumy is handed them directly, with
   a regex word tokenizer, so no nltk download is needed). ``--half even|odd`` scores one half
   of the documents (tuning used the even half only).
2. Median time per document of ``summarize()`` alone and of the full ``process_text()``, on
   the documents of 250-350 words, after a warm-up, beside sumy's LexRank and LSA times.
3. On promo_dev ``.txt`` inputs: how many summaries (3 sentences, and ``--ratio 0.3``) contain
   the text of a labelled spam item (case- and whitespace-insensitive).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.cleaning import kept_text, merged_ranges
from pipeline.document import BlockKind, Document
from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import Options, process_ref, process_text
from pipeline.sources import SourceRef
from pipeline.summarize import summarize

METRICS = ("rouge1", "rouge2", "rougeL")
_WORDS = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])*")
_SPACE = re.compile(r"\s+")

Summarizer = Callable[[Document, list[str], int], list[str]]


class RegexWordTokenizer:
    """What sumy needs from a tokenizer (``language``, ``to_words``), without nltk data."""

    language = "english"

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORDS.findall(sentence))


def body_sentences(doc: Document) -> list[str]:
    """The cleaned body sentences (headings and removed text excluded), in order."""
    removed = merged_ranges(doc)
    out = []
    for block in doc.blocks:
        if block.kind in (BlockKind.TITLE, BlockKind.HEADING):
            continue
        for s in block.sentences:
            text = kept_text(doc.text, s.start, s.end, removed)
            if text:
                out.append(text)
    return out


def ours(doc: Document, _sentences: list[str], k: int) -> list[str]:
    return [s.text for s in summarize(doc, k).summary]


def ours_unfiltered(doc: Document, _sentences: list[str], k: int) -> list[str]:
    """Our summarizer with the promo stage's removals ignored: its quality on its own."""
    return [s.text for s in summarize(replace(doc, removals=()), k).summary]


def lead(_doc: Document, sentences: list[str], k: int) -> list[str]:
    return sentences[:k]


def sumy_system(name: str) -> Summarizer:
    """A sumy summarizer (``lexrank`` or ``lsa``) over our sentence list."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.utils import get_stop_words

    summarizer = (LexRankSummarizer if name == "lexrank" else LsaSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = RegexWordTokenizer()

    def run(_doc: Document, sentences: list[str], k: int) -> list[str]:
        model = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
        return [str(s) for s in summarizer(model, k)]

    return run


def load_pairs(folder: Path, limit: int | None, half: str) -> list[tuple[str, str]]:
    sources = (folder / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (folder / "val.target").read_text(encoding="utf-8").splitlines()
    pairs = list(zip(sources, targets, strict=True))
    if half != "all":
        pairs = pairs[0 if half == "even" else 1 :: 2]
    return pairs[:limit] if limit else pairs


def rouge_table(
    docs: Sequence[tuple[Document, list[str], str]], systems: dict[str, Summarizer], k: int
) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    print(f"\nROUGE F1 x100 at {k} sentences, {len(docs)} documents (cochrane_pls val)")
    print(f"{'system':12} {'R1':>6} {'R2':>6} {'RL':>6} {'words':>6}")
    for name, system in systems.items():
        scores: dict[str, list[float]] = {m: [] for m in METRICS}
        lengths = []
        for doc, sentences, target in docs:
            summary = " ".join(system(doc, sentences, k))
            lengths.append(len(summary.split()))
            result = scorer.score(target, summary)
            for m in METRICS:
                scores[m].append(result[m].fmeasure)
        row = " ".join(f"{100 * statistics.mean(scores[m]):6.2f}" for m in METRICS)
        print(f"{name:12} {row} {statistics.mean(lengths):6.1f}")


def _ms_per_call(fn: Callable[[], Any], repeats: int) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - started) * 1000 / repeats


def timing(
    docs: Sequence[tuple[Document, list[str], str]], ruleset: RuleSet, systems: dict[str, Summarizer]
) -> None:
    chosen = [(d, s) for d, s, _ in docs if 250 <= len(d.text.split()) <= 350]
    print(f"\nTiming: median ms per document over {len(chosen)} documents of 250-350 words (after warm-up)")
    bare = [replace(d, summary=()) for d, _ in chosen]
    for d in bare[:5]:
        summarize(d, 3)
        process_text(d.text, ruleset)
    ours_ms = statistics.median(_ms_per_call(lambda d=d: summarize(d, 3), 5) for d in bare)
    pipe_ms = statistics.median(_ms_per_call(lambda d=d: process_text(d.text, ruleset), 1) for d in bare)
    print(f"{'ours summarize()':24} {ours_ms:8.3f}")
    print(f"{'ours process_text()':24} {pipe_ms:8.3f}   (whole pipeline, for reference)")
    for name in ("lexrank", "lsa"):
        system = systems[name]
        for d, s in chosen[:3]:
            system(d, s, 3)
        ms = statistics.median(_ms_per_call(lambda d=d, s=s, f=system: f(d, s, 3), 1) for d, s in chosen)
        print(f"{'sumy ' + name:24} {ms:8.3f}")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def spam_in_summaries(folder: Path, ruleset: RuleSet, limit: int | None) -> None:
    paths = sorted(folder.glob("*.txt"))[:limit] if limit else sorted(folder.glob("*.txt"))
    print(f"\npromo_dev: summaries containing labelled spam text ({len(paths)} .txt documents)")
    for label, options in (("3 sentences", Options()), ("--ratio 0.3", Options(summary_ratio=0.3))):
        bad_docs, bad_items, errors = 0, 0, 0
        for path in paths:
            spam = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("spam", [])
            doc = process_ref(SourceRef(str(path), "file"), ruleset, options)
            errors += bool(doc.errors)
            summary = _norm(" ".join(s.text for s in doc.summary))
            leaked = [item for item in spam if _norm(item["text"]) in summary]
            bad_items += len(leaked)
            bad_docs += bool(leaked)
        print(
            f"{label:12} documents with spam in summary: {bad_docs}  spam items: {bad_items}  errors: {errors}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cochrane", type=Path, default=Path("../shared/data/cochrane_pls"))
    parser.add_argument("--promo", type=Path, default=Path("../shared/data/promo_dev"))
    parser.add_argument("--limit", type=int, default=None, help="Documents per data set (iteration).")
    parser.add_argument("--half", choices=["all", "even", "odd"], default="all")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-promo", action="store_true")
    args = parser.parse_args()

    ruleset = load_ruleset()
    docs = []
    for source, target in load_pairs(args.cochrane, args.limit, args.half):
        doc = process_text(source, ruleset)
        docs.append((doc, body_sentences(doc), target))
    systems: dict[str, Summarizer] = {
        "ours": ours,
        "ours-nopromo": ours_unfiltered,
        "lead-3": lead,
        "lexrank": sumy_system("lexrank"),
        "lsa": sumy_system("lsa"),
    }
    rouge_table(docs, systems, args.sentences)
    if not args.skip_timing:
        timing(docs, ruleset, systems)
    if not args.skip_promo:
        spam_in_summaries(args.promo, ruleset, args.limit)


if __name__ == "__main__":
    main()
