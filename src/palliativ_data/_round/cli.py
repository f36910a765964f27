"""``palliativ-data round``: the command-line half of the round, one parser block and its handler.

``round EDITION --from EDITION [--out DIR]`` sends (:func:`.send.send_round`);
``round import FOLDER --into DIR`` receives (:func:`.candidate.import_round`). The two shapes
share one sub-command: argparse cannot tell ``import`` from an edition id, so the handler does
(an edition id is ``YYYY-MM``).
"""

from __future__ import annotations

import argparse
from typing import Any

from .._errors import ArgumentError
from .._printable import json_text, printable

DESCRIPTION = """\
Run the next round of the follow-up, with the Excel and e-mail the organisers use.

Send:    round EDITION --from EDITION [--out DIR] [--deadline YYYY-MM-DD]
  writes into DIR/outgoing/ one response workbook (.xlsx, in Swedish) and one request
  e-mail (.eml, the workbook attached, recipients left to fill in) per region: the
  region's gaps of --from pre-filled and locked, the answers as dropdowns, dates and
  years; an empty DIR/returned/ for the answers, and a README. EDITION is the follow-up
  edition the answers will be published in.
Receive: round import FOLDER --into DIR
  reads the returned workbooks in FOLDER and reports every problem by file › sheet ›
  cell with a code, in Swedish (to send back to the region) and English. Only when there
  is none, writes DIR: a copy of the package with the round's edition, responses, the
  regions' own statements (gap_statements), suggested gap_answers and classifications,
  and a draft list of the round's gaps (those of the edition asked about, still listed
  until the organisers delete the ones they judge closed); it passes `palliativ-data
  validate`. What the regions say about their lists (missing, wrong, addressed or
  disputed gaps) is printed for the organisers, not acted on.

Exit status: 0 done, 1 problems in the workbooks (nothing written), 2 usage error."""

EXAMPLES = (
    "2027-02 --from 2026-06 --out round/",
    "2027-02 --from 2026-06 --out round/ --deadline 2027-01-31 --json",
    "import round/returned/ --into candidate/",
    "import round/returned/ --into candidate/ --json",
)


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``round`` sub-command to ``sub`` (the parser's sub-parsers)."""
    lines = [f"  palliativ-data round {example}" for example in EXAMPLES]
    parser: argparse.ArgumentParser = sub.add_parser(
        "round",
        help="send the next round's workbooks and e-mails, or import the returned workbooks",
        description=DESCRIPTION,
        epilog="\n".join(["Examples:", *lines]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "target",
        metavar="EDITION|import",
        help="the round's edition, YYYY-MM (send), or the word 'import' (receive)",
    )
    parser.add_argument(
        "folder", nargs="?", metavar="FOLDER", help="import: the folder of returned workbooks"
    )
    parser.add_argument(
        "--from",
        dest="from_edition",
        metavar="EDITION",
        help="send: the edition whose gaps are asked about",
    )
    parser.add_argument(
        "--out", metavar="DIR", help="send: output folder (default: ./round-EDITION)"
    )
    parser.add_argument(
        "--deadline",
        metavar="YYYY-MM-DD",
        help="send: the date answers are asked for (default: the last day of the month before)",
    )
    parser.add_argument("--into", metavar="DIR", help="import: the candidate package folder")
    parser.add_argument(
        "--package",
        metavar="PATH",
        help="the package the round is sent from (default: the bundled package)",
    )
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def run(args: argparse.Namespace) -> int:
    """The handler: send or import. The CLI's command table wraps it in its error guard (a
    library error printed as ``error: …``, exit 2 for bad input, 1 for bad data)."""
    if args.target == "import":
        return _import(args)
    return _send(args)


def _send(args: argparse.Namespace) -> int:
    from .send import send_round  # deferred: writing workbooks imports the package readers

    if args.from_edition is None or args.folder is not None or args.into is not None:
        raise ArgumentError(
            "Send a round with `palliativ-data round EDITION --from EDITION [--out DIR]`, or "
            "import one with `palliativ-data round import FOLDER --into DIR`.",
            argument="round",
            value=args.target,
        )
    result = send_round(
        args.target,
        args.from_edition,
        args.out,
        package=args.package,
        deadline=args.deadline,
        force=args.force,
    )
    if args.json:
        print(json_text(result.to_dict()))
        return 0
    print(
        printable(
            f"wrote {result.regions} workbooks and e-mails to {result.out} (round "
            f"{result.edition}, {result.gaps} gaps of {result.from_edition}, deadline "
            f"{result.deadline.isoformat()}):"
        )
    )
    for path in result.files:
        print(printable(f"  {path}", one_line=True))
    print(
        printable(
            f"Send each e-mail in {result.out / 'outgoing'} (add the recipients), save the "
            f"answers in {result.out / 'returned'}, then: palliativ-data round import "
            f"{result.out / 'returned'} --into candidate/"
        )
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from .candidate import import_round  # deferred: reading workbooks imports openpyxl

    if args.folder is None or args.into is None or args.from_edition is not None:
        raise ArgumentError(
            "Import a round with `palliativ-data round import FOLDER --into DIR`.",
            argument="import",
            value=args.folder,
        )
    result = import_round(args.folder, args.into, package=args.package, force=args.force)
    if args.json:
        print(json_text(result.to_dict()))
    else:
        print(printable(result.render()))
    return 0 if result.ok else 1
