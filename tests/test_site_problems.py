"""The "Problem codes" / "Problemkoder" page: every code of the catalogue, by layer, in each language."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import markdown
import pytest

import palliativ_data as pdata
from palliativ_data._site import _pages, _templates
from palliativ_data._site._common import Data
from palliativ_data._validation import codes as codes_module
from palliativ_data._validation.codes import CODES, LAYERS, ProblemCode, anchor


@pytest.fixture(scope="module")
def inputs() -> _pages.Inputs:
    # the page needs neither the release nor the CLI's parser
    return _pages.Inputs(Data(pdata.load()), Path("unused"), argparse.ArgumentParser())


def render(inputs: _pages.Inputs, lang: str) -> str:
    env = _templates.environment(_pages.TEMPLATE_DIRS)
    shown = _pages.problem_codes(inputs, lang)
    return _templates.render(env, "problems.md", inputs.data, lang, shown.values)


def test_the_page_is_a_row_of_the_page_table() -> None:
    (page,) = [page for page in _pages.PAGES if page.path == "problems.md"]
    assert page.show is _pages.problem_codes and page.nav == ("Problemkoder", "Problem codes")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_page_has_an_anchor_per_code_grouped_by_layer(inputs, lang: str) -> None:
    text = render(inputs, lang)
    assert text.startswith("# Problemkoder\n" if lang == "sv" else "# Problem codes\n")
    html = markdown.markdown(text, extensions=["attr_list", "toc"])
    ids = re.findall(r'<h3 id="([^"]+)"', html)
    assert ids == [entry.code for entry in CODES]
    assert ids == [anchor(entry.code) for entry in CODES]
    sections = re.findall(r'<h2 id="layer-([^"]+)">([^<]+)</h2>', html)
    titles = {layer: pair[1 if lang == "sv" else 0] for layer, pair in LAYERS.items()}
    assert sections == list(titles.items())
    for entry in CODES:
        assert entry.title(lang) in text and entry.todo(lang) in text


def test_the_swedish_page_speaks_swedish(inputs) -> None:
    sv, en = render(inputs, "sv"), render(inputs, "en")
    assert "Gör så här:" in sv and "What to do:" not in sv
    assert "What to do:" in en and "Gör så här:" not in en
    for entry in CODES:
        assert entry.title_en not in sv or entry.title_en == entry.title_sv


def test_a_code_added_to_the_catalogue_is_on_both_pages(inputs, monkeypatch) -> None:
    """docs/en/contributing.md, "How to add a problem code": the entry is all the page needs."""
    made_up = ProblemCode(
        "made-up-code",
        "cross-table",
        "A made-up problem.",
        "Do something.",
        "Ett påhittat problem.",
        "Gör något.",
    )
    monkeypatch.setattr(codes_module, "CODES", (*CODES, made_up))
    sv, en = render(inputs, "sv"), render(inputs, "en")
    for text in (sv, en):
        assert "### `made-up-code` {#made-up-code}" in text
    assert "Ett påhittat problem." in sv and "Gör något." in sv
    assert "A made-up problem." in en and "Do something." in en
