"""Extraction of the article from HTML pages marked up in ways other than <p> paragraphs."""

from __future__ import annotations

import pytest

from pipeline.cleaning import cleaned_text
from pipeline.document import BlockKind
from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import process_text

PARAGRAPHS = [
    "Iron deficiency is the most common nutritional deficiency in the world, and it affects "
    "women of childbearing age more often than other adults.",
    "The body needs iron to make haemoglobin, the protein in red blood cells that carries "
    "oxygen from the lungs to the rest of the body.",
    "Heavy menstrual bleeding, pregnancy and a diet low in meat are the usual causes, while "
    "bleeding in the gut is a cause that doctors check for in older adults.",
    "A blood test measures haemoglobin and ferritin, the protein that stores iron, and the "
    "results tell a doctor how low the stores have fallen.",
]

PAGE = """<!DOCTYPE html><html><head><title>Iron deficiency | Example Health</title></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></nav>
<article><h1>Iron deficiency</h1>
<div class="entry-content">
{first}<br><br>
{second}<br>
<br>
<h2>Causes and diagnosis</h2>
{third}<br><br><br>
{fourth}
<ul><li>Tiredness and shortness of breath during everyday activity</li>
<li>Pale skin and brittle nails that break easily</li></ul>
</div></article>
<section class="comments"><p>Nice post, thanks for sharing this with us!</p></section>
<footer>Copyright 2024 Example Health. Privacy policy.</footer>
</body></html>"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset()


def _page() -> str:
    first, second, third, fourth = PARAGRAPHS
    return PAGE.format(first=first, second=second, third=third, fourth=fourth)


def test_paragraphs_separated_by_double_line_breaks_are_all_kept_as_paragraphs(ruleset: RuleSet) -> None:
    doc = process_text(_page(), ruleset, media_type="html")
    paragraphs = [doc.text[b.start : b.end] for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert paragraphs[:4] == PARAGRAPHS  # each its own block, none dropped, none run together
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert "Causes and diagnosis" in headings
    items = [doc.text[b.start : b.end] for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        "Tiredness and shortness of breath during everyday activity",
        "Pale skin and brittle nails that break easily",
    ]
    cleaned = cleaned_text(doc)
    for chrome in ("About us", "Nice post", "Copyright 2024"):
        assert chrome not in cleaned


def test_a_single_line_break_stays_inside_its_paragraph(ruleset: RuleSet) -> None:
    page = (
        "<html><body><article><div>"
        + "<h2>Symptoms</h2>"
        + PARAGRAPHS[0]
        + "<br>"
        + PARAGRAPHS[1]
        + "<br><br>"
        + PARAGRAPHS[2]
        + "</div></article></body></html>"
    )
    doc = process_text(page, ruleset, media_type="html")
    paragraphs = [doc.text[b.start : b.end] for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert paragraphs == [f"{PARAGRAPHS[0]} {PARAGRAPHS[1]}", PARAGRAPHS[2]]


FLAT_PAGE = """<!DOCTYPE html><html><head><title>Iron deficiency</title></head><body>
<div>We use cookies to improve your experience on this website. <a href="/privacy">Learn more</a></div>
<div><div><a href="/">Example Health</a></div><div><ul><li><a href="/news">News</a></li>
<li><a href="/about">About us</a></li></ul></div></div>
<div><div><h1>Iron deficiency</h1>
<div>
<p>{first}</p>
<h2>Causes</h2>
<p>{second}</p>
<ul><li>Heavy menstrual periods that last longer than a week</li>
<li>A diet with little meat, fish or leafy vegetables</li></ul>
<h2>Diagnosis</h2>
<p>{third}</p>
<p>{fourth}</p>
</div></div>
<div><h3>2 Comments</h3><div>Brian</div><p>Nice post, thanks for sharing this with us!</p>
<div>Kevo</div><p>Very helpful, my mother has this and your article explained a lot to us.</p></div>
<div><h3>Never miss an update</h3><p>Join 20,000 readers who get our weekly wellness digest.</p></div>
</div>
<div>Copyright 2024 Example Health. All rights reserved.</div>
</body></html>"""


def test_a_page_without_article_tags_or_class_names_keeps_headings_and_lists_and_drops_chrome(
    ruleset: RuleSet,
) -> None:
    first, second, third, fourth = PARAGRAPHS
    page = FLAT_PAGE.format(first=first, second=second, third=third, fourth=fourth)
    doc = process_text(page, ruleset, media_type="html")
    blocks = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert (BlockKind.HEADING, "Causes") in blocks
    assert (BlockKind.HEADING, "Diagnosis") in blocks
    assert (BlockKind.LIST_ITEM, "A diet with little meat, fish or leafy vegetables") in blocks
    assert [text for kind, text in blocks if kind is BlockKind.PARAGRAPH] == PARAGRAPHS
    cleaned = cleaned_text(doc)
    for chrome in ("We use cookies", "About us", "Nice post", "Very helpful", "Join 20,000", "Copyright"):
        assert chrome not in cleaned


def test_bylines_tag_lines_and_author_notes_inside_the_article_are_dropped_without_class_names(
    ruleset: RuleSet,
) -> None:
    first, second, third, _ = PARAGRAPHS
    page = f"""<html><body><article><h1>Iron deficiency</h1>
<div>By Jane Doe | March 3, 2024 | 6 min read</div>
<p>{first}</p><p>By March, most of the women in the trial had normal ferritin levels again.</p>
<p>{second}</p><p>{third}</p>
<div>Tags: iron, anaemia, nutrition</div>
<div>Jane Doe is a freelance health writer who covers nutrition for Example Health.</div>
</article></body></html>"""
    cleaned = cleaned_text(process_text(page, ruleset, media_type="html"))
    for furniture in ("Jane Doe", "6 min read", "Tags:"):
        assert furniture not in cleaned
    assert "By March, most of the women in the trial had normal ferritin levels again." in cleaned
    assert all(paragraph in cleaned for paragraph in (first, second, third))


def test_an_article_cut_into_one_container_per_heading_is_kept_whole(ruleset: RuleSet) -> None:
    first, second, third, fourth = PARAGRAPHS
    long_section = "".join(f"<p>{p}</p>" for p in (second, third, fourth) * 3)
    page = f"""<html><body>
<div><a href="/">Example Health</a> <a href="/about">About us</a></div>
<div><div><h1>Iron deficiency</h1>
<div><h2>What is iron deficiency?</h2><p>{first}</p></div>
<div><h2>Causes</h2>{long_section}</div>
<div><h2>Treatment</h2><ul><li>Iron tablets taken every other day are absorbed as well as daily ones.</li>
<li>Vitamin C taken with the tablets helps the gut absorb more of the iron they contain.</li></ul></div>
</div>
<div><h3>1 Comment</h3><p>Very helpful, my mother has this condition and your article explained a lot to us.</p></div>
</div></body></html>"""
    doc = process_text(page, ruleset, media_type="html")
    cleaned = cleaned_text(doc)
    for kept in (first, "Treatment", "Vitamin C taken with the tablets", "What is iron deficiency?"):
        assert kept in cleaned
    for chrome in ("About us", "Very helpful"):
        assert chrome not in cleaned
