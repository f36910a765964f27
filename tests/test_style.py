"""The data's Swedish text follows the style sheet (docs/sv/style.md), whose tables are read here.

The style sheet is the one place the rules are written: the words to avoid, the abbreviations
and how each is written out, the stance labels and the categories' short labels. This module
parses those tables and checks every Swedish text column the curators write (not what is
quoted verbatim from the source: gap labels, category headings, cues, target words, the words
behind values and dates, cue phrases).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from palliativ_data._paths import bundled_package_dir

REPO = Path(__file__).resolve().parent.parent
STYLE_PAGE = REPO / "docs" / "sv" / "style.md"
DATA = bundled_package_dir() / "data"

# Text in sentences: every rule applies.
SENTENCE_COLUMNS = {
    "responses": ("summary_sv",),
    "gap_answers": ("summary_sv", "action_sv"),
    "stances": ("definition_sv",),
    "categories": ("definition_sv",),
    "functions": ("definition_sv",),
}
# Labels and roles: the word, code and abbreviation rules apply, not the sentence rules.
LABEL_COLUMNS = {
    "responses": ("responder_role_sv",),
    "stated_quantities": ("counts_sv",),
    "stances": ("label_sv",),
    "categories": ("label_sv",),
    "functions": ("label_sv",),
    "key_figures": ("label_sv",),
    "events": ("label_sv",),
}
# Summaries and actions retell an answer: a quotation there must be labelled "Citat:".
RETELLING_COLUMNS = {
    ("responses", "summary_sv"),
    ("gap_answers", "summary_sv"),
    ("gap_answers", "action_sv"),
}
MAX_WORDS = 30
NAMES_IN_CAPITALS = {"NU", "SIMBA"}  # names, not abbreviations (NU-sjukvården, SIMBA)
DOTTED_ABBREVIATION = re.compile(
    r"\b(bitr|tf|bl\.a|t\.ex|ca|ev|dvs|ffa|m\.fl|s\.k|inkl|ordf|resp)\.", re.IGNORECASE
)
SNAKE_CASE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
GAP_KEY = re.compile(r"\b[0-9]{2}-[a-z][a-z0-9_]*\b")
RESPONSE_ID = re.compile(r"(?<![\w-])[0-9]{2}-[0-9]+\b(?![-–][0-9])")
CAPITALS = re.compile(r"(?<![\w-])[A-ZÅÄÖ]{1,5}(?![a-zåäö])(?=\b|-)")
SMALL_NUMBER = re.compile(r"(?<![\w,.§/–-])(?<!§ )([1-9]|1[0-2])(?![\w,.:/–-])(?!\s?%)")
QUOTE = re.compile(r"[\"”“'‘’]")


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def style_tables() -> dict[str, list[list[str]]]:
    """Each ``## heading`` of the style sheet → the body rows of the table under it."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in STYLE_PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif line.startswith("|") and heading:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if set("".join(cells)) <= set("-: "):
                continue
            tables.setdefault(heading, []).append(cells)
    return {name: table[1:] for name, table in tables.items()}  # without the header row


def avoided_words() -> dict[str, str]:
    """Words the style sheet tells us not to write (in code format), each with its replacement."""
    words = {}
    for write, avoid, _note in style_tables()["Ord och uttryck"]:
        for word in re.findall(r"`([^`]+)`", avoid):
            words[word] = write
    return words


def abbreviations() -> dict[str, list[str]]:
    return {
        abbreviation: [form.strip() for form in written_out.split(" eller ")]
        for abbreviation, written_out in style_tables()["Förkortningar"]
    }


def _texts(columns: dict[str, tuple[str, ...]]) -> list[tuple[str, str, str, str]]:
    """(resource, row label, column, text) for every non-empty cell of ``columns``."""
    found = []
    for name, fields in columns.items():
        for number, row in enumerate(rows(name), start=2):
            for field in fields:
                if row[field]:
                    found.append((name, f"row {number}", field, row[field]))
    return found


ALL_TEXT = _texts(SENTENCE_COLUMNS) + _texts(LABEL_COLUMNS)
SENTENCES = _texts(SENTENCE_COLUMNS)


def _ids(items: list[tuple[str, str, str, str]]) -> list[str]:
    return [f"{resource}:{row}:{column}" for resource, row, column, _ in items]


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[^a-zåäö])", text.strip()) if part]


