"""Why a cell of a report table says "undefined": the reasons as numbered notes under
the table, so a table of many documents or coder pairs stays readable and no
coefficient is shown without either a value or the reason it has none."""

from __future__ import annotations

from html import escape

from accord.agreement.result import Coefficient


class Reasons:
    """The distinct reasons of one table's undefined cells, numbered as they appear."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def mark(self, c: Coefficient) -> str:
        """``undefined`` with the number of its reason (HTML)."""
        reason = c.undefined_reason or "no value"
        n = self._numbers.setdefault(reason, len(self._numbers) + 1)
        return f"undefined<sup>{n}</sup>"

    def notes(self) -> str:
        """The numbered reasons (HTML), empty when every cell has a value."""
        if not self._numbers:
            return ""
        items = "".join(
            f"<li value='{n}'>{escape(reason)}</li>" for reason, n in self._numbers.items()
        )
        return f"<ol class='reasons'>{items}</ol>"
