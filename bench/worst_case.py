"""Worst-case inputs: does any stage take more than linear time on hostile text?

Usage (from the project root)::

    python bench/worst_case.py [--small 100000] [--large 1000000] [--limit 60]

Each input is a pattern repeated to a size (unclosed "[" and "](", runs of dots, URLs,
quotes, tags ...), the kind of text a scraped page or a broken file can hold. Every one
goes through the whole pipeline (extract, clean, check, summary) as text, Markdown and
HTML, at a small and a large size. Linear work grows by the size ratio (10 by default);
a growth far above it is a pattern that backtracks over the text, which on a 20 MB input
would run for hours. The small size is the baseline, measured in the same run.
"""

from __future__ import annotations

import argparse
import functools
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.ruleset import load_ruleset
from pipeline.run import Options, process_text

# Each case: a unit repeated to the size (the first item, when given, opens the text).
CASES: dict[str, tuple[str, str]] = {
    "unclosed [": ("", "[w w w w w "),
    "unclosed (": ("", "(w w w w w "),
    "unclosed ](": ("[a](", "x[a](x"),
    "one long word": ("", "a"),
    "dots": ("", "a."),
    "url path": ("http://", "a.b/"),
    "domains": ("", "example.com"),
    "open quote": ('"', "w "),
    "words, one line": ("", "word "),
    "capitals": ("", "Word "),
    "digits": ("", "1 "),
    "hyphens": ("", "a-"),
    "angle brackets": ("", "<"),
    "tags": ("", "<b>"),
    "short lines": ("", "word\n"),
    "semicolons": ("", "a; "),
    "apostrophes": ("", "a'"),
    "percent": ("", "100% "),
    "paragraphs": ("", "<p>Word word word.</p>"),  # thousands of blocks in one article
    "line breaks": ("", "word<br><br>"),  # loose text made into paragraphs
    "nested divs": ("", "<div>word "),
    "nested prose": ("", "<div><p>" + "word " * 17 + "</p>"),  # each paragraph one level deeper
}
MEDIA = ("text", "markdown", "html")
GROWTH_ALARM = 3.0  # times the size ratio: beyond it the work is not linear


def text_of(head: str, unit: str, size: int) -> str:
    """``head`` then ``unit`` repeated to about ``size`` characters."""
    return head + unit * max(1, (size - len(head)) // len(unit))


def timed(run: Callable[[], object], limit: float) -> float:
    """Seconds ``run`` takes, or infinity when it passes ``limit`` seconds."""

    def stop(*_: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        run()
        return time.perf_counter() - started
    except TimeoutError:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def main() -> int:
    """Time every case at both sizes and flag growth far above the size ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100_000, help="characters of the baseline input")
    parser.add_argument("--large", type=int, default=1_000_000, help="characters of the large input")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a run counts as hung")
    parser.add_argument("--only", default=None, help="run only the cases whose name contains this")
    args = parser.parse_args()
    ruleset = load_ruleset()
    ratio = args.large / args.small
    print(f"{'case':18s} {'media':9s} {'small s':>8s} {'large s':>8s} {'growth':>7s}  (linear: {ratio:.0f})")
    alarms = 0
    for name, (head, unit) in CASES.items():
        if args.only and args.only not in name:
            continue
        for media in MEDIA:
            runs = [
                functools.partial(process_text, text_of(head, unit, n), ruleset, media, Options())
                for n in (args.small, args.large)
            ]
            times = [timed(run, args.limit) for run in runs]
            growth = times[1] / max(times[0], 1e-3)
            flag = "  <-- not linear" if growth > GROWTH_ALARM * ratio else ""
            alarms += bool(flag)
            print(f"{name:18s} {media:9s} {times[0]:8.2f} {times[1]:8.2f} {growth:7.1f}{flag}", flush=True)
    print(f"\n{alarms} case(s) grew more than {GROWTH_ALARM:.0f}x the size ratio")
    return 1 if alarms else 0


if __name__ == "__main__":
    raise SystemExit(main())
