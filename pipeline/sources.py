"""Sources: turn command-line arguments into inputs, and inputs into decoded text.

Arguments may be files, directories (searched recursively by extension), globs, ``-``
for stdin, or http(s) URLs, plus the corpus forms a batch needs:

- ``*.jsonl`` / ``*.ndjson``: one document per line, an object with ``text`` or ``html``
  (inline content) or ``url`` (fetched), and an optional ``id``. A broken line becomes an
  input that fails to read (its error is recorded) and the other lines go on.
- ``@FILE``: a list of URLs or paths, one per line; blank lines and ``#`` comments are
  skipped, relative paths are relative to the list file.
- Sitemaps (``<urlset>``, ``<sitemapindex>``, gzip too) and RSS/Atom feeds: local ``.xml``,
  ``.xml.gz``, ``.rss`` or ``.atom`` files, URLs whose path ends that way, or any file or URL
  prefixed ``sitemap:`` or ``feed:``. Each listed page becomes a URL input.

Reading is separate from expanding so that a batch can record one unreadable input and go
on with the rest.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from pipeline.errors import Code, HealthvetError, InputError

if TYPE_CHECKING:
    from pipeline.fetch import Fetcher

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
_MIN_DETECT_BYTES = 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|div|p)\b", re.I | re.S
)


JSONL_SUFFIXES = (".jsonl", ".ndjson")
LISTING_SUFFIXES = (".xml", ".xml.gz", ".rss", ".atom")
LISTING_PREFIXES = ("sitemap:", "feed:")
# A sitemap index may point at more indexes; real sites nest one level, rarely two.
MAX_SITEMAP_DEPTH = 3
# The sitemap protocol caps one file at 50,000 URLs and an index at 50,000 sitemaps.
MAX_LISTED_URLS = 50_000


@dataclass(frozen=True, slots=True)
class SourceRef:
    """An input named on the command line, not yet read.

    ``content``/``media_type`` carry an inline document (a JSONL line); ``error`` marks an
    input that was found broken while expanding (reading it raises that error).
    """

    name: str
    kind: str  # "file" | "url" | "stdin" | "inline" | "broken"
    content: str | None = None
    media_type: str | None = None
    error: str | None = None


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


def expand(args: Sequence[str], fetcher: Fetcher | None = None) -> list[SourceRef]:
    """Resolve arguments into inputs in a stable order; a name matching nothing is an error.

    ``fetcher`` reads remote sitemaps and feeds (a default, private-refusing one otherwise).
    """
    refs: list[SourceRef] = []
    seen: set[str] = set()
    for arg in args:
        for ref in _expand_one(arg, fetcher):
            if ref.name not in seen:
                seen.add(ref.name)
                refs.append(ref)
    return refs


def _expand_one(arg: str, fetcher: Fetcher | None) -> list[SourceRef]:
    if arg == "-":
        return [SourceRef("-", "stdin")]
    corpus = _expand_corpus(arg, fetcher)
    if corpus is not None:
        return corpus
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


def _expand_corpus(arg: str, fetcher: Fetcher | None) -> list[SourceRef] | None:
    """``@FILE``, sitemaps/feeds and JSONL; None when ``arg`` is none of these."""
    if arg.startswith("@"):
        return read_url_list(Path(arg[1:]))
    if arg.startswith(LISTING_PREFIXES):
        return list_urls(arg.split(":", 1)[1], fetcher)
    if _looks_like_listing(arg):
        return list_urls(arg, fetcher)
    if Path(arg).suffix.lower() in JSONL_SUFFIXES and Path(arg).is_file():
        return read_jsonl(Path(arg))
    return None


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


def read(
    ref: SourceRef,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    fetcher: Fetcher | None = None,
) -> RawInput:
    """Read and decode one input; raises ``InputError``/``FetchError`` with a clear message.

    ``fetcher`` (a batch worker's, with its cache and politeness) is used for URLs; without
    it a one-off fetcher with default settings is made.
    """
    if ref.kind == "broken":
        raise InputError(Code.INPUT_UNREADABLE, ref.error or f"{ref.name}: unreadable")
    if ref.kind == "inline":
        return _read_inline(ref, max_bytes)
    if ref.kind == "url":
        page = _fetch(ref.name, max_bytes, allow_private, fetcher)
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
    # Statistical detection is noise on short inputs (a latin-1 "café" came back as a Baltic
    # code page); below this size use the WHATWG default for unlabelled Western text.
    detected = _detect(data) if len(data) >= _MIN_DETECT_BYTES else None
    if detected:
        yield detected
    yield "cp1252"


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # installed with requests

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best else None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _fetch(url: str, max_bytes: int, allow_private: bool, fetcher: Fetcher | None) -> Any:
    from pipeline import fetch  # only URL inputs touch the network

    if fetcher is not None:
        return fetcher.fetch(url, max_bytes=max_bytes)
    return fetch.fetch(url, max_bytes=max_bytes, allow_private=allow_private)


def _read_inline(ref: SourceRef, max_bytes: int) -> RawInput:
    text = ref.content or ""
    if len(text.encode("utf-8")) > max_bytes:
        raise InputError(Code.INPUT_TOO_LARGE, f"{ref.name}: over the {max_bytes:,}-byte limit")
    return RawInput(ref, _normalise_newlines(text), ref.media_type or media_type_for(ref.name, text))


# --- JSONL ------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[SourceRef]:
    """One input per line of a JSONL file; a broken line becomes a ``broken`` input."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return [
                jsonl_ref(str(path), number, line)
                for number, line in enumerate(handle, start=1)
                if line.strip()
            ]
    except OSError as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{path}: {exc.strerror or exc}") from exc


