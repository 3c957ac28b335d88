"""Fetch one URL safely: the only module that opens network connections.

Redirects are followed by hand so that every hop passes the address guard (a public URL
that redirects to 127.0.0.1 is refused), the body is streamed against a size cap, and
timeouts bound every wait.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from pipeline.errors import Code, FetchError

USER_AGENT = "healthvet/0.1"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched response body with what is needed to decode it."""

    url: str
    status: int
    body: bytes
    charset: str | None
    is_html: bool


def fetch(url: str, max_bytes: int, allow_private: bool = False) -> Page:
    """GET ``url`` following up to ``MAX_REDIRECTS`` checked redirects."""
    import requests  # imported here so that `--help` stays fast

    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_address(current, allow_private)
        try:
            response = session.get(
                current, stream=True, allow_redirects=False, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
            )
        except requests.RequestException as exc:
            raise FetchError(Code.FETCH_FAILED, f"{url}: {_reason(exc)}") from exc
        with response:
            if response.is_redirect:
                current = urljoin(current, response.headers.get("location", ""))
                continue
            if response.status_code >= 400:
                raise FetchError(Code.FETCH_FAILED, f"{url}: HTTP {response.status_code}")
            body = _read_capped(response, url, max_bytes)
            content_type = response.headers.get("content-type", "")
            charset = response.encoding if "charset" in content_type.lower() else None
            return Page(current, response.status_code, body, charset, "html" in content_type.lower())
    raise FetchError(Code.FETCH_FAILED, f"{url}: more than {MAX_REDIRECTS} redirects")


def _read_capped(response: object, url: str, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(_CHUNK):  # type: ignore[attr-defined]
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(Code.INPUT_TOO_LARGE, f"{url}: response is over the {max_bytes:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "..."


def check_address(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts that resolve to private addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(Code.FETCH_REFUSED, f"{url}: only http and https URLs can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(Code.FETCH_FAILED, f"{url}: cannot resolve host {parts.hostname}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(
                Code.FETCH_REFUSED, f"{url}: {parts.hostname} resolves to non-public address {address}"
            )
