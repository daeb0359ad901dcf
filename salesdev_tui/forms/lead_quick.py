"""The quick line: type a lead on one line, see what it parses to, save, type the next.

The dialog stays open after each save so a stack of leads goes in one line at a time;
escape closes it (asking first when a line is typed). ctrl+f carries the line over into the
full form, for the fields the line cannot hold.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from salesdev_tui.domain.batch_context import BatchContext, context_of, with_context
from salesdev_tui.domain.quickadd import (
    QUICK_LINE_HELP,
    QUICK_LINE_PLACEHOLDER,
    QuickLead,
    check_quick_line,
    parse_quick_line,
)
from salesdev_tui.domain.validation import LeadInvalid
from salesdev_tui.forms.lead_dialog import LeadDialog
from salesdev_tui.forms.lead_form import LeadFormScreen
from salesdev_tui.i18n import N_, _, enum_label
from salesdev_tui.widgets.key_footer import KeyFooter

#: Cells per preview column (label and value); two columns fit the 100-column dialog.
PREVIEW_COLUMN = 46


def _fit(value: str, width: int) -> str:
    """`value` padded or cut (with an ellipsis) to exactly `width` cells."""
    if cell_len(value) <= width:
        return set_cell_size(value, width)
    return set_cell_size(value, width - 1) + "…"


def preview_text(lead: QuickLead) -> Text:
    """What the line says, field by field, in two columns, as plain text (never markup)."""
    source = None
    if lead.source is not None:
        source = enum_label(lead.source)
        if lead.source_detail:
            source += f": {lead.source_detail}"
    cells = [
        (_("Company"), lead.company or None), (_("Source"), source),
        (_("Contact"), lead.contact_name), (_("Industry"), lead.industry),
        (_("E-mail"), lead.email),
        (_("Potential"), lead.potential.value if lead.potential else None),
        (_("Phone"), lead.phone), (_("Notes"), lead.notes),
    ]
    label_width = max(cell_len(label) for label, _value in cells) + 2
    text = Text()
    for index, (label, value) in enumerate(cells):
        if index and index % 2 == 0:
            text.append("\n")
        text.append(_fit(label, label_width), style="bold")
        width = PREVIEW_COLUMN - label_width - 2
        text.append(_fit(value or "—", width), style="" if value else "dim")
        if index % 2 == 0:
            text.append("  ")
    text.rstrip()
    return text


class QuickLine(Input):
    """The quick line; backspace at its start clears the batch's carried-over context."""

    class ClearContext(Message):
        """Backspace at the start of the line: the rep takes the prefix away."""

    def action_delete_left(self) -> None:
        if self.cursor_position == 0 and self.selection.is_empty:
            self.post_message(self.ClearContext())
            return
        super().action_delete_left()


class QuickLeadScreen(LeadDialog):
    """One line per lead; stays open for the next one."""

    DUPLICATE_LIMIT = 3  # the dialog must fit 100x32 with the help shown

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), id="lead-quick-save", priority=True,
                tooltip=N_("Save this lead and clear the line for the next (enter too)")),
        Binding("ctrl+o", "open_duplicate", N_("Open existing"), id="lead-quick-open-duplicate",
                priority=True, tooltip=N_("Open the existing customer instead of adding this")),
        Binding("ctrl+f", "full_form", N_("Full form"), id="lead-quick-form", priority=True,
                tooltip=N_("Carry this line over into the full lead form")),
        Binding("escape", "close", N_("Close"), id="lead-quick-close",
                tooltip=N_("Close (asks before discarding a typed line)")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog lead-quick"):
            yield Label(_("New lead: quick line"), classes="dialog-title")
            with Horizontal(id="quick-line-row"):
                # The batch's context (issue 21.4): dim, before the line, until changed.
                context = Static("", id="quick-context")
                context.display = False
                yield context
                yield QuickLine(placeholder=_(QUICK_LINE_PLACEHOLDER), id="quick-line",
                                classes="lead-editable")
            yield Static("", id="quick-problems", classes="field-error -hidden")
            yield Static(preview_text(parse_quick_line("")), id="quick-preview")
            yield Static("", id="lead-duplicates", classes="lead-duplicates -hidden")
            yield Static("", id="lead-status", classes="lead-status -hidden")
            yield Static(Text(_(QUICK_LINE_HELP)), classes="muted quick-help")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (enter)"), variant="primary", id="quick-save", compact=True)
                yield Button(_("Full form (ctrl+f)"), id="quick-form", compact=True)
                yield Button(_("Close (esc)"), id="quick-close", compact=True)
        yield KeyFooter()

    @property
    def line(self) -> Input:
        return self.query_one("#quick-line", Input)

    context: BatchContext = BatchContext()
    """Source, detail, industry and potential carried over from the card saved last."""
    _next_context: BatchContext = BatchContext()

    def on_mount(self) -> None:
        self.line.focus()

    def _show_context(self) -> None:
        shown = self.query_one("#quick-context", Static)
        shown.update(Text(self.context.tokens() + " ", style="dim"))
        shown.display = bool(self.context)
        shown.tooltip = _("Carried over from the last card until you change it; "
                          "backspace at the start of the line clears it")
        self._line_changed(Input.Changed(self.line, self.line.value))

    @on(QuickLine.ClearContext)
    def _clear_context(self, event: QuickLine.ClearContext) -> None:
        event.stop()
        if self.context:
            self.context = BatchContext()
            self._show_context()

    @on(Input.Changed, "#quick-line")
    def _line_changed(self, event: Input.Changed) -> None:
        lead = parse_quick_line(with_context(event.value, self.context))
        self.query_one("#quick-preview", Static).update(preview_text(lead))
        problems = [p.message for p in lead.problems if event.value.strip()]
        self._show_problems(problems)
        self.schedule_duplicate_check(lead.company, lead.email or "", lead.phone or "")

    def _show_problems(self, problems: list[str]) -> None:
        panel = self.query_one("#quick-problems", Static)
        panel.update(Text("\n".join(problems)))
        panel.set_class(not problems, "-hidden")
        self.line.set_class(bool(problems), "-invalid")

    @on(Input.Submitted, "#quick-line")
    @on(Button.Pressed, "#quick-save")
    def action_save(self) -> None:
        if self.saving:
            return
        value = with_context(self.line.value, self.context)
        if not value.strip():
            self.show_status(_("Type a lead first, for example: {example}").format(
                example=_(QUICK_LINE_PLACEHOLDER)))
            return
        try:
            draft = check_quick_line(value, region=self.sales_app.settings.phone_region)
        except LeadInvalid as exc:
            self._show_problems(list(exc.problems.values()))
            self.show_status(_("Not saved: correct the line (or ctrl+f for the full form)."))
            return
        self._next_context = context_of(parse_quick_line(value))
        self.save_checked(draft)

    def after_save(self, name: str) -> None:
        self.context = self._next_context
        self.line.value = ""
        self._show_context()
        self.line.focus()

    def is_dirty(self) -> bool:
        return bool(self.line.value.strip())

    @on(Button.Pressed, "#quick-form")
    def action_full_form(self) -> None:
        if self.saving:
            return
        value = with_context(self.line.value, self.context)
        lead = parse_quick_line(value)
        # What the parser could not use would be lost; the whole line goes into the notes.
        extra = _("Quick line: {line}").format(line=value.strip()) if lead.problems else None
        app = self.app
        self.dismiss(None)
        app.push_screen(LeadFormScreen(lead if value.strip() else None, extra_note=extra))

    @on(Button.Pressed, "#quick-close")
    def _close_pressed(self) -> None:
        self.action_close()
