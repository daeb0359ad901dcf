"""The legal department's screens (issue 19.5): the queue of contracts sent for review, and
one contract's six clauses with the verdict (approve, or reject with a comment).

Legal reads and writes the team server directly (`usecases.legal_review`), never the
laptop's database: every call runs in a thread worker and comes back on the UI thread, so
a slow or unreachable server never blocks the screen; offline shows a plain message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.app_protocol import SalesApp
    from salesdev_tui.models.enums import LegalReview
    from salesdev_tui.server.legal_queue import QueuedContract


def _problem_text(exc: BaseException) -> str | None:
    """A server or role problem as one plain line (None: not one of ours)."""
    from salesdev_tui.domain.validation import InvalidInput
    from salesdev_tui.domain.visible import visible
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.legal_review import LegalRefused

    if isinstance(exc, ServerError):
        return _("The team server cannot be reached: {problem} Press F5 to try again.").format(
            problem=visible(exc))
    if isinstance(exc, LegalRefused | InvalidInput):
        return visible(str(exc))
    return None


class _ServerWork:
    """Runs one team-server call in a thread worker, the result back on the UI thread."""

    def server_call(self, call: Callable[[], Any], done: Callable[[Any], None],
                    failed: Callable[[str], None]) -> None:
        screen = cast("Screen[Any]", self)
        app = screen.app

        def job() -> None:
            try:
                result = call()
            except Exception as exc:  # noqa: BLE001 - every failure is shown, none crash
                from salesdev_tui.domain.visible import visible

                message = _problem_text(exc) or _("Unexpected problem: {problem}").format(
                    problem=visible(exc))
                app.call_from_thread(failed, message)
                return
            app.call_from_thread(done, result)

        screen.run_worker(job, thread=True, exclusive=True, group="legal", exit_on_error=False)


def _moment(moment: datetime | None, zone: Any) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


class LegalQueueScreen(_ServerWork, Screen[None]):
    """The contracts waiting for legal review, the longest waiting first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "read", N_("Read")),
        Binding("f5", "reload", N_("Refresh")),
        Binding("A", "toggle_all", N_("Waiting / all")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reviewed_too = False
        self.rows: list[QueuedContract] = []

    @property
    def sales_app(self) -> SalesApp:
        return cast("SalesApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Legal review: contracts sent for review"), id="legal-title",
                     classes="title")
        yield Static(_("Reading the team server…"), id="legal-status")
        yield DataTable(id="legal-queue", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        from salesdev_tui.usecases.legal_review import legal_queue

        team, reviewed = self.sales_app.settings.team, self.reviewed_too
        self.query_one("#legal-status", Static).update(_("Reading the team server…"))
        self.server_call(lambda: legal_queue(team, reviewed_too=reviewed), self._show,
                         self._offline)

    def action_toggle_all(self) -> None:
        self.reviewed_too = not self.reviewed_too
        self.action_reload()

    def _offline(self, message: str) -> None:
        self.query_one("#legal-status", Static).update(message)

    def _show(self, rows: list[QueuedContract]) -> None:
        from salesdev_tui.domain.locale_format import format_money

        settings = self.sales_app.settings
        self.rows = rows
        table = cast("DataTable[str]", self.query_one("#legal-queue", DataTable))
        # Columns made with the rows: their widths follow the rows from the first frame.
        table.clear(columns=True)
        table.add_columns(_("Customer"), _("Contract"), _("Value"), _("Sent"), _("Verdict"))
        for item in rows:
            table.add_row(item.customer, item.number or "—",
                          format_money(item.value, settings.currency),
                          _moment(item.sent_at, settings.zone), _(item.review.value),
                          key=item.id)
        if rows:
            status = _("Contracts: {count}. Enter reads one.").format(count=len(rows))
        elif self.reviewed_too:
            status = _("No contract sent for review is waiting or unsigned.")
        else:
            status = _("No contract is waiting for legal review.")
        self.query_one("#legal-status", Static).update(status)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_read()

    def action_read(self) -> None:
        table = cast("DataTable[str]", self.query_one("#legal-queue", DataTable))
        if not self.rows or table.cursor_row >= len(self.rows):
            return
        item = self.rows[table.cursor_row]

        def reviewed(changed: bool | None) -> None:
            if changed:
                self.action_reload()

        self.app.push_screen(ContractReviewScreen(item), reviewed)


class ContractReviewScreen(_ServerWork, ModalScreen[bool]):
    """One contract for legal: the six clauses, the review so far, approve or reject."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "approve", N_("Approve")),
        Binding("f3", "reject", N_("Reject")),
        Binding("escape", "close", N_("Back")),
    ]

    def __init__(self, item: QueuedContract) -> None:
        super().__init__()
        self.item = item
        self.changed = False

    @property
    def sales_app(self) -> SalesApp:
        return cast("SalesApp", self.app)

    def compose(self) -> ComposeResult:
        from salesdev_tui.domain.contracts import clause_label
        from salesdev_tui.domain.locale_format import format_money
        from salesdev_tui.domain.visible import visible

        item, settings = self.item, self.sales_app.settings
        with VerticalScroll(id="legal-review"):
            yield Static(visible(_("Contract {number} · {customer} · {value} · sent {when}")
                                 .format(number=item.number or "—", customer=item.customer,
                                         value=format_money(item.value, settings.currency),
                                         when=_moment(item.sent_at, settings.zone))),
                         id="legal-heading", classes="title", markup=False)
            yield Static(self._verdict_line(), id="legal-verdict", markup=False)
            for name, text in item.clauses.items():
                yield Static(clause_label(name), classes="label")
                yield Static(visible(text or _("(not filled in)"), multiline=True),
                             id=f"legal-{name}", markup=False)
            yield Static(_("Comment (required to reject)"), classes="label")
            yield Input(value=item.comments or "", id="legal-comment")
            with Horizontal(classes="buttons"):
                yield Button(_("Approve (F2)"), id="legal-approve", variant="success")
                yield Button(_("Reject (F3)"), id="legal-reject", variant="error")
            yield Static("", id="legal-problem", markup=False)
        yield KeyFooter()

    def _verdict(self) -> str:
        """"approved by lee on 2026-12-07 14:30", "pending", …"""
        from salesdev_tui.domain.legal_approval import approved_by

        item, zone = self.item, self.sales_app.settings.zone
        reviewed = _moment(item.reviewed_at, zone) if item.reviewed_at else None
        return approved_by(item.review, item.reviewer, reviewed)

    def _verdict_line(self) -> str:
        return _("Review: {verdict}").format(verdict=self._verdict())

    def on_mount(self) -> None:
        self.query_one("#legal-comment", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "legal-approve":
            self.action_approve()
        elif event.button.id == "legal-reject":
            self.action_reject()

    def action_approve(self) -> None:
        from salesdev_tui.models.enums import LegalReview

        self._give(LegalReview.APPROVED)

    def action_reject(self) -> None:
        from salesdev_tui.models.enums import LegalReview

        self._give(LegalReview.REJECTED)

    def _give(self, verdict: LegalReview) -> None:
        from salesdev_tui.usecases.legal_review import give_verdict

        team, key = self.sales_app.settings.team, self.item.id
        comment = self.query_one("#legal-comment", Input).value
        self.query_one("#legal-problem", Static).update(_("Sending to the team server…"))
        self.server_call(lambda: give_verdict(team, key, verdict, comment), self._given,
                         self._refused)

    def _given(self, item: QueuedContract) -> None:
        self.item, self.changed = item, True
        self.query_one("#legal-verdict", Static).update(self._verdict_line())
        self.query_one("#legal-problem", Static).update("")
        self.app.notify(_("Contract {number}: {verdict}").format(
            number=item.number or item.id[:8], verdict=self._verdict()), markup=False)
        self.dismiss(True)

    def _refused(self, message: str) -> None:
        self.query_one("#legal-problem", Static).update(message)

    def action_close(self) -> None:
        self.dismiss(self.changed)
