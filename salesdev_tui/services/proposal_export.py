"""A proposal as the customer reads it: Markdown, or one self-contained HTML page.

What the customer sees is decided here, once, by a list of fields (policy IV: customer
information is confidential, and the rep's own judgement even more so):

- customer-facing, from the proposal: `CUSTOMER_FACING_PROPOSAL_FIELDS` (the title, the version,
  the offer's terms and the validity date), and the date it was presented;
- customer-facing, from each line: `CUSTOMER_FACING_LINE_FIELDS`, plus the amounts the
  proposal service computes from them;
- everything else is private and never copied into a `ProposalView`: the proposal's `notes`
  (the rep's), its status history, negotiation minutes and their `strategy_notes`, needs notes,
  credit checks, competitor notes, the customer's own notes and classification.

`customer_view` copies the allowed fields into a `ProposalView`; `to_markdown` and `to_html`
see nothing else, so a private field cannot leak through a later change of the renderers.
Both are pure: no clock, no database, no files.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from salesdev_tui.i18n import _
from salesdev_tui.services.proposals import line_total, proposal_total

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Proposal, ProposalLine

#: Proposal columns a customer may read.
CUSTOMER_FACING_PROPOSAL_FIELDS: tuple[str, ...] = (
    "version",
    "title",
    "price_structure",
    "delivery_method",
    "delivery_time",
    "after_sales",
    "valid_until",
)

#: Line columns a customer may read.
CUSTOMER_FACING_LINE_FIELDS: tuple[str, ...] = (
    "product",
    "description",
    "quantity",
    "unit_price",
    "discount_pct",
)

#: The fonts that carry Traditional Chinese on Linux, macOS and Windows, then any sans-serif.
CJK_FONTS = '"Noto Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif'


@dataclass(frozen=True)
class LineView:
    """One line item, customer-facing fields only."""

    product: str
    description: str | None
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal

    @property
    def amount(self) -> Decimal:
        return line_total(self)


@dataclass(frozen=True)
class ProposalView:
    """Everything an export may show, and nothing more."""

    customer_name: str
    title: str
    version: int
    issued_on: date
    valid_until: date | None
    price_structure: str | None
    delivery_method: str | None
    delivery_time: str | None
    after_sales: str | None
    lines: tuple[LineView, ...]
    currency: str
    rep_name: str = ""
    company: str = ""
    draft: bool = False
    lang: str = "en"

    @property
    def total(self) -> Decimal:
        return proposal_total(self.lines)

    def terms(self) -> list[tuple[str, str]]:
        """The offer's terms that are filled in: (heading, text)."""
        terms = [
            (_("Price structure"), self.price_structure),
            (_("Delivery method"), self.delivery_method),
            (_("Delivery time"), self.delivery_time),
            (_("After-sales service"), self.after_sales),
        ]
        return [(heading, text) for heading, text in terms if text and text.strip()]


def customer_view(
    proposal: Proposal,
    lines: Sequence[ProposalLine],
    customer_name: str,
    *,
    today: date,
    zone: ZoneInfo,
    currency: str,
    rep_name: str = "",
    company: str = "",
) -> ProposalView:
    """Copy the customer-facing fields; the date is the day presented, else `today`."""
    presented: datetime | None = proposal.presented_at
    issued = presented.astimezone(zone).date() if presented is not None else today
    facing = {name: getattr(proposal, name) for name in CUSTOMER_FACING_PROPOSAL_FIELDS}
    return ProposalView(
        customer_name=customer_name,
        issued_on=issued,
        lines=tuple(
            LineView(**{name: getattr(line, name) for name in CUSTOMER_FACING_LINE_FIELDS})
            for line in lines
        ),
        currency=currency,
        rep_name=rep_name,
        company=company,
        draft=proposal.status.value == "draft",
        # The catalogue of a translation names its own language tag here.
        lang=_("en"),
        **facing,
    )


# --- numbers ----------------------------------------------------------------------------------


