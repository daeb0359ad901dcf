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

The page is what a Taiwanese buyer's purchasing and accounting expect of a quotation (報價單):
the seller's header from the `[company]` settings (name, address, phone, 統一編號, the rep),
a number kept through the versions and the version, the customer's name and 統一編號, the
lines, subtotal, business tax (營業稅, rate and tax-exclusive or -inclusive prices from the
settings) and total, the terms (delivery, after-sales, validity) and a signature block for
both sides. A short proposal prints on one A4 page (checked in headless Chromium by
tests/test_proposal_document.py). There is no PDF writer: every PyPI one that lays out CJK
text needs system libraries (WeasyPrint: Pango) or a bundled CJK font of 15 MB+; the README
says to print the HTML from a browser ("Save as PDF").
"""
# Over 400 lines on purpose: the quotation document, its Markdown and its HTML (the A4 page's
# styles included).

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from salesdev_tui.domain.locale_format import format_amount, minor_units
from salesdev_tui.domain.proposals import (
    TaxedTotal,
    business_tax,
    line_total,
    proposal_number,
    proposal_total,
)
from salesdev_tui.i18n import _, current_language

if TYPE_CHECKING:
    from salesdev_tui.config import Company, Settings
    from salesdev_tui.models.tables import Proposal, ProposalLine
    from salesdev_tui.models.views import ProposalWithLines

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

#: The fonts that carry Traditional Chinese: Linux (Debian/Ubuntu fonts-noto-cjk, then the
#: Google Fonts name), macOS, Windows; then any sans-serif.
CJK_FONTS = ('"Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Heiti TC", '
             '"Microsoft JhengHei", "Microsoft JhengHei UI", sans-serif')


def html_lang(language: str) -> str:
    """The `<html lang>` of a document in `language` (a catalogue's tag, e.g. "zh_TW")."""
    return "zh-Hant-TW" if language.replace("-", "_").lower() == "zh_tw" else "en"


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
class SellerView:
    """The seller's header and the rep who answers for the proposal (blank: left off)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    tax_id: str = ""
    rep_name: str = ""
    rep_title: str = ""
    rep_phone: str = ""
    rep_email: str = ""


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
    number: str = ""
    customer_tax_id: str | None = None
    seller: SellerView = SellerView()
    tax_rate: Decimal = Decimal("0.05")
    prices_include_tax: bool = False

    @property
    def total(self) -> Decimal:
        """The sum of the lines, as priced (before tax, or with it when prices include it)."""
        return proposal_total(self.lines)

    @property
    def taxed(self) -> TaxedTotal:
        return business_tax(self.total, self.tax_rate,
                            prices_include_tax=self.prices_include_tax,
                            places=minor_units(self.currency))

    def terms(self) -> list[tuple[str, str]]:
        """The offer's terms that are filled in: (heading, text)."""
        terms = [
            (_("Price structure"), self.price_structure),
            (_("Delivery method"), self.delivery_method),
            (_("Delivery time"), self.delivery_time),
            (_("After-sales service"), self.after_sales),
        ]
        if self.valid_until is not None:
            terms.append((_("Validity"), _(
                "This proposal is valid until {date}; after that day prices and delivery "
                "times are confirmed again.").format(date=self.valid_until.isoformat())))
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
    seller: Company | None = None,
    customer_tax_id: str | None = None,
    number: str = "",
    language: str | None = None,
) -> ProposalView:
    """Copy the customer-facing fields; the date is the day presented, else `today`.

    `seller` is the `[company]` settings (header, business tax); `language` the rep's
    (default: the active one)."""
    presented: datetime | None = proposal.presented_at
    issued = presented.astimezone(zone).date() if presented is not None else today
    facing = {name: getattr(proposal, name) for name in CUSTOMER_FACING_PROPOSAL_FIELDS}
    taxes: dict[str, Any] = {}
    header = SellerView(name=company, rep_name=rep_name)
    if seller is not None:
        header = SellerView(
            name=seller.name or company, address=seller.address, phone=seller.phone,
            tax_id=seller.tax_id, rep_name=seller.rep_name or rep_name,
            rep_title=seller.rep_title, rep_phone=seller.rep_phone,
            rep_email=seller.rep_email,
        )
        taxes = {"tax_rate": seller.tax_rate, "prices_include_tax": seller.prices_include_tax}
    return ProposalView(
        customer_name=customer_name,
        issued_on=issued,
        lines=tuple(
            LineView(**{name: getattr(line, name) for name in CUSTOMER_FACING_LINE_FIELDS})
            for line in lines
        ),
        currency=currency,
        rep_name=header.rep_name,
        company=header.name,
        draft=proposal.status.value == "draft",
        lang=html_lang(language if language is not None else current_language()),
        number=number,
        customer_tax_id=customer_tax_id,
        seller=header,
        **taxes,
        **facing,
    )