def words(sentence: str) -> list[str]:
    return [token for token in sentence.split() if re.search(r"\w", token)]


# --------------------------------------------------------------------------- the style sheet


def test_the_style_sheet_has_its_tables() -> None:
    tables = style_tables()
    assert {"Ord och uttryck", "Förkortningar", "Hållningar", "Kategorier"} <= set(tables)
    assert len(avoided_words()) >= 10
    assert {"ASIH", "RCC", "ST", "SÄBO", "SSIH", "VFU"} <= set(abbreviations())


def test_the_english_page_explains_the_swedish_one() -> None:
    english = " ".join((REPO / "docs" / "en" / "style.md").read_text(encoding="utf-8").split())
    for label in (row[1] for row in style_tables()["Hållningar"]):
        assert label in english, label
    for label in (row[1] for row in style_tables()["Kategorier"]):
        assert label in english, label


# --------------------------------------------------------------------------- vocabularies


def test_stance_labels_are_those_of_the_style_sheet() -> None:
    expected = {row[0].strip("`"): row[1] for row in style_tables()["Hållningar"]}
    assert {row["stance"]: row["label_sv"] for row in rows("stances")} == expected


def test_category_labels_and_headings_are_those_of_the_style_sheet() -> None:
    expected = {row[0].strip("`"): (row[1], row[2]) for row in style_tables()["Kategorier"]}
    actual = {row["category"]: (row["label_sv"], row["heading_sv"]) for row in rows("categories")}
    assert actual == expected


def test_definitions_name_the_stances_by_their_labels() -> None:
    """A definition that refers to another stance uses its current label, not an old one."""
    old = ("Planerad åtgärd", "Under utredning", "Inte besvarad")
    for name in ("stances",):
        for row in rows(name):
            for label in old:
                assert label not in row["definition_sv"], (row["stance"], label)
            assert not re.search(r"\bIngen åtgärd\b(?! angiven)", row["definition_sv"]), row[
                "stance"
            ]


# --------------------------------------------------------------------------- every Swedish text


@pytest.mark.parametrize(("resource", "row", "column", "text"), ALL_TEXT, ids=_ids(ALL_TEXT))
def test_no_avoided_word(resource: str, row: str, column: str, text: str) -> None:
    folded = text.casefold()
    found = [
        f"{word!r} (write {write!r})"
        for word, write in avoided_words().items()
        if word.casefold() in folded
    ]
    assert not found, f"{resource} {row} {column}: " + "; ".join(found)


@pytest.mark.parametrize(("resource", "row", "column", "text"), ALL_TEXT, ids=_ids(ALL_TEXT))
def test_no_code_gap_key_or_response_number(
    resource: str, row: str, column: str, text: str
) -> None:
    found = SNAKE_CASE.findall(text) + GAP_KEY.findall(text) + RESPONSE_ID.findall(text)
    assert not found, f"{resource} {row} {column}: internal identifiers {found}"


@pytest.mark.parametrize(("resource", "row", "column", "text"), ALL_TEXT, ids=_ids(ALL_TEXT))
def test_abbreviations_are_known_and_written_out_at_first_use(
    resource: str, row: str, column: str, text: str
) -> None:
    where = f"{resource} {row} {column}"
    assert not DOTTED_ABBREVIATION.search(text), (
        f"{where}: write out {DOTTED_ABBREVIATION.search(text)[0]!r}"
    )
    known = abbreviations()
    folded = text.casefold()
    for match in CAPITALS.finditer(text):
        token = match.group(0)
        if token in NAMES_IN_CAPITALS or (len(token) == 1 and match.start() == 0):
            continue
        if len(token) == 1 and token not in known:
            continue  # a capital letter, not an abbreviation
        assert token in known, f"{where}: {token!r} is not in the style sheet's abbreviations"
        first = match.start()
        before = folded[:first]
        after = re.match(rf"{token}[\w-]*\s*\(([^)]*)\)", text[first:])
        forms = [form.casefold() for form in known[token]]
        explained = any(form in before for form in forms) or (
            after is not None and any(form in after.group(1).casefold() for form in forms)
        )
        assert explained, f"{where}: {token!r} is not written out at its first use ({known[token]})"


