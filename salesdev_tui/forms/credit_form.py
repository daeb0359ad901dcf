"""Record a credit check: date, rating, source, credit limit, notes (policy VI).

The checks together are the customer's credit file; the latest rating is shown in the page
header. Policy VI says to avoid customers with poor credit: after a check leaves the worst
grade as the latest rating, the form says plainly what that means for the stage moves.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from salesdev_tui.domain.validation import FIELD_LABELS
from salesdev_tui.forms.record_form import FieldSpec
from salesdev_tui.forms.simple_record_form import SimpleRecordForm
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import WORST_CREDIT_RATING, CreditRating

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record
    from salesdev_tui.store.combined import Store


def rating_choices() -> tuple[tuple[str, str], ...]:
    best, worst = CreditRating.A, WORST_CREDIT_RATING
    return tuple(
        (_("{grade} (best)").format(grade=r.value) if r == best
         else _("{grade} (worst)").format(grade=r.value) if r == worst else r.value, r.value)
        for r in CreditRating
    )


def poor_credit_warning() -> str:
    return _(
        "Credit rating {grade} is the worst grade, and it is now this customer's latest. "
        "Every stage move will warn about it, and signing (marking the customer won) needs "
        "a credit override reason."
    ).format(grade=WORST_CREDIT_RATING.value)


class CreditCheckFormScreen(SimpleRecordForm):
    """`CreditCheckFormScreen(customer_id, record_id)`: record_id None records a new check."""

    PAST_DAYS: ClassVar[frozenset[str]] = frozenset({"checked_on"})

    def title_text(self) -> str:
        return _("Record a credit check") if self.record_id is None else _("Edit credit check")

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import CreditCheck

        return CreditCheck

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import CreditCheckInput

        return CreditCheckInput

    def fields(self) -> list[FieldSpec]:
        return [
            FieldSpec("rating", FIELD_LABELS["rating"], kind="choice", required=True,
                      choices=rating_choices()),
            FieldSpec("checked_on", FIELD_LABELS["checked_on"], kind="day", required=True),
            FieldSpec("source", _("Rating source"),
                      placeholder=_("credit agency, bank reference, own check, …")),
            FieldSpec("credit_limit", FIELD_LABELS["credit_limit"], kind="money"),
            FieldSpec("notes", FIELD_LABELS["notes"], kind="multiline"),
        ]

    def starting_values(self, now: datetime, today: date) -> dict[str, object]:
        return {"checked_on": today}

    def save(self, store: Store, data: Any) -> object:
        super().save(store, data)
        assert self.customer_id is not None
        # The latest check decides the gates, and it may be another one than this.
        return store.customers.stage_facts(self.customer_id).latest_credit_rating

    def saved(self, result: object) -> None:
        if result == WORST_CREDIT_RATING:
            self.notify(poor_credit_warning(), title=_("Poor credit"), severity="warning",
                        timeout=15, markup=False)
        self.dismiss(True)
