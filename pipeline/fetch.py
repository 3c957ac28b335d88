"""Fetch URLs safely and politely: the only module that opens network connections.

What a fetch goes through, in order:

1. **Scheme check** on every hop: only http and https.
2. **robots.txt** for the host, read once per process with protego and the tool's user agent;
   a disallowed URL is refused. 4xx on robots.txt means "no rules"; 5xx or an unreachable
   robots.txt means "disallow everything" for now (RFC 9309 §2.3.1.4).
3. **Per-host politeness**: a minimum delay between requests to one host (robots.txt
   Crawl-delay wins when larger) and a cap on concurrent requests to it. Both are shared by
   every process on this machine through small lock files (``fcntl.flock``), so ``--jobs 8``
   does not mean 8 times the rate. (On a Dask cluster each machine keeps its own count.)
4. **Address guard (SSRF)**: the connection class resolves the host name itself, refuses
   loopback, private, link-local, CGNAT, multicast and metadata addresses (anything that is not
   globally routable) unless allowed, and then connects to *the address it checked*. The check
   and the connection use one resolution, so a DNS answer that changes between them (DNS
   rebinding) cannot slip through. Redirects are followed by hand, so every hop opens its own
   guarded connection. Proxies from the environment are ignored (``trust_env = False``):
   a proxy would make the connection go somewhere the guard never saw.
5. **Retries**: urllib3 ``Retry`` with exponential backoff on connection errors, 429 and 5xx,
   honouring ``Retry-After`` (capped, so a hostile server cannot park a worker for hours).
6. **Conditional requests** from a small on-disk cache keyed by URL: a re-run sends
   ``If-None-Match``/``If-Modified-Since`` and a 304 reuses the stored body. We keep our own
   ~60-line cache instead of requests-cache/CacheControl because it must sit *inside* the
   hand-followed redirect loop and the streaming size cap, and we want "always revalidate"
   semantics for re-runs rather than HTTP freshness rules.
7. **Limits**: connect/read timeouts, a redirect cap with loop detection, the body streamed
   against a byte cap (``Content-Length`` is checked first), and a content-type check.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import ipaddress
import json
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from pipeline.errors import Code, FetchError

if TYPE_CHECKING:
    import requests
    from protego import Protego

USER_AGENT = "healthvet/0.1"
ROBOTS_AGENT = "healthvet"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# One request per second per host is the usual polite default for a crawler.
DEFAULT_HOST_DELAY = 1.0
DEFAULT_HOST_CONCURRENCY = 2
# Retry-After values above this are capped: a worker must not sleep for hours.
MAX_RETRY_AFTER = 60.0
# Crawl-delay values above this are capped for the same reason.
MAX_CRAWL_DELAY = 30.0
ROBOTS_MAX_BYTES = 512 * 1024  # Google reads the first 500 KiB of robots.txt
_CHUNK = 64 * 1024
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown")
LISTING_TYPES = (
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-gzip",
    "application/gzip",
    "application/octet-stream",  # many servers send .xml.gz this way
    "text/plain",
)


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched response body with what is needed to decode it."""

    url: str
    status: int
    body: bytes
    charset: str | None
    is_html: bool
    content_type: str = ""
    from_cache: bool = False


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch: limits, politeness and the address policy (picklable, hashable)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()  # CIDRs exempt from the guard even without allow_private
    cache_dir: str | None = None  # on-disk HTTP cache; None = no cache
    respect_robots: bool = True
    host_delay: float = DEFAULT_HOST_DELAY
    host_concurrency: int = DEFAULT_HOST_CONCURRENCY
    retries: int = 3
    backoff: float = 0.5
    user_agent: str = USER_AGENT
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT


