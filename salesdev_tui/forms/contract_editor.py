"""A customer's contract (policy III.7): terms, the six clauses, legal review, signing.

ctrl+s saves (terms and a legal verdict in one transaction), ctrl+l sends the contract to
legal, ctrl+g signs. Signing is refused, with what is missing listed, until the six clauses
are filled and legal approved; with the worst credit rating it asks for an override reason.
A signed contract moves the customer to won (the store goes through the stage gates).
"""
# Over 400 lines on purpose: the six clauses, the legal review and signing are one record's
# editor.

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from salesdev_tui.domain.contracts import CLAUSES, missing_items
from salesdev_tui.domain.legal_approval import approval_problems
from salesdev_tui.domain.validation import (
    ContractInput,
    InvalidInput,
    LegalReviewInput,
    validate,
)
from salesdev_tui.domain.when import parse_day
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import LegalReview, Stage
from salesdev_tui.screens.base import DbModal, storage_message
from salesdev_tui.usecases.legal_review import send_for_review
from salesdev_tui.widgets.contract_fields import FIELDS_WITH_ERRORS, ContractFields
from salesdev_tui.widgets.contract_view import (
    render_checklist,
    render_credit,
    render_legal,
    render_profit,
    render_status,
)
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.theme_colours import Colours

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Proposal
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.contract_queries import ContractDesk
    from salesdev_tui.store.contracts import SignResult

_TERMS = ("number", "value", "cost")


