"""Moving a customer to another stage: the gates' verdict, and the reason when one is needed."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import WORST_CREDIT_RATING, Stage
from salesdev_tui.screens.base import DbModal
from salesdev_tui.widgets.theme_colours import PLAIN, Colours

if TYPE_CHECKING:
    from salesdev_tui.domain.stages import StageDecision
    from salesdev_tui.store.customers import StageMove


def describe_decision(decision: StageDecision, colours: Colours = PLAIN) -> Text:
    """Blockers (what is missing, how to get it), or warnings and what a reason passes,
    as literal text (`services.stage_messages`)."""
    from salesdev_tui.domain.stage_messages import verdict_lines

    styles = {"✗": f"bold {colours.error}", "!": f"bold {colours.warning}", "?": "bold",
              "✓": colours.success}
    text = Text()
    for mark, message, hint in verdict_lines(decision, how=_("the Reason box")):
        text.append(mark + " ", style=styles[mark])
        text.append(message + "\n")
        if hint:
            text.append("  " + hint + "\n", style="dim")
    text.rstrip()
    return text


class StageMoveScreen(DbModal[bool]):
    """Returns True when the stage was changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", N_("Move"), id="stage-confirm", priority=True,
                tooltip=N_("Move the customer to the new stage")),
        Binding("escape", "cancel", N_("Cancel"), id="stage-cancel"),
    ]

    def __init__(self, customer_id: uuid.UUID, name: str, current: Stage, target: Stage) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.customer_name = name
        self.current = current
        self.target = target
        self.decision: StageDecision | None = None

    def compose(self) -> ComposeResult:
        title = _("{name}: {current} → {target}").format(
            name=self.customer_name, current=_(self.current.value), target=_(self.target.value)
        )
        with Vertical(classes="dialog", id="stage-dialog"):
            yield Label(Text(title), classes="dialog-title")
            yield Static(Text(_("Checking the gates…")), id="stage-verdict")
            if self.target == Stage.LOST:
                reasons = self.sales_app.settings.lost_reasons
                yield Label(_("Why was it lost?"))
                yield Select(
                    [(reason, reason) for reason in reasons],
                    prompt=_("Choose a reason"),
                    id="stage-lost-reason",
                )
            yield Label(_("Reason"), id="stage-reason-label")
            yield Input(id="stage-reason", placeholder=_("Why (kept in the stage history)"))
            yield Label(_("Credit override"), id="stage-override-label", classes="-hidden")
            yield Input(
                id="stage-override",
                placeholder=_("Why a customer with poor credit may be won anyway"),
                classes="-hidden",
            )
            # Reopening a lost customer offers back the plans losing it cancelled.
            yield Checkbox("", value=True, id="stage-restore-plans", classes="-hidden")
            yield Label("", id="stage-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Move (ctrl+s)"), variant="primary", id="stage-confirm")
                yield Button(_("Cancel (esc)"), id="stage-cancel")

    def on_mount(self) -> None:
        self.query_one("#stage-reason", Input).focus()
        self.run_db(
            lambda store: (
                store.customers.preview_stage_change(self.customer_id, self.target,
                                                     reason="preview"),
                len(store.customers.plans_cancelled_when_lost(self.customer_id)),
            ),
            self._show,
            group="preview",
        )

    def _show(self, found: tuple[StageDecision, int]) -> None:
        decision, cancelled = found
        self.decision = decision
        # The preview passes a placeholder reason so only real blockers show; a lost move
        # still needs the rep's reason, asked for below (the verdict says so).
        self.query_one("#stage-verdict", Static).update(
            describe_decision(decision, Colours.of(self.app)))
        restore = self.query_one("#stage-restore-plans", Checkbox)
        restore.label = _("Put back the {n} planned contacts cancelled when it was lost").format(
            n=cancelled)
        restore.set_class(cancelled == 0 or self.target == Stage.LOST, "-hidden")
        poor_credit = any(i.code == "poor_credit_needs_override" for i in decision.blockers)
        facts_rating = WORST_CREDIT_RATING.value if poor_credit else None
        for widget_id in ("#stage-override-label", "#stage-override"):
            self.query_one(widget_id).set_class(facts_rating is None, "-hidden")
        hard = [i for i in decision.blockers if i.code != "poor_credit_needs_override"]
        self.query_one("#stage-confirm", Button).disabled = bool(hard)

    def _reason(self) -> str:
        typed = self.query_one("#stage-reason", Input).value.strip()
        if self.target != Stage.LOST:
            return typed
        chosen = self.query_one("#stage-lost-reason", Select).value
        picked = "" if chosen is Select.NULL else str(chosen)
        return ": ".join(part for part in (picked, typed) if part)

    @on(Input.Submitted, "#stage-reason")
    @on(Input.Submitted, "#stage-override")
    def _enter_in_a_box(self, event: Input.Submitted) -> None:
        """Enter in the reason (or override) box moves, as ctrl+s does; not while a hard
        gate refuses (the Move button is disabled then, and the verdict says why)."""
        event.stop()
        if not self.query_one("#stage-confirm", Button).disabled:
            self.action_confirm()

    @on(Button.Pressed, "#stage-confirm")
    def action_confirm(self) -> None:
        from salesdev_tui.domain.stages import StageRefused

        reason = self._reason()
        override = self.query_one("#stage-override", Input).value.strip()

        restore = self.query_one("#stage-restore-plans", Checkbox).value

        def refused(exc: BaseException) -> bool:
            if isinstance(exc, StageRefused):
                # Only what is missing; a reason is offered only for the warnings it passes.
                self.query_one("#stage-error", Label).update(
                    describe_decision(exc.decision, Colours.of(self.app))
                )
                return True
            return False

        from salesdev_tui.usecases.leads import move_stage

        self.run_db(
            lambda store: move_stage(
                store, self.customer_id, self.target, reason=reason, credit_override=override,
                restore_plans=restore,
            ),
            self._moved,
            failed=refused,
            group="save",
        )

    def _moved(self, moved: StageMove) -> None:
        self.sales_app.changed()
        message = _("{name} is now at {stage}.").format(
            name=self.customer_name, stage=_(self.target.value)
        )
        if moved.plans_cancelled:
            message += " " + _("{n} planned contacts cancelled.").format(
                n=moved.plans_cancelled)
        if moved.plans_restored:
            message += " " + _("{n} planned contacts put back.").format(n=moved.plans_restored)
        self.notify(message, markup=False)  # the name is the rep's text: "[b]" shows as typed
        self.dismiss(True)

    @on(Button.Pressed, "#stage-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
