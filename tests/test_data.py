"""The curated data: completeness, pinned counts, and traceability to the source document.

Tests that read the source need the plain-text copy of the June 2026 compilation. It is not part
of this repository (it contains names and e-mail addresses of individual people); it is looked
up in ``$PALLIATIV_SOURCE`` or in ``../shared/sources/`` beside the checkout, and those tests are
skipped when it is absent.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from palliativ_data._io import read_json
from palliativ_data._paths import bundled_package_dir
from palliativ_data._schema.tableschema import resource_names

DATA = bundled_package_dir() / "data"
REPO = Path(__file__).resolve().parent.parent

# Gap rows per region: (edition 2026-02, edition 2026-06). Pinned so that any change to the
# curated data is deliberate; the methodology page explains every split behind these numbers.
PINNED_GAP_ROWS = {
    "01": (6, 4),
    "03": (5, 5),
    "04": (5, 5),
    "05": (4, 4),
    "06": (4, 3),
    "07": (3, 3),
    "08": (2, 2),
    "09": (5, 3),
    "10": (4, 3),
    "12": (3, 2),
    "13": (3, 3),
    "14": (19, 19),
    "17": (5, 5),
    "18": (5, 2),
    "19": (2, 2),
    "20": (4, 2),
    "21": (5, 5),
    "22": (4, 4),
    "23": (3, 3),
    "24": (3, 3),
    "25": (5, 5),
}
# Rows of the resources read from the source's figures, timeline and answers.
PINNED_ROWS = {"key_figures": 9, "events": 10, "stated_quantities": 32}
# Stances of the 111 gap_answers rows, as re-coded by the coding guide (docs/en/methodology.md).
PINNED_STANCES = {
    "action_taken": 5,
    "planned": 11,
    "under_investigation": 23,
    "no_action": 29,
    "disputed": 10,
    "not_addressed": 33,
}
# Responses per region (Västernorrland, 22, did not answer).
PINNED_RESPONSES = {
    "01": 1,
    "03": 1,
    "04": 1,
    "05": 1,
    "06": 2,
    "07": 1,
    "08": 1,
    "09": 1,
    "10": 2,
    "12": 2,
    "13": 1,
    "14": 1,
    "17": 1,
    "18": 1,
    "19": 2,
    "20": 1,
    "21": 1,
    "23": 2,
    "24": 1,
    "25": 1,
}


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def _source_file() -> Path | None:
    candidates = []
    if os.environ.get("PALLIATIV_SOURCE"):
        candidates.append(Path(os.environ["PALLIATIV_SOURCE"]))
    candidates += sorted((REPO.parent / "shared" / "sources").glob("000_*.txt"))
    return next((path for path in candidates if path.is_file()), None)


@cache
def source_lines() -> list[str]:
    path = _source_file()
    if path is None:
        pytest.skip("source document not available (set PALLIATIV_SOURCE)")
    return path.read_text(encoding="utf-8").split("\n")


# --- completeness ------------------------------------------------------------------------


def test_twenty_one_regions_match_pycountry():
    pycountry = pytest.importorskip("pycountry")
    regions = rows("regions")
    assert len(regions) == 21
    swedish = {s.code: s for s in pycountry.subdivisions.get(country_code="SE")}
    assert {r["iso_3166_2"] for r in regions} == set(swedish)
    for region in regions:
        name = swedish[region["iso_3166_2"]].name
        match = re.fullmatch(r"(.+) \[SE-(\d{2})\]", name)
        assert match, name
        assert match.group(1) == region["county_sv"]
        assert match.group(2) == region["region_code"]


def test_every_region_has_gaps_in_every_edition_with_pinned_counts():
    counts = Counter((r["region_code"], r["edition"]) for r in rows("gaps"))
    editions = [e["edition"] for e in rows("editions")]
    assert editions == ["2026-02", "2026-06"]
    actual = {code: tuple(counts[(code, ed)] for ed in editions) for code in PINNED_GAP_ROWS}
    assert actual == PINNED_GAP_ROWS
    assert sum(counts.values()) == sum(sum(pair) for pair in PINNED_GAP_ROWS.values())


def test_category_counts_are_those_the_source_states():
    # "Fem regioner … Åtta regioner … Sju regioner … En region" in the summary of the source.
    counts = Counter(r["category"] for r in rows("classifications") if r["edition"] == "2026-06")
    assert counts == {
        "concrete_plans": 5,
        "partial_plans": 8,
        "no_concrete_plans": 7,
        "no_response": 1,
    }


def test_every_answer_is_recorded_and_only_non_responders_lack_one():
    counts = Counter(r["region_code"] for r in rows("responses"))
    assert dict(counts) == PINNED_RESPONSES
    no_response = {
        r["region_code"] for r in rows("classifications") if r["category"] == "no_response"
    }
    assert no_response == {r["region_code"] for r in rows("regions")} - set(counts)


def test_gap_answers_cover_every_response_and_february_gap_of_its_region():
    february = {(g["region_code"], g["gap_key"]) for g in rows("gaps") if g["edition"] == "2026-02"}
    expected = {
        (r["response_id"], key)
        for r in rows("responses")
        for code, key in february
        if code == r["region_code"]
    }
    actual = [(a["response_id"], a["gap_key"]) for a in rows("gap_answers")]
    assert len(actual) == len(set(actual))
    assert set(actual) == expected


def test_not_addressed_rows_have_no_summary_and_others_do():
    for answer in rows("gap_answers"):
        empty = answer["summary_en"] == "" and answer["summary_sv"] == ""
        assert empty == (answer["stance"] == "not_addressed"), answer


# Vocabulary entries kept although no row uses them yet, with the reason.
DELIBERATELY_UNUSED = {
    ("stances", "action_decided"): (
        "no 2026 answer reports a decision on an action on one of its listed gaps (Halland's "
        "decided and funded 2027 expansion concerns a model none of its gaps is about); kept for "
        "next year"
    ),
}


@pytest.mark.parametrize(
    ("vocabulary", "key", "users"),
    [
        ("functions", "function", [("gaps", "function")]),
        ("categories", "category", [("classifications", "category")]),
        ("stances", "stance", [("gap_answers", "stance")]),
        ("editions", "edition", [("gaps", "edition")]),
        ("sources", "source_id", [("editions", "published_in"), ("editions", "transcribed_from")]),
        (
            "healthcare_regions",
            "healthcare_region",
            [("region_healthcare_regions", "healthcare_region")],
        ),
    ],
)
def test_every_vocabulary_entry_is_used_or_documented(vocabulary, key, users):
    used = {row[field] for resource, field in users for row in rows(resource)}
    for entry in rows(vocabulary):
        if (vocabulary, entry[key]) in DELIBERATELY_UNUSED:
            assert entry[key] not in used, (
                f"{entry[key]} is used now: drop it from DELIBERATELY_UNUSED"
            )
        else:
            assert entry[key] in used, f"{vocabulary}.{entry[key]} is never used"


def test_every_population_code_is_used():
    """Every value a schema enum allows for a gap's population occurs in the data."""
    schema = read_json(REPO / "schema" / "gaps.json")
    allowed = next(f for f in schema["fields"] if f["name"] == "population")["constraints"]["enum"]
    assert set(allowed) == {g["population"] for g in rows("gaps")} - {""}


