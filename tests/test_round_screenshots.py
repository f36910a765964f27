"""The screenshots of the response workbook on the round pages show the current workbook.

``tests/round_screenshots.py`` made them (LibreOffice's PDF of a workbook, rendered by
pdftoppm) and recorded in ``docs/sv/assets/round/screenshots.json`` the words of each
screenshot's sheet as LibreOffice printed it. Here the current workbook is printed again: a
heading, label or instruction that changed since makes the words differ, and the screenshot is
stale. The words are compared as sets, so other font metrics (a line broken elsewhere) do not
count. Without LibreOffice or poppler-utils the comparison skips, except in CI.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).with_name("round_screenshots.py")


def _script():
    spec = importlib.util.spec_from_file_location("round_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SHOTS = _script()
MANIFEST = json.loads(SHOTS.MANIFEST.read_text(encoding="utf-8"))
REGENERATE = "run `.venv/bin/python tests/round_screenshots.py` and commit the screenshots"


def test_every_screenshot_is_committed_small_and_recorded() -> None:
    assert list(MANIFEST["images"]) == [shot.name for shot in SHOTS.SHOTS]
    for shot in SHOTS.SHOTS:
        path = SHOTS.ASSETS / shot.name
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
        assert len(data) < 100_000, f"{path} is {len(data):,} bytes; {REGENERATE}"
        entry = MANIFEST["images"][shot.name]
        assert entry["sheet"] == shot.sheet
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), f"{path}: {REGENERATE}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_round_page_shows_every_screenshot_with_alt_text(lang: str) -> None:
    page = (ROOT / "docs" / lang / "round.md").read_text(encoding="utf-8")
    for shot in SHOTS.SHOTS:
        found = re.findall(rf"!\[([^\]]*)\]\(([^)]*{re.escape(shot.name)})\)", page)
        assert found, f"docs/{lang}/round.md does not show {shot.name}"
        for alt, target in found:
            assert len(alt.split()) >= 5, f"{shot.name}: alt text {alt!r} says too little"
            # the English pages fall back to the Swedish folder's assets (mkdocs-static-i18n)
            assert target == f"assets/round/{shot.name}", target


@pytest.mark.slow
def test_the_screenshots_show_the_current_workbook(tmp_path: Path) -> None:
    missing = [name for name, path in SHOTS.tools().items() if path is None]
    if missing:
        reason = (
            f"missing {', '.join(missing)}: apt-get install libreoffice-calc-nogui poppler-utils"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so the screenshots must be checked)")
        pytest.skip(reason)
    _, words = SHOTS.current(tmp_path)
    for shot in SHOTS.SHOTS:
        recorded = set(MANIFEST["images"][shot.name]["words"])
        now = set(words[shot.name])
        assert now == recorded, (
            f"{shot.name} ({shot.sheet}) is stale: new words {sorted(now - recorded)[:10]}, "
            f"gone {sorted(recorded - now)[:10]}; {REGENERATE}"
        )
