"""The next round: request e-mails and response workbooks out, returned workbooks read back.

* :func:`send_round` (``palliativ-data round EDITION --from EDITION``) writes, for every region,
  a response workbook in Swedish (its gaps pre-filled and locked, the answers as dropdowns, dates
  and years) and a request e-mail with the workbook attached.
* :func:`import_round` (``palliativ-data round import FOLDER --into CANDIDATE``) reads the
  returned workbooks, reports every problem by file, sheet and cell in Swedish and English, and
  only when there is none writes a candidate package: the package with the round's edition,
  responses, the regions' own statements (``gap_statements``), suggested ``gap_answers`` and
  classifications added; it passes ``palliativ-data validate``.

The layout of the workbook is :mod:`.form`; what it offers comes from the package and
``schema/`` (:mod:`.content`).
"""

from __future__ import annotations

from .candidate import ListStatement, RoundImport, import_round
from .problems import RoundProblem
from .send import RoundSent, send_round

__all__ = [
    "ListStatement",
    "RoundImport",
    "RoundProblem",
    "RoundSent",
    "import_round",
    "send_round",
]
