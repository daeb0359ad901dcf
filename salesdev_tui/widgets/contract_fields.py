"""The contract's form body: terms, the six clauses and the legal review, as text to read back.

A view: it shows a contract and says what is typed; the contract screen checks and saves.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from salesdev_tui.domain.contracts import CLAUSES, clause_label
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import LegalReview

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Contract

#: Fields typed into an Input; amounts are shown with thousands separators.
_INPUTS = ("number", "value", "cost", "legal_reviewer", "legal_reviewed_at")
_AREAS = (*CLAUSES, "legal_comments")
_SELECTS = ("proposal_id", "legal_review")
#: Fields whose problems are shown under them (the clauses are named by the checklist).
FIELDS_WITH_ERRORS = ("number", "proposal_id", "value", "cost", "legal_review",
                      "legal_reviewer", "legal_reviewed_at", "legal_comments")


def _area(field: str) -> TextArea:
    return TextArea(id=field, soft_wrap=True, tab_behavior="focus", compact=True,
                    classes="contract-clause")


class ContractFields(VerticalScroll):
    def __init__(self) -> None:
        # Not a focus stop itself: tab goes straight from field to field.
        super().__init__(id="contract-body", can_focus=False)
        self._proposals: set[str] = set()

    def compose(self) -> ComposeResult:
        yield from self._line("number", _("Number"),
                              Input(id="number", compact=True,
                                    placeholder=_("given when saved")))
        yield from self._line("proposal_id", _("Proposal"),
                              Select[str]([], prompt=_("— none —"), id="proposal_id",
                                          compact=True))
        # An empty list says why, and how to get a proposal to link (issue 21.6).
        none = Static(Text(_(
            "No accepted proposal to link yet: a contract is drawn from the proposal the "
            "customer accepted. ctrl+o opens the latest proposal; A there accepts it.")),
            id="proposal-none", classes="muted")
        none.display = False
        yield none
        yield from self._line("value", _("Value"),
                              Input(id="value", compact=True,
                                    placeholder=_("e.g. 1,200,000")))
        yield from self._line("cost", _("Cost"),
                              Input(id="cost", compact=True,
                                    placeholder=_("e.g. 800,000")))
        for clause in CLAUSES:
            yield Label(clause_label(clause), classes="contract-label")
            yield _area(clause)
        yield Label(_("Legal review"), classes="contract-section")
        yield Static("", id="contract-legal-dates")
        verdicts = [(_(verdict.value), verdict.value) for verdict in LegalReview]
        yield from self._line("legal_review", _("Verdict"),
                              Select[str](verdicts, value=LegalReview.PENDING.value,
                                          allow_blank=False, id="legal_review", compact=True))
        yield from self._line("legal_reviewer", _("Reviewer"),
                              Input(id="legal_reviewer", compact=True,
                                    placeholder=_("who at legal (needed to approve)")))
        yield from self._line("legal_reviewed_at", _("Reviewed on"),
                              Input(id="legal_reviewed_at", compact=True,
                                    placeholder=_("e.g. today, 11-16 (needed to approve)")))
        yield Label(_("Legal comments"), classes="contract-label")
        yield _area("legal_comments")
        yield Label("", id="e-legal_comments", classes="field-error -hidden")

    @staticmethod
    def _line(field: str, label: str, widget: Any) -> ComposeResult:
        with Horizontal(classes="contract-line"):
            yield Label(label, classes="contract-line-label")
            yield widget
        if field != "legal_comments":
            yield Label("", id=f"e-{field}", classes="field-error -hidden")

    def values(self) -> dict[str, str]:
        """Every field as typed ("" for nothing chosen)."""
        values = {name: self.query_one(f"#{name}", Input).value for name in _INPUTS}
        for name in _AREAS:
            values[name] = self.query_one(f"#{name}", TextArea).text
        for name in _SELECTS:
            chosen = self.query_one(f"#{name}", Select).value
            values[name] = "" if chosen is Select.NULL else str(chosen)
        return values

    def set_proposals(self, options: list[tuple[Text, str]]) -> None:
        """Offer these (label, proposal id hex) choices; labels are literal text."""
        self._proposals = {value for _label, value in options}
        self.query_one("#proposal_id", Select).set_options(options)

    def fill(self, row: Contract, zone: tzinfo) -> None:
        """Show a saved contract (a signed one cannot be edited); days in `zone`."""
        for name in _INPUTS:
            value = getattr(row, name)
            text = ("" if value is None else f"{value:,}" if name in ("value", "cost")
                    else value.astimezone(zone).date().isoformat() if isinstance(value, datetime)
                    else value)
            self.query_one(f"#{name}", Input).value = text
        for name in _AREAS:
            self.query_one(f"#{name}", TextArea).text = getattr(row, name) or ""
        linked = row.proposal_id.hex if row.proposal_id else None
        # A linked proposal that is no longer accepted is not offered: it shows as none,
        # and saving unlinks it (only an accepted proposal may be linked).
        self.query_one("#proposal_id", Select).value = (
            linked if linked in self._proposals else Select.NULL
        )
        self.query_one("#legal_review", Select).value = row.legal_review.value
        self.disabled = row.signed_at is not None

    def lock_review(self) -> None:
        """On a team the verdict is legal's, recorded on the team server and synced here:
        shown, never typed (the server would refuse a rep's; migration v0004)."""
        for name in ("legal_review", "legal_reviewer", "legal_reviewed_at"):
            self.query_one(f"#{name}").disabled = True
        self.query_one("#legal_comments", TextArea).read_only = True
        self.query_one("#legal_reviewer", Input).placeholder = _("recorded by legal")
        self.query_one("#legal_reviewed_at", Input).placeholder = _("recorded by legal")

    def show_problems(self, problems: dict[str, str]) -> None:
        for field in FIELDS_WITH_ERRORS:
            label = self.query_one(f"#e-{field}", Label)
            label.update(Text(problems.get(field, "")))
            label.set_class(field not in problems, "-hidden")
        first = next((f for f in (*FIELDS_WITH_ERRORS, *CLAUSES) if f in problems), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