@pytest.mark.parametrize(("resource", "row", "column", "text"), ALL_TEXT, ids=_ids(ALL_TEXT))
def test_round_the_clock_in_our_own_words(resource: str, row: str, column: str, text: str) -> None:
    for match in re.finditer(r"24/7", text):
        assert text[: match.start()].endswith("jourlinje "), (
            f"{resource} {row} {column}: write 'dygnet runt'; '24/7' only in the function's name"
        )


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(("resource", "row", "column", "text"), SENTENCES, ids=_ids(SENTENCES))
def test_sentences_are_short_and_open_with_a_word(
    resource: str, row: str, column: str, text: str
) -> None:
    where = f"{resource} {row} {column}"
    assert text.rstrip().endswith((".", "!", "?", ")", "”")), f"{where}: not a finished sentence"
    for sentence in sentences(text):
        assert not sentence[0].isdigit(), f"{where}: a sentence opens with a digit: {sentence!r}"
        assert sentence[0].isupper() or sentence[0] in '”"(', f"{where}: {sentence!r}"
        count = len(words(sentence))
        assert count <= MAX_WORDS, f"{where}: {count} words in {sentence!r}"


@pytest.mark.parametrize(("resource", "row", "column", "text"), SENTENCES, ids=_ids(SENTENCES))
def test_numbers_up_to_twelve_are_words(resource: str, row: str, column: str, text: str) -> None:
    found = SMALL_NUMBER.findall(text)
    assert not found, f"{resource} {row} {column}: write {found} in words"


@pytest.mark.parametrize(
    ("resource", "row", "column", "text"),
    [item for item in SENTENCES if (item[0], item[2]) in RETELLING_COLUMNS],
)
def test_quotations_are_labelled(resource: str, row: str, column: str, text: str) -> None:
    for match in QUOTE.finditer(text):
        if text[match.start() - 1 : match.start()].isalpha() and text[match.start()] in "'’":
            continue  # an apostrophe
        assert "Citat:" in text[: match.start()], (
            f"{resource} {row} {column}: label the quotation 'Citat:'"
        )


# --------------------------------------------------------------------------- the rules catch

CATCHES = [
    (test_no_avoided_word, "Svaret anger att luckan består."),
    (test_no_avoided_word, "Förslaget mailas till nämnden."),
    (test_no_code_gap_key_or_response_number, "Svaret nämner 01-inpatient_beds."),
    (test_no_code_gap_key_or_response_number, "Svaret är not_addressed."),
    (test_no_code_gap_key_or_response_number, "Svaret hänvisar till 23-2."),
    (test_abbreviations_are_known_and_written_out_at_first_use, "Svaret nämner ASIH."),
    (test_abbreviations_are_known_and_written_out_at_first_use, "Svaret nämner XYZ-teamet."),
    (test_abbreviations_are_known_and_written_out_at_first_use, "Svaret nämner bl.a. jourlinjen."),
    (test_round_the_clock_in_our_own_words, "Svaret anger en linje 24/7."),
    (test_sentences_are_short_and_open_with_a_word, "4 specialistläkare finns."),
    (test_sentences_are_short_and_open_with_a_word, "Svaret " + "är mycket långt " * 12 + "nu."),
    (test_sentences_are_short_and_open_with_a_word, "anger att jourlinjen saknas."),
    (test_numbers_up_to_twelve_are_words, "Svaret anger att det finns 4 specialistläkare."),
    (test_quotations_are_labelled, "Svaret säger ”vi gör inget”."),
]


@pytest.mark.parametrize(
    ("check", "bad"), CATCHES, ids=[f"{c.__name__}:{b[:30]}" for c, b in CATCHES]
)
def test_each_check_catches_a_bad_text(check, bad: str) -> None:
    with pytest.raises(AssertionError):
        check("gap_answers", "row 0", "summary_sv", bad)


def test_the_good_forms_pass() -> None:
    good = (
        "Svaret anger att teamen för avancerad sjukvård i hemmet (ASIH) finns i sex av åtta orter. "
        "ST-läkare (läkare under specialiseringstjänstgöring) rekryteras, och 30 % av tjänsten "
        "finansieras 2026–2027 enligt planen från 2025-02-12 (§ 5). "
        "Citat: ”Vi har startat en palliativmottagning.”"
    )
    for check, _ in CATCHES:
        check("gap_answers", "row 0", "summary_sv", good)
    test_round_the_clock_in_our_own_words(
        "gap_answers", "row 0", "summary_sv", "Svaret nämner palliativmedicinsk jourlinje 24/7."
    )
