"""The site on more than two editions (issue 19, item 4): the SYNTHETIC four-edition package
(``tests/fixtures/synthetic_2027``: 2026-02, 2026-06, 2027-02, 2027-06) rendered page by page.

A region page shows each gap's history across the editions, the comparison page every two
editions (consecutive pairs first), the promises page the target years the latest edition's
date has passed, with what that edition shows of each gap. With the bundled two editions none
of these sections appears (``test_site.py`` holds those pages byte for byte).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata
from palliativ_data import _cli as cli
from palliativ_data import _site as site
from palliativ_data._site._common import region_slug
from palliativ_data._site._text import STATUS_WORDS, t

DOCS = Path(__file__).resolve().parent.parent / "docs"
pytestmark = pytest.mark.slow  # a four-edition package and its release built, every page rendered

HEADINGS = {
    "history": {"sv": "## Bristernas historik", "en": "## The gaps' history"},
    "pairs": {"sv": "## Alla utgåvor", "en": "## Every edition"},
    "passed": {"sv": "## Målår som har passerat", "en": "## Target years that have passed"},
}


@pytest.fixture(scope="module")
def four(synthetic_2027: tuple[Path, dict[str, Any]]) -> tuple[pdata.Package, dict[str, Any]]:
    package, plan = synthetic_2027
    return pdata.load(package), plan


@pytest.fixture(scope="module")
def pages(synthetic_2027: tuple[Path, dict[str, Any]]) -> dict[str, str]:
    package, _ = synthetic_2027
    with site.built_release(package) as release:
        return site.render(release, cli.build_parser(), package)


def _rows(text: str, heading: str) -> list[list[str]]:
    """The cells of the table rows in the section under ``heading`` (up to the next ``## ``)."""
    section = text.split(heading + "\n", 1)[1].split("\n## ", 1)[0]
    return [
        [c.strip() for c in line.strip("|").split(" | ")]
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| ---")
    ]


def test_the_bundled_pages_show_no_history_sections(pages: dict[str, str]) -> None:
    """The committed pages (of the bundled two editions; ``test_site.py`` holds them equal to
    what the templates make) have none of the sections, nor their CSV files."""
    for lang in ("sv", "en"):
        for path in (DOCS / lang).rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            for section in HEADINGS.values():
                assert section[lang] not in text, path
    assert not [p for p in DOCS.rglob("*") if p.name.endswith(("-history.csv", "-passed.csv"))]
    # the four-edition site has them all (so the test above could fail)
    assert HEADINGS["pairs"]["sv"] in pages["sv/comparison.md"]
    assert HEADINGS["passed"]["en"] in pages["en/promises.md"]
    assert any(HEADINGS["history"]["sv"] in text for text in pages.values())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_region_page_shows_each_gaps_history(
    pages: dict[str, str], four: tuple[pdata.Package, dict[str, Any]], lang: str
) -> None:
    pkg, plan = four
    editions = [e.edition for e in pkg.editions]
    for key in (plan["closed_gap"], plan["reappearing_gap"]):
        region = pkg.region(key.split("-")[0])
        text = pages[f"{lang}/regions/{region_slug(region)}.md"]
        rows = _rows(text, HEADINGS["history"][lang])
        assert len(rows[0]) == 1 + len(editions)  # the gap, then one column per edition
        # one row per gap the region has listed in any edition
        keys = {g.gap_key for g in pkg.gaps(region=region.region_code)}
        assert len(rows) == 1 + len(keys)
        listed = [
            key in {g.gap_key for g in pkg.gaps(edition=e, region=region.region_code)}
            for e in editions
        ]
        gap = next(g for g in pkg.gaps(region=region.region_code) if g.gap_key == key)
        (row,) = [r for r in rows[1:] if (gap.label_sv if lang == "sv" else gap.label_en) in r[0]]
        words = STATUS_WORDS[lang]
        expected_first = t(lang, "history.listed") if listed[0] else "–"
        assert row[1].startswith(expected_first)
        for before, now, cell in zip(listed[:-1], listed[1:], row[2:], strict=True):
            if before and now:
                assert cell.startswith(words["persisting"]), (key, cell)
            elif before:
                assert cell.startswith(words["dropped"]), (key, cell)
            elif now:
                assert cell.startswith(words["added"]), (key, cell)
        # the answers of 2026-06 about the gap are in its 2026-06 cell
        answered = {r.response_id for r in pkg.responses(edition="2026-06")}
        said = [a for a in pkg.gap_answers() if a.gap_key == key and a.response_id in answered]
        assert (t(lang, "history.answer") + ":" in row[2]) == bool(said)
    closed = _rows(
        pages[f"sv/regions/{region_slug(pkg.region(plan['closed_gap'].split('-')[0]))}.md"],
        HEADINGS["history"]["sv"],
    )
    assert any(r[3].startswith("listas inte längre") for r in closed[1:])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_comparison_page_compares_every_two_editions(
    pages: dict[str, str], four: tuple[pdata.Package, dict[str, Any]], lang: str
) -> None:
    pkg, _ = four
    rows = _rows(pages[f"{lang}/comparison.md"], HEADINGS["pairs"][lang])
    body = [r for r in rows if r[2].isdigit()]  # the header rows left out
    editions = [e.edition for e in pkg.editions]
    pairs = list(itertools.combinations(editions, 2))
    assert len(body) == len(pairs)
    consecutive = list(itertools.pairwise(editions))
    ordered = consecutive + [p for p in pairs if p not in consecutive]
    for (old, new), row in zip(ordered, body, strict=True):
        s = pkg.compare(old, new).summary
        assert [int(v) for v in row[2:]] == [s.old, s.new, s.persisting, s.dropped, s.added]
    csv_rows = pages["sv/data/comparison-pairs.csv"].splitlines()[1:]
    assert [tuple(r.split(",")[:2]) for r in csv_rows] == pairs


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_promises_page_says_which_target_years_have_passed(
    pages: dict[str, str], four: tuple[pdata.Package, dict[str, Any]], lang: str
) -> None:
    pkg, _ = four
    latest = max(pkg.editions, key=lambda e: e.edition)
    year = int(str(latest.published)[:4])
    passed = {a.target_year for a in pkg.gap_answers() if a.target_year and a.target_year < year}
    assert passed  # the 2026 answers name 2026; the synthetic editions are dated 2027
    text = pages[f"{lang}/promises.md"]
    section = text.split(HEADINGS["passed"][lang] + "\n", 1)[1]
    assert re.findall(r"^### (\d{4})$", section, re.M) == [str(y) for y in sorted(passed)]
    listed = {g.gap_key for g in pkg.gaps(edition=latest.edition)}
    promised = {a.gap_key for a in pkg.gap_answers() if a.target_year in passed}
    entries = re.findall(r"^-   .*$", section, re.M)
    assert len(entries) == len(promised)
    words = STATUS_WORDS[lang]
    fates = [e.rsplit(": ", 1)[1].rstrip(".") for e in entries]
    assert sorted(fates) == sorted(
        words["persisting"] if key in listed else words["dropped"] for key in promised
    )
    csv_rows = pages["sv/data/promises-passed.csv"].splitlines()[1:]
    assert {r.split(",")[2] for r in csv_rows} == promised
