"""Coverage-guided fuzzing of the whole text path: HTML/text/Markdown → clean → check → summary.

    pip install -e '.[fuzz]'
    python bench/fuzz.py -atheris_runs=100000          # 100,000 inputs
    python bench/fuzz.py -atheris_runs=100000 -max_len=4096 corpus_dir/

Each input is decoded by the same code as a file on disk, then run through every stage and
every report. A crash is an exception anywhere, or a stage error recorded on the document
(``pipeline.run.process`` turns exceptions into recorded errors so batches go on; here
they must fail loudly). Inputs are part structured (HTML built from fragments the pipeline
cares about: nested tags, links, hype and spam words, entities, broken markup) and part raw
bytes, so the decoder, the extractor and the rules all get exercised.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    from pipeline.cleaning import cleaned_text
    from pipeline.errors import HealthvetError
    from pipeline.report import json_report, text
    from pipeline.ruleset import load_ruleset
    from pipeline.run import process
    from pipeline.sources import RawInput, SourceRef, decode, media_type_for

RULESET = load_ruleset()
TAGS = [
    "p",
    "div",
    "span",
    "a",
    "h1",
    "h2",
    "li",
    "ul",
    "article",
    "main",
    "nav",
    "footer",
    "script",
    "style",
    "table",
    "tr",
    "td",
    "blockquote",
    "code",
    "pre",
    "br",
    "img",
    "aside",
    "section",
    "!--",
    "?php",
]
WORDS = [
    "Botox",
    "remarkable",
    "cure",
    "not",
    "click here",
    "visit this link",
    "read more articles",
    "from the source of",
    "khusoko.com",
    "100% safe",
    "may",
    "&amp;",
    "&#0;",
    "&nbsp;",
    "\u202e",
    "\x00",
    "\ud7ff",
    "<",
    ">",
    '"',
    "'",
    "Don't forget to visit",
    "botox voor en na",
    "{{ var }}",
    "%s",
    ".",
    "\n",
    "Dr.",
    "U.S.",
    "e.g.",
]
NAMES = ["page.html", "note.txt", "doc.md", "stdin"]


def build_html(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> str:
    """A random page made of the fragments the pipeline reacts to."""
    parts: list[str] = []
    for _ in range(fdp.ConsumeIntInRange(0, 12)):
        choice = fdp.ConsumeIntInRange(0, 4)
        if choice == 0 and depth < 30:
            tag = fdp.PickValueInList(TAGS)
            href = f' href="{fdp.ConsumeUnicodeNoSurrogates(20)}"' if tag == "a" else ""
            closing = f"</{tag}>" if fdp.ConsumeBool() else ""
            parts.append(f"<{tag}{href}>{build_html(fdp, depth + 1)}{closing}")
        elif choice == 1:
            parts.append(fdp.PickValueInList(WORDS))
        elif choice == 2:
            parts.append(fdp.ConsumeUnicodeNoSurrogates(40))
        else:
            parts.append(" ")
    return "".join(parts)


def run_all(name: str, content: str) -> None:
    """Every stage and every report; a recorded stage error is a crash here."""
    raw = RawInput(SourceRef(name, "file"), content, media_type_for(name, content))
    doc = process(raw, RULESET)
    if doc.errors:
        raise RuntimeError(f"stage error: {doc.errors}")
    cleaned_text(doc)
    text.render([doc])
    json_report.render([doc])


def test_one_input(data: bytes) -> None:
    """The fuzz target."""
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    name = fdp.PickValueInList(NAMES)
    if mode == 0:
        content = build_html(fdp)
        name = "page.html"
    else:
        try:
            content = decode(fdp.ConsumeBytes(fdp.remaining_bytes()), name)
        except HealthvetError:
            return  # binary or undecodable input: refused with a message, which is correct
    run_all(name, content)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
