"""The pipeline, in order: sources → extract → sentences → promo → claims → summary.

Each stage is a plain function from Document to Document. ``process`` times every stage
and turns an unexpected failure into a recorded ``StageError`` instead of a crash, so one
bad document never stops a batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline import claims, extract, promo, sentences, summarize, suppress
from pipeline.document import Document, Record, Source, StageError, evolve
from pipeline.errors import Code
from pipeline.ruleset import RuleSet
from pipeline.sources import DEFAULT_MAX_BYTES, RawInput, SourceRef, read


@dataclass(frozen=True, slots=True)
class Options(Record):
    """Per-run settings the stages need (a ``Record``: pickled to worker processes, also compiled)."""

    summary_sentences: int = 3
    summary_words: int | None = None  # a word budget overrides summary_sentences
    summary_ratio: float | None = None  # share of the article's words; overrides summary_sentences
    neutral: bool = False  # apply the rules' fixes to the summary ("remarkable reduction" → "reduction")
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False
    report_unused_suppressions: bool = False  # add Healthvet.UnusedSuppression findings
    # Stages whose output only some reports show: `check` in text, SARIF, GitHub or JUnit
    # format turns them off (summary rules still get their summary).
    summary: bool = True
    strengths: bool = True


def process(raw: RawInput, ruleset: RuleSet, options: Options = Options()) -> Document:
    """Run every stage on one decoded input."""
    timings: list[tuple[str, float]] = []

    def stage(name: str, fn: Callable[[Document], Document], doc: Document) -> Document:
        started = time.perf_counter()
        result = fn(doc)
        timings.append((name, time.perf_counter() - started))
        return result

    empty = Document(Source(raw.ref.name, raw.ref.kind, raw.media_type, raw.status), text="")
    doc = empty
    current = "extract"
    try:
        doc = stage("extract", lambda _: extract.to_document(raw), empty)  # 1. article blocks + links
        inline = suppress.scan(raw, doc)  # 1b. healthvet: comments, code spans (never checked)
        current = "sentences"
        doc = stage("sentences", sentences.segment, doc)  # 2-3. tokens (spaCy's rules), sentence spans
        current = "promo"
        doc = stage("promo", lambda d: promo.detect(d, ruleset), doc)  # 4. spam/promo → removals
        doc, used = suppress.apply(doc, inline)  # 4b. a suppressed removal keeps its text for claims
        current = "claims"
        doc = stage("claims", lambda d: claims.check(d, ruleset), doc)  # 5. claims on kept text
        current = "strength"
        if options.strengths:
            doc = stage("strength", claims.label_strengths, doc)  # 5b. claim strength of kept sentences
        current = "summary"
        if options.summary or ruleset.checks_summary:
            doc = stage("summary", lambda d: _summary(d, ruleset, options), doc)  # 6. extractive summary
            doc = stage("summary-claims", lambda d: claims.check_summary(d, ruleset), doc)
        current = "suppress"
        doc, used_late = suppress.apply(doc, inline)  # 7. inline suppression of findings
        if options.report_unused_suppressions:
            doc = suppress.report_unused(doc, inline, used | used_late)
    except Exception as exc:
        error = StageError(current, Code.STAGE_FAILED.value, f"{type(exc).__name__}: {exc}")
        doc = replace(doc, errors=(*doc.errors, error))
    return evolve(doc, timings=tuple(timings))


def _summary(doc: Document, ruleset: RuleSet, options: Options) -> Document:
    length = summarize.Length(options.summary_sentences, options.summary_words, options.summary_ratio)
    fixes = summarize.rule_fixes(ruleset.rules) if options.neutral else None
    return summarize.summarize(doc, length, fixes)


def process_ref(ref: SourceRef, ruleset: RuleSet, options: Options = Options()) -> Document:
    """Read one input and run the pipeline; input errors propagate as ``InputError``."""
    raw = read(ref, max_bytes=options.max_bytes, allow_private=options.allow_private)
    return process(raw, ruleset, options)


def process_text(
    text: str, ruleset: RuleSet, media_type: str = "text", options: Options = Options()
) -> Document:
    """Run the pipeline on an in-memory string (tests, benchmarks, rule examples)."""
    raw = RawInput(SourceRef("<text>", "inline"), text, media_type)
    return process(raw, ruleset, options)
