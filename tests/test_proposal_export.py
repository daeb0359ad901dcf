"""The proposal for the customer: Chinese renders, totals are exact, private fields never leak."""

from __future__ import annotations

import os
import re
import uuid
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.proposal_export import (
    CUSTOMER_FACING_LINE_FIELDS,
    CUSTOMER_FACING_PROPOSAL_FIELDS,
    customer_view,
    export_file_name,
    md_block,
    md_inline,
    to_html,
    to_markdown,
)
from salesdev_tui.domain.validation import (
    CustomerInput,
    ProposalInput,
    ProposalLineInput,
    validate,
)
from salesdev_tui.models.tables import NeedsNote, Negotiation
from tests.conftest import FIXED_NOW

NAME = "台灣精密工業股份有限公司"
SECRET = "SECRET-7f3a9c"
TAIPEI = ZoneInfo("Asia/Taipei")
LINES = [
    ("精密滾珠軸承", "高轉速，含安裝", "3", "1,234.50", "12.5"),
    ("年度保養服務", None, "2.5", "99.99", ""),
    ("<script>alert(1)</script> | [x](http://evil.example) *強調*", "第一行\n第二行", "1", "10",
     ""),
]
# 3 × 1,234.50 less 12.5 % = 3,240.56; 2.5 × 99.99 = 249.98 (half-even); + 10.00
TOTAL = "3,500.54"


class Page(HTMLParser):
    """What a browser would see: tags, attributes and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    def cells(self) -> str:
        return "\n".join(self.text)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture
def planted(store: Any) -> uuid.UUID:
    """A Chinese customer's proposal, with private text planted everywhere it can be."""
    customer = store.customers.add_lead(validate(CustomerInput, {"name": NAME, "notes": SECRET})).id
    header = validate(ProposalInput, {
        "title": "自動化產線提案", "price_structure": "簽約付 30%，驗收付 70%\n- 運費另計",
        "delivery_method": "由本公司工程師到場安裝", "delivery_time": "簽約後 30 天內",
        "after_sales": "保固 12 個月", "valid_until": "2026-12-31",
        "notes": f"{SECRET} floor price 2,900",
    })
    lines = [
        validate(ProposalLineInput, {"product": p, "description": d, "quantity": q,
                                     "unit_price": u, "discount_pct": x})
        for p, d, q, u, x in LINES
    ]
    proposal = store.proposals.create_proposal(customer, header, lines)
    with store.db.write() as session:
        session.add(Negotiation(customer_id=customer, proposal_id=proposal.id, held_at=FIXED_NOW,
                                strategy_notes=f"{SECRET} they will go to 10 % off"))
        session.add(NeedsNote(customer_id=customer, text=f"{SECRET} budget is tight"))
    return proposal.id  # type: ignore[no-any-return]


def render(store: Any, proposal_id: uuid.UUID) -> tuple[str, str]:
    found = store.proposals.proposal_with_lines(proposal_id)
    view = customer_view(found.proposal, found.lines, found.customer_name,
                         today=date(2026, 11, 16), zone=TAIPEI, currency="TWD",
                         rep_name="王業務", company="精密機械股份有限公司")
    return to_markdown(view), to_html(view)


def test_html_renders_chinese_and_is_self_contained(store: Any, planted: uuid.UUID) -> None:
    _md, page = render(store, planted)
    doc = parse(page)
    tags = [tag for tag, _attrs in doc.tags]
    assert ("meta", {"charset": "utf-8"}) in doc.tags
    assert doc.tags[0][0] == "html" and doc.tags[0][1].get("lang")
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert name not in ("src", "href", "srcset"), (name, value)
    assert "url(" not in doc.style and "@import" not in doc.style
    for font in ('"Noto Sans CJK TC"', '"PingFang TC"', '"Microsoft JhengHei"', "sans-serif"):
        assert font in doc.style
    assert "@page" in doc.style and "@media print" in doc.style
    text = doc.cells()
    assert NAME in text and "自動化產線提案" in text and "王業務 · 精密機械股份有限公司" in text
    for product, description, *_rest in LINES:
        assert product in text  # the markup-looking product is text, not tags
        if description:
            assert description in text
    assert TOTAL in text and "3,240.56" in text and "249.98" in text and "12.5%" in text
    assert "2026-12-31" in text and "簽約付 30%，驗收付 70%" in text


