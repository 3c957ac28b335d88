"""Promo removal on wording the rules were not written from: our own spam items in clean articles.

Usage (from the project root)::

    python bench/promo_novel.py [--items bench/data/promo_novel.yml]
                                [--clean-health ../shared/data/clean_health]
                                [--articles 20] [--per-item 5] [--as text|html] [--seed 0] [--details]
                                [--sets set17 set18]

promo_dev's spam comes from a handful of templates per kind; a rule pack can score 1.000 on it
and still miss the same kind of spam worded another way. ``bench/data/promo_novel.yml`` holds
twenty-four sets of link bait, calls to action, orphan anchors, product pitches, bridge
sentences, template residue, keyword stuffing and foreign keywords, written for healthvet.
Sets 1-8, 13-18 and 21-22 were used to tune the rules (each was measured fresh first, see the
file's notes). Sets 9-12, 19, 20, 23 and 24 were written by separate writers who never saw
the rules and were never tuned on; nobody tuning the rules has read sets 11, 12, 19 and 20
(``--details`` never lists a blind set's misses).
Each item is inserted into ``--per-item`` clean NIH articles (as its own paragraph,
glued to a sentence, after a sentence, or inside one) and the article goes through the
pipeline in-process, as ``healthvet clean`` prints it.

Printed per set and kind: the share of insertions removed (the item's words no longer in the
output) and the share of the articles' own sentences kept, beside the do-nothing baseline
(removes nothing, keeps everything). ``--as html`` puts each article in a page with a menu and
a footer and makes every domain in an item a link, as spam on the web carries one.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.cleaning import cleaned_text
from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import process_text

DEFAULT_ITEMS = Path(__file__).resolve().parent / "data" / "promo_novel.yml"
DEFAULT_CLEAN = Path("../shared/data/clean_health")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
_ANCHOR = re.compile(r"\b(?:here|this (?:link|page|site|website|post))\b", re.IGNORECASE)
_MIN_BODY_WORDS = 25


@dataclass(frozen=True)
class Item:
    """One spam item and how it is inserted."""

    kind: str
    mode: str  # para | glue | tail | span
    text: str


@dataclass
class Tally:
    """Insertions removed and the articles' own sentences kept."""

    inserted: int = 0
    removed: int = 0
    sentences: int = 0
    kept: int = 0

    def add(self, removed: bool, sentences: int, kept: int) -> None:
        self.inserted += 1
        self.removed += removed
        self.sentences += sentences
        self.kept += kept

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.inserted + other.inserted,
            self.removed + other.removed,
            self.sentences + other.sentences,
            self.kept + other.kept,
        )


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


def body_paragraphs(text: str) -> list[int]:
    """Indices of the paragraphs long enough to take an insertion (ending as a sentence)."""
    paragraphs = text.split("\n\n")
    return [
        i for i, p in enumerate(paragraphs) if len(p.split()) > _MIN_BODY_WORDS and p.rstrip().endswith(".")
    ]


def insert(text: str, item: Item, rng: random.Random) -> str:
    """The article with ``item`` inserted after or into one of its body paragraphs."""
    paragraphs = text.split("\n\n")
    bodies = body_paragraphs(text)
    index = bodies[rng.randrange(len(bodies))]
    paragraph = paragraphs[index]
    cut = paragraph.find(". ")
    cut = len(paragraph) - 1 if cut < 0 else cut  # the first sentence's full stop
    if item.mode == "para":
        paragraphs.insert(index + 1, item.text)
    elif item.mode == "glue":  # "kidneys.Visit example.com ..."
        paragraphs[index] = paragraph[: cut + 1] + item.text + paragraph[cut + 1 :]
    elif item.mode == "tail":
        paragraphs[index] = paragraph[: cut + 1] + " " + item.text + paragraph[cut + 1 :]
    else:  # span: inside the first sentence, before its full stop
        paragraphs[index] = paragraph[:cut] + ", " + item.text + paragraph[cut:]
    return "\n\n".join(paragraphs)


