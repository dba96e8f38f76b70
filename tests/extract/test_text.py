"""The flattened-text extractor on our own dumps in several outlets' furniture styles."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import pytest

from sitrep.extract.text import classify_lines, extract_text, strip_credits
from sitrep.records import Article

FIXTURES = Path(__file__).parent.parent / "fixtures" / "text"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def lines_of(name: str) -> list[str]:
    return [" ".join(line.split()) for line in load(name).splitlines() if line.strip()]


def kept(article: Article) -> list[str]:
    return [article.title or "", article.subtitle or "", *article.captions, *article.paragraphs]


# --- the seed's shape: header, dek, credited caption, body, paywall pitch ------------

SEED_FURNITURE = [
    "Skip to main content",
    "Read in",
    "Access the Syria coverage you rely on",
    "Join our community of Levant readers to get every story, including daily briefings, "
    "explainers, interviews and newsletters.",
    "Only $80 per year.",
]
SEED_CREDITS = ["(Photo by Karim SALEH / AFP)", "(Photo by KARIM SALEH/AFP via Getty Images)"]


def test_seed_shape_gives_title_dek_caption_and_body() -> None:
    lines = lines_of("seed_shape.txt")
    article = extract_text(load("seed_shape.txt"))
    assert article.title == lines[1]
    assert article.subtitle == lines[2]
    assert article.captions == (lines[3].split(" (Photo by")[0],)
    assert article.paragraphs == (lines[2], lines[5], lines[6])  # the dek leads the story
    assert article.byline is None


def test_seed_shape_drops_every_furniture_line_and_credit_in_order() -> None:
    article = extract_text(load("seed_shape.txt"))
    assert article.removed == (
        SEED_FURNITURE[0],
        *SEED_CREDITS,
        *SEED_FURNITURE[1:],
    )
    for text in kept(article):
        for furniture in [*SEED_FURNITURE, *SEED_CREDITS]:
            assert furniture not in text


def test_seed_shape_keeps_body_text_apart_from_whitespace() -> None:
    article = extract_text(load("seed_shape.txt"))
    assert "\u00a0" not in article.text
    assert "Operation Spring Shield." in article.paragraphs[1]
    assert "M4 highway" in article.paragraphs[2]
    assert all("Photo by" not in p and "picture taken" not in p for p in article.paragraphs)


def test_seed_shape_publication_date_is_inferred_from_the_latest_date() -> None:
    article = extract_text(load("seed_shape.txt"))
    assert article.published == date(2020, 3, 5)  # "March 5", year from "February 28, 2020"
    assert article.published_inferred is True


def test_seed_shape_rules_explain_each_decision() -> None:
    rules = [(line.label, line.rule) for line in classify_lines(load("seed_shape.txt"))]
    assert rules == [
        ("furniture", "skip-link"),
        ("title", "headline"),
        ("subtitle", "dek"),
        ("caption", "photo-credit"),
        ("furniture", "language-switch"),
        ("body", "paragraph"),
        ("body", "paragraph"),
        ("furniture", "paywall"),
        ("furniture", "paywall"),
        ("furniture", "paywall"),
    ]


# --- other outlets' furniture --------------------------------------------------------


def test_wire_style() -> None:
    article = extract_text(load("wire_style.txt"))
    assert article.title == "Syrian troops enter Saraqib as Turkish reinforcements pour into Idlib"
    assert article.subtitle is None  # a byline right under the title: the lede is body
    assert article.byline == "Sara Okafor, Daniel Brandt"
    assert article.captions == (
        "A Turkish military convoy drives through the town of Sarmada near the Syrian-Turkish "
        "border, Feb. 5, 2020.",
    )
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith("AMMAN (Orontes Wire) - Syrian government forces")
    assert article.paragraphs[3].startswith("“We were asleep")
    assert article.published == date(2020, 2, 6)
    for furniture in [
        "Menu",
        "World",
        "4 Min Read",
        "February 6, 2020 / 11:42 AM",
        "Share on Facebook",
        "REUTERS/Hani Musa",
        "Advertisement",
        "Reporting by Sara Okafor in Amman and Daniel Brandt in Istanbul; Editing by Peter Lund",
        "Our Standards: How we report",
        "Related Coverage",
        "Turkey says soldiers killed by Syrian shelling in Idlib",
        "© 2020 Orontes Wire. All rights reserved.",
    ]:
        assert furniture in article.removed
        assert all(furniture not in text for text in kept(article))


def test_magazine_style() -> None:
    article = extract_text(load("magazine_style.txt"))
    assert article.title == "'We sleep in the car': families stranded on Idlib's frozen border"
    assert (article.subtitle or "").startswith("As the government")
    assert article.byline == "Maya Lindqvist"
    assert article.captions == (
        "Displaced children walk between tents in a camp near the village of Kafr Lusin on "
        "18 February 2020.",
    )
    assert [p.split()[0] for p in article.paragraphs] == ["As", "Um", "Aid", "“We", "Turkey,"]
    assert article.published == date(2020, 2, 19)
    for furniture in [
        "Accept all",
        "Sign in",
        "Photograph: Rami Selim/AFP via Getty Images",
        "Wed 19 Feb 2020 09.12 GMT",
        "Related: Turkey and Russia fail to agree on Idlib ceasefire as talks stall",
        "A border that stays shut",  # a subhead: we keep body text only
        "Independent journalism from northwest Syria",  # the pitch's own headline
        "Already a subscriber? Log in",
        "Sign up for our newsletter",
        "Follow us on Twitter and Facebook",
        "Refugees",
        "Erdogan and Putin agree ceasefire in Moscow",
        "Email",
    ]:
        assert furniture in article.removed
        assert all(furniture not in text for text in kept(article))
    assert not any("cookies" in text for text in kept(article))


def test_french_dump_keeps_its_lines() -> None:
    lines = lines_of("french.txt")
    article = extract_text(load("french.txt"))
    assert article.title == lines[3]
    assert article.subtitle == lines[4]
    assert article.byline == "Claire Martin"
    assert article.captions == (lines[7].removesuffix(" (Photo : Karim Nassar / AFP)"),)
    assert article.paragraphs == (lines[4], lines[8], lines[9], lines[11])
    assert "« Nous n'avons plus nulle part où aller »" in article.paragraphs[3]
    assert article.published == date(2020, 3, 2)
    for furniture in ["Aller au contenu principal", "Lire aussi", "Partager", "Abonnez-vous"]:
        assert any(line.startswith(furniture) for line in article.removed)


def test_arabic_dump_keeps_its_lines() -> None:
    lines = lines_of("arabic.txt")
    article = extract_text(load("arabic.txt"))
    assert article.title == lines[2]
    assert article.subtitle == lines[3]
    assert article.byline == "سارة الأحمد"
    assert article.captions == ("عائلات نازحة تنتظر على الطريق قرب بلدة سرمدا شمال إدلب.",)
    assert article.paragraphs == (lines[3], lines[7], lines[9])
    assert article.published == date(2020, 2, 6)
    assert "(أ ف ب)" in article.removed
    assert "تركيا تدفع بتعزيزات عسكرية جديدة إلى إدلب" in article.removed


@pytest.mark.parametrize("name", ["french.txt", "arabic.txt"])
def test_non_english_dumps_need_no_cues_for_title_and_body(name: str) -> None:
    # Only the lines with no furniture or metadata role: layout alone must find the story.
    story = [line.text for line in classify_lines(load(name)) if line.label in {"title", "body"}]
    article = extract_text("\n\n".join(story))
    assert article.title == story[0]
    assert article.paragraphs == tuple(story[1:])


# --- the dek leads the paragraphs ---------------------------------------------------

WITH_DEK = sorted(path.name for path in FIXTURES.glob("*.txt") if path.name != "wire_style.txt")


@pytest.mark.parametrize("name", WITH_DEK)
def test_the_dek_is_the_subtitle_and_the_lead_paragraph(name: str) -> None:
    article = extract_text(load(name))
    assert article.subtitle
    assert article.paragraphs[0] == article.subtitle
    assert article.paragraphs.count(article.subtitle) == 1
    assert article.subtitle not in article.removed


def test_a_short_sentence_above_the_title_is_no_paragraph() -> None:
    dek = "Rescue workers say the bombardment is the heaviest in weeks."
    notice = "You are reading a free article."
    article = extract_text(f"{notice}\nShelling resumes in southern Idlib\n{dek}\n{BODY}")
    assert article.paragraphs == (dek, BODY)
    assert article.removed == (notice,)


# --- menus, syndication notes, Arabic furniture: the demo's shapes in our words ------


def test_review_style_skips_the_menu_and_the_section_kicker() -> None:
    lines = lines_of("review_style.txt")
    article = extract_text(load("review_style.txt"))
    assert article.title == "Turkey's observation posts are now behind the front line"
    assert article.subtitle == lines[7]
    assert article.byline == "Nadia Farouk"
    assert article.captions == (lines[11].removesuffix(" (Photo by Selim Arslan / Harbour Line)"),)
    assert article.paragraphs == (lines[7], *lines[12:15], *lines[16:18])
    assert article.removed == (
        *lines[:6],
        *lines[9:11],
        "(Photo by Selim Arslan / Harbour Line)",
        lines[15],
        *lines[18:],
    )
    assert "The Harbour Line Digest lands in your inbox every Thursday morning." in lines[18:]
    assert article.published == date(2020, 2, 8)


def test_republisher_style_drops_the_menu_and_the_syndication_note() -> None:
    lines = lines_of("republisher_style.txt")
    article = extract_text(load("republisher_style.txt"))
    assert article.title == lines[4]
    assert article.subtitle == lines[5]
    assert (article.byline or "").startswith("Eleni Markou")
    assert article.captions == (lines[7].removesuffix(" (Photo courtesy of Aegean Newswire)"),)
    assert article.paragraphs == (lines[5], lines[8], lines[9], lines[11], lines[12])
    assert article.removed == (
        *lines[:4],
        "(Photo courtesy of Aegean Newswire)",
        lines[10],
        *lines[13:],
    )
    assert lines[13].startswith("This story was originally published by")
    assert article.published == date(2020, 2, 29)


def test_daily_syndicated_drops_read_in_the_note_and_the_footer_menu() -> None:
    lines = lines_of("daily_syndicated.txt")
    article = extract_text(load("daily_syndicated.txt"))
    assert article.title == lines[1]
    assert article.subtitle == lines[2]
    assert article.byline == "Hana Qasim"
    assert article.captions == (
        lines[3].removesuffix(" (Photo by Tarek Sabbagh / Desert Standard)"),
    )
    assert article.paragraphs == (lines[2], lines[6], lines[7], lines[8])
    assert article.removed == (
        lines[0],
        "(Photo by Tarek Sabbagh / Desert Standard)",
        lines[4],
        *lines[9:],
    )
    assert lines[9] == "First published by Orontes Wire."
    assert article.published == date(2020, 2, 18)


def test_arabic_furniture_is_furniture() -> None:
    lines = lines_of("arabic_furniture.txt")
    article = extract_text(load("arabic_furniture.txt"))
    assert article.title == lines[1]
    assert article.subtitle == lines[2]
    assert article.byline == "ليلى حداد"
    assert article.captions == (lines[3].removesuffix(" (تصوير: سامر يوسف / صدى الشمال)"),)
    assert article.paragraphs == (lines[2], lines[6], lines[7], lines[9])
    assert article.removed == (
        lines[0],
        "(تصوير: سامر يوسف / صدى الشمال)",
        lines[4],
        lines[8],
        *lines[10:],
    )


TITLE = "Shelling resumes in southern Idlib"


@pytest.mark.parametrize(
    "menu",
    [
        "Home  News  World  Business  Opinion  Sport",
        "Middle East World Africa Europe",
        "Arts & Culture Science Health Travel",
        "About | Contact | Advertise | Privacy",
        "News · Politics · Culture · Video",
        "Accueil International Politique Économie Culture",
        "الرئيسية سياسة اقتصاد رياضة ثقافة",
        "الرئيسية | أخبار | رأي | فيديو",
        "English Edition | Türkçe",  # a switch of one- and two-word links
    ],
)
def test_navigation_menus_are_furniture(menu: str) -> None:
    text = f"{menu}\n{TITLE}\n{BODY}"
    assert classify_lines(text)[0].rule == "navigation"
    article = extract_text(text)
    assert article.title == TITLE
    assert article.removed == (" ".join(menu.split()),)


@pytest.mark.parametrize(
    "headline",
    [
        "Turkey Sends More Troops Into Idlib",
        "World leaders urge a ceasefire in Idlib",
        "Business as usual at the Bab al-Hawa crossing",
        "Politics, Economy and War in Idlib",
        "Home Is a Tent Now",
        "قوات النظام تتقدم في ريف حلب الغربي",
    ],
)
def test_headlines_are_no_menus(headline: str) -> None:
    assert extract_text(f"{headline}\n{BODY}").title == headline


@pytest.mark.parametrize(
    "note",
    [
        "This article first appeared on Northern Ledger.",
        "This story was originally published by Plain Example and is republished with permission.",
        "First published by Orontes Wire on February 21, 2020.",
        "A version of this article appeared in print on March 3, 2020.",
        "Republished with permission from Levant Wire.",
        "Cet article a d'abord été publié par Le Courrier Exemple.",
        "نُشر هذا المقال أولاً على موقع صدى الشمال.",
    ],
)
def test_syndication_notes_are_furniture(note: str) -> None:
    text = f"{TITLE}\n\n{BODY}\n\n{note}\n\n{BODY_2}"
    article = extract_text(text)
    assert article.paragraphs == (BODY, BODY_2)
    assert article.removed == (note,)
    assert [line.rule for line in classify_lines(text)][2] == "syndication-note"


@pytest.mark.parametrize(
    "line",
    [
        "The report first appeared in a British newspaper on Sunday, citing sources nearby.",
        "This story of loss is repeated in every camp along the border, aid workers say.",
        "First, published figures from the UN show how far the displacement has spread.",
    ],
)
def test_sentences_about_publishing_stay_body(line: str) -> None:
    article = extract_text(f"{TITLE}\n\n{BODY}\n\n{line}")
    assert article.paragraphs == (BODY, line)


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("تخطَّ إلى المحتوى الرئيسي", "skip-link"),
        ("انتقل إلى المحتوى", "skip-link"),
        ("اقرأ باللغة: English", "language-switch"),
        ("Read in: English | العربية", "language-switch"),
        ("اشترك في النشرة البريدية", "newsletter"),
        ("The Weekly Brief lands in your inbox every Monday.", "newsletter"),
        ("Email address", "newsletter"),
        ("اشترك الآن", "paywall"),
        ("شارك على فيسبوك", "share"),
        ("فيسبوك تويتر واتساب", "share"),
        ("Facebook  Twitter  LinkedIn  Email", "share"),
        ("هذا الموقع يستخدم ملفات تعريف الارتباط لتحسين تجربتك.", "cookie"),
        ("مقالات ذات صلة", "related"),
        ("اقرأ أيضاً: تركيا ترسل تعزيزات إلى إدلب", "related"),
        ("تابعنا على تويتر", "follow"),
    ],
)
def test_furniture_cues(line: str, rule: str) -> None:
    assert [(tag.label, tag.rule) for tag in classify_lines(line)] == [("furniture", rule)]


def test_an_arabic_sentence_starting_with_the_verb_subscribe_is_no_pitch() -> None:
    # "اشترك" is also "took part": "Fighters from several factions took part in the attack."
    line = "اشترك مقاتلون من فصائل عدة في الهجوم على سراقب."
    article = extract_text(f"قوات المعارضة تهاجم سراقب\n{line}")
    assert article.paragraphs == (line,)


# --- single rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "text", "credits"),
    [
        ("Smoke rises. (Photo by A B / AFP)", "Smoke rises.", ("(Photo by A B / AFP)",)),
        (
            "Smoke rises. (Photo by A B/AFP via Getty Images)",
            "Smoke rises.",
            ("(Photo by A B/AFP via Getty Images)",),
        ),
        (
            "Smoke rises. Photo: Lina Haddad/Reuters",
            "Smoke rises.",
            ("Photo: Lina Haddad/Reuters",),
        ),
        ("Smoke rises. (AFP)", "Smoke rises.", ("(AFP)",)),
        ("Smoke rises. (Lina Haddad/AFP)", "Smoke rises.", ("(Lina Haddad/AFP)",)),
        (
            "Smoke rises, Feb. 4, 2020. REUTERS/Lina Haddad",
            "Smoke rises, Feb. 4, 2020.",
            ("REUTERS/Lina Haddad",),
        ),
        ("Photo: Lina Haddad/Reuters", "", ("Photo: Lina Haddad/Reuters",)),
        ("Photo: Families wait near the border", "Photo: Families wait near the border", ()),
        ("Fighters of the army (SNA) advance.", "Fighters of the army (SNA) advance.", ()),
    ],
)
def test_strip_credits(caption: str, text: str, credits: tuple[str, ...]) -> None:
    assert strip_credits(caption) == (text, credits)


@pytest.mark.parametrize(
    "line",
    [
        "A man walks past a destroyed building in Maarat al-Numan.",
        "Caption: Trucks queue at the Bab al-Hawa crossing.",
        "Photo: Families wait near the border in Atmeh.",
        "This photo taken on Feb. 12, 2020 shows a destroyed bakery in Ariha.",
        "Tents line a hillside near Sarmada. (Reuters)",
        "صورة التُقطت في 27 شباط/فبراير 2020 تُظهر مقاتلين قرب سراقب.",
    ],
)
@pytest.mark.parametrize("where", ["under the dek", "between paragraphs"])
def test_caption_lines_are_kept_apart_from_the_body(line: str, where: str) -> None:
    dek = "Rescue workers say the bombardment is the heaviest in weeks."
    if where == "under the dek":
        text = f"Shelling resumes in southern Idlib\n{dek}\n{line}\n{BODY}\n{BODY_2}"
    else:
        text = f"Shelling resumes in southern Idlib\n{dek}\n{BODY}\n\n{line}\n\n{BODY_2}"
    article = extract_text(text)
    assert article.subtitle == dek
    assert len(article.captions) == 1
    assert article.captions[0] in line
    assert article.paragraphs == (dek, BODY, BODY_2)


BODY = (
    "Government forces shelled villages south of Idlib city on Tuesday, according to a war "
    "monitor. Rescue workers said at least nine civilians were killed and dozens were wounded "
    "as families tried to leave the area before dawn."
)
COOKIES = (
    "We use cookies to measure traffic and remember your settings. By continuing to use this "
    "site you agree that we store cookies on your device; see our cookie policy for details."
)
BODY_2 = (
    "Turkey sent another convoy of armoured vehicles across the border overnight. Ankara says "
    "its observation posts will stay where they are whatever the outcome of the offensive."
)


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("By Jane Doe | February 4, 2020", "Jane Doe"),
        ("By Jane Doe in Beirut", "Jane Doe"),
        ("By Omar al-Khatib", "Omar al-Khatib"),
    ],
)
def test_bylines(line: str, byline: str) -> None:
    article = extract_text(f"Shelling resumes in southern Idlib\n{line}\n{BODY}")
    assert article.byline == byline
    assert article.paragraphs == (BODY,)


def test_a_sentence_starting_with_by_is_no_byline() -> None:
    line = "By the time the convoy arrived, the road was closed."
    article = extract_text(f"Shelling resumes in southern Idlib\n\n{BODY}\n\n{line}")
    assert article.byline is None
    assert article.paragraphs == (BODY, line)


@pytest.mark.parametrize(
    "body",
    [
        "Subscribers to the monitor's alerts received " + BODY,
        "Related to the offensive, " + BODY,
        "Access to the camps was limited on Tuesday. " + BODY,
    ],
)
def test_long_paragraphs_that_start_like_furniture_stay_body(body: str) -> None:
    article = extract_text(f"Shelling resumes in southern Idlib\n\n{body}")
    assert article.paragraphs == (body,)


def test_a_heading_above_a_paywall_block_is_part_of_the_pitch() -> None:
    text = f"Shelling resumes in southern Idlib\n\n{BODY}\n\nYour window on the war\nSubscribe\n"
    article = extract_text(text)
    assert article.removed == ("Your window on the war", "Subscribe")


@pytest.mark.parametrize("banner", ["", COOKIES + "\n"])
def test_a_lone_subscribe_button_under_the_title_does_not_eat_it(banner: str) -> None:
    article = extract_text(f"{banner}Shelling resumes in southern Idlib\nSubscribe\n{BODY}")
    assert article.title == "Shelling resumes in southern Idlib"
    assert article.paragraphs == (BODY,)


def test_a_title_and_one_paragraph_are_a_brief_without_dek() -> None:
    lede = "Turkish and Russian troops began joint patrols on the M4 highway on Sunday."
    article = extract_text(f"Joint patrols begin on Idlib highway\n{lede}")
    assert article.subtitle is None
    assert article.paragraphs == (lede,)


def test_a_two_sentence_lede_under_the_title_is_body_not_dek() -> None:
    article = extract_text(f"Shelling resumes in southern Idlib\n{BODY}\n{BODY_2}")
    assert article.subtitle is None
    assert article.paragraphs == (BODY, BODY_2)


def test_a_wire_dateline_lede_is_never_a_dek() -> None:
    lede = "IDLIB, Syria (Orontes Wire) - Shelling resumed on Tuesday, a monitor said."
    article = extract_text(f"Shelling resumes in southern Idlib\n{lede}\n{BODY}")
    assert article.subtitle is None
    assert article.paragraphs == (lede, BODY)


# --- arguments and edge cases --------------------------------------------------------


def test_published_given_wins_and_is_not_inferred() -> None:
    when = datetime(2020, 3, 6, 12, 0)
    article = extract_text(load("seed_shape.txt"), published=when)
    assert (article.published, article.published_inferred) == (when, False)


def test_site_comes_from_the_url_without_www() -> None:
    article = extract_text(BODY, url="https://www.news.example/a/1")
    assert (article.site, article.url) == ("news.example", "https://www.news.example/a/1")
    assert extract_text(BODY, url="https://www.news.example/", site="Orontes").site == "Orontes"
    assert extract_text(BODY, url="http://[broken").site is None
    assert extract_text(BODY).site is None
    assert extract_text(BODY).language is None


@pytest.mark.parametrize("text", ["", "   ", "\n\n\r\n\t", "\ufeff", "\x00\x01"])
def test_empty_input_gives_an_empty_article(text: str) -> None:
    article = extract_text(text)
    assert article == Article(
        title=None,
        subtitle=None,
        byline=None,
        published=None,
        published_inferred=False,
        site=None,
        url=None,
        language=None,
    )


def test_only_furniture_gives_no_paragraphs() -> None:
    text = "Skip to main content\nSubscribe\nOnly $100 per year.\nShare this article\n© 2020 X"
    article = extract_text(text)
    assert article.paragraphs == ()
    assert article.title is None
    assert article.removed == tuple(text.splitlines())


@pytest.mark.parametrize(
    "name", ["seed_shape.txt", "wire_style.txt", "arabic.txt", "review_style.txt"]
)
def test_line_endings_bom_tabs_and_nbsp_do_not_change_the_result(name: str) -> None:
    text = load(name)
    expected = extract_text(text)
    assert extract_text(text.replace("\n", "\r\n")) == expected
    assert extract_text("\ufeff" + text) == expected
    assert extract_text(text.replace(" ", "\u00a0")) == expected
    assert extract_text(text.replace(" ", "\t ")) == expected
    assert extract_text(text.replace("\n", "\n \n")) == expected


def test_control_characters_are_dropped() -> None:
    article = extract_text(f"Shelling resumes\x07 in southern Idlib\n\n{BODY}\x00")
    assert article.title == "Shelling resumes in southern Idlib"
    assert article.paragraphs == (BODY,)


def test_very_long_lines_are_body_and_fast() -> None:
    long_line = " ".join([BODY] * 2000)  # about 500,000 characters
    start = time.perf_counter()
    article = extract_text(f"Shelling resumes in southern Idlib\n{long_line}\nSubscribe")
    assert time.perf_counter() - start < 5
    assert article.paragraphs == (long_line,)


def test_a_date_line_is_the_publication_date_even_when_the_story_looks_ahead() -> None:
    dump = (
        "Truce agreed for Idlib\n\nMarch 6, 2020\n\n"
        "The two presidents agreed on Thursday to a ceasefire in Idlib province after long "
        "talks in Moscow, officials from both sides said late in the evening.\n\n"
        "Under the deal, joint patrols along the M4 highway will begin on March 15, and a "
        "security corridor will be set up on both sides of the road within a week.\n"
    )
    article = extract_text(dump)
    assert article.published == date(2020, 3, 6)
    assert article.published_inferred is True


def test_the_masthead_of_a_dump_names_its_site() -> None:
    dump = (
        "Skip to content\nHarbour Courier\nMenu\nHome  World  Opinion  Sport\nSearch\n\n"
        "Ferry service resumes after the storm\n\n"
        "The first boat left the harbour at dawn on Tuesday, with about forty passengers "
        "on board and the cafe on deck already open for breakfast.\n"
    )
    assert extract_text(dump).site == "Harbour Courier"
    assert extract_text(dump, url="https://courier.example/ferry").site == "courier.example"


def test_a_section_label_without_navigation_is_not_a_site() -> None:
    dump = (
        "Skip to main content\n\nANALYSIS\n\nFerry service resumes after the storm\n\n"
        "The first boat left the harbour at dawn on Tuesday, with about forty passengers "
        "on board and the cafe on deck already open for breakfast.\n"
    )
    assert extract_text(dump).site is None


def test_a_masthead_in_capitals_is_no_headline() -> None:
    dump = (
        "Skip to main content\nTHE HARBOUR COURIER\nNews  World  Opinion  Sport\n"
        "Sign in | Subscribe\n\nFerry service resumes after the storm\n\n"
        "The first boat left the harbour at dawn on Tuesday, with about forty passengers "
        "on board and the cafe on deck already open for breakfast.\n"
    )
    article = extract_text(dump)
    assert article.title == "Ferry service resumes after the storm"
    assert article.site == "The Harbour Courier"
    assert "Sign in | Subscribe" in article.removed and "THE HARBOUR COURIER" in article.removed
    assert article.paragraphs[0].startswith("The first boat")


def test_a_headline_with_a_section_before_a_bar_stays_a_headline() -> None:
    text = f"Analysis | Why the ferry matters to the island\n{BODY}"
    assert extract_text(text).title == "Analysis | Why the ferry matters to the island"
