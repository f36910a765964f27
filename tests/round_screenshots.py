"""Regenerate the screenshots of a response workbook shown on the round pages.

The screenshots are made honestly: ``palliativ-data round 2027-02 --from 2026-06`` writes the
workbooks from the bundled package; LibreOffice headless prints one of them (Region Halland's)
to PDF, each sheet on one page; ``pdftoppm`` renders pages to PNG, cropped to what fits a page
of the docs; ``optipng`` makes them small when it is installed. Nothing is drawn by hand.

``docs/sv/assets/round/screenshots.json`` records, for each PNG, the sheet it shows and the
words LibreOffice's page of that sheet holds (``pdftotext``), with the PNG's sha256.
``tests/test_round_screenshots.py`` prints the current workbook again and fails when the words
differ (a heading, a label or an instruction changed): then run this script and commit::

    .venv/bin/python tests/round_screenshots.py

Needs ``soffice`` (Debian: libreoffice-calc-nogui, with fonts-crosextra-carlito for Calibri's
metrics) and ``pdftoppm``/``pdftotext`` (poppler-utils).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "docs" / "sv" / "assets" / "round"
MANIFEST = ASSETS / "screenshots.json"
ROUND, FROM, REGION = "2027-02", "2026-06", "13"
DPI = 96
PDF_FILTER = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
"""LibreOffice's PDF export with each sheet on one page (no page breaks inside a sheet)."""


@dataclass(frozen=True)
class Shot:
    """One screenshot: a sheet's page, cropped to ``width`` × ``height`` pixels at :data:`DPI`
    from the top left (``None``: the whole page)."""

    name: str
    sheet: str
    width: int | None = None
    height: int | None = None


SHOTS = (
    Shot("svarsfil-instruktioner.png", "Instruktioner", height=316),
    Shot("svarsfil-svarande.png", "Svarande"),
    Shot("svarsfil-brister.png", "Brister", width=937),
    Shot("svarsfil-andra-brister.png", "Andra brister", height=140),
)


def tools() -> dict[str, str | None]:
    """The programs this needs, or ``None`` where one is missing."""
    return {name: shutil.which(name) for name in ("soffice", "pdftoppm", "pdftotext")}


def workbook(folder: Path) -> Path:
    """Write the round's workbooks into ``folder`` from the bundled package; Halland's path."""
    import palliativ_data as pdata
    from palliativ_data._round.content import workbook_name

    pdata.send_round(ROUND, FROM, folder)
    return folder / "outgoing" / workbook_name(pdata.load().region(REGION))


def print_pdf(path: Path, folder: Path) -> Path:
    """LibreOffice's PDF of the workbook ``path``, each sheet on one page (own user profile)."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(folder / "pdf"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / "pdf" / f"{path.stem}.pdf"


def page_words(pdf: Path) -> list[list[str]]:
    """Each page's words as ``pdftotext`` reads them, sorted and without repeats (so that a
    line broken elsewhere by other font metrics does not count as a change)."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [sorted(set(re.findall(r"\S+", page))) for page in text.split("\f") if page.strip()]


def render(pdf: Path, shot: Shot, page: int, out: Path) -> Path:
    """The PNG of ``shot``: its page rendered at :data:`DPI`, cropped, optimised."""
    crop = []
    if shot.width or shot.height:
        crop = ["-x", "0", "-y", "0", "-W", str(shot.width or 0), "-H", str(shot.height or 0)]
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            *crop,
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", str(out)], check=True)
    return out


def current(folder: Path) -> tuple[Path, dict[str, list[str]]]:
    """Print the current workbook: the PDF and the words of each screenshot's sheet."""
    from palliativ_data._round import form

    pdf = print_pdf(workbook(folder / "round"), folder)
    words = page_words(pdf)  # the sheets are printed in workbook order, one page each
    return pdf, {shot.name: words[form.SHEETS.index(shot.sheet)] for shot in SHOTS}


def regenerate(assets: Path = ASSETS) -> list[Path]:
    """Write the screenshots and the manifest into ``assets``; return the files written."""
    from palliativ_data._round import form

    assets.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf, words = current(Path(tmp))
        manifest = {
            "made_by": "tests/round_screenshots.py",
            "round": ROUND,
            "from_edition": FROM,
            "region_code": REGION,
            "images": {},
        }
        written = []
        for shot in SHOTS:
            path = render(pdf, shot, form.SHEETS.index(shot.sheet) + 1, assets / shot.name)
            manifest["images"][shot.name] = {  # type: ignore[index]
                "sheet": shot.sheet,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "words": words[shot.name],
            }
            written.append(path)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (assets / MANIFEST.name).write_text(text, encoding="utf-8")
    return [*written, assets / MANIFEST.name]


def main() -> int:
    missing = [name for name, path in tools().items() if path is None]
    if missing:
        print(
            f"missing: {', '.join(missing)} (apt-get install libreoffice-calc-nogui poppler-utils)",
            file=sys.stderr,
        )
        return 2
    for path in regenerate():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