def test_each_region_has_its_healthcare_region_and_halland_two():
    links = Counter(r["region_code"] for r in rows("region_healthcare_regions"))
    assert set(links) == {r["region_code"] for r in rows("regions")}
    assert {code for code, n in links.items() if n > 1} == {"13"}
    for row in rows("region_healthcare_regions"):
        assert (row["coverage"] == "part") == (row["municipalities"] != "")


# --- files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", resource_names())
def test_csv_files_are_utf8_comma_lf_without_bom(name):
    raw = (DATA / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    text = raw.decode("utf-8")
    header = text.split("\n", 1)[0].split(",")
    schema = read_json(REPO / "schema" / f"{name}.json")
    assert header == [field["name"] for field in schema["fields"]]


@pytest.mark.parametrize("name", resource_names())
def test_no_email_addresses_in_the_data(name):
    assert "@" not in (DATA / f"{name}.csv").read_text(encoding="utf-8")


# --- traceability to the source -----------------------------------------------------------


def test_gap_labels_stand_verbatim_on_their_source_line():
    lines = source_lines()
    for gap in rows("gaps"):
        line = lines[int(gap["source_line"]) - 1]
        assert gap["label_sv"] in line, (gap["edition"], gap["gap_key"], line)


def test_classification_lines_are_region_headings_under_their_category():
    lines = source_lines()
    headings = {c["category"]: c["heading_sv"] for c in rows("categories")}
    for row in rows("classifications"):
        number = int(row["source_line"])
        assert row["source_ref"].endswith(lines[number - 1].strip())
        above = [i for i, text in enumerate(lines[:number]) if text.strip() in headings.values()]
        assert lines[above[-1]].strip() == headings[row["category"]], row


def test_response_lines_fall_in_their_regions_section_of_bilaga_2():
    lines = source_lines()
    start = lines.index("Bilaga 2:")
    names = {r["region_code"]: r["name_source"] for r in rows("regions")}
    heading_at = {
        i: text.strip()
        for i, text in enumerate(lines)
        if i > start and text.strip() in names.values()
    }
    for response in rows("responses"):
        number = int(response["source_line"]) - 1
        assert number > start
        section = heading_at[max(i for i in heading_at if i < number)]
        assert section == names[response["region_code"]], response["response_id"]


def _list_items(lines: list[str], first: int, stop) -> list[int]:
    """Line indexes of the non-empty items of the 'Saknas:' list starting after line ``first``."""
    items = []
    for i in range(first + 1, len(lines)):
        text = lines[i].strip()
        if stop(text):
            break
        if text in ("", "-") or text.endswith(":"):
            continue
        items.append(i)
    return items


def test_every_list_item_in_the_source_has_a_gap_row():
    """Independent of the curation: every item of every 'Saknas:' list yields at least one row."""
    lines = source_lines()
    names = {r["name_source"]: r["region_code"] for r in rows("regions")}
    for region in rows("regions"):
        for alias in filter(None, (a.strip() for a in region["aliases"].split(";"))):
            names[alias] = region["region_code"]
    headings = {c["heading_sv"] for c in rows("categories")}
    june_start, june_end = (
        lines.index("Här redovisas resultaten:"),
        lines.index("Avslutande kommentarer:"),
    )
    feb_start = lines.index("Bilaga 2:")
    expected: dict[tuple[str, str], set[int]] = {}
    for i, text in enumerate(lines):
        code = names.get(text.strip())
        if (
            code is None
            or not (june_start < i < june_end or i > feb_start)
            or lines[i + 2].strip() != "Saknas:"
        ):
            continue
        edition = "2026-06" if i < june_end else "2026-02"
        if edition == "2026-06":
            stop = lambda t: t in names or t in headings or t == "Avslutande kommentarer:"  # noqa: E731
        else:
            stop = lambda t: t.startswith("Svar")  # noqa: E731
        expected[(edition, code)] = {n + 1 for n in _list_items(lines, i + 2, stop)}
    assert len(expected) == 42
    actual: dict[tuple[str, str], set[int]] = {}
    for gap in rows("gaps"):
        actual.setdefault((gap["edition"], gap["region_code"]), set()).add(int(gap["source_line"]))
    assert actual == expected


# --- the coding guide: gap_answers readings ------------------------------------------------

ACTION_STANCES = {"action_taken", "action_decided", "planned"}
NUMBER_WORDS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "femton": 15,
}


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_pinned_rows_of_the_source_resources_and_stances():
    assert {name: len(rows(name)) for name in PINNED_ROWS} == PINNED_ROWS
    assert dict(Counter(a["stance"] for a in rows("gap_answers"))) == PINNED_STANCES