def money_text(value: Decimal) -> str:
    return f"{value:,.2f}"


def quantity_text(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def discount_text(value: Decimal) -> str:
    return "" if value == 0 else f"{value.normalize():f}%"


def _has_discount(view: ProposalView) -> bool:
    return any(line.discount_pct for line in view.lines)


def _prepared_by(view: ProposalView) -> str:
    return " · ".join(part for part in (view.rep_name.strip(), view.company.strip()) if part)


def _columns(view: ProposalView) -> list[tuple[str, bool]]:
    """(heading, is a number) of the lines table; the discount column only when used."""
    columns = [
        ("#", True),
        (_("Product or service"), False),
        (_("Description"), False),
        (_("Quantity"), True),
        (_("Unit price ({currency})").format(currency=view.currency), True),
    ]
    if _has_discount(view):
        columns.append((_("Discount"), True))
    columns.append((_("Amount ({currency})").format(currency=view.currency), True))
    return columns


def _cells(view: ProposalView, index: int, line: LineView) -> list[str]:
    cells = [
        str(index),
        line.product,
        line.description or "",
        quantity_text(line.quantity),
        money_text(line.unit_price),
    ]
    if _has_discount(view):
        cells.append(discount_text(line.discount_pct))
    cells.append(money_text(line.amount))
    return cells


def _facts(view: ProposalView) -> list[tuple[str, str]]:
    facts = [
        (_("Proposal for"), view.customer_name),
        (_("Version"), str(view.version)),
        (_("Date"), view.issued_on.isoformat()),
    ]
    if view.valid_until is not None:
        facts.append((_("Valid until"), view.valid_until.isoformat()))
    prepared = _prepared_by(view)
    if prepared:
        facts.append((_("Prepared by"), prepared))
    return facts


# --- Markdown -------------------------------------------------------------------------------

# Inline punctuation Markdown would read as emphasis, code, links, HTML, entities, headings
# or table cells.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
# A line that would start a list, a rule or a setext underline ("#", ">" and "*" are escaped
# everywhere already).
_MD_LINE_START = re.compile(r"^(?:([-+=]+)|(\d+)([.)]))(?=\s|$)")


def md_inline(text: str) -> str:
    """Escape text for inline Markdown, one line."""
    return _MD_INLINE.sub(r"\\\1", text)


def md_cell(text: str) -> str:
    """Escape text for a table cell; line breaks become <br> (the only raw HTML we write)."""
    return "<br>".join(md_inline(line.strip()) for line in text.splitlines())


def _md_line(raw: str) -> str:
    stripped = raw.lstrip(" \t")
    indent = "\u00a0" * (len(raw) - len(stripped))  # never an indented code block
    line = md_inline(stripped.rstrip())

    def escaped(m: re.Match[str]) -> str:
        if m[1]:
            return "".join("\\" + ch for ch in m[1])
        return m[2] + "\\" + m[3]

    return indent + _MD_LINE_START.sub(escaped, line)


def md_block(text: str) -> str:
    """Escape multi-line text as paragraphs, keeping its line breaks and indentation."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        if raw.strip():
            paragraphs[-1].append(_md_line(raw))
        elif paragraphs[-1]:
            paragraphs.append([])
    # Two trailing spaces make a hard line break: the customer sees the lines as typed.
    return "\n\n".join("  \n".join(lines) for lines in paragraphs if lines)


def to_markdown(view: ProposalView) -> str:
    """The proposal as Markdown (GitHub-flavoured tables)."""
    out = [f"# {md_inline(view.title)}", ""]
    out.append(
        "  \n".join(f"**{md_inline(label)}:** {md_inline(value)}" for label, value in _facts(view))
    )
    out.append("")
    if view.draft:
        out += [f"> {md_inline(_('Draft: not yet final.'))}", ""]
    columns = _columns(view)
    out.append("| " + " | ".join(md_inline(heading) for heading, _num in columns) + " |")
    out.append("| " + " | ".join("---:" if num else "---" for _h, num in columns) + " |")
    for index, line in enumerate(view.lines, start=1):
        out.append("| " + " | ".join(md_cell(cell) for cell in _cells(view, index, line)) + " |")
    out.append("")
    total_label = _("Total ({currency})").format(currency=view.currency)
    out += [f"**{md_inline(total_label)}: {money_text(view.total)}**", ""]
    for heading, text in view.terms():
        out += [f"## {md_inline(heading)}", "", md_block(text), ""]
    return "\n".join(out)


# --- HTML -----------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: __FONTS__; color: #1a1a1a; line-height: 1.5; margin: 2rem auto;
       max-width: 52rem; padding: 0 1rem; font-size: 11pt; }
h1 { font-size: 1.7rem; margin: 0 0 .75rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; border-bottom: 1px solid #ccc; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
           margin: 0 0 1.25rem; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
.draft { border-left: 4px solid #b26a00; padding: .3rem .75rem; background: #fff6e5; }
table.lines { width: 100%; border-collapse: collapse; margin: 1rem 0; }
table.lines th, table.lines td { border-bottom: 1px solid #ddd; padding: .35rem .5rem;
                                 vertical-align: top; text-align: left; }
table.lines thead th { border-bottom: 2px solid #333; }
table.lines .num { text-align: right; font-variant-numeric: tabular-nums;
                   white-space: nowrap; }
table.lines tfoot th, table.lines tfoot td { border-bottom: none; border-top: 2px solid #333;
                                             font-weight: bold; }
.text, table.lines td { white-space: pre-wrap; overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  thead { display: table-header-group; }
  tr, dl.facts, h2 { break-inside: avoid; }
  h2 { break-after: avoid; }
}
""".replace("__FONTS__", CJK_FONTS)


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def to_html(view: ProposalView) -> str:
    """One HTML page with its style inline: no script, no external file, prints to PDF."""
    columns = _columns(view)
    title = _("{title} — {customer}").format(title=view.title, customer=view.customer_name)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_h(view.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_h(view.title)}</h1>",
        '<dl class="facts">',
    ]
    out += [f"<dt>{_h(label)}</dt><dd>{_h(value)}</dd>" for label, value in _facts(view)]
    out.append("</dl>")
    if view.draft:
        out.append(f'<p class="draft">{_h(_("Draft: not yet final."))}</p>')
    out += ['<table class="lines">', "<thead><tr>"]
    out += [f'<th{_cls(num)} scope="col">{_h(heading)}</th>' for heading, num in columns]
    out += ["</tr></thead>", "<tbody>"]
    for index, line in enumerate(view.lines, start=1):
        cells = _cells(view, index, line)
        numeric = [num for _heading, num in columns]
        row = "".join(
            f"<td{_cls(num)}>{_h(cell)}</td>" for cell, num in zip(cells, numeric, strict=True)
        )
        out.append(f"<tr>{row}</tr>")
    total_label = _("Total ({currency})").format(currency=view.currency)
    out += [
        "</tbody>",
        f'<tfoot><tr><th colspan="{len(columns) - 1}" scope="row">{_h(total_label)}</th>'
        f'<td class="num">{money_text(view.total)}</td></tr></tfoot>',
        "</table>",
    ]
    for heading, text in view.terms():
        out.append(f'<section><h2>{_h(heading)}</h2><p class="text">{_h(text)}</p></section>')
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _cls(number: bool) -> str:
    return ' class="num"' if number else ""


# --- file names -----------------------------------------------------------------------------

# Path separators, what Windows refuses, control characters and spaces (awkward in a shell).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s-]+')


def export_file_name(customer_name: str, version: int, extension: str) -> str:
    """`<customer>-proposal-v<N>.<ext>`, safe as a file name on every platform."""
    name = unicodedata.normalize("NFC", customer_name)
    name = _UNSAFE.sub("-", name).strip(" .-")[:80] or "customer"
    return f"{name}-proposal-v{version}.{extension}"
