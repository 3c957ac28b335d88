"""Security: the text path opens no socket, rule files cannot run code, reports escape pages."""

from __future__ import annotations

import re
import socket

import pytest

from cli import main

HOSTILE_PAGES = {
    "script.html": "<html><body><p>A remarkable cure.</p><script>alert(1)</script><p>&lt;script&gt;alert(2)&lt;/script&gt; in text, a miracle.</p></body></html>",
    "handlers.html": '<html><body><p>This miracle pill <img src=x onerror=alert(1)> works. <a href="javascript:alert(3)">click here</a> now.</p></body></html>',
    "breakout.html": "<html><body><p>Remarkable &quot;&gt;&lt;/mark&gt;&lt;svg onload=alert(4)&gt; results in a cure.</p></body></html>",
    "entities.html": "<html><body><p>&#x3C;iframe src=javascript:alert(5)&#x3E; is a miracle cure.</p></body></html>",
}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the text path opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "html"])
def test_checking_files_opens_no_socket(runner, tmp_path, no_network, fmt):
    for name, page in HOSTILE_PAGES.items():
        (tmp_path / name).write_text(page, encoding="utf-8")
    (tmp_path / "note.md").write_text("See [the offer](https://shop.example.com/buy). A miracle cure.\n")
    result = runner.invoke(main, ["check", "--format", fmt, str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output


def test_clean_and_summarize_open_no_socket(runner, tmp_path, no_network):
    page = tmp_path / "page.html"
    page.write_text(HOSTILE_PAGES["handlers.html"], encoding="utf-8")
    assert runner.invoke(main, ["clean", str(page)]).exit_code == 0
    assert runner.invoke(main, ["summarize", str(page)]).exit_code == 0


def test_yaml_tags_cannot_run_code(runner, tmp_path):
    pack = tmp_path / "styles" / "Evil"
    pack.mkdir(parents=True)
    marker = tmp_path / "pwned"
    (pack / "Run.yml").write_text(
        f"extends: existence\nmessage: !!python/object/apply:os.system ['touch {marker}']\n"
        "level: warning\ntokens: [x]\n",
        encoding="utf-8",
    )
    note = tmp_path / "a.txt"
    note.write_text("text\n")
    result = runner.invoke(main, ["check", "--rules", str(tmp_path / "styles"), str(note)])
    assert result.exit_code == 2
    assert re.search(r"Run\.yml:2: ", result.output)
    assert not marker.exists()


def test_html_report_escapes_hostile_pages(runner, tmp_path):
    for name, page in HOSTILE_PAGES.items():
        (tmp_path / name).write_text(page, encoding="utf-8")
    report = tmp_path / "report.html"
    result = runner.invoke(main, ["check", "--format", "html", "-o", str(report), str(tmp_path)])
    assert result.exit_code == 1, result.output
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]+\son(?:error|load)\s*=", html, flags=re.I)
    assert "javascript:" not in re.sub(r"&[a-z#0-9]+;", "", " ".join(re.findall(r"<[^>]+>", html))).lower()
    assert "Content-Security-Policy" in html
