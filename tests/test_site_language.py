"""The site's Swedish reads like Swedish (issue 20): numbers agree with their nouns through one
helper, and the generated Swedish pages hold none of the patterns a sub-editor marked.

The patterns, checked on the reader text of every generated Swedish page (code, links' targets
and parts marked ``lang="en"`` left out; the names of drawings for screen readers kept): no
sentence opens with a digit, no "0 har", no field name (``snake_case``), gap key (``01-…``),
response number (``23-2``) or source line ("rad 134"), no numbers run together ("i juni 2026 4:
4 kvarstår"), no "datum anges inte", no "Ej angivet" as a heading, and none of the English
interface words of ``_site/_text.py`` ``ENGLISH_WORDS``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

import palliativ_data as pdata
from palliativ_data import _cli as cli
from palliativ_data import _site as site
from palliativ_data._site import _text
from palliativ_data._site._common import slug
from palliativ_data._site._text import ENGLISH_WORDS, count, form, listing, number

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "src" / "palliativ_data" / "_site" / "templates"
STYLE_PAGE = REPO / "docs" / "sv" / "style.md"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    with site.built_release() as release:
        return site.render(release, cli.build_parser())


# --------------------------------------------------------------------------- the helper


def test_numbers_up_to_twelve_are_words_and_larger_ones_digits() -> None:
    assert [number("sv", n) for n in (1, 2, 7, 12)] == ["en", "två", "sju", "tolv"]
    assert [number("en", n) for n in (1, 2, 7, 12)] == ["one", "two", "seven", "twelve"]
    assert number("sv", 13) == "13" and number("en", 99) == "99"
    assert number("sv", 1, "ett") == "ett" and number("sv", 2, "ett") == "två"


def test_thousands_are_grouped_as_each_language_writes_them() -> None:
    assert number("sv", 8500) == "8\xa0500"  # a space that does not break the figure
    assert number("en", 8500) == "8,500"
    assert number("sv", 1_234_567) == "1\xa0234\xa0567"


def test_a_count_agrees_with_its_noun() -> None:
    assert count("sv", 1, "gap") == "en brist"  # not "1 brister"
    assert count("sv", 2, "gap") == "två brister"
    assert count("sv", 0, "gap") == "inga brister"  # not "0 brister"
    assert count("sv", 1, "answer") == "ett svar"  # neuter
    assert count("sv", 15, "region") == "15 regioner"
    assert count("en", 1, "gap") == "one gap" and count("en", 0, "region") == "no regions"
    assert count("en", 3, "answer") == "three answers"


def test_form_picks_the_singular_for_one_only() -> None:
    # "en var ny", "två var nya", "inga nya": zero takes the plural, as "1 var nya" did not
    assert [form(n, "ny", "nya") for n in (0, 1, 2)] == ["nya", "ny", "nya"]


def test_a_list_is_joined_with_the_languages_and() -> None:
    assert listing("sv", ["a", "b", "c"]) == "a, b och c"
    assert listing("en", ["a", "b"]) == "a and b"
    assert listing("sv", ["a"]) == "a" and listing("sv", []) == ""


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        number("sv", -1)


def test_the_party_names_are_those_of_the_style_sheet() -> None:
    rows = _style_table("Förkortningar")
    parties = {short: name for short, name in rows if short in _text.PARTIES}
    assert parties == _text.PARTIES


def _style_table(heading: str) -> list[list[str]]:
    rows, inside = [], False
    for line in STYLE_PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == heading
        elif inside and line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: ") and cells[0] != "förkortning":
                rows.append(cells)
    return rows


# --------------------------------------------------------------------------- reader text


def reader_text(page: str) -> str:
    """What a reader of a generated Markdown page reads or hears: the text without code,
    without the targets of links and images, without HTML tags (their ``aria-label`` and
    ``<title>`` kept), and without the parts marked ``lang="en"``."""
    text = re.sub(r'<(div|span|td) lang="en"[^>]*>.*?</\1>', " ", page, flags=re.S)
    text = re.sub(r"^\s*```.*?^\s*```", " ", text, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"'[a-z][a-z0-9_]*'", " ", text)  # a code quoted as one ('inventory')
    text = re.sub(r"[\w./-]+\.(?:csv|parquet|sqlite|json|zip|xlsx|cff|txt)\b", " ", text)  # files
    labels = re.findall(r'aria-label="([^"]*)"', text)
    text = re.sub(r"<svg\b.*?</svg>", " ", text, flags=re.S)  # a drawing: its names above
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [text](target) → [text]
    text = text.replace("\\[", "[").replace("\\]", "]")
    return text + "\n" + "\n".join(f"{label}." for label in labels)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: runs of words ending in ., ! or ?, inside a paragraph, list
    item or line; headings, table rows and figures without a full stop are not sentences."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "|", "---")):
            continue
        line = re.sub(r"^(?:[-*]|\d+\.)\s+", "", line)  # a list item's marker
        line = line.replace("*", "").strip("[] ")
        for part in re.split(r"(?<=[.!?])\s+", line):
            if part.endswith((".", "!", "?")):
                found.append(part.strip('[]”“" '))
    return found


PATTERNS = {
    "a number of 0 before a word ('0 har')": re.compile(r"(?<![\w,.:/–-])0 [a-zåäö]"),
    "a field name (snake_case)": re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b"),
    "a gap key": re.compile(r"\b[0-9]{2}-[a-z][a-z0-9_]*\b"),
    "a response number ('23-2')": re.compile(r"(?<![\w-])[0-9]{2}-[0-9]+\b(?![-–][0-9])"),
    "a line of the source ('rad 134')": re.compile(r"\(rad \d+\)"),
    "numbers run together": re.compile(r"\b\d{4}:? \d|\d: \d"),
    "'datum anges inte'": re.compile(r"datum anges inte", re.I),
    "'Ej angivet' as a heading": re.compile(r"^#+ .*Ej angivet", re.M),
    "an English interface word": re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w-])", re.I
    ),
}


CODES = ("a field name (snake_case)", "a gap key")
"""Patterns the data dictionary is exempt from: its pages document the fields and codes."""


def problems(page: str, reference: bool = False) -> list[str]:
    """Each pattern of ``PATTERNS`` found in the reader text of ``page`` (on a ``reference``
    page, the data dictionary's, not ``CODES``), and each sentence that opens with a digit."""
    text = reader_text(page)
    patterns = {k: v for k, v in PATTERNS.items() if not (reference and k in CODES)}
    found = [f"{name}: {m[0]!r}" for name, rx in patterns.items() for m in rx.finditer(text)]
    found += [f"a sentence opening with a digit: {s!r}" for s in sentences(text) if s[:1].isdigit()]
    return found


def test_the_swedish_pages_hold_none_of_the_patterns(rendered: dict[str, str]) -> None:
    pages = {name: text for name, text in rendered.items() if name.startswith("sv/")}
    pages = {name: text for name, text in pages.items() if name.endswith(".md")}
    assert len(pages) > 2 * 21
    found = {name: problems(text, reference="dictionary" in name) for name, text in pages.items()}
    found = {name: lines for name, lines in found.items() if lines}
    assert not found, "\n".join(f"{name}: {lines[:4]}" for name, lines in found.items())


@pytest.mark.parametrize(
    ("page", "pattern"),
    [
        ("I juni 2026 4: 4 kvarstår, 0 har tillkommit.\n", "numbers run together"),
        ("I juni 2026 4: 4 kvarstår, 0 har tillkommit.\n", "'0 har'"),
        ("Bristen 01-inpatient_beds står på rad 134.\n", "field name"),
        ("Bristen 01-inpatient_beds står på rad 134.\n", "gap key"),
        ("Bristen 01-inpatient_beds står i källan (rad 134).\n", "line of the source"),
        ("Se det bifogade svaret 23-2.\n", "response number"),
        ("Svar 1: tjänstepersoner · datum anges inte\n", "datum anges inte"),
        ("### Svar 1: Ej angivet\n", "as a heading"),
        ("Inventory of the functions and the gaps.\n", "English interface word"),
        ('<svg aria-label="Symbol legend titled Kategori"></svg>\n', "English interface word"),
        ("Det här stycket slutar.\n\n- 13 brister listas.\n", "opening with a digit"),
    ],
)
def test_the_check_finds_each_pattern(page: str, pattern: str) -> None:
    assert any(pattern in line for line in problems(page)), problems(page)


def test_the_check_passes_what_is_allowed() -> None:
    """Code, links' targets and English marked as such are not reader text; a figure without a
    full stop is not a sentence; a date, a year and a grouped thousand are not numbers run
    together."""
    page = (
        "Fältet `gap_key` och [Stockholm](regions/01-stockholm.md).\n\n"
        '<div lang="en" markdown>\n\nThe gaps and the answers.\n\n</div>\n\n'
        '<strong class="pd-key-value">99 → 87</strong>\n\n'
        "Källan (2026-06-15) skriver 8\xa0500. I juni 2026 listade uppföljningen 18 brister.\n"
    )
    assert problems(page) == []


def test_every_english_word_checked_is_one_the_english_interface_uses() -> None:
    """The list is of words the site writes in English (its templates, its shared words, the
    names Vega gives a drawing), so the check looks for what could leak, not for any English."""
    english = " ".join(
        [
            *(p.read_text("utf-8") for p in sorted((TEMPLATES / "en").glob("*.md"))),
            *_text.TEXT["en"].values(),
            *_text.STATUS_WORDS["en"].values(),
            "X-axis titled 'Gaps'; Y-axis titled 'Region'; Symbol legend for fill color",  # Vega
        ]
    ).casefold()
    missing = [
        w for w in ENGLISH_WORDS if not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", english)
    ]
    assert not missing, missing


# --------------------------------------------------------------------------- pages


def test_a_region_with_one_answer_names_no_answer_number(rendered: dict[str, str]) -> None:
    pkg = pdata.load()
    answers: dict[str, int] = {}
    for response in pkg.responses():
        answers[response.region_code] = answers.get(response.region_code, 0) + 1
    for region in pkg.regions:
        page = rendered[f"sv/regions/{region.region_code}-{slug(region.name_source)}.md"]
        n = answers.get(region.region_code, 0)
        assert ("### Svar 1" in page) == (n > 1), region.name_source
        assert ("### Svar 2" in page) == (n > 1), region.name_source
        assert "Ej angivet" not in page  # a role the source does not state is not shown


def test_the_shared_summary_of_an_answer_is_shown_once(rendered: dict[str, str]) -> None:
    """Jämtland Härjedalen's first answer reads the same about three gaps: its summary is on
    the region's page once, not once per gap."""
    pkg = pdata.load()
    rows = pkg.gap_answers(response="23-1")
    summaries = {row.summary_sv for row in rows}
    assert len(rows) == 3 and len(summaries) == 1
    page = rendered["sv/regions/23-jamtland-harjedalen.md"]
    assert page.count(summaries.pop()) == 1


def test_an_action_is_shown_and_labelled_only_where_the_stance_states_one(
    rendered: dict[str, str],
) -> None:
    pkg = pdata.load()
    page = rendered["sv/regions/23-jamtland-harjedalen.md"]
    for row in pkg.gap_answers(region="23"):
        acts = row.stance in ("action_taken", "action_decided", "planned")
        assert (f"**Åtgärd:** {row.action_sv}" in page) == acts, row
        # elsewhere the summary says what the region does; the action would repeat it
        assert (row.action_sv in page) == acts, row
        assert f"Citat: ”{row.cue}”" in page


def test_a_slip_of_the_source_is_marked_sic_with_a_link(rendered: dict[str, str]) -> None:
    page = rendered["sv/regions/25-norrbotten.md"]
    assert "Se [\\[sic\\]](../methodology.md#allmanna-regler) palliativa vårdplatserna" in page
    # a quote keeps its slip too, marked the same way (Halland's 'ineliggande', an editor's read)
    halland = rendered["sv/regions/13-halland.md"]
    assert "för ineliggande [\\[sic\\]](../methodology.md#allmanna-regler) patienter”" in halland
    assert halland.count("ineliggande") == 1  # the mark is on the quote itself
    methodology = (REPO / "docs" / "sv" / "methodology.md").read_text("utf-8")
    assert "## Allmänna regler" in methodology and "[sic]" in methodology


def test_the_404_page_speaks_swedish() -> None:
    """The hook words Material's 404 page in the build's language (the built page's ``lang``
    is checked in test_docs.py)."""
    from palliativ_data import _mkdocs_hook as hook

    class Building:  # the i18n plugin inside a language's build: the hook keeps no state
        building = True

    class Config:
        def __init__(self) -> None:
            self.theme = {"language": "sv"}
            self.plugins = {"i18n": Building()}

    page = hook.on_post_template(
        '<html lang="sv"><h1>404 - Not found</h1></html>', "404.html", Config()
    )
    assert "<h1>Sidan finns inte</h1>" in page and "Not found" not in page
    assert problems(page) == []


# --------------------------------------------------------------------------- function pages


def test_the_on_call_page_lists_the_regions_lacking_the_line(rendered: dict[str, str]) -> None:
    """The journalist's question: which regions lack a 24/7 on-call line? The page answers with
    the regions that list such a gap in the follow-up (15 in June 2026), counted as regions."""
    pkg = pdata.load()
    function = pkg.function("on_call_24_7")
    page = rendered[f"sv/functions/{slug(function.label_sv)}.md"]
    codes = {g.region_code for g in pkg.gaps(edition="2026-06", function="on_call_24_7")}
    names = [r.name_source for r in pkg.regions if r.region_code in codes]
    assert len(names) == 15
    assert page.startswith("# Vilka regioner saknar palliativmedicinsk jourlinje 24/7?\n")
    assert (
        f"har 15 regioner minst en brist som gäller palliativmedicinsk jourlinje 24/7: {listing('sv', names)}."
        in page
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_function_page_counts_regions_and_gaps_per_edition(
    rendered: dict[str, str], lang: str
) -> None:
    pkg = pdata.load()
    home = rendered[f"{lang}/index.md"]
    rows = list(csv.DictReader(io.StringIO(rendered["sv/data/gaps-per-function.csv"])))
    for function in pkg.functions:
        name = slug(function.label_sv)
        page = rendered[f"{lang}/functions/{name}.md"]
        assert f"(functions/{name}.md)" in home  # the home page links to it
        for edition in ("2026-02", "2026-06"):
            gaps = pkg.gaps(edition=edition, function=function.function)
            regions = {g.region_code for g in gaps}
            row = next(
                r for r in rows if r["function"] == function.function and r["edition"] == edition
            )
            assert (int(row["regions"]), int(row["gaps"])) == (len(regions), len(gaps))
            # each region's page is linked, with its number of gaps in the table
            for region in pkg.regions:
                if region.region_code in regions:
                    n = sum(g.region_code == region.region_code for g in gaps)
                    link = f"[{region.name_source}](../regions/{region.region_code}-"
                    assert link in page and f"| {n} |" in page, (name, region.name_source)


def test_the_home_page_leads_with_the_key_figures(rendered: dict[str, str]) -> None:
    pkg = pdata.load()
    home = rendered["sv/index.md"]
    lead = home[: home.index("## Vilka regioner saknar en funktion?")]
    figures = {k.figure_id: k for k in pkg.records("key_figures")}
    assert "8\xa0500" in lead and "”8500”" in lead  # searchable both ways
    assert figures["people_not_reached_per_year"].value == 8500
    assert "99 → 87" in lead
    by_category = [
        figures[f"regions_{c}"].value
        for c in ("concrete_plans", "partial_plans", "no_concrete_plans", "no_response")
    ]
    assert by_category == [5, 8, 7, 1]
    assert "5 / 8 / 7 / 1" in lead
    for category in pkg.categories:
        assert len(pkg.classifications(edition="2026-06", category=category.category)) == (
            figures[f"regions_{category.category}"].value
        )
    answered = len({r.region_code for r in pkg.responses()})
    assert answered == 20 and "20 av 21" in lead
    # each figure has its source line and a link
    assert lead.count("<small>Källa:") == 4
    assert lead.count("\n    [") == 4


@pytest.mark.slow  # a four-edition package and its release built, every page rendered
def test_the_sections_of_more_editions_hold_none_of_the_patterns(
    synthetic_2027: tuple[Path, dict[str, object]],
) -> None:
    """The sections only a package of more than two editions shows (a region's history, every
    pair of editions, the target years that passed), on the SYNTHETIC four-edition site."""
    package, _ = synthetic_2027
    with site.built_release(package) as release:
        pages = site.render(release, cli.build_parser(), package)
    headings = ("## Bristernas historik", "## Alla utgåvor", "## Målår som har passerat")
    sections = {
        f"{name} {heading}": heading + text.split(heading, 1)[1].split("\n## ", 1)[0]
        for name, text in pages.items()
        if name.startswith("sv/") and name.endswith(".md")
        for heading in headings
        if heading in text
    }
    assert {key.split(" ", 1)[1] for key in sections} == set(headings)
    found = {name: problems(text) for name, text in sections.items()}
    assert not {name: lines for name, lines in found.items() if lines}
