"""The base of the proposal editor: its state, which keys may act now, the line keys, saving.

Line keys (add, delete, move) change the lines on screen only; ctrl+s checks the terms and
every line, marks what is refused where it was typed, and writes terms and lines in one
transaction. The cell editor (proposal_cells) and the keys that act on the saved proposal
(proposal_status) build on this; `ProposalScreen` (proposal_editor) puts it on screen.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import ProposalStatus
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.line_grid import LineGrid
from salesdev_tui.widgets.proposal_lines import LINE_FIELDS, DraftLine

if TYPE_CHECKING:
    from salesdev_tui.domain.proposals import LineEdit
    from salesdev_tui.domain.validation import ProposalInput
    from salesdev_tui.models.tables import Proposal
    from salesdev_tui.models.views import ProposalWithLines
    from salesdev_tui.store.combined import Store

#: The terms, as rows of (field, widget kind); compose order is the tab order.
HEADER_ROWS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("title", "input"), ("valid_until", "input")),
    (("delivery_method", "input"), ("delivery_time", "input")),
    (("price_structure", "area"), ("after_sales", "area")),
    (("notes", "input"),),
)
HEADER_FIELDS: tuple[str, ...] = tuple(name for row in HEADER_ROWS for name, _k in row)


class ProposalActions(DbScreen):
    """What every part of the editor shares; `ProposalScreen` provides state and widgets."""

    customer_id: uuid.UUID
    record_id: uuid.UUID | None
    proposal: Proposal | None
    customer_name: str
    lines: list[DraftLine]
    line_problems: dict[int, dict[str, str]]
    editing: tuple[int, int] | None

    # -- provided by the screen -----------------------------------------------------------

    @property
    def locked(self) -> bool:
        raise NotImplementedError

    def fill(self, found: ProposalWithLines) -> None:
        raise NotImplementedError

    def is_dirty(self) -> bool:
        raise NotImplementedError

    def action_commit_cell(self, step: int) -> bool:
        raise NotImplementedError

    def render_grid(self, cursor: tuple[int, int] | None = None) -> None:
        raise NotImplementedError

    def open_editor(self, row: int, column: int) -> None:
        raise NotImplementedError

    def field_text(self, name: str) -> str:
        raise NotImplementedError

    def show_problem(self, name: str, message: str) -> None:
        raise NotImplementedError

    def show_message(self, selector: str, message: str) -> None:
        raise NotImplementedError

    # -- guards ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the keys that cannot act now (the footer shows them greyed)."""
        from salesdev_tui.domain.proposals import ALLOWED_MOVES

        if action in {"add_line", "edit_cell", "delete_line", "move_line"} and self.locked:
            return None
        if action == "set_status":
            current = self.proposal.status if self.proposal is not None else None
            wanted = ProposalStatus(str(parameters[0]))
            return True if current is not None and wanted in ALLOWED_MOVES[current] else None
        if action in {"new_version", "export"} and self.proposal is None:
            return None
        return True

    def refuse_if_locked(self) -> bool:
        if self.locked and self.proposal is not None:
            self.notify(
                _("Version {n} is {status}: press v to make a new version to change it.")
                .format(n=self.proposal.version, status=_(self.proposal.status.value)),
                severity="warning",
            )
            return True
        return False

    def _saved_id(self) -> uuid.UUID | None:
        """The proposal's id when everything is saved; else say what to do, and None."""
        if self.record_id is None:
            self.notify(_("Save the proposal first (ctrl+s)."), severity="warning")
            return None
        if self.is_dirty():
            self.notify(_("Save your changes first (ctrl+s)."), severity="warning")
            return None
        return self.record_id

    # -- lines ----------------------------------------------------------------------------

    def action_add_line(self) -> None:
        if self.refuse_if_locked():
            return
        grid = self.query_one(LineGrid)
        # After the cursor's line when working in the grid; at the end from the terms above.
        in_grid = grid.has_focus or self.editing is not None
        if self.editing is not None and not self.action_commit_cell(0):
            return
        at = grid.cursor_coordinate.row + 1 if in_grid and self.lines else len(self.lines)
        self.lines.insert(at, DraftLine(currency=self.sales_app.settings.currency))
        self.line_problems = {(k + 1 if k >= at else k): v for k, v in self.line_problems.items()}
        self.render_grid(cursor=(at, 0))
        self.open_editor(at, 0)

    def action_delete_line(self) -> None:
        if self.refuse_if_locked() or not self.lines:
            return
        row = self.query_one(LineGrid).cursor_coordinate.row
        if self.lines[row].is_blank():
            self._delete_line(row, True)
            return
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        product = self.lines[row].texts["product"]
        self.app.push_screen(
            ConfirmScreen(
                _("Delete line {n}?").format(n=row + 1),
                _("{product}\n\nThe proposal changes when you save (ctrl+s).").format(
                    product=product),
                yes_label=_("Delete"), no_label=_("Keep"),
            ),
            partial(self._delete_line, row),
        )

    def _delete_line(self, row: int, yes: bool | None) -> None:
        if not yes or row >= len(self.lines):
            return
        del self.lines[row]
        self.line_problems = {
            (k - 1 if k > row else k): v for k, v in self.line_problems.items() if k != row
        }
        self.render_grid()
        self.query_one(LineGrid).focus()

    def action_move_line(self, delta: int) -> None:
        if self.refuse_if_locked():
            return
        row, column = self.query_one(LineGrid).cursor_coordinate
        target = row + delta
        if not self.lines or not 0 <= target < len(self.lines):
            return
        lines, problems = self.lines, self.line_problems
        lines[row], lines[target] = lines[target], lines[row]
        problems[row], problems[target] = problems.get(target, {}), problems.get(row, {})
        self.render_grid(cursor=(target, column))

    # -- saving ---------------------------------------------------------------------------

    def _collect(self) -> tuple[dict[str, object], dict[str, str]]:
        from salesdev_tui.domain.periods import local_date
        from salesdev_tui.domain.validation import field_label
        from salesdev_tui.domain.when import parse_day

        data: dict[str, object] = {}
        problems: dict[str, str] = {}
        for name in HEADER_FIELDS:
            text = self.field_text(name)
            data[name] = text if text.strip() else None
        day = self.field_text("valid_until")
        if day.strip():
            today = local_date(self.sales_app.clock(), self.sales_app.settings.zone)
            try:
                data["valid_until"] = parse_day(day, today)
            except ValueError as exc:
                problems["valid_until"] = _("{label}: {problem}").format(
                    label=field_label("valid_until"), problem=exc)
        return data, problems

    def action_save(self) -> None:
        from salesdev_tui.domain.proposals import LineEdit
        from salesdev_tui.domain.validation import InvalidInput, ProposalInput, validate

        if self.editing is not None and not self.action_commit_cell(0):
            return
        data, problems = self._collect()
        header: ProposalInput | None = None
        try:
            header = validate(ProposalInput, data)
        except InvalidInput as exc:
            problems = {**exc.by_field(), **problems}
        edits: list[LineEdit] = []
        self.line_problems = {}
        for index, line in enumerate(self.lines):
            parsed, line_problems = line.check()
            if line.is_blank():
                continue  # an empty line is left out, not refused
            if parsed is None:
                self.line_problems[index] = line_problems
            else:
                edits.append(LineEdit(parsed, line.line_id))
        for name in HEADER_FIELDS:
            self.show_problem(name, problems.get(name, ""))
        self.render_grid()
        self._show_first_line_problem()
        if header is None or problems or self.line_problems:
            if problems:
                first = next(name for name in HEADER_FIELDS if name in problems)
                self.query_one(f"#f-{first}").focus()
            self.notify(_("Not saved: fix what is marked."), severity="warning")
            return
        self._write(header, edits)

    def _show_first_line_problem(self) -> None:
        if not self.line_problems:
            self.show_message("#cell-error", "")
            return
        row = min(self.line_problems)
        name = next(f for f in LINE_FIELDS if f in self.line_problems[row])
        self.show_message("#cell-error", _("Line {n} · {problem}").format(
            n=row + 1, problem=self.line_problems[row][name]))
        self.query_one(LineGrid).move_cursor(row=row, column=LINE_FIELDS.index(name))
        self.query_one(LineGrid).focus()

    def _write(self, header: ProposalInput, edits: list[LineEdit]) -> None:
        record_id, customer_id, locked = self.record_id, self.customer_id, self.locked

        def save(store: Store) -> ProposalWithLines:
            if record_id is None:
                row = store.proposals.create_proposal(customer_id, header, edits)
            else:
                # Past draft only the private notes can change: the lines are left alone.
                row = store.proposals.update_proposal(record_id, header, None if locked else edits)
            return store.proposals.proposal_with_lines(row.id)

        self.show_message("#proposal-error", "")
        self.run_db(save, self._after_write(_("Saved.")), failed=self._refused,
                    group="proposal-save")

    def _after_write(self, message: str) -> partial[None]:
        return partial(self._written, message)

    def _written(self, message: str, found: ProposalWithLines) -> None:
        self.fill(found)
        self.sales_app.changed()
        self.notify(message, markup=False)

    def _refused(self, exc: BaseException) -> bool:
        from salesdev_tui.domain.proposals import ProposalRefused
        from salesdev_tui.screens.base import storage_message

        if isinstance(exc, ProposalRefused):
            self.show_message("#proposal-error", str(exc))
            self.notify(str(exc), severity="warning", markup=False)
            return True
        self.show_message("#proposal-error", storage_message(exc) or str(exc))
        return False  # also notified: a failed save must not go unnoticed