# --- address guard ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which IP addresses connections may go to."""

    allow_private: bool = False
    allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_options(cls, options: FetchOptions) -> AddressPolicy:
        """The policy for ``options``; a bad CIDR is a FetchError."""
        try:
            nets = tuple(ipaddress.ip_network(c, strict=False) for c in options.allowed_networks)
        except ValueError as exc:
            raise FetchError(Code.FETCH_REFUSED, f"bad allowed network: {exc}") from exc
        return cls(options.allow_private, nets)

    def permits(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        """True when a connection to ``address`` is allowed."""
        return self.allow_private or is_public(address) or any(address in net for net in self.allowed)

    def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return its addresses; refuse when any of them is not permitted."""
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not self.permits(address):
                raise FetchError(
                    Code.FETCH_REFUSED, f"{host} resolves to non-public address {address}; refused"
                )
        return addresses


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast: not loopback, private, link-local (metadata), CGNAT or reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return address.is_global and not address.is_multicast


def _guarded_class(base: type, policy: AddressPolicy) -> type:
    """A urllib3 connection class that connects only to addresses ``policy`` permits."""
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
    from urllib3.util import connection

    def _new_conn(self: Any) -> socket.socket:
        try:
            addresses = policy.resolve(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        last: OSError | None = None
        for address in addresses:  # connect to the checked address, never re-resolve
            try:
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc
            except OSError as exc:
                last = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")

    return type(f"Guarded{base.__name__}", (base,), {"_new_conn": _new_conn})


def _guarded_adapter(policy: AddressPolicy, retry: Any) -> Any:
    """A requests adapter whose pools open only guarded connections."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    http_pool = type(
        "GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": _guarded_class(HTTPConnection, policy)}
    )
    https_pool = type(
        "GuardedHTTPSPool",
        (HTTPSConnectionPool,),
        {"ConnectionCls": _guarded_class(HTTPSConnection, policy)},
    )
    adapter = HTTPAdapter(max_retries=retry)
    adapter.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}
    return adapter


def _retry(options: FetchOptions) -> Any:
    from urllib3.util.retry import Retry

    class CappedRetry(Retry):
        """Retry whose Retry-After sleep is capped at MAX_RETRY_AFTER seconds."""

        def get_retry_after(self, response: Any) -> float | None:
            value = super().get_retry_after(response)
            return None if value is None else min(value, MAX_RETRY_AFTER)

    return CappedRetry(
        total=options.retries,
        connect=options.retries,
        read=options.retries,
        status=options.retries,
        backoff_factor=options.backoff,
        status_forcelist=_RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the last response comes back; we report its status
    )


