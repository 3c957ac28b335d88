"""Sources: turn command-line arguments into inputs, and inputs into decoded text.

Arguments may be files, directories (searched recursively by extension), globs, ``-``
for stdin, or http(s) URLs. Reading is separate from expanding so that a batch can
record one unreadable input and go on with the rest.
"""

from __future__ import annotations

import glob
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Code, InputError

EXTENSIONS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|div|p)\b", re.I | re.S
)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """An input named on the command line, not yet read."""

    name: str
    kind: str  # "file" | "url" | "stdin"


@dataclass(frozen=True, slots=True)
class RawInput:
    """A decoded input: its text and how to read it."""

    ref: SourceRef
    content: str
    media_type: str  # "html" | "text" | "markdown"
    status: int | None = None


def is_url(arg: str) -> bool:
    """True for http(s) URLs."""
    return arg.startswith(("http://", "https://"))


def expand(args: Sequence[str]) -> list[SourceRef]:
    """Resolve arguments into inputs in a stable order; a name matching nothing is an error."""
    refs: list[SourceRef] = []
    seen: set[str] = set()
    for arg in args:
        for ref in _expand_one(arg):
            if ref.name not in seen:
                seen.add(ref.name)
                refs.append(ref)
    return refs


def _expand_one(arg: str) -> list[SourceRef]:
    if arg == "-":
        return [SourceRef("-", "stdin")]
    if is_url(arg):
        return [SourceRef(arg, "url")]
    path = Path(arg)
    if path.is_dir():
        found = [SourceRef(str(p), "file") for p in _walk(path)]
        if not found:
            raise InputError(Code.NO_INPUTS, f"{arg}: no .html, .txt or .md files in this directory")
        return found
    if path.exists():
        return [SourceRef(arg, "file")]
    if glob.has_magic(arg):
        matches = sorted(glob.glob(arg, recursive=True))  # noqa: PTH207 - Path.glob takes no absolute patterns
        files = [SourceRef(m, "file") for m in matches if Path(m).is_file()]
        if not files:
            raise InputError(Code.NO_INPUTS, f"{arg}: the pattern matches no files")
        return files
    raise InputError(Code.INPUT_NOT_FOUND, f"{arg}: no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` with a known extension; symlinked directories are not followed."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir(), reverse=True)
        except OSError:
            continue  # an unreadable folder is skipped; its files cannot be listed
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                stack.append(entry)
            elif entry.suffix.lower() in EXTENSIONS and entry.is_file():
                yield entry


def media_type_for(name: str, text: str) -> str:
    """Media type from the file extension, or sniffed from the content."""
    suffix = Path(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    return "html" if _HTML_START.match(text[:2048]) else "text"


def read(ref: SourceRef, max_bytes: int = DEFAULT_MAX_BYTES, allow_private: bool = False) -> RawInput:
    """Read and decode one input; raises ``InputError``/``FetchError`` with a clear message."""
    if ref.kind == "url":
        from pipeline import fetch  # only this branch touches the network

        page = fetch.fetch(ref.name, max_bytes=max_bytes, allow_private=allow_private)
        text = decode(page.body, ref.name, declared=page.charset)
        media = "html" if page.is_html or _HTML_START.match(text[:2048]) else "text"
        return RawInput(ref, text, media, page.status)
    data = _read_stdin(max_bytes) if ref.kind == "stdin" else _read_file(ref.name, max_bytes)
    text = decode(data, ref.name)
    return RawInput(ref, text, media_type_for(ref.name, text))


def _read_file(name: str, max_bytes: int) -> bytes:
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                Code.INPUT_TOO_LARGE, f"{name}: {size:,} bytes is over the {max_bytes:,}-byte limit"
            )
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise InputError(Code.INPUT_NOT_FOUND, f"{name}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{name}: is a directory") from exc
    except OSError as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{name}: {exc.strerror or exc}") from exc


def _read_stdin(max_bytes: int) -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None or stream.closed:
        raise InputError(Code.INPUT_UNREADABLE, "-: standard input is closed")
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(Code.INPUT_TOO_LARGE, f"-: standard input is over the {max_bytes:,}-byte limit")
    return data


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode bytes: BOM, declared charset, UTF-8, then detection; refuse binary data."""
    if b"\x00" in data[:_SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(Code.INPUT_BINARY, f"{name}: looks like a binary file, not text")
    for encoding in _candidate_encodings(data, declared):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return _normalise_newlines(text.removeprefix("\ufeff"))
    raise InputError(Code.INPUT_UNREADABLE, f"{name}: cannot decode the text")


def _candidate_encodings(data: bytes, declared: str | None) -> Iterable[str]:
    if data.startswith(b"\xef\xbb\xbf"):
        yield "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield "utf-16"
    if declared:
        yield declared
    meta = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if meta:
        yield meta.group(1).decode("ascii", "replace")
    yield "utf-8"
    detected = _detect(data)
    if detected:
        yield detected
    yield "cp1252"


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # installed with requests

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best else None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
