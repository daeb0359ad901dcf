"""The guided spreadsheet import: pick a file, check how it reads, dry-run it, import it.

The file is read in a worker (detected encoding, delimiter and columns shown at once); the
rep can change any of them, choose what a row matching a stored customer does, try a dry
run, then import with a progress bar and a summary. Everything runs through
`data_transfer.import_csv_file`, exactly as `salesdev import FILE.csv` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal
from salesdev_tui.widgets.column_map import ColumnMapTable

if TYPE_CHECKING:
    from salesdev_tui.domain.csv_sniff import CsvTable
    from salesdev_tui.usecases.data_transfer import CsvImportOutcome, CsvOptions

#: How many bad rows the summary lists (the CLI's --dry-run lists them all).
_SHOWN_PROBLEMS = 12


def _on_match_choices() -> list[tuple[str, str]]:
    return [(_("skip it: leave stored customers as they are"), "skip"),
            (_("update it from the file (blank cells change nothing)"), "update"),
            (_("create a new customer anyway"), "create")]


class ImportWizardScreen(DbModal[bool]):
    """Dismisses True when something was imported."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "read", N_("Read file"), id="import-read", priority=True,
                tooltip=N_("Read the file again with the choices above")),
        Binding("m", "map", N_("Change column"), id="import-map",
                tooltip=N_("Choose what the highlighted column is imported as")),
        Binding("ctrl+r", "run(True)", N_("Dry run"), id="import-dry-run", priority=True,
                tooltip=N_("Check every row and count, write nothing")),
        Binding("ctrl+s", "run(False)", N_("Import"), id="import-run", priority=True,
                tooltip=N_("Import the file")),
        Binding("escape", "close", N_("Close"), id="import-close", tooltip=N_("Close")),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.table: CsvTable | None = None
        self.fields: list[str | None] = []
        self.overrides: dict[str, str | None] = {}
        self.running = False
        self.imported = False
        self.dry_run = False

    def compose(self) -> ComposeResult:
        from salesdev_tui.domain.csv_sniff import DELIMITERS, ENCODINGS

        with Vertical(classes="dialog import-wizard"):
            yield Label(_("Import a spreadsheet (CSV)"), classes="dialog-title")
            with Horizontal(classes="import-line"):
                yield Label(_("File"), classes="import-label")
                yield Input(self.initial_path,
                            placeholder=_("~/leads.csv, .xlsx or .vcf (enter reads it)"),
                            id="import-path", compact=True)
                yield Select([], prompt=_("saved mapping"), id="import-mapping", compact=True)
            with Horizontal(classes="import-line"):
                yield Label(_("Encoding"), classes="import-label")
                yield Select([(name, code) for code, name in ENCODINGS.items()],
                             prompt=_("detect"), id="import-encoding", compact=True)
                yield Label(_("Delimiter"), classes="import-label")
                yield Select([(_(name), mark) for mark, name in DELIMITERS.items()],
                             prompt=_("detect"), id="import-delimiter", compact=True)
            yield Label(_("Columns (m or enter: change what one is imported as)"),
                        classes="import-columns-title")
            yield ColumnMapTable(id="import-columns")
            with Horizontal(classes="import-line"):
                yield Label(_("A row matching a stored customer (e-mail, phone, name):"),
                            classes="import-label-wide")
                yield Select(_on_match_choices(), value="skip", allow_blank=False,
                             id="import-on-match", compact=True)
            yield Checkbox(_("Import the good rows and write the bad ones to a reject file"),
                           id="import-skip-bad", compact=True)
            # Asked only when a run found them: a shared phone or e-mail alone never merges
            # two companies unless the rep says so here.
            yield Checkbox(_("Rows sharing a phone or e-mail with a company of another name "
                             "join that company"), id="import-merge-shared", compact=True,
                           classes="-hidden")
            with Horizontal(classes="import-line"):
                yield Label(_("Save the mapping as:"), classes="import-label-wide")
                yield Input(placeholder=_("a name, to reuse with --mapping (optional)"),
                            id="import-save-as", compact=True)
            yield ProgressBar(show_eta=False, id="import-progress", classes="-hidden")
            yield Static("", id="import-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Dry run (ctrl+r)"), id="import-dry", compact=True)
                yield Button(_("Import (ctrl+s)"), variant="primary", id="import-go",
                             compact=True)
                yield Button(_("Close (esc)"), id="import-cancel", compact=True)

    def on_mount(self) -> None:
        from salesdev_tui.usecases.csv_mappings import list_mappings, mappings_dir

        saved = list_mappings(mappings_dir(self.sales_app.config_path))
        mappings = self.query_one("#import-mapping", Select)
        mappings.set_options([(name, name) for name in saved])
        mappings.display = bool(saved)
        self.query_one("#import-path", Input).focus()
        if self.initial_path:
            self.action_read()

    @on(Select.Changed, "#import-mapping")
    def _use_mapping(self, event: Select.Changed) -> None:
        from salesdev_tui.usecases.csv_mappings import MappingError, load_mapping, mappings_dir

        if not isinstance(event.value, str):
            return
        try:
            saved = load_mapping(mappings_dir(self.sales_app.config_path), event.value)
        except MappingError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.overrides = dict(saved.columns)
        for selector, value in (("#import-encoding", saved.encoding),
                                ("#import-delimiter", saved.delimiter)):
            if value is not None:
                self.query_one(selector, Select).value = value
        self.action_read()

    # -- reading the file ---------------------------------------------------------------------

    def _path(self) -> Path | None:
        text = self.query_one("#import-path", Input).value.strip()
        if not text:
            self._say(_("File: required"))
            return None
        return Path(text).expanduser()

    def _options(self, *, dry_run: bool = False) -> CsvOptions:
        from salesdev_tui.domain.csv_import import OnMatch
        from salesdev_tui.usecases.data_transfer import CsvOptions

        encoding = self.query_one("#import-encoding", Select).value
        delimiter = self.query_one("#import-delimiter", Select).value
        on_match = self.query_one("#import-on-match", Select).value
        return CsvOptions(
            encoding=encoding if isinstance(encoding, str) else None,
            delimiter=delimiter if isinstance(delimiter, str) else None,
            overrides=dict(self.overrides),
            on_match=OnMatch(on_match if isinstance(on_match, str) else "skip"),
            dry_run=dry_run,
            skip_bad_rows=self.query_one("#import-skip-bad", Checkbox).value,
            merge_shared=self.query_one("#import-merge-shared", Checkbox).value,
        )

    @on(Input.Submitted, "#import-path")
    def action_read(self) -> None:
        path = self._path()
        if path is None or self.running:
            return
        options = self._options()

        def job() -> None:
            from salesdev_tui.usecases.data_transfer import preview_csv
            from salesdev_tui.usecases.import_file import read_import_file

            try:
                table, fields = preview_csv(read_import_file(path), options, path.name)
            except (OSError, ValueError) as exc:
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.app.call_from_thread(self._say, _("Cannot read {path}: {why}").format(
                    path=path, why=why))
                return
            self.app.call_from_thread(self._show, table, fields)

        self.run_worker(job, thread=True, exclusive=True, group="import-read",
                        exit_on_error=False)

    @on(Select.Changed, "#import-encoding")
    @on(Select.Changed, "#import-delimiter")
    def _reread(self) -> None:
        if self.table is not None:
            self.action_read()

    def _show(self, table: CsvTable, fields: list[str | None]) -> None:
        from salesdev_tui.usecases.data_transfer import encoding_text

        self.table, self.fields = table, fields
        grid = self.query_one(ColumnMapTable)
        grid.show(table.headers, table.rows[0][1] if table.rows else [], fields)
        if isinstance(self.focused, Input) and self.focused.id == "import-path":
            grid.focus()  # the file is read: the columns are what to look at next
        lines = [_("{rows} rows; read as {encoding}, delimiter {delimiter!r}.").format(
            rows=len(table.rows), encoding=encoding_text(table), delimiter=table.delimiter)]
        preview = self._preview(table, fields)
        if preview:
            lines.append(_("The first rows as they will be stored:"))
            lines.extend(preview)
        self._say("\n".join(lines))

    def _preview(self, table: CsvTable, fields: list[str | None]) -> list[str]:
        """The first rows as they will be stored (checked, not matched: no database)."""
        from salesdev_tui.usecases.data_transfer import preview_lines

        settings = self.sales_app.settings
        return preview_lines(table, fields, region=settings.phone_region, zone=settings.zone)

    # -- the mapping --------------------------------------------------------------------------

    @on(ColumnMapTable.RowSelected, "#import-columns")
    def action_map(self) -> None:
        from salesdev_tui.dialogs.choice import ChoiceScreen
        from salesdev_tui.domain.csv_columns import FIELDS, field_text

        if self.table is None or not self.table.headers:
            return
        index = self.query_one(ColumnMapTable).cursor_row
        header = self.table.headers[index]
        keys: list[str | None] = [None, *(f.key for f in FIELDS)]
        labels = [_("(not imported)"), *(f"{field_text(f.key)}  [{f.key}]" for f in FIELDS)]

        def chosen(pick: int | None) -> None:
            if pick is None or self.table is None:
                return
            from salesdev_tui.domain.csv_columns import auto_map

            self.overrides[header] = keys[pick]
            self._show(self.table, auto_map(self.table.headers, self.overrides))

        title = _('Import column "{header}" as').format(header=header)
        self.app.push_screen(ChoiceScreen(title, labels), chosen)

    # -- running ------------------------------------------------------------------------------

    @on(Button.Pressed, "#import-dry")
    def _dry(self) -> None:
        self.action_run(True)

    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        self.action_run(False)

    def action_run(self, dry_run: bool) -> None:
        from salesdev_tui.usecases.data_transfer import import_csv_file

        path = self._path()
        if path is None or self.running:
            return
        options, app = self._options(dry_run=dry_run), self.sales_app
        region, zone = app.settings.phone_region, app.settings.zone
        if not dry_run:  # a dry run writes nothing, a saved mapping included
            self._save_mapping()
        self.running, self.dry_run = True, dry_run
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.remove_class("-hidden")
        self._say(_("Reading {file}…").format(file=path.name))

        def progress(step: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, step, done, total)

        def failed(exc: BaseException) -> bool:
            self._finish()
            if isinstance(exc, OSError | ValueError):
                self._say(_("Cannot import {path}: {why}").format(path=path, why=exc))
                return True
            return False

        self.run_db(lambda store: import_csv_file(store, path, options, region=region,
                                                  zone=zone, progress=progress),
                    self._done, failed=failed, group="import-run")

    def _progress(self, step: str, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#import-summary", Static).update(Text(f"{step}: {done:,} / {total:,}"))

    def _finish(self) -> None:
        self.running = False
        self.query_one(ProgressBar).add_class("-hidden")

    def _done(self, outcome: CsvImportOutcome) -> None:
        from salesdev_tui.usecases.data_transfer import outcome_lines

        self._finish()
        self._show(outcome.table, outcome.fields)
        lines = outcome_lines(outcome, limit=_SHOWN_PROBLEMS)
        merge_shared = self.query_one("#import-merge-shared", Checkbox)
        if outcome.result.shared:
            merge_shared.remove_class("-hidden")
            if self.dry_run:
                lines.append(_("Rows share a phone or e-mail with a company of another name: "
                               "tick the box above to merge them into it, or leave it to keep "
                               "them apart."))
        if outcome.rejects_path is not None:
            lines.append(_("Bad rows written to {path}.").format(path=outcome.rejects_path))
        elif outcome.rejects_error is not None:
            lines.append(outcome.rejects_error)
        elif outcome.problems and outcome.result.rolled_back and not self.dry_run:
            lines.append(_("Nothing was imported: fix the bad rows, or tick the box above."))
        self._say("\n".join(lines))
        if not outcome.result.rolled_back:
            self.imported = True
            self.sales_app.changed()
            self.notify(_("The import is done."))

    def _save_mapping(self) -> None:
        from salesdev_tui.usecases.csv_mappings import (
            MappingError,
            SavedMapping,
            mappings_dir,
            save_mapping,
        )

        name = self.query_one("#import-save-as", Input).value.strip()
        if not name or self.table is None:
            return
        options = self._options()
        mapping = SavedMapping(dict(zip(self.table.headers, self.fields, strict=False)),
                               options.encoding, options.delimiter)
        try:
            save_mapping(mappings_dir(self.sales_app.config_path), name, mapping)
        except (MappingError, OSError) as exc:
            self.notify(str(exc), severity="warning", markup=False)

    def _say(self, message: str) -> None:
        self.query_one("#import-summary", Static).update(Text(message))

    @on(Button.Pressed, "#import-cancel")
    def action_close(self) -> None:
        if self.running:
            self.notify(_("The import is running; it finishes in a moment."), severity="warning")
            return
        self.dismiss(self.imported)