def test_every_reading_but_not_addressed_has_its_cue():
    for answer in rows("gap_answers"):
        assert (answer["cue"] != "") == (answer["stance"] != "not_addressed"), answer


def test_the_same_cue_never_maps_to_two_stances_without_a_note():
    stances: dict[str, set[str]] = {}
    for answer in rows("gap_answers"):
        if answer["cue"]:
            stances.setdefault(_norm(answer["cue"]).casefold(), set()).add(answer["stance"])
    for answer in rows("gap_answers"):
        cue = _norm(answer["cue"]).casefold()
        if cue and len(stances[cue]) > 1:
            assert cue in answer["notes"].casefold(), (answer["response_id"], answer["gap_key"])


def test_cue_phrases_of_the_guide_point_to_their_stance_unless_a_note_says_why():
    """A cue containing a stance's cue phrase has that stance, or its notes quote the phrase."""
    phrases = [
        (phrase.strip().casefold(), stance["stance"])
        for stance in rows("stances")
        for phrase in stance["cue_phrases_sv"].split(";")
        if phrase.strip()
    ]
    assert len(phrases) > 20
    checked = 0
    for answer in rows("gap_answers"):
        cue = _norm(answer["cue"]).casefold()
        for phrase, stance in phrases:
            if phrase in cue:
                checked += 1
                if answer["stance"] != stance:
                    assert phrase in answer["notes"].casefold(), (
                        answer["response_id"],
                        answer["gap_key"],
                        phrase,
                        stance,
                    )
    assert checked > 50