class ContractScreen(DbModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="contract-save", priority=True,
                tooltip=N_("Save the contract (and a legal verdict typed here)")),
        Binding("ctrl+l", "send_to_legal", N_("Send to legal"), id="contract-legal",
                priority=True, tooltip=N_("Record that the contract went to legal for review")),
        Binding("ctrl+g", "sign", N_("Sign"), id="contract-sign", priority=True,
                tooltip=N_("Sign the contract: needs the six clauses and legal approval")),
        Binding("escape", "cancel", N_("Close"), id="contract-cancel",
                tooltip=N_("Close; asks first if something is not saved")),
        Binding("ctrl+o", "open_proposal", N_("Accept a proposal"), id="contract-open-proposal",
                priority=True, tooltip=N_("No proposal accepted yet: open the latest one, to "
                                         "accept it (A)")),
    ]

    def __init__(self, customer_id: uuid.UUID, record_id: uuid.UUID | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.record_id = record_id
        self.desk: ContractDesk | None = None
        self._saved: dict[str, str] = {}
        self._auto_value: str | None = None
        self._preselected: str | None = None
        """The accepted proposal chosen for a new contract, until its Changed event lands."""

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog contract-editor"):
            with Horizontal(classes="contract-head"):
                yield Label(_("Contract"), id="contract-title", classes="dialog-title")
                yield Static("", id="contract-status")
            with Horizontal(classes="contract-main"):
                yield ContractFields()
                with Vertical(id="contract-side"):
                    yield Static("", id="contract-profit")
                    yield Static("", id="contract-checklist")
                    yield Static("", id="contract-credit")
                    yield Static("", id="contract-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                for button_id, label in (("contract-save", _("Save (ctrl+s)")),
                                         ("contract-legal", _("Send to legal (ctrl+l)")),
                                         ("contract-sign", _("Sign (ctrl+g)")),
                                         ("contract-cancel", _("Close (esc)"))):
                    yield Button(label, id=button_id, compact=True,
                                 variant="primary" if button_id == "contract-sign" else "default")
        yield KeyFooter()

    @property
    def _on_team(self) -> bool:
        return self.sales_app.settings.team.configured

    def on_mount(self) -> None:
        if self._on_team:
            self.query_one(ContractFields).lock_review()
        self.query_one("#number", Input).focus()
        self._saved = self._values()
        self._refresh_side()
        self.run_db(lambda store: store.contracts.contract_desk(self.customer_id, self.record_id),
                    self._show_desk, group="contract-load")

    # -- no accepted proposal yet (issue 21.6) --------------------------------------------

    def _needs_a_proposal(self) -> bool:
        """Nothing to link, on a contract that may still link one (not signed)."""
        desk = self.desk
        if desk is None or desk.proposals:
            return False
        return desk.contract is None or desk.contract.signed_at is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_proposal":
            return self._needs_a_proposal()
        return True

    def action_open_proposal(self) -> None:
        """The latest proposal still open (draft or presented), in its editor, where A
        accepts it; back here, the list offers it."""
        from salesdev_tui.forms.proposal_editor import ProposalScreen
        from salesdev_tui.models.enums import ProposalStatus

        def found(proposals: list[Proposal]) -> None:
            open_ones = [p for p in proposals
                         if p.status in (ProposalStatus.DRAFT, ProposalStatus.PRESENTED)]
            if not open_ones:
                self.notify(_("No open proposal: write one on the customer's Proposal tab "
                              "(4, then a)."), severity="warning")
                return
            latest = max(open_ones, key=lambda p: (p.created_at, p.version))
            self.app.push_screen(ProposalScreen(self.customer_id, latest.id))

        self.run_db(lambda store: store.proposals.proposals_of(self.customer_id), found,
                    group="contract-proposals")

    def on_screen_resume(self) -> None:
        """Back from the proposal editor: an accepted proposal may be there to link now."""
        if not self._needs_a_proposal():
            return
        self.run_db(lambda store: store.contracts.contract_desk(self.customer_id, self.record_id),
                    self._proposals_loaded, group="contract-proposals")

    def _proposals_loaded(self, desk: ContractDesk) -> None:
        if self.desk is None:
            return
        from dataclasses import replace

        self.desk = replace(self.desk, proposals=desk.proposals)
        currency = self.sales_app.settings.currency
        fields = self.query_one(ContractFields)
        fields.set_proposals([(Text(f"v{p.version} {p.title} · {currency} {p.total:,}"),
                               p.id.hex) for p in desk.proposals])
        fields.query_one("#proposal-none").display = self._needs_a_proposal()
        self.refresh_bindings()
        if len(desk.proposals) == 1 and not self._values()["proposal_id"]:
            self.query_one("#proposal_id", Select).value = desk.proposals[0].id.hex

    # -- state ----------------------------------------------------------------------------

    def _values(self) -> dict[str, str]:
        return self.query_one(ContractFields).values()

    def _legal_dirty(self) -> bool:
        names = ("legal_review", "legal_reviewer", "legal_reviewed_at", "legal_comments")
        values = self._values()
        return any(values[n] != self._saved.get(n) for n in names)

    def is_dirty(self) -> bool:
        return self._values() != self._saved

    def _show_desk(self, desk: ContractDesk) -> None:
        self.desk = desk
        currency = self.sales_app.settings.currency
        self.query_one("#contract-title", Label).update(
            Text(_("Contract · {name}").format(name=desk.customer.name)))
        fields = self.query_one(ContractFields)
        # A proposal title is the rep's text: literal, never markup.
        fields.set_proposals([(Text(f"v{p.version} {p.title} · {currency} {p.total:,}"),
                               p.id.hex) for p in desk.proposals])
        fields.query_one("#proposal-none").display = self._needs_a_proposal()
        self.refresh_bindings()
        if desk.contract is not None:
            self.record_id = desk.contract.id
            fields.fill(desk.contract, self.sales_app.settings.zone)
            signed = desk.contract.signed_at is not None
            for button_id in ("#contract-save", "#contract-legal", "#contract-sign"):
                self.query_one(button_id, Button).disabled = signed
            # A new contract keeps what was typed while loading as unsaved.
            self._saved = self._values()
            self._auto_value = None
        elif len(desk.proposals) == 1 and not self._values()["proposal_id"]:
            # A new contract is drawn from the accepted proposal: with one, it is chosen
            # (and its total fills the value) as the rep would have done by hand.
            self._preselected = desk.proposals[0].id.hex
            self.query_one("#proposal_id", Select).value = self._preselected
        self._refresh_side()

    def _refresh_side(self) -> None:
        settings, colours = self.sales_app.settings, Colours.of(self.app)
        values = self._values()
        self.query_one("#contract-profit", Static).update(
            render_profit(values["value"], values["cost"], settings.currency, colours))
        clauses = {clause: values[clause] for clause in CLAUSES}
        self.query_one("#contract-checklist", Static).update(
            render_checklist(clauses, values["legal_review"], colours))
        desk, row = self.desk, self.desk.contract if self.desk else None
        self.query_one("#contract-credit", Static).update(
            render_credit(desk.latest_credit_rating if desk else None, colours))
        self.query_one("#contract-legal-dates", Static).update(render_legal(row, settings.zone))
        signed = row.signed_at if row else None
        won = desk is not None and desk.customer.stage == Stage.WON
        name = desk.customer.name if desk else ""
        self.query_one("#contract-status", Static).update(
            render_status(signed, name, settings.zone, won, colours))

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed, "#legal_review")
    def _typed(self) -> None:
        self._refresh_side()

    @on(Select.Changed, "#proposal_id")
    def _proposal_chosen(self, event: Select.Changed) -> None:
        """Picking a proposal fills the value with its exact total, unless one was typed."""
        if self.desk is None or event.value is Select.NULL:
            return
        total = next((p.total for p in self.desk.proposals if p.id.hex == event.value), None)
        value = self.query_one("#value", Input)
        if total is not None and value.value.strip() in ("", "0", "0.00", self._auto_value):
            self._auto_value = f"{total:,}"
            value.value = self._auto_value
        if event.value == self._preselected:
            # Chosen for the rep, not typed: closing right away asks nothing.
            self._preselected = None
            now = self._values()
            self._saved = {**self._saved, "proposal_id": now["proposal_id"],
                           "value": now["value"]}
            self._refresh_side()

    # -- messages -------------------------------------------------------------------------

    def _show_problems(self, problems: dict[str, str]) -> None:
        self.query_one(ContractFields).show_problems(problems)
        general = "\n".join(m for f, m in problems.items() if f not in FIELDS_WITH_ERRORS)
        error = self.query_one("#contract-error", Static)
        error.update(Text(general))
        error.set_class(not general, "-hidden")

    def _failed(self, exc: BaseException) -> bool:
        from salesdev_tui.domain.contracts import ContractRefused, SigningRefused
        from salesdev_tui.domain.stages import StageRefused

        if isinstance(exc, SigningRefused):
            message = _("Cannot sign yet. Still missing:") + "\n" + "\n".join(
                f"• {item}" for item in exc.missing)
        elif isinstance(exc, InvalidInput):
            self._show_problems(exc.by_field())
            return True
        elif isinstance(exc, ContractRefused | StageRefused | LookupError):
            message = str(exc)
        else:
            message = storage_message(exc) or _(
                "Not saved: {problem}. Your input is kept.").format(problem=exc)
        self._show_problems({"": message})
        self.notify(message, severity="error", markup=False)
        return True

    # -- saving, legal, signing -----------------------------------------------------------

    def _checked(self) -> tuple[ContractInput, LegalReviewInput | None] | None:
        values = self._values()
        terms = {name: values[name] or None for name in (*_TERMS, *CLAUSES, "proposal_id")}
        problems: dict[str, str] = {}
        data = review = None
        try:
            data = validate(ContractInput, terms, currency=self.sales_app.settings.currency)
        except InvalidInput as exc:
            problems.update(exc.by_field())
        if self._legal_dirty():
            legal: dict[str, object] = {
                name: values[name] or None
                for name in ("legal_review", "legal_reviewer", "legal_comments")}
            try:
                legal["legal_reviewed_at"] = self._reviewed_at(values["legal_reviewed_at"])
            except ValueError as exc:
                problems["legal_reviewed_at"] = _("{label}: {problem}").format(
                    label=_("Reviewed on"), problem=exc)
            try:
                review = validate(LegalReviewInput, legal)
            except InvalidInput as exc:
                problems.update(exc.by_field())
            if review is not None and "legal_reviewed_at" not in problems:
                for problem in approval_problems(
                        review.legal_review, review.legal_reviewer, review.legal_reviewed_at,
                        self.sales_app.clock()):
                    problems.setdefault(problem.field, problem.message)
        self._show_problems(problems)
        return None if problems or data is None else (data, review)

    def _reviewed_at(self, typed: str) -> datetime | None:
        """The review day typed, as a moment: now when it is today, else the day's start."""
        if not typed.strip():
            return None
        zone = self.sales_app.settings.zone
        now = self.sales_app.clock().astimezone(zone)
        day = parse_day(typed, now.date(), past=True)
        if day == now.date():
            return now.astimezone(UTC)
        return datetime.combine(day, time(), zone).astimezone(UTC)

    def _save(self, then: Callable[[], None] | None = None) -> None:
        """Save what is on screen (when it changed), then reload and run `then`."""
        checked = self._checked()
        if checked is None:
            return
        data, review = checked
        record_id, dirty = self.record_id, self.is_dirty() or self.record_id is None
        before = self._saved.get("legal_review")

        from salesdev_tui.store.contracts import Numbering

        settings = self.sales_app.settings
        numbering = Numbering(settings.contract_prefix, settings.zone)

        def call(store: Store) -> ContractDesk:
            saved_id = record_id
            if dirty:
                saved_id = store.contracts.save_contract(self.customer_id, record_id, data, review,
                                               numbering=numbering).id
            return store.contracts.contract_desk(self.customer_id, saved_id)

        def done(desk: ContractDesk) -> None:
            self._show_desk(desk)
            if dirty:
                self.sales_app.changed()
                reset = desk.contract is not None and before != LegalReview.PENDING.value and (
                    desk.contract.legal_review == LegalReview.PENDING)
                self.notify(_("Clauses changed: the legal review is back to pending.")
                            if reset else _("Contract saved."), markup=False)
            if then is not None:
                then()

        self.run_db(call, done, failed=self._failed, group="contract-save")

    @on(Button.Pressed, "#contract-save")
    def action_save(self) -> None:
        if self._refuse_if_signed():
            return
        self._save()

    def _refuse_if_signed(self) -> bool:
        row = self.desk.contract if self.desk else None
        if row is not None and row.signed_at is not None:
            self.notify(_("This contract is signed; it can no longer change."),
                        severity="warning")
            return True
        return False

    @on(Button.Pressed, "#contract-legal")
    def action_send_to_legal(self) -> None:
        if self._refuse_if_signed():
            return

        def send() -> None:
            assert self.record_id is not None
            contract_id = self.record_id
            self.run_db(
                lambda store: (send_for_review(store, contract_id),
                               store.contracts.contract_desk(self.customer_id, contract_id))[1],
                self._sent, failed=self._failed, group="contract-save",
                exclusive=False)  # see _sign

        self._save(then=send)

    def _sent(self, desk: ContractDesk) -> None:
        self._show_desk(desk)
        self.sales_app.changed()
        if self._on_team:
            self.notify(_("Sent to legal: the next sync puts it in legal's queue; legal's"
                          " verdict comes back with a later sync."), markup=False)
        else:
            self.notify(_("Sent to legal. Record the verdict when it comes back."),
                        markup=False)

    @on(Button.Pressed, "#contract-sign")
    def action_sign(self) -> None:
        if self._refuse_if_signed():
            return
        values = self._values()
        missing = missing_items({c: values[c] for c in CLAUSES}, values["legal_review"])
        if missing:
            message = _("Cannot sign yet. Still missing:") + "\n" + "\n".join(
                f"• {item}" for item in missing)
            self._show_problems({"": message})
            self.notify(_("Cannot sign yet: {count} missing (listed beside the form).").format(
                count=len(missing)), severity="warning", markup=False)
            return
        if self.desk is not None and self.desk.poor_credit:
            self._ask_override()
        else:
            self._save(then=lambda: self._sign(None))

    def _ask_override(self) -> None:
        from salesdev_tui.dialogs.reason_prompt import ReasonScreen

        def answered(reason: str | None) -> None:
            if reason:
                self._save(then=lambda: self._sign(reason))

        self.app.push_screen(ReasonScreen(
            _("Poor credit: sign anyway?"),
            _("The latest credit rating is the worst grade; the policy says to avoid such "
              "customers. Say why this contract may be signed anyway (kept with the contract)."),
            placeholder=_("e.g. paid in advance, guarantee from the parent company"),
        ), answered)

    def _sign(self, override: str | None) -> None:
        assert self.record_id is not None
        contract_id = self.record_id

        def call(store: Store) -> tuple[SignResult, ContractDesk]:
            result = store.contracts.sign(contract_id, credit_override=override)
            return result, store.contracts.contract_desk(self.customer_id, contract_id)

        def failed(exc: BaseException) -> bool:
            from salesdev_tui.domain.contracts import SigningRefused

            if isinstance(exc, SigningRefused) and exc.needs_credit_override:
                self._ask_override()  # the rating changed since the screen opened
                return True
            return self._failed(exc)

        # Started from the save's own `done` (its worker thread is still waiting on it): an
        # exclusive worker would cancel that finished save, and anything waiting on it (the
        # tests' wait_ready) would see WorkerCancelled.
        self.run_db(call, self._signed, failed=failed, group="contract-save", exclusive=False)

    def _signed(self, outcome: tuple[SignResult, ContractDesk]) -> None:
        result, desk = outcome
        self._show_problems({})
        self._show_desk(desk)
        self.sales_app.changed()
        name = result.customer.name
        message = (_("Signed. {name} is now won.") if result.moved_to_won
                   else _("Signed. {name} was already won.")).format(name=name)
        self.notify(message, markup=False)
        if result.moved_to_won:
            from salesdev_tui.screens.next_steps import offer_kickoff

            offer_kickoff(self, self.customer_id)  # the next steps, one key each

    @on(Button.Pressed, "#contract-cancel")
    def action_cancel(self) -> None:
        from salesdev_tui.dialogs.discard import close_asking

        close_asking(self, self.is_dirty(), _("The contract has unsaved changes."))
