"""The downloads page's examples run on a built release and keep the data's types, and the site
lists the release it is handed (the release workflow's one build).

The examples are read from the committed downloads pages (what a reader copies), the release is
built into a temporary folder, and the Python and DuckDB examples run in it: a region code such
as ``01`` stays the text ``"01"`` and a date stays a date.
"""

from __future__ import annotations

import datetime
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

import palliativ_data as pdata
from palliativ_data import _site as site
from palliativ_data._errors import BuildError
from palliativ_data._site import _snippets

ROOT = Path(__file__).resolve().parent.parent
FOLDER = f"palliativ-data-{pdata.data_version()}"


def _tab(lang: str, fence: str) -> str:
    """The code of one tab (``=== "…"`` then a fenced block) of the committed downloads page."""
    page = (ROOT / "docs" / lang / "downloads.md").read_text(encoding="utf-8")
    (block,) = re.findall(rf"^    ```{fence}\n(.*?)^    ```", page, flags=re.MULTILINE | re.DOTALL)
    return textwrap.dedent(block)


@pytest.fixture(scope="module")
def release_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snippets")
    pdata.build_release(out, validate=False)
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_python_example_keeps_codes_as_text_and_dates_as_dates(
    release_out: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pandas")
    monkeypatch.chdir(release_out)
    scope: dict[str, Any] = {}
    exec(compile(_tab(lang, "python"), f"docs/{lang}/downloads.md (Python)", "exec"), scope)
    gaps, responses, table = scope["gaps"], scope["responses"], scope["table"]
    assert gaps["region_code"].iloc[0] == "01" and isinstance(gaps["region_code"].iloc[0], str)
    assert responses["region_code"].iloc[0] == "01"
    dates = responses["date"].dropna()
    assert len(dates) > 0 and all(type(value) is datetime.date for value in dates.tolist())
    assert str(responses["date"].dtype) == "date32[day][pyarrow]"
    assert str(responses["position"].dtype) == "int64[pyarrow]"  # not float
    column = table.column("date").to_pylist()
    assert any(isinstance(value, datetime.date) for value in column)
    assert table.column("region_code").to_pylist()[0] == "01"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_duckdb_example_keeps_codes_as_text_and_dates_as_dates(
    release_out: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    duckdb = pytest.importorskip("duckdb")
    monkeypatch.chdir(release_out)
    connection = duckdb.connect()
    connection.execute("SET autoinstall_known_extensions = false")  # offline: nothing fetched
    connection.execute("SET autoload_known_extensions = false")
    statements = [s.strip() for s in _tab(lang, "sql").split(";") if s.strip()]
    assert len(statements) == 2
    assert not [s for s in statements if "ATTACH" in s or "INSTALL" in s]
    gaps = connection.execute(statements[0])
    names = [column[0] for column in gaps.description]
    assert gaps.fetchall()[0][names.index("region_code")] == "01"
    responses = connection.execute(statements[1])
    names = [column[0] for column in responses.description]
    rows = responses.fetchall()
    assert rows[0][names.index("region_code")] == "01"
    dates = [row[names.index("date")] for row in rows if row[names.index("date")] is not None]
    assert dates and all(type(value) is datetime.date for value in dates)


def test_r_and_spreadsheet_examples_name_the_types_from_the_schema() -> None:
    """R is not run here: its column types are generated from the Table Schema (every
    non-text field named, text by default), and the spreadsheet tip names the code columns."""
    descriptor = pdata.load().descriptor
    r_code = _tab("en", "r")
    for name in _snippets.TABLES:
        (resource,) = [r for r in descriptor["resources"] if r["name"] == name]
        assert _snippets.readr_types(resource["schema"]["fields"]) in r_code
    assert "date = col_date()" in r_code and 'na = ""' in r_code
    assert "region_code" not in _snippets.readr_types([{"name": "region_code", "type": "string"}])
    page = (ROOT / "docs" / "en" / "downloads.md").read_text(encoding="utf-8")
    assert "region_code" in page.split('=== "Spreadsheet"')[1].split("##")[0]


def test_site_lists_the_release_it_is_handed(
    release_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``PALLIATIV_DATA_SITE_RELEASE``: the site uses that build, and refuses a folder that
    holds anything else than this package's one release."""
    monkeypatch.setenv(site.RELEASE_ENV, str(release_out))
    with site.built_release() as given:
        assert given == release_out
    assert (release_out / f"{FOLDER}.zip").is_file()  # left as it was
    other = tmp_path / "other"
    shutil.copytree(release_out, other)
    (other / "notes.txt").write_text("x", encoding="utf-8")
    monkeypatch.setenv(site.RELEASE_ENV, str(other))
    with pytest.raises(BuildError, match="holding exactly"), site.built_release():
        pass