def view_for(found: ProposalWithLines, settings: Settings, today: date) -> ProposalView:
    """The view of a stored proposal with the rep's settings: what the CLI and the TUI
    export (one place, so the two never differ)."""
    number = ""
    if found.first_id is not None and found.first_created_at is not None:
        number = proposal_number(found.first_id, found.first_created_at.astimezone(settings.zone))
    return customer_view(
        found.proposal, found.lines, found.customer_name,
        today=today, zone=settings.zone, currency=settings.currency,
        rep_name=settings.rep_name, seller=settings.company,
        customer_tax_id=found.customer_tax_id, number=number,
    )


# --- numbers ----------------------------------------------------------------------------------


def money_text(value: Decimal, currency: str | None = None) -> str:
    """An amount in the currency's own minor units (TWD 60,100; USD 60,100.00), cents kept
    when there are some, grouped as the language writes numbers. Without a currency (the
    proposal editor's grid, where amounts are typed) always with two decimals."""
    if currency is None:
        return f"{value:,.2f}"
    return format_amount(value, currency)


def quantity_text(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def discount_text(value: Decimal) -> str:
    return "" if value == 0 else f"{value.normalize():f}%"


def rate_text(rate: Decimal) -> str:
    """0.05 -> "5%"."""
    return f"{(rate * 100).normalize():f}%"


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
        money_text(line.unit_price, view.currency),
    ]
    if _has_discount(view):
        cells.append(discount_text(line.discount_pct))
    cells.append(money_text(line.amount, view.currency))
    return cells


def _seller_lines(view: ProposalView) -> list[str]:
    """The seller's address, phone and tax ID lines (the name is the heading)."""
    seller = view.seller
    out = [line.strip() for line in seller.address.splitlines() if line.strip()]
    if seller.phone:
        out.append(_("Phone {phone}").format(phone=seller.phone))
    if seller.tax_id:
        out.append(_("Tax ID (統一編號) {tax_id}").format(tax_id=seller.tax_id))
    if _has_contact(view):
        out.append(_("Your contact: {rep}").format(rep=_rep_line(view)))
    return out


def _rep_line(view: ProposalView) -> str:
    seller = view.seller
    who = " ".join(part for part in (seller.rep_name, seller.rep_title) if part)
    return " · ".join(part for part in (who, seller.rep_phone, seller.rep_email) if part)


def _facts(view: ProposalView) -> list[tuple[str, str]]:
    facts = [(_("Proposal for"), view.customer_name)]
    if view.customer_tax_id:
        facts.append((_("Customer tax ID (統一編號)"), view.customer_tax_id))
    if view.number:
        facts.append((_("Proposal no."), view.number))
    facts += [
        (_("Version"), str(view.version)),
        (_("Date"), view.issued_on.isoformat()),
    ]
    if view.valid_until is not None:
        facts.append((_("Valid until"), view.valid_until.isoformat()))
    if not _has_contact(view) and _prepared_by(view):
        facts.append((_("Prepared by"), _prepared_by(view)))  # else the header names the rep
    return facts


def _has_contact(view: ProposalView) -> bool:
    seller = view.seller
    return bool(seller.rep_title or seller.rep_phone or seller.rep_email)


def _totals(view: ProposalView) -> list[tuple[str, str]]:
    """(label, amount) rows under the lines: before tax, the business tax, the total."""
    taxed = view.taxed
    rate = rate_text(view.tax_rate)
    if view.prices_include_tax:
        return [
            (_("Amount before tax ({currency})").format(currency=view.currency),
             money_text(taxed.net, view.currency)),
            (_("Business tax {rate}, included ({currency})").format(
                rate=rate, currency=view.currency), money_text(taxed.tax, view.currency)),
            (_("Total ({currency})").format(currency=view.currency),
             money_text(taxed.gross, view.currency)),
        ]
    return [
        (_("Subtotal before tax ({currency})").format(currency=view.currency),
         money_text(taxed.net, view.currency)),
        (_("Business tax {rate} ({currency})").format(rate=rate, currency=view.currency),
         money_text(taxed.tax, view.currency)),
        (_("Total ({currency})").format(currency=view.currency),
         money_text(taxed.gross, view.currency)),
    ]


