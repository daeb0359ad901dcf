"""One form for every simple record: fields from a spec, rules from the input model.

A subclass names its title, its input model and its fields, and says how to load and save
(both run in a worker through the store). Everything else is shared: widgets per field kind,
dates typed the way reps type them ("tomorrow 10", "+3d", "12-01 14:30"), errors shown at
their field, ctrl+s from anywhere, escape asking before typed text is thrown away, and a
failed save that keeps every character.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, TextArea

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import InputModel
    from salesdev_tui.models.tables import Record
    from salesdev_tui.store.combined import Store

FieldKind = Literal["text", "multiline", "choice", "when", "day", "money", "number", "flag"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form; `name` is the input model's (and the table's) field name."""

    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""
    required: bool = False


def enum_choices(enum_cls: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    """(label, value) pairs for a Select over an enum, labels through _()."""
    return tuple((_(member.value.replace("_", " ")), member.value) for member in enum_cls)


class RecordForm(DbModal[bool]):
    """Base of the record forms. Dismisses True when something was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="form-save", priority=True,
                tooltip=N_("Save this record")),
        Binding("escape", "cancel", N_("Cancel"), id="form-cancel",
                tooltip=N_("Close; asks first if you typed something")),
        # Priority: inside an Input, ctrl+d would otherwise delete the next character. While
        # nothing can be deleted, check_action hides it and the key reaches the Input.
        Binding("ctrl+d", "delete", N_("Delete"), id="form-delete", priority=True,
                tooltip=N_("Delete this record (asks first; the history keeps it)")),
    ]

    FORM_TITLE: ClassVar[str] = ""
    """Shown at the top (translated at display time)."""

    def __init__(
        self,
        customer_id: uuid.UUID | None,
        record_id: uuid.UUID | None = None,
        *,
        initial: dict[str, object] | None = None,
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.record_id = record_id
        self.initial = dict(initial or {})
        self._loaded: dict[str, str] = {}

    # -- what a subclass provides ---------------------------------------------------------

    def input_model(self) -> type[InputModel]:
        raise NotImplementedError

    def fields(self) -> list[FieldSpec]:
        raise NotImplementedError

    def load(self, store: Store) -> dict[str, object]:
        """Current values of the record being edited (runs in a worker)."""
        return {}

    def save(self, store: Store, data: Any) -> object:
        """Write the validated input (runs in a worker); returns the saved record."""
        raise NotImplementedError

    def saved(self, result: object) -> None:
        """After a successful save, on the UI thread: by default close the form."""
        self.dismiss(True)

    def title_text(self) -> str:
        return _(self.FORM_TITLE)

    def model(self) -> type[Record] | None:
        """The table this form edits; when given, ctrl+d deletes the record being edited."""
        return None

    def can_delete(self) -> bool:
        return self.record_id is not None and self.model() is not None

    # -- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog record-form"):
            yield Label(Text(self.title_text()), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                for spec in self.fields():
                    if spec.kind != "flag":  # a checkbox carries its own label
                        label = spec.label + (" *" if spec.required else "")
                        yield Label(Text(label), classes="form-label")
                    yield self._widget_for(spec)
                    if spec.kind in ("when", "day"):
                        yield Label("", id=f"r-{spec.name}", classes="field-reading -hidden")
                    yield Label("", id=f"e-{spec.name}", classes="field-error -hidden")
            yield Label("", id="form-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="form-save")
                yield Button(_("Cancel (esc)"), id="form-cancel")
                yield Button(_("Delete (ctrl+d)"), variant="error", id="form-delete",
                             classes="" if self.can_delete() else "-hidden")

    def _widget_for(self, spec: FieldSpec) -> Widget:
        wid = f"f-{spec.name}"
        if spec.kind == "multiline":
            return TextArea(id=wid, soft_wrap=True, tab_behavior="focus", classes="form-area")
        if spec.kind == "choice":
            return Select(list(spec.choices), id=wid, prompt=spec.placeholder or _("Choose…"))
        if spec.kind == "flag":
            return Checkbox(spec.label, id=wid)
        placeholder = spec.placeholder or {
            "when": _("2026-12-01 14:30, tomorrow 10, mon 9, +3d"),
            "day": _("2026-12-01, today, +7d"),
            "money": _("1,234.50"),
        }.get(spec.kind, "")
        return Input(id=wid, placeholder=placeholder)

    def on_mount(self) -> None:
        self._fill(self.initial)
        self._loaded = self._raw_texts()
        specs = self.fields()
        if specs:
            self.query_one(f"#f-{specs[0].name}").focus()
        if self.record_id is not None:
            self.run_db(self.load, self._fill_loaded, group="form-load")

    def _fill_loaded(self, values: dict[str, object]) -> None:
        self._fill(values)
        self._loaded = self._raw_texts()

    def _fill(self, values: dict[str, object]) -> None:
        zone = self.sales_app.settings.zone
        for spec in self.fields():
            if spec.name not in values:
                continue
            value = values[spec.name]
            widget = self.query_one(f"#f-{spec.name}")
            if isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, Select):
                widget.value = (
                    Select.NULL if value is None else str(getattr(value, "value", value))
                )
            elif isinstance(widget, TextArea):
                widget.text = "" if value is None else str(value)
            elif isinstance(widget, Input):
                widget.value = _as_text(value, zone)

    def _raw_texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for spec in self.fields():
            widget = self.query_one(f"#f-{spec.name}")
            if isinstance(widget, Checkbox):
                texts[spec.name] = str(widget.value)
            elif isinstance(widget, Select):
                texts[spec.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, TextArea):
                texts[spec.name] = widget.text
            elif isinstance(widget, Input):
                texts[spec.name] = widget.value
        return texts

    def is_dirty(self) -> bool:
        """True when the fields differ from what the form opened with (or loaded)."""
        return self._raw_texts() != self._loaded

    # -- saving ---------------------------------------------------------------------------

    def collect(self) -> tuple[dict[str, object], dict[str, str]]:
        """The typed values, with dates parsed; and the fields whose text did not parse."""
        from salesdev_tui.domain.periods import local_date
        from salesdev_tui.domain.when import parse_day, parse_when

        app = self.sales_app
        now = app.clock()
        zone = app.settings.zone
        data: dict[str, object] = {}
        problems: dict[str, str] = {}
        texts = self._raw_texts()
        for spec in self.fields():
            text = texts[spec.name]
            if spec.kind == "flag":
                data[spec.name] = text == "True"
            elif spec.kind in ("when", "day") and text.strip():
                try:
                    data[spec.name] = (
                        parse_when(text, now, zone)
                        if spec.kind == "when"
                        else parse_day(text, local_date(now, zone))
                    )
                except ValueError as exc:
                    problems[spec.name] = str(exc)
            else:
                data[spec.name] = text if text.strip() else None
        return data, problems

    def show_problems(self, problems: dict[str, str]) -> None:
        for spec in self.fields():
            label = self.query_one(f"#e-{spec.name}", Label)
            message = problems.get(spec.name)
            label.update(Text(message or ""))
            label.set_class(not message, "-hidden")
        general = problems.get("")
        form_error = self.query_one("#form-error", Label)
        form_error.update(Text(general or ""))
        form_error.set_class(not general, "-hidden")
        if problems:
            first = next((s.name for s in self.fields() if s.name in problems), None)
            if first:
                self.query_one(f"#f-{first}").focus()

    @on(Input.Changed)
    def _show_reading(self, event: Input.Changed) -> None:
        """Under a date or time field, what the typed words mean ("明天下午3點" ->
        2026年12月8日 (二) 下午3:00), as it is typed; nothing when the text already says it
        plainly or does not read yet (saving names the problem)."""
        name = (event.input.id or "").removeprefix("f-")
        spec = next((s for s in self.fields() if s.name == name), None)
        if spec is None or spec.kind not in ("when", "day"):
            return
        from salesdev_tui.domain.periods import local_date
        from salesdev_tui.domain.when import format_when, parse_day, parse_when

        app = self.sales_app
        zone = app.settings.zone
        text = event.value.strip()
        reading = ""
        try:
            if spec.kind == "when" and text:
                moment = parse_when(text, app.clock(), zone)
                if format_when(moment, zone) != text:
                    reading = _reading_of(moment.astimezone(zone))
            elif text:
                day = parse_day(text, local_date(app.clock(), zone))
                if day.isoformat() != text:
                    reading = _reading_of(day)
        except ValueError:
            reading = ""
        label = self.query_one(f"#r-{name}", Label)
        label.update(Text(reading))
        label.set_class(not reading, "-hidden")

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        from salesdev_tui.domain.validation import InvalidInput, validate

        data, problems = self.collect()
        model = self.input_model()
        try:
            settings = self.sales_app.settings
            validated = validate(model, data, region=settings.phone_region,
                                 currency=settings.currency)
        except InvalidInput as exc:
            problems = {**exc.by_field(), **problems}
        if problems:
            self.show_problems(problems)
            return
        self.show_problems({})

        def failed(exc: BaseException) -> bool:
            from salesdev_tui.screens.base import storage_message

            message = storage_message(exc) or str(exc)
            self.show_problems({"": message})
            return False  # also notify: a failed save must not go unnoticed

        self.run_db(lambda store: self.save(store, validated), self._after_save,
                    failed=failed, group="form-save")

    def _after_save(self, result: object) -> None:
        self.sales_app.changed()
        self.notify(_("Saved."), markup=False)
        self.saved(result)

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        if not self.is_dirty():
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmScreen(_("Discard what you typed?"), _("The form has unsaved changes."),
                          yes_label=_("Discard"), no_label=_("Keep editing")),
            answered,
        )


    # -- deleting (soft, through store.records.delete_record: logged in the history) ---------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return self.can_delete()
        return True

    @on(Button.Pressed, "#form-delete")
    def action_delete(self) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        model, record_id = self.model(), self.record_id
        if model is None or record_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_db(lambda store: store.records.delete_record(model, record_id),
                            self._after_delete, group="form-delete")

        self.app.push_screen(
            ConfirmScreen(_("Delete this record?"),
                          _("It is marked deleted; the history keeps it."),
                          yes_label=_("Delete"), no_label=_("Keep")),
            answered,
        )

    def _after_delete(self, _result: object) -> None:
        self.sales_app.changed()
        self.notify(_("Deleted."), markup=False)
        self.dismiss(True)


def _as_text(value: object, zone: Any) -> str:
    from salesdev_tui.domain.when import format_when

    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_when(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(getattr(value, "value", value))


def _reading_of(value: date | datetime) -> str:
    from salesdev_tui.domain.locale_format import format_day, format_day_and_time, format_weekday

    if isinstance(value, datetime):
        return "→ " + format_day_and_time(value)
    shown = format_day(value)
    return "→ " + (shown if "(" in shown else f"{format_weekday(value)} {shown}")
