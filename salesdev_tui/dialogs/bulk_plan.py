"""Acting on the marked customers (issue 21.1): one contact planned for all of them, new
times for their contacts, or a move to a stage. The rules are `services.bulk_actions`
(the CLI's too); these dialogs only ask and show the one summary of what was refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import STAGE_ORDER, ContactMethod, Stage
from salesdev_tui.screens.base import DbModal

if TYPE_CHECKING:
    from salesdev_tui.screens.base import DbScreen
    from salesdev_tui.usecases.bulk_actions import BulkResult

#: The first contact's time offered: the morning after (a trade show's follow-up calls).
DEFAULT_START = N_("tomorrow 9")  # shown in the rep's language; both read the same
DEFAULT_GAP = "30"


class BulkPlanScreen(DbModal[bool]):
    """Plan one contact for `customer_ids`, or (with `plan_ids`) give those plans new
    times. Returns True when anything was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="bulk-save", priority=True,
                tooltip=N_("Plan (or move) the contacts of every marked customer")),
        Binding("escape", "cancel", N_("Cancel"), id="bulk-cancel"),
    ]

    def __init__(
        self,
        customer_ids: Sequence[uuid.UUID],
        *,
        plan_ids: Sequence[uuid.UUID] | None = None,
        reschedule: bool = False,
    ) -> None:
        super().__init__()
        self.customer_ids = list(customer_ids)
        self.plan_ids = list(plan_ids) if plan_ids is not None else None
        self.reschedule = reschedule or plan_ids is not None

    def compose(self) -> ComposeResult:
        count = len(self.plan_ids) if self.plan_ids is not None else len(self.customer_ids)
        if self.reschedule:
            title = _("New times for the next contact of {n} marked").format(n=count)
        else:
            title = _("Plan one contact with each of {n} marked customers").format(n=count)
        with Vertical(classes="dialog bulk-dialog", id="bulk-dialog"):
            yield Label(Text(title), classes="dialog-title")
            if not self.reschedule:
                yield Label(_("How"))
                yield Select(
                    [(_(m.value), m.value) for m in ContactMethod],
                    value=ContactMethod.PHONE.value,
                    allow_blank=False,
                    id="bulk-method",
                )
                yield Label(_("Agenda (the same for all)"))
                yield Input(id="bulk-agenda",
                            placeholder=_("optional, e.g. follow up on the trade show"))
            yield Label(_("First contact at"))
            yield Input(_(DEFAULT_START), id="bulk-start",
                        placeholder=_("tomorrow 9, mon 14:00, 2026-12-01 10:00"))
            yield Label(_("Minutes between contacts (0: all at that time)"))
            yield Input(DEFAULT_GAP, id="bulk-gap", placeholder="30")
            yield Label("", id="bulk-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="bulk-save")
                yield Button(_("Cancel (esc)"), id="bulk-cancel")

    def on_mount(self) -> None:
        first = "#bulk-start" if self.reschedule else "#bulk-agenda"
        self.query_one(first, Input).focus()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter in any box saves, as ctrl+s does: the defaults are meant to be taken."""
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#bulk-save")
    def action_save(self) -> None:
        from salesdev_tui.domain.when import parse_when
        from salesdev_tui.usecases import bulk_actions

        app = self.sales_app
        error = self.query_one("#bulk-error", Label)
        try:
            start = parse_when(self.query_one("#bulk-start", Input).value, app.clock(),
                               app.settings.zone)
        except ValueError as exc:
            error.update(Text(_("First contact at: {problem}").format(problem=exc)))
            return
        try:
            gap = bulk_actions.parse_gap(self.query_one("#bulk-gap", Input).value)
        except ValueError as exc:
            error.update(Text(str(exc)))
            return
        call: Callable[[object], BulkResult]
        if self.reschedule:
            plan_ids = self.plan_ids
            customer_ids = self.customer_ids
            if plan_ids is not None:
                def call(store: object) -> BulkResult:
                    return bulk_actions.reschedule_plans(
                        store, plan_ids, start=start, gap_minutes=gap)  # type: ignore[arg-type]
            else:
                def call(store: object) -> BulkResult:
                    return bulk_actions.reschedule_customers(
                        store, customer_ids, start=start, gap_minutes=gap)  # type: ignore[arg-type]
            done_text = _("Moved {n} contacts.")
        else:
            method = ContactMethod(str(self.query_one("#bulk-method", Select).value))
            agenda = self.query_one("#bulk-agenda", Input).value.strip() or None
            ids = self.customer_ids

            def call(store: object) -> BulkResult:
                return bulk_actions.plan_contacts(
                    store, ids, method=method, start=start,  # type: ignore[arg-type]
                    gap_minutes=gap, agenda=agenda,
                )
            done_text = _("Planned {n} contacts.")

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, ValueError):
                error.update(Text(str(exc)))
                return True
            return False

        self.run_db(call, lambda result: self._done(result, done_text), failed=failed,
                    group="save")

    def _done(self, result: BulkResult, done_text: str) -> None:
        if result.done:
            self.sales_app.changed()
        show_summary(self, result, done_text)
        self.dismiss(bool(result.done))

    @on(Button.Pressed, "#bulk-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def show_summary(screen: DbModal[bool] | DbScreen, result: BulkResult, done_text: str) -> None:
    """One toast: what was done and, line by line, what was refused and why."""
    # Long enough to read every refusal; the names are the rep's text: no markup.
    if result.refused:
        screen.app.notify(result.summary(done_text), severity="warning", timeout=12,
                          markup=False)
    else:
        screen.app.notify(result.summary(done_text), markup=False)


def move_marked(screen: DbScreen, customer_ids: Sequence[uuid.UUID],
                done: Callable[[], None]) -> None:
    """Pick a stage (a digit), move every marked customer through the gates; those only
    a reason would pass are asked for one reason, once, and tried again."""
    from salesdev_tui.dialogs.choice import ChoiceScreen
    from salesdev_tui.dialogs.reason_prompt import ReasonScreen
    from salesdev_tui.usecases import bulk_actions

    ids = list(customer_ids)
    targets = [*STAGE_ORDER, Stage.LOST]
    done_text = _("Moved {n} customers.")

    def finish(result: BulkResult) -> None:
        if result.done:
            screen.sales_app.changed()
        show_summary(screen, result, done_text)
        done()

    def chosen(index: int | None) -> None:
        if index is None:
            return
        target = targets[index]

        def first_try(result: BulkResult) -> None:
            # Warnings only (no hard gate): a reason passes them; ask once for all.
            soft = [r for r in result.refused if r.why.endswith(_("(a reason passes it)"))]
            if not soft:
                finish(result)
                return
            # One line per warning, with the customers it stops: the same words once.
            by_why: dict[str, list[str]] = {}
            for refusal in soft:
                why = refusal.why.removesuffix(_("(a reason passes it)")).strip()
                by_why.setdefault(why, []).append(refusal.name)
            names = "\n".join(f"· {why} ({', '.join(who)})" for why, who in by_why.items())

            def with_reason(reason: str | None) -> None:
                if reason is None:
                    finish(result)
                    return
                again = [r.customer_id for r in soft]

                def second_try(more: BulkResult) -> None:
                    hard = [r for r in result.refused if r not in soft]
                    merged = bulk_actions.BulkResult(
                        done=[*result.done, *more.done], refused=[*hard, *more.refused])
                    finish(merged)

                screen.run_db(lambda store: bulk_actions.move_customers(
                    store, again, target, reason=reason), second_try, group="bulk-move")

            message = _("{n} customers need a reason to move to {stage}:").format(
                n=len(soft), stage=_(target.value))
            screen.app.push_screen(
                ReasonScreen(_("A reason for all of them"), message + "\n" + names,
                             placeholder=_("Why (kept in each stage history)")),
                with_reason,
            )

        if target == Stage.LOST:
            # Lost always needs a reason: ask first, then move.
            def lost_reason(reason: str | None) -> None:
                if reason is not None:
                    screen.run_db(lambda store: bulk_actions.move_customers(
                        store, ids, target, reason=reason), finish, group="bulk-move")

            screen.app.push_screen(
                ReasonScreen(_("Why were they lost?"),
                             _("{n} marked customers move to lost.").format(n=len(ids))),
                lost_reason,
            )
            return
        screen.run_db(lambda store: bulk_actions.move_customers(store, ids, target),
                      first_try, group="bulk-move")

    screen.app.push_screen(
        ChoiceScreen(_("Move {n} marked customers to").format(n=len(ids)),
                     [_(stage.value) for stage in targets]),
        chosen,
    )