def jsonl_ref(path: str, number: int, line: str) -> SourceRef:
    """The input for line ``number``: inline text/html, a URL, or a broken input."""
    where = f"{path}:{number}"
    try:
        record = json.loads(line)
    except ValueError as exc:
        return SourceRef(where, "broken", error=f"{where}: invalid JSON ({exc})")
    if not isinstance(record, dict):
        return SourceRef(where, "broken", error=f"{where}: expected a JSON object")
    name = f"{path}#{record['id']}" if record.get("id") not in (None, "") else where
    for key, media in (("html", "html"), ("text", "text")):
        if isinstance(record.get(key), str):
            return SourceRef(name, "inline", content=record[key], media_type=media)
    url = record.get("url")
    if isinstance(url, str) and is_url(url):
        return SourceRef(url, "url")
    return SourceRef(name, "broken", error=f"{where}: needs a 'text' or 'html' string or an http(s) 'url'")


# --- URL lists --------------------------------------------------------------------------


def read_url_list(path: Path) -> list[SourceRef]:
    """``@FILE``: one URL or path per line; ``#`` starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(Code.INPUT_NOT_FOUND, f"@{path}: {exc.strerror or exc}") from exc
    refs: list[SourceRef] = []
    for number, raw in enumerate(lines, start=1):
        entry = raw.split("#", 1)[0].strip() if not is_url(raw.strip()) else raw.strip()
        if not entry:
            continue
        if is_url(entry):
            refs.append(SourceRef(entry, "url"))
            continue
        local = Path(entry) if Path(entry).is_absolute() else path.parent / entry
        if local.is_file():
            refs.append(SourceRef(str(local), "file"))
        else:
            refs.append(SourceRef(str(local), "broken", error=f"@{path}:{number}: {entry}: no such file"))
    return refs


# --- sitemaps and feeds -----------------------------------------------------------------


def _looks_like_listing(arg: str) -> bool:
    """A URL or existing file whose name says sitemap/feed."""
    name = urlsplit(arg).path if is_url(arg) else arg
    if not is_url(arg) and not Path(arg).is_file():
        return False
    return name.lower().endswith(LISTING_SUFFIXES)


def list_urls(location: str, fetcher: Fetcher | None, depth: int = 0) -> list[SourceRef]:
    """The page URLs a sitemap, sitemap index, RSS or Atom feed lists (indexes are followed)."""
    data = _load_listing(location, fetcher)
    kind, entries = parse_listing(data, location)
    if kind != "sitemapindex":
        return [SourceRef(url, "url") for url in entries[:MAX_LISTED_URLS]]
    if depth + 1 >= MAX_SITEMAP_DEPTH:
        raise InputError(Code.INPUT_UNREADABLE, f"{location}: sitemap indexes nested too deep")
    refs: list[SourceRef] = []
    for child in entries:
        try:
            refs.extend(list_urls(child, fetcher, depth + 1))
        except HealthvetError as exc:
            refs.append(SourceRef(child, "broken", error=str(exc)))
        if len(refs) >= MAX_LISTED_URLS:
            break
    return refs[:MAX_LISTED_URLS]


def _load_listing(location: str, fetcher: Fetcher | None) -> bytes:
    if is_url(location):
        from pipeline import fetch

        owned = fetcher or fetch.Fetcher()
        data = owned.fetch(location, accept=fetch.LISTING_TYPES).body
        if fetcher is None:
            owned.close()
    else:
        data = _read_file(location, DEFAULT_MAX_BYTES)
    return gunzip_capped(data, location) if data[:2] == b"\x1f\x8b" else data


def gunzip_capped(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress gzip data, refusing output over ``max_bytes`` (a gzip bomb stops early)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{name}: broken gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise InputError(Code.INPUT_TOO_LARGE, f"{name}: decompresses to over {max_bytes:,} bytes")
    return out


def parse_listing(data: bytes, location: str) -> tuple[str, list[str]]:
    """(root kind, URLs) for a sitemap, sitemap index, RSS 1/2 or Atom document."""
    from lxml import etree

    # No entity expansion and no network: a listing is untrusted XML.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{location}: not a sitemap or feed ({exc})") from exc
    kind = etree.QName(root).localname.lower()
    urls = [urljoin(location, u) if is_url(location) else u for u in _listing_urls(root, kind)]
    if kind not in ("urlset", "sitemapindex", "rss", "rdf", "feed"):
        raise InputError(Code.INPUT_UNREADABLE, f"{location}: <{kind}> is not a sitemap or feed")
    return kind, [u for u in dict.fromkeys(urls) if is_url(u)]


def _listing_urls(root: Any, kind: str) -> list[str]:
    if kind in ("urlset", "sitemapindex"):
        return [t.strip() for t in root.xpath("./*/*[local-name()='loc']/text()")]
    if kind in ("rss", "rdf"):
        return [t.strip() for t in root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")]
    if kind == "feed":
        entries = root.xpath("./*[local-name()='entry']")
        return [href for entry in entries if (href := _atom_link(entry))]
    return []


def _atom_link(entry: Any) -> str | None:
    """The entry's alternate link (``rel`` absent means alternate)."""
    for link in entry.xpath("./*[local-name()='link']"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link.get("href")).strip()
    return None
