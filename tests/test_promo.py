"""Promo and spam removal: each kind of injection goes, every genuine sentence stays.

All texts are written for these tests. A short on-topic article surrounds each injection,
so the topic signals have something to compare with.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cli import main
from pipeline import promo
from pipeline.checks.signal import SignalCheck
from pipeline.cleaning import cleaned_text
from pipeline.document import Category, Document, Sentence
from pipeline.promo_signals import is_trusted, product_mention
from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import process_text

ARTICLE = [
    "Asthma is a long-term condition that affects the airways in the lungs.",
    "During an asthma attack the airways narrow and breathing becomes difficult.",
    "Common asthma triggers include pollen, dust mites, smoke and cold air.",
    "Most people with asthma use an inhaler to relieve symptoms quickly.",
    "A preventer inhaler reduces swelling in the airways over time.",
    "Doctors diagnose asthma with breathing tests and a review of symptoms.",
    "Children with asthma often have fewer symptoms as they grow older.",
    "An asthma action plan tells patients what to do when symptoms get worse.",
    "Regular reviews help doctors adjust asthma treatment.",
]


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_ruleset()


def article(*extra: str, at: int = 4) -> str:
    """The asthma article with ``extra`` paragraphs inserted after paragraph ``at``."""
    paragraphs = ["Asthma", *ARTICLE[:at], *extra, *ARTICLE[at:]]
    return "\n\n".join(paragraphs) + "\n"


def run(ruleset: RuleSet, text: str, media_type: str = "text") -> tuple[Document, str]:
    doc = process_text(text, ruleset, media_type)
    assert not doc.errors
    return doc, cleaned_text(doc)


def norm(text: str) -> str:
    return " ".join(text.split())


def assert_genuine_kept(cleaned: str) -> None:
    for sentence in ARTICLE:
        assert sentence in norm(cleaned)


# --- each kind of injection --------------------------------------------------------------


@pytest.mark.parametrize(
    ("spam", "kind"),
    [
        (
            "Also check out Nine celebrity breakups and Cheap phones this month on buzz-example.com.",
            "linkbait",
        ),
        (
            "People who liked this story also read Summer fashion secrets, only at trend-example.net.",
            "linkbait",
        ),
        (
            "If you love a flutter on online roulette for real money, remember that rest matters too.",
            "bridge",
        ),
        ("Whether you enjoy sports betting or a quiet night in, fresh air helps everyone.", "bridge"),
        ("Busy students can hire a paper writing service and get more sleep before exams.", "bridge"),
        ("Just as traders of forex signals need calm, patients need a steady routine.", "bridge"),
        ("I highly recommend BreathEasy Plus from Example Naturals Ltd to anyone with a cough.", "pitch"),
        ("Visit our official AirMax Pro store to order your supply today.", "pitch"),
        ("You can order tramadol online without a prescription from our pharmacy.", "pitch"),
        ("LungVita by Example Herbals Pvt. Ltd. is the number one choice of doctors for breathing.", "pitch"),
        ("For more details click here.", "orphan"),
        ("Best {{service}} clinic in {{town}} - call {{number}} today!", "residue"),
        ("<?php the_field('sidebar_offer'); ?>", "residue"),
        ('[related_posts count="4"]', "residue"),
        (
            "Searching for a cheap inhaler online? Our cheap inhaler online review says the cheap inhaler online is best.",
            "stuffing",
        ),
    ],
)
def test_injected_paragraph_is_removed(ruleset, spam, kind):
    doc, cleaned = run(ruleset, article(spam))
    assert norm(spam) not in norm(cleaned), kind
    assert doc.removals
    assert_genuine_kept(cleaned)


def test_spam_sentence_inside_a_genuine_paragraph_goes_alone(ruleset):
    spam = "Grab real money bonuses at the newest online casino tonight."
    paragraph = f"{ARTICLE[0]} {spam} {ARTICLE[1]}"
    text = "\n\n".join(["Asthma", paragraph, *ARTICLE[2:]]) + "\n"
    _, cleaned = run(ruleset, text)
    assert "casino" not in cleaned
    assert_genuine_kept(cleaned)


@pytest.mark.parametrize(
    "cta",
    [
        "Don't forget to visit deals-example.com for more.",
        "Dont for get to visit this link for offers",
        "Head over to bargain-example.shop for exclusive discounts.",
        "Be sure to check out these amazing deals today!",
    ],
)
@pytest.mark.parametrize("joiner", ["", " "])
def test_glued_call_to_action_is_cut_and_the_sentence_kept(ruleset, cta, joiner):
    glued = ARTICLE[3] + joiner + cta
    doc, cleaned = run(ruleset, article(glued, at=3).replace(ARTICLE[3] + "\n\n" + glued, glued))
    assert norm(cta) not in norm(cleaned)
    assert ARTICLE[3] in norm(cleaned)
    assert_genuine_kept(cleaned)
    assert any(r.kind == "cta_glued" for r in doc.removals)


def test_orphan_reference_is_cut_from_its_sentence(ruleset):
    sentence = "Cold air can tighten the airways quickly as explained here."
    doc, cleaned = run(ruleset, article(sentence))
    assert "Cold air can tighten the airways quickly." in norm(cleaned)
    assert "explained here" not in cleaned
    removal = next(r for r in doc.removals if r.kind == "orphan_anchor")
    assert doc.text[removal.start : removal.end].strip() == "as explained here"


def test_orphan_anchor_link_in_markdown_takes_the_link_markup(ruleset):
    sentence = "Cold air can tighten the airways quickly, as described [here](https://hub-example.xyz/go/7)."
    _doc, cleaned = run(ruleset, article(sentence), "markdown")
    assert "hub-example" not in cleaned
    assert "Cold air can tighten the airways quickly." in norm(cleaned)


def test_a_markdown_link_whose_text_is_wrapped_over_two_lines_is_still_a_link(ruleset):
    sentence = "Cold air can tighten the airways quickly, as explained in\n[this\nlink](https://hub-example.xyz/go/7)."
    doc, cleaned = run(ruleset, article(sentence), "markdown")
    assert [link.href for link in doc.links] == ["https://hub-example.xyz/go/7"]
    assert "hub-example" not in cleaned
    # The lead-in goes with the link, as it does on one line and in HTML.
    assert "Cold air can tighten the airways quickly." in norm(cleaned)
    assert "explained in" not in cleaned


def test_foreign_keyword_is_removed_and_reported_and_the_sentence_kept(ruleset):
    sentence = "Inhaled steroids (asthma spray kaufen ohne rezept) calm the swollen airways."
    doc, cleaned = run(ruleset, article(sentence))
    assert "Inhaled steroids calm the swollen airways." in norm(cleaned)
    assert "kaufen" not in cleaned
    removal = next(r for r in doc.removals if r.rule == "Promo.ForeignKeyword")
    assert removal.kind == "foreign_keyword"
    assert "kaufen" in " ".join(removal.evidence)


@pytest.mark.parametrize("media_type", ["text", "markdown"])
def test_a_foreign_keyword_wrapped_over_a_line_break_goes_whole(ruleset, media_type):
    sentence = "Doctors often prescribe inhaled steroids (asthma spray kaufen\nohne rezept) to calm the swollen airways."
    _, cleaned = run(ruleset, article(sentence), media_type)
    assert "Doctors often prescribe inhaled steroids to calm the swollen airways." in norm(cleaned)
    assert "rezept" not in cleaned


def test_unbracketed_foreign_keyword_takes_the_subject_words_with_it(ruleset):
    sentence = "Children may asthma inhalator goedkoop use a spacer with their inhaler."
    _, cleaned = run(ruleset, article(sentence))
    assert "goedkoop" not in cleaned
    assert "Children may use a spacer with their inhaler." in norm(cleaned)


def test_foreign_keyword_in_a_heading_is_removed(ruleset):
    text = article("Asthma antes y después: What Changes With Treatment")
    _doc, cleaned = run(ruleset, text)
    assert "What Changes With Treatment" in cleaned
    assert "después" not in cleaned


def test_html_link_evidence_and_rel(ruleset):
    html = (
        "<html><head><title>Asthma</title></head><body><article><h1>Asthma</h1>"
        + "".join(f"<p>{s}</p>" for s in ARTICLE[:5])
        + '<p>Relax after work with <a rel="sponsored" href="https://spin-example.com/x">free spins</a>'
        " at our favourite online casino.</p>"
        + "".join(f"<p>{s}</p>" for s in ARTICLE[5:])
        + "</article></body></html>"
    )
    doc, cleaned = run(ruleset, html, "html")
    assert "free spins" not in cleaned
    assert_genuine_kept(cleaned)
    evidence = " ".join(e for r in doc.removals for e in r.evidence)
    assert "Promo.MarkedLink" in evidence


# --- false-positive traps: genuine text that must be kept ---------------------------------


@pytest.mark.parametrize(
    "genuine",
    [
        "Source: BBC",
        "Read our article on using a peak flow meter for more about daily checks.",
        "If your inhaler does not help, call the clinic on 0123 456 789 or dial your local emergency number.",
        "The FDA warned that BrandX pills contained hidden sildenafil.",
        "This article is for information only and is not a substitute for professional medical advice.",
        "Up-to-date asthma statistics are published at cdc.gov and nih.gov.",
        "Some inhalers are available without a prescription in some countries.",
        "We recommend a review with your nurse every year.",
        "Visit your doctor if you need your reliever inhaler more than three times a week.",
        "Café au lait spots are not linked to asthma.",
        "Guillain-Barré syndrome and Ménière's disease are not asthma triggers.",
        "Gambling with your health by skipping your preventer inhaler is risky.",
    ],
)
def test_genuine_sentence_is_kept(ruleset, genuine):
    doc, cleaned = run(ruleset, article(genuine))
    assert norm(genuine) in norm(cleaned), [r.evidence for r in doc.removals]
    assert not doc.removals


def test_same_site_link_and_institutional_citation_are_kept(ruleset):
    text = article(
        "Read our article on [peak flow meters](/asthma/peak-flow) to learn more.",
        "The [CDC](https://www.cdc.gov/asthma/) and [NIH](https://www.nih.gov/) publish asthma guidance.",
    )
    doc, _ = run(ruleset, text, "markdown")
    assert not doc.removals


def test_article_about_a_vertical_is_not_promotion(ruleset):
    text = "\n\n".join(
        [
            "Gambling disorder",
            "Gambling disorder is a mental health condition.",
            "People with the condition keep betting even when they lose money.",
            "Casino visits, lottery tickets and online betting can all become a problem.",
            "Many people hide their gambling from family and friends.",
            "Debt and stress often follow heavy gambling.",
            "Talking therapy helps people change their gambling habits.",
            "Support groups help people stay away from casinos and betting shops.",
            "Some medicines reduce the urge to gamble.",
        ]
    )
    doc, _ = run(ruleset, text)
    assert not doc.removals


def test_repeated_condition_name_in_a_list_is_not_stuffing(ruleset):
    text = article(
        "Asthma care in adults - Asthma care in children - Asthma care in pregnancy",
        "Benign asthma, mild asthma and seasonal asthma are informal names, not diagnoses.",
    )
    doc, _ = run(ruleset, text)
    assert not doc.removals


@pytest.mark.parametrize("media_type", ["text", "markdown"])
def test_stuffing_hard_wrapped_at_a_width_is_removed_as_when_unwrapped(ruleset, media_type):
    stuffed = (
        "Searching for a cheap inhaler online? Our cheap inhaler online review says the cheap "
        "inhaler online is best for you."
    )
    paragraphs = ["Asthma", " ".join(ARTICLE[:4]), stuffed, " ".join(ARTICLE[4:])]
    text = "\n\n".join(textwrap.fill(p, 60) for p in paragraphs) + "\n"
    _, cleaned = run(ruleset, text, media_type)
    assert "cheap inhaler" not in cleaned
    assert_genuine_kept(cleaned)


def test_a_sales_phrase_wrapped_over_a_line_break_is_still_the_phrase(ruleset):
    spam = "Our best\nselling inhaler ships free, order online today."
    doc, cleaned = run(ruleset, article(spam), "markdown")
    assert "inhaler ships" not in cleaned
    assert any("'best selling'" in e for r in doc.removals for e in r.evidence)
    assert_genuine_kept(cleaned)


def test_short_lines_in_a_markdown_paragraph_are_list_items_not_wrapped_prose(ruleset):
    items = "Asthma care in adults\nAsthma care in children\nAsthma care in pregnancy"
    doc, _ = run(ruleset, article(items), "markdown")
    assert not doc.removals


# --- reporting and the CLI ----------------------------------------------------------------


def test_every_removal_names_rule_kind_evidence_and_offsets(ruleset):
    doc, _ = run(ruleset, article("Visit our official AirMax Pro store to order your supply today."))
    removal = doc.removals[0]
    assert removal.rule.startswith("Promo.")
    assert removal.kind == "product_pitch"
    assert removal.evidence and all(": " in e for e in removal.evidence)
    assert doc.text[removal.start : removal.end].startswith("Visit our official")
    findings = [f for f in doc.reported_findings() if f.category.value == "promo"]
    assert [f.rule for f in findings] == [removal.rule]


def test_clean_keep_marked_shows_removals_in_place(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article("For more details click here."), encoding="utf-8")
    plain = runner.invoke(main, ["clean", str(path)])
    marked = runner.invoke(main, ["clean", "--keep-marked", str(path)])
    assert plain.exit_code == 0 and marked.exit_code == 0
    assert "click here" not in plain.output
    assert "[-removed Promo.ClickHere: For more details click here.-]" in marked.output
    assert ARTICLE[0] in marked.output


def test_check_lists_removals_as_promo_findings(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article("Order cheap xanax online at pills-example.com today."), encoding="utf-8")
    result = runner.invoke(main, ["check", str(path)])
    assert "Promo." in result.output


def test_a_leading_click_here_takes_its_purpose_clause_with_it():
    from pipeline.cleaning import cleaned_text
    from pipeline.ruleset import load_ruleset
    from pipeline.run import process_text

    text = "# Sleep\n\nCoffee late in the day cut sleep quality in a small trial.\nClick here to buy our sleep gummies today.\n"
    cleaned = cleaned_text(process_text(text, load_ruleset(), media_type="markdown"))
    assert "gummies" not in cleaned
    assert "Coffee late in the day cut sleep quality in a small trial." in cleaned


# --- the register of an advertisement -----------------------------------------------------

BUYING_SAFELY = [
    "Many people buy medicines online to save time or money.",
    "Prices at online pharmacies can look lower than at a local store.",
    "Some sites that sell medicines do not ask for a prescription.",
    "Medicines bought from such sites may be fake or unsafe to buy.",
    "A licensed pharmacy always asks for a prescription before it can sell you a medicine.",
    "Regulators publish a list of licensed online pharmacies that are safe to buy from.",
    "Check the list before you buy from a site you do not know.",
    "Lower prices are no use if the medicine does not work or harms you.",
    "Ask your pharmacist if you are unsure where to buy your medicines.",
]


def test_shop_words_in_a_teaser_remove_it_with_a_second_cue(ruleset: RuleSet) -> None:
    spam = "Our store has the lowest prices and weekly giveaways, see shop-example.com."
    doc, cleaned = run(ruleset, article(spam))
    assert "giveaways" not in cleaned
    assert any(note.startswith("Promo.SalesRegister:") for r in doc.removals for note in r.evidence)
    assert_genuine_kept(cleaned)


def test_shop_words_are_no_evidence_in_an_article_about_buying_medicines(ruleset: RuleSet) -> None:
    text = "Buying medicines safely\n\n" + "\n\n".join(BUYING_SAFELY) + "\n"
    doc, cleaned = run(ruleset, text)
    assert not doc.removals
    assert all(sentence in norm(cleaned) for sentence in BUYING_SAFELY)


# --- domains, and Markdown links read as they render ----------------------------------------


def test_an_off_topic_sentence_naming_a_shop_site_is_removed(ruleset: RuleSet) -> None:
    spam = "The season's best football boots and matching jerseys are reviewed at kicks-example.com."
    _, cleaned = run(ruleset, article(spam))
    assert "kicks-example" not in cleaned
    assert_genuine_kept(cleaned)


def test_a_sentence_glued_to_the_next_names_no_site(ruleset: RuleSet) -> None:
    glued = "Asthma can start at any age.It often begins in childhood, and symptoms vary from week to week."
    doc, _ = run(ruleset, article(glued))
    assert not any("names the site" in note for r in doc.removals for note in r.evidence)


def test_a_markdown_link_to_an_institutional_site_is_kept(ruleset: RuleSet) -> None:
    cited = "See the [NHS page on asthma](https://www.nhs.uk/conditions/asthma/) for more detail."
    doc, cleaned = run(ruleset, article(cited), "markdown")
    assert not doc.removals
    assert cited in cleaned


def test_a_call_to_action_around_a_markdown_link_reads_as_rendered(ruleset: RuleSet) -> None:
    spam = "Visit our official [BreathMax](https://shop-example.in/shop) page to order your supply today."
    doc, cleaned = run(ruleset, article(spam), "markdown")
    assert "BreathMax" not in cleaned
    evidence = [note for r in doc.removals for note in r.evidence]
    assert any(note.startswith("Promo.VisitCallToAction:") for note in evidence)
    assert_genuine_kept(cleaned)


def test_an_email_address_names_no_site(ruleset: RuleSet) -> None:
    contact = "Readers with questions about asthma can write to the author at jdoe@breathe-example.com."
    doc, _ = run(ruleset, article(contact))
    assert not any("names the site" in note for r in doc.removals for note in r.evidence)
    sentences = [doc.text[s.start : s.end] for s in doc.sentences()]
    assert contact in sentences
    named = next(c for r, c in ruleset.by_category(Category.PROMO) if r.id == "Promo.NamedSite")
    assert isinstance(named, SignalCheck)
    assert not list(named.evidence(doc))


def test_a_coined_brand_with_an_endorsement_is_a_pitch_and_a_generic_supplement_is_not(
    ruleset: RuleSet,
) -> None:
    pitch = "Thousands of women trust MamaGlow supplements for healthy lungs."
    genuine = "Vitamin D supplements help people with asthma who get little sun."
    doc, cleaned = run(ruleset, article(pitch, genuine))
    assert "MamaGlow" not in cleaned
    assert genuine in norm(cleaned)
    evidence = [note for r in doc.removals for note in r.evidence]
    assert any(note.startswith("Promo.ProductName:") for note in evidence)
    assert_genuine_kept(cleaned)


def test_a_product_word_names_the_brand_of_its_own_sentence_only(ruleset: RuleSet) -> None:
    check = next(c for r, c in ruleset.by_category(Category.PROMO) if r.id == "Promo.ProductName")
    assert isinstance(check, SignalCheck)
    text = "Asthma\n\nThe trial ended in May. OsteoMax capsules were not part of it. Vitamin C 500 mg tablets are cheap.\n"
    doc, _ = run(ruleset, text)
    clues = list(product_mention(doc, check.options))
    assert [doc.text[c.start : c.end] for c in clues] == ["OsteoMax capsules"]


# --- pitches in a customer's or a seller's voice ----------------------------------------------


@pytest.mark.parametrize(
    "spam",
    [
        "My snoring stopped after one week of NasoClear spray, and my wife finally sleeps.",
        "Our herbal clinic in Westlands offers a guaranteed cure for asthma in 30 days.",
        "Doctors are amazed by the results of BreathMax Pro tablets.",
        "I used AirFlow drops for a month and my wheezing vanished, God bless the makers.",
        "Send us a message to get the price list for our inhalers.",
        "Hit the subscribe button and turn on notifications for more asthma tips.",
        "Looking for a trusted supplier of cheap inhalers? We deliver nationwide.",
        "Claim your free voucher before Friday, terms apply.",
        "Auntie Rose's herbal syrup has helped thousands of families breathe again.",
        "Grab a tub of LungEase balm now for only KSh 900 instead of KSh 1,500.",
        # orphaned widgets, other sections, recruiting sellers, service adverts, query lists
        "Watch the video above to see the results for yourself.",
        "Full details are in the attached brochure.",
        "Our entertainment section has the juiciest celebrity gossip of the week.",
        "Stockists needed in every county: become a distributor of BreathWell tea today.",
        "Moving house is stressful, so hiring trusted movers is one of the best things you can do for your health.",
        "Best asthma clinic in Leeds, cheap asthma clinic Leeds, asthma clinic near me Leeds.",
        # stop 16: numbers and handles to order on, page furniture, teasers, shop idioms
        "Chat with us on WhatsApp 0722 481 390 for same-day delivery anywhere in Nairobi.",
        "Contact our sales rep on 0803 111 2233 for bulk orders and distributor enquiries.",
        "DM @breathwell.ke on Instagram to reserve your pack.",
        "Press the play button above to hear the full interview.",
        "ALSO READ: Football coach finally breaks his silence on the cup exit.",
        "Our LungEase capsules are flying off the shelves this month.",
        "inhaler Leeds, best inhaler price Leeds, cheap inhalers near me, inhaler shop Leeds, inhalers online Leeds",
    ],
)
def test_promotion_worded_as_customers_and_sellers_word_it_is_removed(ruleset: RuleSet, spam: str) -> None:
    _, cleaned = run(ruleset, article(spam))
    assert spam not in norm(cleaned)
    assert_genuine_kept(cleaned)


def test_a_click_here_inside_a_removed_pitch_is_named_in_its_evidence(ruleset: RuleSet) -> None:
    doc, _ = run(ruleset, article("Click here to claim your free sample of OsteoMax capsules."))
    evidence = [note for r in doc.removals for note in r.evidence]
    assert any(note.startswith("Promo.ClickHere:") for note in evidence)


def test_prices_and_patient_stories_in_genuine_writing_are_kept(ruleset: RuleSet) -> None:
    genuine = [
        "A course of the inhaled steroid costs about $30 a month with insurance.",
        "After two weeks of treatment, most patients in the trial breathed more easily.",
        "The programme has helped many people with asthma stop smoking.",
    ]
    doc, cleaned = run(ruleset, article(*genuine))
    assert not doc.removals
    assert all(sentence in norm(cleaned) for sentence in genuine)


@pytest.mark.parametrize("host", ["nih.gov", "cris.nih.go.kr", "moh.gov.sg", "sante.gouv.fr", "uonbi.ac.ke"])
def test_government_and_academic_hosts_of_any_country_are_trusted(host: str) -> None:
    assert is_trusted(host)


@pytest.mark.parametrize("host", ["shopafya.co.ke", "gov-deals.com", "goshop.ke"])
def test_commercial_hosts_are_not_trusted(host: str) -> None:
    assert not is_trusted(host)


def test_a_parallel_comparison_repeating_its_frame_is_not_keyword_stuffing(ruleset: RuleSet) -> None:
    genuine = (
        "Three trials compared budesonide versus placebo, one trial compared budesonide versus "
        "montelukast, and one compared budesonide versus salmeterol."
    )
    doc, cleaned = run(ruleset, article(genuine))
    assert not doc.removals
    assert genuine in norm(cleaned)


def test_an_article_in_another_language_keeps_its_own_words(ruleset: RuleSet) -> None:
    portuguese = (
        "A asma é uma doença crônica das vias aéreas. Os sintomas incluem falta de ar, tosse e chiado "
        "no peito. O tratamento usa inaladores que reduzem a inflamação e abrem os brônquios. Nesta página "
        "você terá sempre as orientações atualizadas, com os preços dos medicamentos e as opções de "
        "tratamento disponíveis na rede pública. Consulte um médico antes de mudar a medicação."
    )
    doc, _ = run(ruleset, portuguese + "\n")
    assert not doc.removals


def test_a_foreign_word_inside_a_capitalised_name_is_no_keyword(ruleset: RuleSet) -> None:
    genuine = "The riders at the Grand Prix de Penn National wear helmets to prevent head injuries."
    doc, cleaned = run(ruleset, article(genuine))
    assert not doc.removals
    assert genuine in norm(cleaned)


def _html_article(extra: str) -> str:
    return (
        "<html><head><title>Asthma</title></head><body><article><h1>Asthma</h1>"
        + "".join(f"<p>{s}</p>" for s in ARTICLE[:4])
        + f"<p>{extra}</p>"
        + "".join(f"<p>{s}</p>" for s in ARTICLE[4:])
        + "</article></body></html>"
    )


def test_a_linked_domain_names_the_site_as_the_same_words_in_plain_text_do(ruleset: RuleSet) -> None:
    words = "The season's best football boots and matching jerseys are reviewed at {site}."
    plain = words.format(site="kicks-example.com")
    linked = words.format(site='<a href="https://kicks-example.com/">kicks-example.com</a>')
    _, cleaned_text = run(ruleset, article(plain))
    doc, cleaned_html = run(ruleset, _html_article(linked), "html")
    assert "football boots" not in cleaned_text
    assert "football boots" not in cleaned_html
    evidence = [note for r in doc.removals for note in r.evidence]
    assert any("names the site kicks-example.com" in note for note in evidence)
    assert not any("links to kicks-example.com" in note for note in evidence)  # counted once


def test_a_genuine_sentence_citing_a_linked_domain_is_kept(ruleset: RuleSet) -> None:
    cited = (
        "Yearly figures on asthma attacks and inhaler use in children are collected at "
        '<a href="https://www.asthma-stats.com/">asthma-stats.com</a>.'
    )
    doc, cleaned = run(ruleset, _html_article(cited), "html")
    assert not doc.removals
    assert "asthma-stats.com" in cleaned


@pytest.mark.parametrize(
    "genuine",
    [
        "Call 911 or your local emergency number at once if breathing stops.",
        "For free publications, call the national helpline on 0800 123 4567.",
        "Order free booklets at www.nhlbi.nih.gov or by calling 1-877-645-2448 today.",
        "The trial was registered before it began (ISRCTN 123456789).",
        "A photo of the clinic by @janedoe shows the new wing.",
        "The table below lists the doses for adults and for children.",
        "Symptoms include wheezing, coughing, chest tightness and shortness of breath.",
    ],
)
def test_helplines_registry_numbers_credits_and_figures_are_kept(ruleset: RuleSet, genuine: str) -> None:
    doc, cleaned = run(ruleset, article(genuine))
    assert genuine in norm(cleaned), [r.evidence for r in doc.removals]
    assert_genuine_kept(cleaned)


@given(
    st.text(alphabet=st.sampled_from(list("aZI b.:)\n\t\r9-")), max_size=40),
    st.integers(0, 40),
    st.integers(0, 40),
)
@example("was done. In the U.S. The next", 0, 30)
@example("ends here\n\nNew", 0, 15)  # a blank line between: a block break, no missed start
@settings(max_examples=400)
def test_missed_sentence_starts_are_found_as_the_look_behind_pattern_finds_them(text, start, end):
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    look_behind = re.compile(r"(?<=[a-z0-9:.)])[ \t]*\n?[ \t]*(?<=\s)(?=[A-Z][a-z]|I\s)")
    expected = [m.end() for m in look_behind.finditer(text, start, end)]
    assert promo._hidden_start(text, Sentence(start, end), len(text) + 1) == (
        expected[-1] if expected else None
    )


@given(st.text(alphabet=st.sampled_from(list("0123456789 ()+-x.\u00e9\u0663")), max_size=60))
@example("call 0722 481 390 or (02) 8123 4567, not 1999-2001")
def test_digit_runs_are_found_in_the_marks_where_the_regex_finds_them(text):
    from pipeline.promo_signals import _DIGIT_RUN, _digit_runs

    assert [m.span() for m in _digit_runs(text)] == [m.span() for m in _DIGIT_RUN.finditer(text)]


@given(
    st.lists(
        st.sampled_from(["Botox", "the", "of", "migraine", "it's", "3", "don\u2019t", "relief", ","]),
        max_size=12,
    ).map(" ".join),
    st.integers(min_value=0, max_value=7),
)
def test_content_words_are_read_only_as_far_as_the_count_needs(text, count):
    from pipeline.promo import _WORD, _has_content_words
    from pipeline.topic import is_content_word

    assert _has_content_words(text, count) == (sum(map(is_content_word, _WORD.findall(text))) >= count)