def as_html(text: str, item: Item) -> str:
    """The article as a web page with a menu and a footer; the item's domains become links."""

    def linked(paragraph: str) -> str:
        if item.text not in paragraph:
            return escape(paragraph)
        head, tail = paragraph.split(item.text, 1)
        spam = escape(item.text)
        if _DOMAIN.search(item.text):
            spam = _DOMAIN.sub(lambda m: f'<a href="https://{m.group()}/">{m.group()}</a>', spam)
        else:
            spam = _ANCHOR.sub(lambda m: f'<a href="https://promo-example.com/go">{m.group()}</a>', spam, 1)
        return escape(head) + spam + escape(tail)

    blocks = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("- "):
            items = "".join(f"<li>{linked(line[2:])}</li>" for line in paragraph.splitlines())
            blocks.append(f"<ul>{items}</ul>")
        elif len(paragraph.split()) <= 8 and not paragraph.rstrip().endswith("."):
            blocks.append(f"<h2>{linked(paragraph)}</h2>")
        else:
            blocks.append(f"<p>{linked(paragraph)}</p>")
    return (
        '<html><body><nav><a href="/">Home</a> <a href="/health">Health</a></nav>'
        f"<article>{''.join(blocks)}</article>"
        "<footer>Copyright Example Health. Privacy policy.</footer></body></html>"
    )


def own_sentences(text: str) -> list[str]:
    """The article's sentences (a rough split: enough to see one go missing)."""
    return [s for p in text.split("\n\n") for s in _SENTENCE_END.split(p.strip()) if len(s.split()) >= 4]


def run_item(
    ruleset: RuleSet, article: str, item: Item, rng: random.Random, media: str
) -> tuple[bool, int, int]:
    """(item removed, article sentences, sentences kept) for one insertion."""
    text = insert(article, item, rng)
    source = as_html(text, item) if media == "html" else text
    output = norm(cleaned_text(process_text(source, ruleset, media_type=media)))
    sentences = own_sentences(article)
    kept = sum(norm(s) in output for s in sentences)
    return norm(item.text) not in output, len(sentences), kept


def load_sets(path: Path) -> list[tuple[str, bool, bool, list[Item]]]:
    """(name, tuned on, blind, items) of each set; a blind set's misses are never listed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (s["name"], bool(s["tuned"]), bool(s.get("blind")), [Item(**i) for i in s["items"]])
        for s in data["sets"]
    ]


def pick_articles(folder: Path, count: int, seed: int) -> list[str]:
    """``count`` clean articles with at least three body paragraphs, chosen with ``seed``."""
    paths = sorted(folder.glob("*/*.txt"))
    random.Random(seed).shuffle(paths)
    chosen = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if len(body_paragraphs(text)) >= 3:
            chosen.append(text)
        if len(chosen) == count:
            break
    return chosen


def report(name: str, label: str, tallies: dict[str, Tally], details: Sequence[str]) -> None:
    total = sum(tallies.values(), Tally())
    print(f"\n== {name} ({label}): {total.inserted} insertions")
    print(
        f"{'kind':12s} {'inserted':>8s} {'removed':>8s} {'kept':>7s}   do nothing: removed 0.000, kept 1.000"
    )
    for kind, tally in sorted(tallies.items()):
        print(
            f"{kind:12s} {tally.inserted:8d} {tally.removed / tally.inserted:8.3f}"
            f" {tally.kept / max(1, tally.sentences):7.3f}"
        )
    print(
        f"{'all':12s} {total.inserted:8d} {total.removed / total.inserted:8.3f}"
        f" {total.kept / max(1, total.sentences):7.3f}"
    )
    for line in details:
        print("  " + line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=Path, default=DEFAULT_ITEMS)
    parser.add_argument("--clean-health", type=Path, default=DEFAULT_CLEAN)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--per-item", type=int, default=5, help="articles each item is inserted into")
    parser.add_argument("--as", dest="media", choices=["text", "html"], default="text")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--details", action="store_true", help="list the items not removed (never those of a blind set)"
    )
    parser.add_argument("--sets", nargs="+", default=None, help="only these sets (e.g. set17 set18)")
    args = parser.parse_args(argv)
    articles = pick_articles(args.clean_health, args.articles, args.seed)
    if not articles:
        raise SystemExit(f"no clean articles with three body paragraphs under {args.clean_health}")
    ruleset = load_ruleset()
    rng = random.Random(args.seed)
    print(f"{len(articles)} clean articles from {args.clean_health}, as {args.media}")
    for name, tuned, blind, items in load_sets(args.items):
        if args.sets is not None and name not in args.sets:
            continue
        tallies: dict[str, Tally] = defaultdict(Tally)
        missed = []
        for number, item in enumerate(items):
            removed_here = 0
            for k in range(args.per_item):
                article = articles[(number * args.per_item + k) % len(articles)]
                removed, sentences, kept = run_item(ruleset, article, item, rng, args.media)
                tallies[item.kind].add(removed, sentences, kept)
                removed_here += removed
            if args.details and not blind and removed_here < args.per_item:
                missed.append(f"{removed_here}/{args.per_item} {item.kind}: {item.text}")
        label = "tuned on" if tuned else "held out, blind" if blind else "held out"
        report(name, label, tallies, missed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
