"""Set the rep's target for one period and indicator (policy V); ctrl+d removes it again.

A period's own target overrides the default derived from the config's monthly ``[targets]``
(quarters x3 and years x12 for counts and money; rates and satisfaction as they are). The
success rate is typed as a percentage ("25%" or "25"; "0.25" reads as a fraction too).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.figure_format import figure_label
from salesdev_tui.domain.scorecard_view import FIGURE_KPI
from salesdev_tui.domain.targets import KPI_ORDER, percent_as_fraction
from salesdev_tui.forms.record_form import FieldSpec, RecordForm
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Kpi, PeriodKind

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record, Target
    from salesdev_tui.store.combined import Store

_KPI_FIGURE = {kpi: figure for figure, kpi in FIGURE_KPI.items()}


class TargetFormScreen(RecordForm):
    """`TargetFormScreen(kind, label, kpi)`: the target of that period and indicator."""

    def __init__(self, kind: PeriodKind, label: str, kpi: Kpi) -> None:
        super().__init__(None, None, initial={"period_kind": kind, "period_label": label,
                                               "kpi": kpi})
        self.kind, self.label, self.kpi = kind, label, kpi

    def title_text(self) -> str:
        return _("Target for {label}").format(label=self.label)

    def model(self) -> type[Record]:
        from salesdev_tui.models.tables import Target

        return Target

    def input_model(self) -> type[InputModel]:
        from salesdev_tui.domain.validation import TargetInput

        return TargetInput

    def fields(self) -> list[FieldSpec]:
        kinds = tuple((_(kind.value), kind.value) for kind in PeriodKind)
        kpis = tuple((figure_label(_KPI_FIGURE[kpi]), kpi.value) for kpi in KPI_ORDER)
        return [
            FieldSpec("period_kind", _("Period"), kind="choice", choices=kinds, required=True),
            FieldSpec("period_label", _("Which one (2026-11, 2026-Q4 or 2026)"),
                      required=True),
            FieldSpec("kpi", _("Indicator"), kind="choice", choices=kpis, required=True),
            FieldSpec("value", _("Target (success rate in %, satisfaction 1 to 5)"),
                      required=True, placeholder=_("5, 950,000, 25% or 4.2")),
        ]

    def on_mount(self) -> None:
        # Runs before RecordForm.on_mount (Textual calls each class's handler): find the
        # saved target, if any, so its value shows and ctrl+d can remove it.
        kind, label, kpi = self.kind, self.label, self.kpi
        self.run_db(lambda store: store.targets.target_of(kind, label, kpi), self._found,
                    group="target-find")

    def _found(self, row: Target | None) -> None:
        if row is None:
            return
        self.record_id = row.id
        self._fill({"value": self._shown_value(row.kpi, row.value)})
        self._loaded = self._raw_texts()
        self.query_one("#form-delete").set_class(False, "-hidden")
        self.refresh_bindings()

    @staticmethod
    def _shown_value(kpi: Kpi, value: Decimal) -> str:
        if kpi is Kpi.SUCCESS_RATE:
            return f"{(value * 100).normalize():f}%"
        return f"{value.normalize():,f}"

    def load(self, store: Store) -> dict[str, object]:
        return {}  # _found fills the value; the period and indicator are given

    def collect(self) -> tuple[dict[str, object], dict[str, str]]:
        from salesdev_tui.domain.targets import target_problem

        data, problems = super().collect()
        value = data.get("value")
        kpi = data.get("kpi")
        if isinstance(value, str) and kpi == Kpi.SUCCESS_RATE.value:
            data["value"] = percent_as_fraction(value)
        parsed = data.get("value")
        if isinstance(parsed, str):
            from salesdev_tui.domain.money import parse_amount

            try:
                parsed = parse_amount(parsed, places=4, below=Decimal(10**13),
                                      currency=self.sales_app.settings.currency)
            except ValueError:
                parsed = None  # the input model names the problem
        if isinstance(parsed, Decimal) and kpi in {k.value for k in Kpi}:
            problem = target_problem(Kpi(str(kpi)), parsed)
            if problem:
                problems["value"] = problem
        return data, problems

    def save(self, store: Store, data: Any) -> object:
        return store.targets.set_target(data)
