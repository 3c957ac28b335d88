"""False promo removals on genuine prose of other kinds than the clean NIH articles.

Usage (from the project root)::

    python bench/promo_fp.py [--cochrane ../shared/data/cochrane_pls]
                             [--pubmed ../shared/data/claim_strength/pubmed.tsv]
                             [--aeb ../shared/data/aeb/ground-truth.json] [--show N]

``bench/promo.py --clean-health`` checks MedlinePlus and NIDDK answers: plain, institutional
English. Users also vet abstracts full of units and Greek letters, news of every genre and
pages in other languages. Three corpora of genuine text, none of it promotion:

- Cochrane review abstracts and their plain-language summaries, one document per line;
- PubMed conclusion sentences, twenty to a document (the file's text is partly mis-decoded,
  Greek letters mis-decoded into Latin-1 pairs, as text in the wild often is);
- the article bodies of the article-extraction benchmark's ground truth (news, blogs, deal
  round-ups, a few pages in Russian, Portuguese, Italian and Indonesian).

Every removal on the first two is a false positive; on the third, most are (a deals post is
promotion by design, and is listed so it can be judged). Printed: documents, sentences,
removals per rule, and the first ``--show`` removals of each corpus, beside the do-nothing
baseline (no removal).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

# Allow running as a plain script from the project root without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import Options, process_text

DEFAULT_COCHRANE = Path("../shared/data/cochrane_pls")
DEFAULT_PUBMED = Path("../shared/data/claim_strength/pubmed.tsv")
DEFAULT_AEB = Path("../shared/data/aeb/ground-truth.json")
_PUBMED_PER_DOCUMENT = 20


def cochrane_documents(folder: Path) -> Iterator[str]:
    """Each abstract (``val.source``) and plain-language summary (``val.target``), one per line."""
    for name in ("val.source", "val.target"):
        path = folder / name
        if path.exists():
            yield from (line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def pubmed_documents(path: Path) -> Iterator[str]:
    """The labelled sentences (first column, header skipped), twenty to a document."""
    if not path.exists():
        return
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    sentences = [row.split("\t")[0] for row in rows if row.strip()]
    for i in range(0, len(sentences), _PUBMED_PER_DOCUMENT):
        yield " ".join(sentences[i : i + _PUBMED_PER_DOCUMENT])


def aeb_documents(path: Path) -> Iterator[str]:
    """The ``articleBody`` of each ground-truth page."""
    if not path.exists():
        return
    for page in json.loads(path.read_text(encoding="utf-8")).values():
        body = page.get("articleBody", "") if isinstance(page, dict) else ""
        if body.strip():
            yield body


def measure(name: str, documents: Sequence[str], ruleset: RuleSet, show: int) -> None:
    """Run the pipeline on each document and print its removals per rule."""
    job = Options(strengths=False, summary=False)
    rules: Counter[str] = Counter()
    sentences = removals = 0
    shown: list[str] = []
    for text in documents:
        doc = process_text(text, ruleset, options=job)
        sentences += len(doc.sentences())
        for removal in doc.removals:
            removals += 1
            rules[removal.rule] += 1
            if len(shown) < show:
                shown.append(f"    {removal.rule}: {doc.text[removal.start : removal.end][:120]!r}")
    share = removals / max(1, sentences)
    print(f"\n== {name}: {len(documents)} documents, {sentences} sentences")
    print(f"removals {removals} ({share:.3%} of sentences; do nothing: 0)  {dict(rules.most_common())}")
    print("\n".join(shown))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cochrane", type=Path, default=DEFAULT_COCHRANE)
    parser.add_argument("--pubmed", type=Path, default=DEFAULT_PUBMED)
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--show", type=int, default=5, help="removals listed per corpus")
    args = parser.parse_args(argv)
    ruleset = load_ruleset()
    corpora = {
        "Cochrane abstracts and plain-language summaries": list(cochrane_documents(args.cochrane)),
        "PubMed conclusion sentences": list(pubmed_documents(args.pubmed)),
        "AEB article bodies (web pages of every genre)": list(aeb_documents(args.aeb)),
    }
    if not any(corpora.values()):
        raise SystemExit("no corpus found: pass --cochrane, --pubmed or --aeb")
    for name, documents in corpora.items():
        if documents:
            measure(name, documents, ruleset, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
