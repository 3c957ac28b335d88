"""Corpus sources: JSONL, @URL lists, sitemaps (index, gzip) and RSS/Atom feeds."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from pipeline.errors import Code, InputError
from pipeline.fetch import Fetcher, FetchOptions
from pipeline.sources import expand, gunzip_capped, read

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example.org/a</loc></url>
  <url><loc> https://news.example.org/b </loc><lastmod>2024-01-01</lastmod></url>
</urlset>
"""
RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Health</title>
  <item><title>One</title><link>https://feed.example.org/1</link></item>
  <item><title>Two</title><link>https://feed.example.org/2</link></item>
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Health</title>
  <entry><title>One</title><link rel="self" href="https://atom.example.org/self"/>
    <link href="https://atom.example.org/1"/></entry>
  <entry><title>Two</title><link rel="alternate" href="https://atom.example.org/2"/></entry>
</feed>
"""


def test_jsonl_lines_become_inputs_and_a_broken_line_is_recorded(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "n1", "text": "Walking helps some people sleep."}\n'
        "{not json\n"
        '{"html": "<html><body><p>Tea may help.</p></body></html>"}\n'
        '{"url": "https://example.org/x"}\n'
        '{"title": "no body"}\n'
        "\n",
        encoding="utf-8",
    )
    refs = expand([str(corpus)])
    assert [r.kind for r in refs] == ["inline", "broken", "inline", "url", "broken"]
    assert refs[0].name == f"{corpus}#n1"
    assert read(refs[0]).content == "Walking helps some people sleep."
    assert read(refs[2]).media_type == "html"
    with pytest.raises(InputError, match="invalid JSON") as info:
        read(refs[1])
    assert info.value.code is Code.INPUT_UNREADABLE
    with pytest.raises(InputError, match="needs a 'text' or 'html'"):
        read(refs[4])


def test_url_list_file(tmp_path: Path) -> None:
    (tmp_path / "local.txt").write_text("A local article.", encoding="utf-8")
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# articles to check\nhttps://example.org/a\n\nlocal.txt\nmissing.txt\nhttps://example.org/b#frag\n",
        encoding="utf-8",
    )
    refs = expand([f"@{listing}"])
    assert [(r.kind, Path(r.name).name if r.kind != "url" else r.name) for r in refs] == [
        ("url", "https://example.org/a"),
        ("file", "local.txt"),
        ("broken", "missing.txt"),
        ("url", "https://example.org/b#frag"),
    ]


def test_url_list_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt"):
        expand([f"@{tmp_path / 'nope.txt'}"])


def test_local_sitemap_rss_and_atom(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    (tmp_path / "feed.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "atom.xml").write_text(ATOM, encoding="utf-8")
    names = [r.name for r in expand([str(tmp_path / n) for n in ("sitemap.xml", "feed.rss", "atom.xml")])]
    assert names == [
        "https://news.example.org/a",
        "https://news.example.org/b",
        "https://feed.example.org/1",
        "https://feed.example.org/2",
        "https://atom.example.org/1",
        "https://atom.example.org/2",
    ]


def test_gzipped_sitemap_index_over_http(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    index = f"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{httpserver.url_for("/part1.xml.gz")}</loc></sitemap>
  <sitemap><loc>{httpserver.url_for("/gone.xml")}</loc></sitemap>
</sitemapindex>"""
    httpserver.expect_request("/index.xml").respond_with_data(index, content_type="application/xml")
    httpserver.expect_request("/part1.xml.gz").respond_with_data(
        gzip.compress(SITEMAP.encode()), content_type="application/x-gzip"
    )
    httpserver.expect_request("/gone.xml").respond_with_data("", status=404)
    options = FetchOptions(allow_private=True, cache_dir=str(tmp_path), host_delay=0.0)
    with Fetcher(options) as fetcher:
        refs = expand([httpserver.url_for("/index.xml")], fetcher)
    assert [r.name for r in refs if r.kind == "url"] == [
        "https://news.example.org/a",
        "https://news.example.org/b",
    ]
    broken = [r for r in refs if r.kind == "broken"]
    assert len(broken) == 1
    assert "HTTP 404" in (broken[0].error or "")


def test_feed_prefix_for_a_url_without_xml_suffix(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed/").respond_with_data(RSS, content_type="application/rss+xml")
    options = FetchOptions(allow_private=True, cache_dir=str(tmp_path), host_delay=0.0)
    with Fetcher(options) as fetcher:
        refs = expand([f"feed:{httpserver.url_for('/feed/')}"], fetcher)
    assert [r.name for r in refs] == ["https://feed.example.org/1", "https://feed.example.org/2"]


def test_xml_that_is_not_a_listing_is_an_error(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<config><a/></config>", encoding="utf-8")
    with pytest.raises(InputError, match="not a sitemap or feed"):
        expand([str(other)])


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&e;</loc></url></urlset>',
        encoding="utf-8",
    )
    assert expand([str(bomb)]) == []


def test_gzip_bomb_is_cut() -> None:
    data = gzip.compress(b"\0" * (5 * 1024 * 1024))
    with pytest.raises(InputError, match="decompresses to over"):
        gunzip_capped(data, "bomb.xml.gz", max_bytes=1024 * 1024)
