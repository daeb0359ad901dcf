"""A spreadsheet's columns: each header, its first value, and what it is imported as."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from salesdev_tui.i18n import _


class ColumnMapTable(DataTable[Text]):
    """One row a column; the file's text is shown as text, never as markup."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns(_("Column"), _("First value"), _("Imported as"))

    def show(self, headers: Sequence[str], first: Sequence[str],
             fields: Sequence[str | None]) -> None:
        """Rebuild the rows, keeping the highlighted one."""
        from salesdev_tui.domain.csv_columns import field_text

        row = self.cursor_row
        self.clear()
        for index, header in enumerate(headers):
            sample = first[index] if index < len(first) else ""
            key = fields[index] if index < len(fields) else None
            self.add_row(Text(header), Text(sample.replace("\n", " ")[:40]),
                         Text(field_text(key) if key else _("(not imported)"),
                              style="" if key else "dim"))
        if headers:
            self.move_cursor(row=min(row, len(headers) - 1))