def test_every_action_reading_names_the_action():
    for answer in rows("gap_answers"):
        named = answer["action_en"] != "" and answer["action_sv"] != ""
        if answer["stance"] in ACTION_STANCES:
            assert named, (answer["response_id"], answer["gap_key"])
        elif answer["stance"] != "under_investigation":
            assert answer["action_en"] == answer["action_sv"] == "", answer


def test_every_target_year_has_its_words():
    for answer in rows("gap_answers"):
        assert (answer["target_year"] != "") == (answer["target_text"] != ""), answer
        if answer["target_year"] and answer["target_year"] not in answer["target_text"]:
            # Words without the year ('innan året är slut'): the notes say how it was read.
            notes = answer["notes"]
            assert "target_year" in notes and answer["target_text"] in notes, answer


def test_changed_readings_say_why():
    for answer in rows("gap_answers"):
        if "re-coded" in answer["notes"].casefold():
            assert "coding guide" in answer["notes"], answer


def test_every_stance_has_a_worked_example_of_that_stance():
    answers = {(a["response_id"], a["gap_key"]): a for a in rows("gap_answers")}
    for stance in rows("stances"):
        key = (stance["example_response_id"], stance["example_gap_key"])
        if ("stances", stance["stance"]) in DELIBERATELY_UNUSED:
            assert key == ("", ""), stance["stance"]
            continue
        assert answers[key]["stance"] == stance["stance"]