def _price_basis(view: ProposalView) -> str:
    if view.prices_include_tax:
        return _("Prices include business tax.")
    return _("Prices exclude business tax, which is added in the totals above.")


def _signatures(view: ProposalView) -> list[tuple[str, str]]:
    """(who signs, whose name) for the two sides of the signature block."""
    return [
        (_("Seller"), view.seller.name or view.company),
        (_("Customer (accepted by)"), view.customer_name),
    ]


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
    out: list[str] = []
    seller = [f"**{md_inline(view.seller.name)}**"] if view.seller.name else []
    seller += [md_inline(line) for line in _seller_lines(view)]
    if seller:
        out += ["  \n".join(seller), ""]
    out += [f"# {md_inline(view.title)}", ""]
    out.append(
        "  \n".join(f"**{md_inline(label)}:** {md_inline(value)}" for label, value in _facts(view))
    )
    out.append("")
    # Words in f-strings are out of Babel's reach (Python 3.11 reads an f-string as one
    # token): each is said first, then placed.
    draft, signatures, seal, day = (_("Draft: not yet final."), _("Signatures"),
                                    _("Signature and company seal"), _("Date"))
    if view.draft:
        out += [f"> {md_inline(draft)}", ""]
    columns = _columns(view)
    out.append("| " + " | ".join(md_inline(heading) for heading, _num in columns) + " |")
    out.append("| " + " | ".join("---:" if num else "---" for _h, num in columns) + " |")
    for index, line in enumerate(view.lines, start=1):
        out.append("| " + " | ".join(md_cell(cell) for cell in _cells(view, index, line)) + " |")
    out.append("")
    rows = _totals(view)
    out.append("  \n".join(
        f"**{md_inline(label)}: {amount}**" if index == len(rows) - 1
        else f"{md_inline(label)}: {amount}"
        for index, (label, amount) in enumerate(rows)))
    out += ["", md_inline(_price_basis(view)), ""]
    for heading, text in view.terms():
        out += [f"## {md_inline(heading)}", "", md_block(text), ""]
    out += [f"## {md_inline(signatures)}", ""]
    for side, name in _signatures(view):
        out += [f"**{md_inline(side)}:** {md_inline(name)}  ",
                f"{md_inline(seal)}: \\_\\_\\_\\_\\_\\_\\_\\_"
                f"\\_\\_\\_\\_  ",
                f"{md_inline(day)}: \\_\\_\\_\\_\\_\\_\\_\\_", ""]
    return "\n".join(out)


# --- HTML -----------------------------------------------------------------------------------