# --- per-host politeness ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HostGate:
    """Per-host delay and concurrency, shared across processes through lock files."""

    folder: Path
    delay: float
    concurrency: int

    def _path(self, host: str, suffix: str) -> Path:
        safe = hashlib.sha256(host.encode()).hexdigest()[:24]
        return self.folder / f"{safe}.{suffix}"

    def wait_turn(self, host: str, delay: float) -> None:
        """Reserve the next request slot for ``host`` and sleep until it starts."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._path(host, "next").open("a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # reservation is atomic across processes
            handle.seek(0)
            text = handle.read().strip()
            now = time.time()
            start = max(now, float(text) if text else 0.0)
            handle.seek(0)
            handle.truncate()
            handle.write(repr(start + delay))
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
        if start > now:
            time.sleep(start - now)

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of ``concurrency`` request slots for ``host`` (a cross-process semaphore)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            for i in range(self.concurrency):
                handle = self._path(host, f"slot{i}").open("a")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    handle.close()
                    continue
                try:
                    yield
                finally:
                    handle.close()  # closing releases the lock
                return
            time.sleep(0.05)  # every slot is busy: poll, requests take far longer than this


# --- on-disk cache ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A stored 200 response with its validators."""

    url: str
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class HttpCache:
    """Responses keyed by URL: ``<sha256>.json`` (metadata) + ``<sha256>.body``."""

    folder: Path

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def get(self, url: str) -> CacheEntry | None:
        """The stored response for ``url``, or None (a damaged entry counts as missing)."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or meta.get("size") != len(body):
            return None
        return CacheEntry(
            url, meta["content_type"], meta["charset"], meta["etag"], meta["last_modified"], body
        )

    def put(self, entry: CacheEntry) -> None:
        """Store ``entry``; each file is written to a temporary name and renamed (atomic)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta_path, body_path = self._paths(entry.url)
        meta = {
            "url": entry.url,
            "content_type": entry.content_type,
            "charset": entry.charset,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "size": len(entry.body),
        }
        _atomic_write(body_path, entry.body)
        _atomic_write(meta_path, json.dumps(meta).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    Path(tmp).replace(path)


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/healthvet/http`` (``~/.cache/healthvet/http``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "healthvet" / "http")


# --- the fetcher ------------------------------------------------------------------------


@dataclass
class Fetcher:
    """One per process: a session, robots.txt answers, the cache and the host gate."""

    options: FetchOptions = field(default_factory=FetchOptions)
    _session: requests.Session | None = field(default=None, init=False, repr=False)
    _robots: dict[str, Protego | None] = field(default_factory=dict, init=False, repr=False)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        if self._session is not None:
            self._session.close()
            self._session = None

    @property
    def session(self) -> requests.Session:
        """The guarded session, built on first use."""
        if self._session is None:
            self._session = self._build_session()
        return self._session

    def _build_session(self) -> requests.Session:
        import requests  # imported here so that `--help` stays fast

        session = requests.Session()
        session.trust_env = False  # no proxies or .netrc from the environment: see module doc
        session.headers["User-Agent"] = self.options.user_agent
        adapter = _guarded_adapter(AddressPolicy.from_options(self.options), _retry(self.options))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    @property
    def cache(self) -> HttpCache | None:
        """The on-disk cache, when configured."""
        return HttpCache(Path(self.options.cache_dir)) if self.options.cache_dir else None

    @property
    def gate(self) -> HostGate:
        """The per-host gate; its lock files live beside the cache or in the temp folder."""
        base = self.options.cache_dir or str(Path(tempfile.gettempdir()) / f"healthvet-{os.getuid()}")
        return HostGate(Path(base) / "hosts", self.options.host_delay, self.options.host_concurrency)

    def fetch(self, url: str, accept: tuple[str, ...] = ARTICLE_TYPES, max_bytes: int | None = None) -> Page:
        """GET ``url``: robots.txt, politeness, guard, retries, cache, caps (see module doc)."""
        cap = max_bytes or self.options.max_bytes
        current, seen = url, {url}
        for _ in range(MAX_REDIRECTS + 1):
            _check_scheme(current)
            if self.options.respect_robots and not self.allowed_by_robots(current):
                # FETCH_FAILED, not FETCH_REFUSED: that code's hint is about --allow-private
                raise FetchError(Code.FETCH_FAILED, f"{current}: disallowed by robots.txt")
            page, location = self._get(current, url, accept, cap)
            if page is not None:
                return page
            current = urljoin(current, location or "")
            if current in seen:
                raise FetchError(Code.FETCH_FAILED, f"{url}: redirect loop at {current}")
            seen.add(current)
        raise FetchError(Code.FETCH_FAILED, f"{url}: more than {MAX_REDIRECTS} redirects")

    def _get(self, current: str, url: str, accept: tuple[str, ...], cap: int) -> tuple[Page | None, str]:
        """One hop: a Page, or (None, Location) for a redirect."""
        import requests

        host = urlsplit(current).hostname or ""
        cached = self.cache.get(current) if self.cache else None
        with self.gate.slot(host):
            self.gate.wait_turn(host, self._delay_for(current))
            try:
                response = self.session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    headers=_conditional_headers(cached),
                    timeout=(self.options.connect_timeout, self.options.read_timeout),
                )
            except requests.RequestException as exc:
                raise FetchError(Code.FETCH_FAILED, f"{url}: {_reason(exc)}") from exc
            with response:
                return self._handle(response, current, url, accept, cap, cached)

    def _handle(
        self,
        response: Any,
        current: str,
        url: str,
        accept: tuple[str, ...],
        cap: int,
        cached: CacheEntry | None,
    ) -> tuple[Page | None, str]:
        if response.is_redirect:
            return None, response.headers.get("location", "")
        if response.status_code == 304 and cached is not None:
            return _page(current, 200, cached.body, cached.content_type, from_cache=True), ""
        if response.status_code >= 400:
            raise FetchError(Code.FETCH_FAILED, f"{url}: HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "")
        _check_content_type(url, content_type, accept)
        body = read_capped(response, url, cap)
        self._store(current, response, content_type, body)
        return _page(current, response.status_code, body, content_type), ""

    def _store(self, url: str, response: Any, content_type: str, body: bytes) -> None:
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if self.cache is not None and response.status_code == 200 and (etag or modified):
            self.cache.put(CacheEntry(url, content_type, _charset(content_type), etag, modified, body))

    # robots.txt ---------------------------------------------------------------------------

    def allowed_by_robots(self, url: str) -> bool:
        """True when the host's robots.txt lets our user agent fetch ``url``."""
        rules = self._robots_for(url)
        return rules is not None and bool(rules.can_fetch(url, ROBOTS_AGENT))

    def _delay_for(self, url: str) -> float:
        if not self.options.respect_robots:
            return self.options.host_delay
        rules = self._robots.get(_origin(url))
        crawl_delay = rules.crawl_delay(ROBOTS_AGENT) if rules is not None else None
        return max(self.options.host_delay, min(float(crawl_delay or 0.0), MAX_CRAWL_DELAY))

    def _robots_for(self, url: str) -> Protego | None:
        """Parsed robots.txt for the URL's origin (None = disallow everything), once per process."""
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        return self._robots[origin]

    def _load_robots(self, origin: str) -> Protego | None:
        from protego import Protego

        robots_url = f"{origin}/robots.txt"
        plain = Fetcher(_robots_options(self.options))
        plain._session = self.session  # same guarded session; robots rules do not apply to robots.txt
        try:
            page = plain.fetch(robots_url, accept=(), max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.code is Code.FETCH_REFUSED:
                raise
            # 4xx: the site has no rules. 5xx/unreachable: assume full disallow (RFC 9309).
            return Protego.parse("") if _is_client_error(exc) else None
        return Protego.parse(page.body.decode("utf-8", "replace"))


def _robots_options(options: FetchOptions) -> FetchOptions:
    from dataclasses import replace

    return replace(options, respect_robots=False, max_bytes=ROBOTS_MAX_BYTES)


def _is_client_error(exc: FetchError) -> bool:
    return any(f"HTTP {status}" in exc.message for status in range(400, 500))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(Code.FETCH_REFUSED, f"{url}: only http and https URLs can be fetched")


def _check_content_type(url: str, content_type: str, accept: tuple[str, ...]) -> None:
    """Refuse a body whose declared type is not one we can read (no type = sniff it later)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if accept and media and media not in accept:
        raise FetchError(Code.FETCH_FAILED, f"{url}: content type {media} is not an article or a listing")


def _conditional_headers(cached: CacheEntry | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers


def _charset(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, as declared (validated when decoding)."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _page(url: str, status: int, body: bytes, content_type: str, from_cache: bool = False) -> Page:
    html = "html" in content_type.lower()
    return Page(url, status, body, _charset(content_type), html, content_type, from_cache)


def read_capped(response: Any, url: str, max_bytes: int) -> bytes:
    """Stream the body, stopping as soon as it passes ``max_bytes``."""
    too_large = f"{url}: response is over the {max_bytes:,}-byte limit"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(Code.INPUT_TOO_LARGE, too_large)
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(Code.INPUT_TOO_LARGE, too_large)
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "..."


def fetch(url: str, max_bytes: int, allow_private: bool = False) -> Page:
    """Fetch one URL with default politeness and no cache (single-URL checks)."""
    with Fetcher(FetchOptions(max_bytes=max_bytes, allow_private=allow_private)) as fetcher:
        return fetcher.fetch(url)


def check_address(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts that resolve to non-public addresses."""
    _check_scheme(url)
    host = urlsplit(url).hostname or ""
    try:
        AddressPolicy(allow_private).resolve(host, urlsplit(url).port or 443)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(Code.FETCH_FAILED, f"{url}: cannot resolve host {host}") from exc
