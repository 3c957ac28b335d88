"""Run the pipeline over many inputs on every core, results in input order.

``check``, ``clean`` and ``summarize`` use this when they are given many files: a user
checking a content repository runs ``healthvet check docs/`` and expects every core to
work, as ruff does. The parent loads spaCy and the rule sets first and then forks, so the
workers share that warm state instead of loading it again. Results are plain frozen
Documents; an input error travels back as its message, and the caller reports it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from pipeline.document import Document
from pipeline.errors import HealthvetError
from pipeline.ruleset import RuleSet
from pipeline.run import Options, process_ref
from pipeline.sources import SourceRef
from pipeline.tokenizer import get_tokenizer

# Below this many inputs a pool costs more (fork, pickling) than it saves.
MIN_PARALLEL_INPUTS = 48
_CHUNK = 16


@dataclass(frozen=True, slots=True)
class Job:
    """One input with the rule set and options it is processed with."""

    ref: SourceRef
    ruleset_key: int  # index into the rule sets the parent built before forking
    options: Options


@dataclass(frozen=True, slots=True)
class Outcome:
    """A processed document, or the message of the input error that stopped it."""

    document: Document | None
    error: str | None = None


def default_jobs(count: int) -> int:
    """Every core for many inputs, one process for a few."""
    return (os.cpu_count() or 1) if count >= MIN_PARALLEL_INPUTS else 1


def _process(job: Job, rulesets: Sequence[RuleSet]) -> Outcome:
    try:
        return Outcome(process_ref(job.ref, rulesets[job.ruleset_key], job.options))
    except HealthvetError as exc:
        return Outcome(None, str(exc))


# The rule sets are handed to the forked workers through the fork itself (copy-on-write):
# set just before the pool starts, read-only afterwards, cleared when it ends.
_FORKED_RULESETS: list[Sequence[RuleSet]] = []


def _work(jobs: Sequence[Job]) -> list[Outcome]:
    rulesets = _FORKED_RULESETS[-1]
    return [_process(job, rulesets) for job in jobs]


def process_all(jobs: Sequence[Job], rulesets: Sequence[RuleSet], workers: int) -> Iterator[Outcome]:
    """Outcomes in the order of ``jobs``, on ``workers`` processes (1 = in this process)."""
    if workers <= 1 or len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_process(job, rulesets) for job in jobs)
        return
    get_tokenizer()  # load the tokenizer rules before forking so every worker inherits them
    chunks = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    _FORKED_RULESETS.append(rulesets)
    gc.freeze()  # keep the shared warm heap out of the workers' collections (no copy-on-write)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for outcomes in pool.map(_work, chunks):
                yield from outcomes
    finally:
        gc.unfreeze()
        _FORKED_RULESETS.pop()


def run_refs(
    refs: Sequence[SourceRef],
    ruleset_for: Callable[[SourceRef], tuple[RuleSet, Options]],
    workers: int | None = None,
) -> Iterator[tuple[SourceRef, Outcome]]:
    """Process ``refs`` with the rule set and options each one gets; outcomes in order."""
    keys: dict[int, int] = {}
    rulesets: list[RuleSet] = []
    jobs = []
    for ref in refs:
        ruleset, options = ruleset_for(ref)
        key = keys.setdefault(id(ruleset), len(rulesets))
        if key == len(rulesets):
            rulesets.append(ruleset)
        jobs.append(Job(ref, key, options))
    count = default_jobs(len(jobs)) if workers is None else workers
    yield from zip(refs, process_all(jobs, rulesets, count), strict=True)