def _response_spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Response id → (first, last) line number of its text in the source (1-based, inclusive).

    A response runs from its ``source_line`` to the line before the next response or the next
    region heading of Bilaga 2, whichever comes first.
    """
    start = lines.index("Bilaga 2:")
    names = {r["name_source"] for r in rows("regions")}
    headings = [i + 1 for i, text in enumerate(lines) if i > start and text.strip() in names]
    starts = sorted(int(r["source_line"]) for r in rows("responses"))
    spans = {}
    for response in rows("responses"):
        first = int(response["source_line"])
        later = [n for n in starts + headings if n > first] + [len(lines) + 1]
        spans[response["response_id"]] = (first, min(later) - 1)
    return spans


def test_cues_and_target_words_stand_verbatim_in_their_response():
    lines = source_lines()
    spans = _response_spans(lines)
    assert spans["06-2"] == (690, 693)  # the deputy director's two-line addition
    for answer in rows("gap_answers"):
        first, last = spans[answer["response_id"]]
        text = _norm(" ".join(lines[first - 1 : last]))
        for field in ("cue", "target_text"):
            if answer[field]:
                where = (answer["response_id"], answer["gap_key"], field)
                assert _norm(answer[field]) in text, where


# --- figures, timeline and numbers stated in the answers ------------------------------------


def _numbers(text: str) -> set[int]:
    words = re.findall(r"\w+", text.casefold())
    digits = {int(w) for w in words if w.isdigit()}
    return digits | {NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS}


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("key_figures", "value_source_text"),
        ("events", "date_source_text"),
        ("stated_quantities", "value_source_text"),
    ],
)
def test_values_stand_verbatim_on_their_source_line(name, field):
    lines = source_lines()
    for row in rows(name):
        line = lines[int(row["source_line"]) - 1]
        assert _norm(row[field]) in _norm(line), (name, row[field], row["source_line"])


@pytest.mark.parametrize("name", ["key_figures", "stated_quantities"])
def test_each_value_is_the_number_its_words_state(name):
    for row in rows(name):
        stated = _numbers(row["value_source_text"])
        for field in ("value", "value_max"):
            if row.get(field):
                assert int(row[field]) in stated, (name, row[field], row["value_source_text"])


def test_event_dates_agree_with_their_words_and_the_editions():
    months = {"februari": 2, "maj": 5, "juni": 6}
    for event in rows("events"):
        year, *rest = (int(part) for part in event["date"].split("-"))
        text = event["date_source_text"]
        if re.fullmatch(r"\d{6}", text):  # '260512': YYMMDD
            assert (2000 + int(text[:2]), int(text[2:4]), int(text[4:])) == (year, *rest)
        elif match := re.fullmatch(r"(\d{1,2})/(\d{1,2})", text):  # '31/5'
            assert [int(match.group(2)), int(match.group(1))] == rest
        elif match := re.fullmatch(r"(\d{1,2}) (\w+)", text):  # '2 juni'
            assert [months[match.group(2)], int(match.group(1))] == rest
        elif match := re.fullmatch(r"(\w+) (\d{4})", text):  # 'februari 2026'
            assert (int(match.group(2)), [months[match.group(1)]]) == (year, rest)
        else:
            assert text == str(year) and rest == []
    dates = [e["date"] for e in rows("events")]
    assert dates == sorted(dates)
    published = {e["edition"]: e["published"] for e in rows("editions")}
    for event in rows("events"):
        if event["edition"]:
            assert event["date"] == published[event["edition"]]


def test_region_counts_in_the_summary_match_the_classifications():
    counts = Counter(r["category"] for r in rows("classifications") if r["edition"] == "2026-06")
    figures = {f["figure_id"]: f for f in rows("key_figures")}
    for figure in figures.values():
        if figure["category"]:
            assert int(figure["value"]) == counts[figure["category"]], figure["figure_id"]
    # The closing comments' fifteen is 8 + 7 and leaves out the region that did not answer.
    fifteen = int(figures["regions_without_concrete_answers"]["value"])
    assert fifteen == counts["partial_plans"] + counts["no_concrete_plans"]
    assert fifteen != sum(counts.values()) - counts["concrete_plans"]
    assert "does not add up" in figures["regions_without_concrete_answers"]["notes"]
    # Ten regions were reminded; all but the one non-responder then answered.
    answered = len({r["region_code"] for r in rows("responses")})
    assert answered == len(rows("regions")) - counts["no_response"]
    assert int(figures["regions_reminded"]["value"]) > counts["no_response"]


def test_stated_quantities_come_from_their_response():
    lines = source_lines()
    spans = _response_spans(lines)
    responses = {r["response_id"]: r for r in rows("responses")}
    gap_region = {(g["edition"], g["gap_key"]): g["region_code"] for g in rows("gaps")}
    positions: Counter[str] = Counter()
    previous_line: dict[str, int] = {}
    for row in rows("stated_quantities"):
        first, last = spans[row["response_id"]]
        line = int(row["source_line"])
        assert first <= line <= last, row
        assert line >= previous_line.get(row["response_id"], first), row  # in source order
        previous_line[row["response_id"]] = line
        positions[row["response_id"]] += 1
        assert int(row["position"]) == positions[row["response_id"]], row
        if row["region_code"] != responses[row["response_id"]]["region_code"]:
            assert row["notes"], row  # e.g. Norrbotten's figures about Västerbotten
        if row["gap_key"]:
            assert gap_region[(row["edition"], row["gap_key"])] == row["region_code"], row
