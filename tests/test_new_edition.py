"""Tests of new-edition: the worksheet it writes, its safety, and that a filled-in worksheet validates and compares."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

import palliativ_data as pdata
from palliativ_data._cli import main
from palliativ_data._new_edition import CARRIED_GAP_FIELDS, FILL_IN_GAP_FIELDS
from palliativ_data._paths import bundled_package_dir

REAL = bundled_package_dir()
FIXTURES = Path(__file__).parent / "fixtures"


def _load_builder():
    """The synthetic 2027 fixture builder, which also holds the curated-style CSV helpers."""
    spec = importlib.util.spec_from_file_location(
        "synthetic_2027_build_ne", FIXTURES / "synthetic_2027" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BUILDER = _load_builder()
_read, _write = BUILDER.read_rows, BUILDER.write_rows


def _append(package: Path, name: str, worksheet: Path) -> None:
    """Append the worksheet's rows (not its header) to the package's CSV, as the docs say."""
    header, rows = _read(package / "data" / f"{name}.csv")
    sheet_header, sheet_rows = _read(worksheet)
    assert sheet_header == header
    _write(package / "data" / f"{name}.csv", header, rows + sheet_rows)


@pytest.fixture()
def synthetic(tmp_path):
    out = tmp_path / "synthetic_2027"
    return out, BUILDER.build(out)


def test_worksheet_carries_every_gap_of_the_from_edition(tmp_path):
    result = pdata.new_edition("2027-02", "2026-06", out=tmp_path / "sheet")
    header, rows = _read(tmp_path / "sheet" / "gaps.csv")
    real_header, real_rows = _read(REAL / "data" / "gaps.csv")
    assert header == real_header
    source = [row for row in real_rows if row["edition"] == "2026-06"]
    assert result.gaps == len(rows) == len(source)
    for row, old in zip(rows, source, strict=True):
        assert row["edition"] == "2027-02"
        for field in CARRIED_GAP_FIELDS[1:]:
            assert row[field] == old[field], field
        for field in FILL_IN_GAP_FIELDS:
            assert row[field] == "", field
    editions_header, editions = _read(tmp_path / "sheet" / "editions.csv")
    assert editions_header == _read(REAL / "data" / "editions.csv")[0]
    assert [(e["edition"], e["kind"], e["published"], e["published_in"]) for e in editions] == [
        ("2027-02", "inventory", "", "")
    ]
    readme = (tmp_path / "sheet" / "README.md").read_text(encoding="utf-8")
    assert "list_position" in readme and "delete the row" in readme
    assert sorted(path.name for path in result.files) == ["README.md", "editions.csv", "gaps.csv"]


def test_follow_up_worksheet_has_a_classification_row_per_region(tmp_path):
    pdata.new_edition("2027-06", "2026-02", out=tmp_path, kind="follow_up")
    _, rows = _read(tmp_path / "classifications.csv")
    assert [row["region_code"] for row in rows] == [
        r["region_code"] for r in _read(REAL / "data" / "regions.csv")[1]
    ]
    assert all(row["category"] == "" and row["edition"] == "2027-06" for row in rows)
    _, editions = _read(tmp_path / "editions.csv")
    assert editions[0]["follows_up"] == "2026-02"


def test_refuses_to_overwrite_without_force(tmp_path):
    pdata.new_edition("2027-02", "2026-06", out=tmp_path)
    (tmp_path / "gaps.csv").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(pdata.OutputExistsError) as caught:
        pdata.new_edition("2027-02", "2026-06", out=tmp_path)
    assert "force=True" in str(caught.value)  # Python advice for Python callers
    assert "--force" in caught.value.cli_message  # flags on the command line
    assert (tmp_path / "gaps.csv").read_text(encoding="utf-8") == "edited by hand\n"
    pdata.new_edition("2027-02", "2026-06", out=tmp_path, force=True)
    assert (tmp_path / "gaps.csv").read_text(encoding="utf-8").startswith("edition,")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("edition", "from_edition", "error"),
    [
        ("2027-2", "2026-06", pdata.ArgumentError),
        ("2027-13", "2026-06", pdata.ArgumentError),
        ("2026-06", "2026-02", pdata.ArgumentError),  # exists already
        ("2025-12", "2026-06", pdata.ArgumentError),  # earlier than --from
        ("2027-02", "1999-01", pdata.UnknownNameError),
    ],
)
def test_bad_arguments(tmp_path, edition, from_edition, error):
    with pytest.raises(error):
        pdata.new_edition(edition, from_edition, out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unfilled_worksheet_does_not_validate(tmp_path, synthetic):
    path, _ = synthetic
    pdata.new_edition("2028-02", "2027-06", out=tmp_path / "sheet", package=path)
    _append(path, "gaps", tmp_path / "sheet" / "gaps.csv")
    report = pdata.validate(path)
    assert not report.valid
    fields = {(p.resource, p.field) for p in report.problems}
    assert ("gaps", "list_position") in fields and ("gaps", "source_ref") in fields


def test_filled_worksheet_validates_and_compares(tmp_path, synthetic):
    path, _ = synthetic
    package = tmp_path / "candidate"
    shutil.copytree(path, package)
    sheet = tmp_path / "sheet"
    code = main(
        [
            "new-edition",
            "2028-02",
            "--from",
            "2027-06",
            "--out",
            str(sheet),
            "--package",
            str(package),
        ]
    )
    assert code == 0

    # fill in, as a maintainer would: one gap no longer listed, one new gap, the rest still listed
    header, rows = _read(sheet / "gaps.csv")
    closed = rows.pop(0)
    rows.append(
        {
            **dict.fromkeys(header, ""),
            "edition": "2028-02",
            "region_code": closed["region_code"],
            "gap_key": f"{closed['region_code']}-nurse_staffing-synthetic_2028",
            "function": "nurse_staffing",
            "label_sv": "SYNTETISK: specialistsjuksköterskor saknas",
            "label_en": "SYNTHETIC: no specialist nurses",
            "region_wide": "true",
        }
    )
    positions: dict[str, int] = {}
    for row in rows:
        positions[row["region_code"]] = positions.get(row["region_code"], 0) + 1
        row.update(
            list_position=str(positions[row["region_code"]]),
            part="1",
            source_ref=f"SYNTHETIC › 2028-02 › {row['region_code']}",
        )
    _write(sheet / "gaps.csv", header, rows)
    editions_header, editions = _read(sheet / "editions.csv")
    source = next(
        row["source_id"]
        for row in _read(package / "data" / "sources.csv")[1]
        if row["kind"] == "inventory_report" and "SYNTHETIC" in row["citation"]
    )
    editions[0].update(
        published="2028-02",
        published_in=source,
        transcribed_from=source,
        source_part="SYNTHETIC",
        notes="SYNTHETIC test edition.",
    )
    _write(sheet / "editions.csv", editions_header, editions)
    _append(package, "gaps", sheet / "gaps.csv")
    _append(package, "editions", sheet / "editions.csv")

    report = pdata.validate(package)
    assert report.valid, report.render()

    result = pdata.load(package).compare("2027-06", "2028-02")
    status = {gap.gap_key: gap.status for gap in result.gaps}
    assert status.pop(closed["gap_key"]) == "dropped"
    assert status.pop(rows[-1]["gap_key"]) == "added"
    assert set(status.values()) == {"persisting"}
    assert result.summary.persisting == len(rows) - 1

    code = main(["compare", "2027-06", "2028-02", "--package", str(package), "--json"])
    assert code == 0


def test_cli_refuses_to_overwrite(tmp_path, capsys):
    assert main(["new-edition", "2027-02", "--from", "2026-06", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["new-edition", "2027-02", "--from", "2026-06", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (
        main(
            [
                "new-edition",
                "2027-02",
                "--from",
                "2026-06",
                "--out",
                str(tmp_path),
                "--force",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["gaps"] == sum(
        1 for row in _read(REAL / "data" / "gaps.csv")[1] if row["edition"] == "2026-06"
    )


def test_worksheet_is_plain_markdown_and_readable_files(tmp_path):
    result = pdata.new_edition("2027-06", "2026-02", out=tmp_path, kind="follow_up")
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Worksheet for edition 2027-06 (follow-up)")
    assert "``" not in readme and ":func:" not in readme  # no reStructuredText
    for field in FILL_IN_GAP_FIELDS:
        assert f"`{field}`" in readme
    for path in result.files:
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_cli_new_edition_messages_name_flags_not_python(tmp_path, capsys):
    assert main(["new-edition", "2027-02", "--from", "2026-06", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["new-edition", "2027-02", "--from", "2026-06", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "--out" in err
    assert "force=True" not in err and "out=" not in err