def test_markdown_has_the_same_content_escaped(store: Any, planted: uuid.UUID) -> None:
    md, _page = render(store, planted)
    assert NAME in md and "自動化產線提案" in md
    for product in ("精密滾珠軸承", "年度保養服務"):
        assert product in md
    # Business tax at the default 5 %, prices before tax, TWD's tax to the dollar: 3,500.54 + 175.
    assert f"Subtotal before tax (TWD): {TOTAL}" in md
    assert "Business tax 5% (TWD): 175  " in md and "**Total (TWD): 3,675.54**" in md
    # The odd product stays inside its cell: no raw tag, link or emphasis, pipes escaped.
    assert "<script>" not in md and not re.search(r"(?<!\\)\]\(", md)
    assert r"\<script\>alert(1)\</script\> \| \[x\](http://evil.example) \*強調\*" in md
    rows = [row for row in md.splitlines() if row.startswith("| ")]
    assert len(rows) == 2 + len(LINES)
    widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
    assert len(widths) == 1, rows
    assert "第一行<br>第二行" in md
    assert r"\- 運費另計" in md  # a line of the terms never turns into a list


def test_private_fields_are_never_exported(store: Any, planted: uuid.UUID) -> None:
    md, page = render(store, planted)
    assert SECRET not in md and SECRET not in page
    assert "floor price" not in md + page and "10 % off" not in md + page
    assert "notes" not in CUSTOMER_FACING_PROPOSAL_FIELDS
    assert set(CUSTOMER_FACING_LINE_FIELDS) == {"product", "description", "quantity",
                                                "unit_price", "discount_pct"}


def test_draft_is_marked_and_date_is_the_presented_day(store: Any, planted: uuid.UUID) -> None:
    md, page = render(store, planted)
    assert "Draft: not yet final." in md and "Draft: not yet final." in parse(page).cells()
    store.proposals.set_proposal_status(planted, "presented")
    md, page = render(store, planted)
    assert "Draft" not in md and "Draft" not in page
    assert "**Date:** 2026-11-16" in md  # FIXED_NOW is 14:30 in Taipei


def test_markdown_escaping_helpers() -> None:
    assert md_inline("a|b *c* _d_ [e] <f> `g` #h &i;") == (
        r"a\|b \*c\* \_d\_ \[e\] \<f\> \`g\` \#h \&i;")
    assert md_block("1. first\n  - second\n\n===\n+ third") == (
        "1\\. first  \n\u00a0\u00a0\\- second\n\n\\=\\=\\=  \n\\+ third")


def test_file_name_is_safe() -> None:
    assert export_file_name(NAME, 2, "html") == f"{NAME}-proposal-v2.html"
    assert export_file_name('Acme / "Co": Ltd.', 1, "md") == "Acme-Co-Ltd-proposal-v1.md"
    assert export_file_name("...", 1, "md") == "customer-proposal-v1.md"


def run_cli(db_path: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def test_cli_exports_html_and_markdown(store: Any, planted: uuid.UUID, db_path: Path,
                                       tmp_path: Path) -> None:
    result = run_cli(db_path, "proposal", planted.hex[:8], "--format", "html")
    assert result.exit_code == 0, result.stderr
    doc = parse(result.stdout)
    assert NAME in doc.cells() and TOTAL in doc.cells() and SECRET not in result.stdout
    out = tmp_path / "out" / "p.md"
    out.parent.mkdir()
    result = run_cli(db_path, "proposal", str(planted), "--format", "md", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert NAME in out.read_text(encoding="utf-8") and result.stdout == ""
    assert os.stat(out).st_mode & 0o777 == 0o600
    again = run_cli(db_path, "proposal", str(planted), "-f", "md", "-o", str(out))
    assert again.exit_code == Exit.INVALID and "--replace" in again.stderr
    replaced = run_cli(db_path, "proposal", str(planted), "-f", "md", "-o", str(out),
                       "--replace")
    assert replaced.exit_code == 0
    missing = run_cli(db_path, "proposal", "ffffffff", "--format", "md")
    assert missing.exit_code == Exit.NOT_FOUND
    bad = run_cli(db_path, "proposal", str(planted), "--format", "pdf")
    assert bad.exit_code == Exit.USAGE
