"""Fetching: robots.txt, retries, caps, the address guard, redirects, charsets, the cache.

Every server here is local (pytest-httpserver on 127.0.0.x); nothing touches the internet.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.errors import Code, FetchError
from pipeline.fetch import AddressPolicy, Fetcher, FetchOptions, is_public
from pipeline.sources import SourceRef, read

HTML = "text/html; charset=utf-8"
PAGE = "<html><body><article><p>A short article about sleep.</p></article></body></html>"


@pytest.fixture
def options(tmp_path: Path) -> FetchOptions:
    """Local-server options: private addresses allowed, no politeness delay, a temp cache."""
    return FetchOptions(allow_private=True, cache_dir=str(tmp_path / "cache"), host_delay=0.0, backoff=0.0)


def _no_robots(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("", status=404)


def test_fetches_a_page(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type=HTML)
    with Fetcher(options) as fetcher:
        page = fetcher.fetch(httpserver.url_for("/a"))
    assert page.status == 200
    assert page.is_html
    assert page.body.decode() == PAGE


def test_robots_disallow_is_respected(httpserver: HTTPServer, options: FetchOptions) -> None:
    robots = "User-agent: *\nDisallow: /private/\n"
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    httpserver.expect_request("/public").respond_with_data(PAGE, content_type=HTML)
    httpserver.expect_request("/private/x").respond_with_data(PAGE, content_type=HTML)
    with Fetcher(options) as fetcher:
        assert fetcher.fetch(httpserver.url_for("/public")).status == 200
        with pytest.raises(FetchError, match=r"robots\.txt") as info:
            fetcher.fetch(httpserver.url_for("/private/x"))
    assert info.value.code is Code.FETCH_FAILED
    assert not any(req.path == "/private/x" for req, _ in httpserver.log)


def test_robots_server_error_means_disallow(httpserver: HTTPServer, options: FetchOptions) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("oops", status=503)
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.fetch(httpserver.url_for("/a"))


def test_429_with_retry_after_is_retried(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    calls: list[int] = []

    def handler(_: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(PAGE, content_type=HTML)

    httpserver.expect_request("/busy").respond_with_handler(handler)
    started = time.monotonic()
    with Fetcher(options) as fetcher:
        page = fetcher.fetch(httpserver.url_for("/busy"))
    assert page.status == 200
    assert time.monotonic() - started >= 0.9  # waited for Retry-After
    assert sum(req.path == "/busy" for req, _ in httpserver.log) == 2


def test_persistent_503_fails_after_retries(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="HTTP 503"):
        fetcher.fetch(httpserver.url_for("/down"))
    assert sum(req.path == "/down" for req, _ in httpserver.log) == options.retries + 1


def _endless(total: int) -> Iterator[bytes]:
    """``total`` bytes generated lazily in 64 KiB chunks (never held in memory at once)."""
    chunk = b"<p>" + b"x" * (64 * 1024 - 3)
    for _ in range(total // len(chunk)):
        yield chunk


def test_50mb_response_is_cut_at_the_cap(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)

    def handler(_: Request) -> Response:
        # No Content-Length: the cap must be enforced while streaming.
        return Response(_endless(50 * 1024 * 1024), content_type=HTML, direct_passthrough=True)

    httpserver.expect_request("/huge").respond_with_handler(handler)
    cap = 2 * 1024 * 1024
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="2,097,152-byte limit") as info:
        fetcher.fetch(httpserver.url_for("/huge"), max_bytes=cap)
    assert info.value.code is Code.INPUT_TOO_LARGE


def test_declared_content_length_over_cap_is_refused_before_reading(
    httpserver: HTTPServer, options: FetchOptions
) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/big").respond_with_data("x" * 5000, content_type=HTML)
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="1,000-byte limit"):
        fetcher.fetch(httpserver.url_for("/big"), max_bytes=1000)


def test_loopback_is_refused_without_allow_private(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type=HTML)
    strict = FetchOptions(cache_dir=str(tmp_path), host_delay=0.0)
    with (
        Fetcher(strict) as fetcher,
        pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1") as info,
    ):
        fetcher.fetch(httpserver.url_for("/a"))
    assert info.value.code is Code.FETCH_REFUSED
    assert httpserver.log == []  # not even robots.txt was requested


def test_redirect_to_127_0_0_1_is_refused(tmp_path: Path) -> None:
    # The first hop is on 127.0.0.2, which this test exempts from the guard; 127.0.0.1 is not.
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    try:
        _no_robots(server)
        target = "http://127.0.0.1:9/latest/meta-data"
        server.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
        guarded = FetchOptions(allowed_networks=("127.0.0.2/32",), cache_dir=str(tmp_path), host_delay=0.0)
        with Fetcher(guarded) as fetcher, pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"):
            fetcher.fetch(server.url_for("/go"))
    finally:
        server.clear()
        server.stop()


def test_redirect_loop_is_stopped(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(httpserver.url_for("/a"))


def test_redirect_chain_is_capped(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    for i in range(10):
        httpserver.expect_request(f"/r{i}").respond_with_data(
            "", status=302, headers={"Location": f"/r{i + 1}"}
        )
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.fetch(httpserver.url_for("/r0"))


def test_redirect_is_followed(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(PAGE, content_type=HTML)
    with Fetcher(options) as fetcher:
        page = fetcher.fetch(httpserver.url_for("/old"))
    assert page.url.endswith("/new")


def test_bad_charset_is_decoded(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    body = "<html><body><p>Caf\u00e9 owners say the na\u00efve diet helps.</p></body></html>"
    httpserver.expect_request("/latin").respond_with_data(
        body.encode("latin-1"), content_type="text/html; charset=no-such-charset"
    )
    with Fetcher(options) as fetcher:
        raw = read(SourceRef(httpserver.url_for("/latin"), "url"), fetcher=fetcher)
    assert "Caf\u00e9" in raw.content
    assert raw.media_type == "html"


def test_wrong_content_type_is_refused(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/img").respond_with_data(b"\x89PNG", content_type="image/png")
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="content type image/png"):
        fetcher.fetch(httpserver.url_for("/img"))


def test_cache_revalidates_with_304(httpserver: HTTPServer, options: FetchOptions) -> None:
    _no_robots(httpserver)

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(PAGE, content_type=HTML, headers={"ETag": '"v1"'})

    httpserver.expect_request("/cached").respond_with_handler(handler)
    with Fetcher(options) as fetcher:
        first = fetcher.fetch(httpserver.url_for("/cached"))
    with Fetcher(options) as fetcher:  # a new process on a re-run
        second = fetcher.fetch(httpserver.url_for("/cached"))
    assert not first.from_cache
    assert second.from_cache
    assert second.body == first.body
    requests = [req for req, _ in httpserver.log if req.path == "/cached"]
    assert requests[1].headers.get("If-None-Match") == '"v1"'


def test_host_delay_spaces_requests(httpserver: HTTPServer, tmp_path: Path) -> None:
    _no_robots(httpserver)
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type=HTML)
    polite = FetchOptions(allow_private=True, cache_dir=str(tmp_path), host_delay=0.3, respect_robots=False)
    started = time.monotonic()
    with Fetcher(polite) as fetcher:
        for _ in range(3):
            fetcher.fetch(httpserver.url_for("/a"))
    assert time.monotonic() - started >= 0.55  # three requests, two gaps of 0.3 s


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata (link-local)
        ("100.100.100.200", False),  # CGNAT range, also used for metadata
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("fd00:ec2::254", False),
        ("0.0.0.0", False),
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
    ],
)
def test_address_classification(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_policy_refuses_a_name_resolving_to_loopback() -> None:
    with pytest.raises(FetchError, match="non-public"):
        AddressPolicy().resolve("localhost", 80)
    assert AddressPolicy(allow_private=True).resolve("localhost", 80)


def test_non_http_scheme_is_refused(options: FetchOptions) -> None:
    with Fetcher(options) as fetcher, pytest.raises(FetchError, match="only http and https"):
        fetcher.fetch("file:///etc/passwd")


def test_connection_goes_to_the_checked_address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """DNS rebinding: a name that answers an allowed address once and loopback after is pinned."""
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2"])
    lookups: list[str] = []

    def rebinding(host: str, port: object, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        lookups.append(host)
        address = next(answers, "127.0.0.1")  # later answers point at loopback
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        server.expect_request("/a").respond_with_data(PAGE, content_type=HTML)
        guarded = FetchOptions(
            allowed_networks=("127.0.0.2/32",), cache_dir=str(tmp_path), host_delay=0.0, respect_robots=False
        )
        with Fetcher(guarded) as fetcher:
            page = fetcher.fetch(f"http://rebind.test:{server.port}/a")
        assert page.status == 200
        assert lookups == ["rebind.test"]  # resolved once; the socket went to that very address
        with Fetcher(guarded) as fetcher, pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"):
            fetcher.fetch(f"http://rebind.test:{server.port}/a")  # the rebound answer is refused
    finally:
        server.clear()
        server.stop()


def test_host_concurrency_is_shared_across_fetchers(httpserver: HTTPServer, tmp_path: Path) -> None:
    active: list[int] = []
    peak: list[int] = [0]
    lock = threading.Lock()

    def slow(_: Request) -> Response:
        with lock:
            active.append(1)
            peak[0] = max(peak[0], len(active))
        time.sleep(0.2)
        with lock:
            active.pop()
        return Response(PAGE, content_type=HTML)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    one_at_a_time = FetchOptions(
        allow_private=True, cache_dir=str(tmp_path), host_delay=0.0, host_concurrency=1, respect_robots=False
    )

    def worker() -> None:
        with Fetcher(one_at_a_time) as fetcher:  # separate fetchers, as in separate processes
            fetcher.fetch(httpserver.url_for("/slow"))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1
