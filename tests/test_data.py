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
from palliativ_data.schema.tableschema import resource_names

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
    (
        "stances",
        "action_decided",
    ): "no 2026 answer reports a decision not yet in place; kept for next year's readings",
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