# A4 is 210 x 297 mm; with 14 mm margins the page holds 182 x 269 mm. 10pt text at 1.4 keeps a
# short proposal (up to about eight lines and four short terms) on one page; a longer one
# flows on, with the table head repeated and no row, term or the signatures split.
_CSS = """
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: __FONTS__; color: #1a1a1a; line-height: 1.4; margin: 14mm auto;
       max-width: 182mm; padding: 0; font-size: 10pt; }
header.doc { display: flex; justify-content: space-between; align-items: flex-start;
             gap: 8mm; border-bottom: 2px solid #1a1a1a; padding-bottom: 3mm; }
.seller-name { font-size: 14pt; font-weight: bold; }
.seller p { margin: 0; color: #333; }
.doc-kind { font-size: 18pt; font-weight: bold; letter-spacing: .1em; text-align: right;
            margin: 0; }
h1 { font-size: 13pt; margin: 4mm 0 2mm; }
h2 { font-size: 10.5pt; margin: 3mm 0 1mm; border-bottom: 1px solid #bbb; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
           gap: .5mm 4mm; margin: 3mm 0; }
dl.facts dt { color: #555; white-space: nowrap; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.draft { border-left: 4px solid #b26a00; padding: .5mm 3mm; background: #fff6e5; margin: 0; }
table.lines { width: 100%; border-collapse: collapse; margin: 2mm 0 1mm; }
table.lines th, table.lines td { border-bottom: 1px solid #ddd; padding: 1mm 1.5mm;
                                 vertical-align: top; text-align: left; }
table.lines thead th { border-bottom: 2px solid #333; background: #f2f2f2; }
table.lines .num { text-align: right; font-variant-numeric: tabular-nums;
                   white-space: nowrap; }
table.lines tfoot th, table.lines tfoot td { border-bottom: none; text-align: right;
                                             font-weight: normal; padding: .6mm 1.5mm; }
table.lines tfoot tr:first-child th, table.lines tfoot tr:first-child td {
  border-top: 2px solid #333; }
table.lines tfoot tr.total th, table.lines tfoot tr.total td { font-weight: bold;
  border-top: 1px solid #333; font-size: 11pt; }
.basis { color: #555; margin: 0 0 2mm; font-size: 9pt; }
.text, table.lines td { white-space: pre-wrap; overflow-wrap: anywhere; }
section.term p { margin: 0; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; margin-top: 6mm; }
.signature { border: 1px solid #999; padding: 2mm 3mm; min-height: 32mm; }
.signature .side { color: #555; margin: 0; }
.signature .who { font-weight: bold; margin: 0 0 12mm; }
.signature .line { border-top: 1px solid #333; margin: 0; padding-top: .5mm; color: #555;
                   font-size: 9pt; display: flex; justify-content: space-between; }
@media print {
  body { margin: 0; max-width: none; }
  thead { display: table-header-group; }
  tr, section.term, .signatures, header.doc { break-inside: avoid; }
  h2 { break-after: avoid; }
}
""".replace("__FONTS__", CJK_FONTS)


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def to_html(view: ProposalView) -> str:
    """One HTML page with its style inline: no script, no external file, prints to PDF."""
    columns = _columns(view)
    title = _("{title} — {customer}").format(title=view.title, customer=view.customer_name)
    # Said before the f-strings below: Babel does not read inside an f-string.
    quotation, draft, seal, day = (_("Quotation"), _("Draft: not yet final."),
                                   _("Signature and company seal"), _("Date"))
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
        '<header class="doc">',
        '<div class="seller">',
    ]
    if view.seller.name:
        out.append(f'<p class="seller-name">{_h(view.seller.name)}</p>')
    out += [f"<p>{_h(line)}</p>" for line in _seller_lines(view)]
    out += [
        "</div>",
        f'<p class="doc-kind">{_h(quotation)}</p>',
        "</header>",
        "<main>",
        f"<h1>{_h(view.title)}</h1>",
        '<dl class="facts">',
    ]
    out += [f"<dt>{_h(label)}</dt><dd>{_h(value)}</dd>" for label, value in _facts(view)]
    out.append("</dl>")
    if view.draft:
        out.append(f'<p class="draft">{_h(draft)}</p>')
    out += ['<table class="lines">', "<thead><tr>"]
    out += [f'<th{_cls(num)} scope="col">{_h(heading)}</th>' for heading, num in columns]
    out += ["</tr></thead>", "<tbody>"]
    numeric = [num for _heading, num in columns]
    for index, line in enumerate(view.lines, start=1):
        cells = _cells(view, index, line)
        row = "".join(
            f"<td{_cls(num)}>{_h(cell)}</td>" for cell, num in zip(cells, numeric, strict=True)
        )
        out.append(f"<tr>{row}</tr>")
    out += ["</tbody>", "<tfoot>"]
    rows = _totals(view)
    for index, (label, amount) in enumerate(rows):
        cls = ' class="total"' if index == len(rows) - 1 else ""
        out.append(f'<tr{cls}><th colspan="{len(columns) - 1}" scope="row">{_h(label)}</th>'
                   f'<td class="num">{amount}</td></tr>')
    out += ["</tfoot>", "</table>", f'<p class="basis">{_h(_price_basis(view))}</p>']
    for heading, text in view.terms():
        out.append(f'<section class="term"><h2>{_h(heading)}</h2>'
                   f'<p class="text">{_h(text)}</p></section>')
    out.append('<section class="signatures">')
    for side, name in _signatures(view):
        out.append(
            f'<div class="signature"><p class="side">{_h(side)}</p>'
            f'<p class="who">{_h(name)}</p>'
            f'<p class="line"><span>{_h(seal)}</span>'
            f'<span>{_h(day)}</span></p></div>'
        )
    out += ["</section>", "</main>", "</body>", "</html>", ""]
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
