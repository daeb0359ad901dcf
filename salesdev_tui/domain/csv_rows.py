"""A spreadsheet's rows checked into customers, contacts and contact plans, or bad rows.

Pure. Each row is checked by the same input models as a form (`services.validation`), so
the import refuses exactly what the forms refuse; a refusal names the row's line, the
column's header and the reason. Many rows are checked on every core by `csv_check_pool`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

from salesdev_tui.domain.csv_columns import BY_KEY, FIELDS, Part
from salesdev_tui.domain.csv_import import ImportRow, Progress, RowProblem
from salesdev_tui.domain.csv_values import (
    fast_normalize_email,
    read_choice,
    read_id,
    read_moment,
    read_source,
    unguard_formula,
)
from salesdev_tui.domain.dedupe import company_key
from salesdev_tui.domain.text_rules import clean_text
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    InvalidInput,
    field_label,
    validate,
)
from salesdev_tui.i18n import _
from salesdev_tui.models import limits
from salesdev_tui.models.enums import ContactMethod, PlanStatus, Potential, Stage

__all__ = ["parse_row", "parse_rows", "split_values"]


#: Fields a CRM exports several values of (in one cell, or in several columns).
_MULTI = ("email", "phone", "mobile")
# "a@x.com, b@x.com", "02-2222-3333; 0912-345-678", "a@x.com / b@x.com", one per line.
_SEPARATORS = re.compile(r"\s*(?:[,;\n\r|]|\s/\s)\s*")


def split_values(text: str) -> list[str]:
    """The values of a cell that holds several (a CRM's multi-value field), in order."""
    return [part for part in _SEPARATORS.split(text) if part.strip()]


class _Row:
    """The cells of one row by field, remembering which column each value came from."""

    def __init__(self, headers: Sequence[str], fields: Sequence[str | None],
                 cells: Sequence[str]) -> None:
        self.values: dict[str, str] = {}
        self.columns: dict[str, str] = {}
        #: Further values of an e-mail, phone or mobile (a cell of several, a second column).
        self.more: dict[str, list[str]] = {}
        for header, key, cell in zip(headers, fields, cells, strict=False):
            if not key or not cell.strip():
                continue
            # "'=1+1" is how the export (and spreadsheets) keep a formula as text.
            value = unguard_formula(cell)
            if key in _MULTI:
                first, *rest = split_values(value) or [value]
                self.more.setdefault(key, []).extend(rest)
                if key in self.values:
                    self.more[key].append(first)
                    continue
                value = first
            if key not in self.values:
                self.values[key] = value
                self.columns[key] = header

    def given(self, part: Part) -> bool:
        return any(BY_KEY[key].part is part for key in self.values)


def _model_problems(
    line: int, row: _Row, part: Part, error: InvalidInput
) -> list[RowProblem]:
    by_model = {f.model_field: f.key for f in FIELDS if f.part is part and f.model_field}
    by_model["phone_normalized"] = "phone"
    by_model["mobile_normalized"] = "mobile"
    found: list[RowProblem] = []
    for problem in error.problems:
        key = by_model.get(problem.field, "")
        if part is Part.CONTACT and key == "contact" and "contact" not in row.columns:
            key = "first_name" if "first_name" in row.columns else "last_name"
        found.append(RowProblem(line, row.columns.get(key), problem.message))
    return found


def _person_name(row: _Row) -> str | None:
    if "contact" in row.values:
        return row.values["contact"]
    first = row.values.get("first_name", "").strip()
    last = row.values.get("last_name", "").strip()
    if not first and not last:
        return None
    if not (first + last).isascii():
        return f"{last}{first}"  # 王 + 小明 -> 王小明, the order Chinese names are written in
    return f"{first} {last}".strip()


_PARTS_OF_ADDRESS = ("city", "state", "postal_code", "country")


def _joined_address(values: dict[str, str]) -> str | None:
    """The address with its parts (city, state, postal code, country) joined in.

    Western order ("1 Main St, Springfield, IL 62701, USA"), or the Chinese one from the
    largest part down with no separators ("100台北市信義區松仁路100號") when the parts are
    Chinese. A part the address already holds is not added twice.
    """
    street = values.get("address", "").strip()
    parts = {key: values[key].strip() for key in _PARTS_OF_ADDRESS if values.get(key, "").strip()}
    parts = {key: part for key, part in parts.items() if part not in street}
    if not parts:
        return street or None
    if not (street + "".join(parts.values())).isascii():
        order = ("postal_code", "country", "state", "city")
        return "".join(parts.get(key, "") for key in order) + street
    region = " ".join(p for p in (parts.get("state"), parts.get("postal_code")) if p)
    return ", ".join(p for p in (street, parts.get("city"), region, parts.get("country")) if p)


def _note_lines(*lines: tuple[str, list[str]]) -> str:
    return "\n".join(f"{label}: {', '.join(items)}" for label, items in lines if items)


def _customer_part(line: int, row: _Row, out: ImportRow, problems: list[RowProblem],
                   region: str) -> None:
    data = {BY_KEY[k].model_field: v for k, v in row.values.items()
            if BY_KEY[k].part is Part.CUSTOMER and BY_KEY[k].model_field}
    address = _joined_address(row.values)
    if address is not None:
        data["address"] = address
        row.columns.setdefault("address", next(
            row.columns[k] for k in ("address", *_PARTS_OF_ADDRESS) if k in row.columns))
    if "company_phone" in row.values:
        # The company's own line, kept where the rep sees it (a customer has no phone field).
        phones = _note_lines((_("Phone"), split_values(row.values["company_phone"])))
        data["notes"] = f"{data['notes']}\n{phones}" if data.get("notes") else phones
        row.columns.setdefault("notes", row.columns["company_phone"])
    if "potential" in data:
        try:
            data["potential"] = read_choice(Potential, data["potential"]).value
        except ValueError as exc:
            problems.append(RowProblem(line, row.columns["potential"], str(exc)))
            del data["potential"]
    if "source" in data:
        source, detail = read_source(data["source"])
        data["source"] = source.value
        if detail and "source_detail" not in data:
            data["source_detail"] = detail
            # A problem with that detail is a problem of the source cell: name its column.
            row.columns["source_detail"] = row.columns["source"]
    named = "name" in data
    if data:
        _checked_customer(line, row, out, problems, region, data, named)
    for key, reader in (("stage", lambda t: read_choice(Stage, t)),
                        ("customer_id", read_id),
                        ("lost_reason", lambda t: clean_text(t, max_len=limits.REASON))):
        if key in row.values:
            try:
                setattr(out, key, reader(row.values[key]))
            except ValueError as exc:
                problems.append(RowProblem(line, row.columns[key], str(exc)))


def _checked_customer(line: int, row: _Row, out: ImportRow, problems: list[RowProblem],
                      region: str, data: dict[str, Any], named: bool) -> None:
    try:
        # The name is required by the form; a row may identify its customer otherwise.
        checked = validate(CustomerInput, data if named else {**data, "name": "-"}, region=region)
    except InvalidInput as error:
        problems.extend(_model_problems(line, row, Part.CUSTOMER, error))
        return
    out.customer = checked.model_dump(exclude_unset=True)
    if not named:
        out.customer.pop("name", None)
    else:
        out.name_key = company_key(out.customer["name"])


def _contact_part(line: int, row: _Row, out: ImportRow, problems: list[RowProblem],
                  region: str) -> None:
    if "contact_id" in row.values:
        try:
            out.contact_id = read_id(row.values["contact_id"])
        except ValueError as exc:
            problems.append(RowProblem(line, row.columns["contact_id"], str(exc)))
    name = _person_name(row)
    data: dict[str, Any] = {BY_KEY[k].model_field: v for k, v in row.values.items()
                            if BY_KEY[k].part is Part.CONTACT and BY_KEY[k].model_field}
    data.pop("is_primary", None)
    mobile = row.values.get("mobile")
    more = _note_lines((_("Other e-mails"), row.more.get("email", [])),
                       (_("Other phones"), row.more.get("phone", []) + row.more.get("mobile", [])))
    if more:
        data["notes"] = f"{data['notes']}\n{more}" if data.get("notes") else more
        row.columns.setdefault("contact_notes", row.columns.get("email") or next(
            row.columns[k] for k in _MULTI if k in row.columns))
    if name is None:
        # A phone or an e-mail with no person (a company's main line): the contact is named
        # after what reaches it, so it can be found and renamed later.
        name = data.get("email") or data.get("phone") or mobile
        out.contact_named = False
    if name is None:
        if set(data) - {"name"} or "is_primary" in row.values or mobile:
            column = next(iter(row.columns[k] for k in row.columns
                               if BY_KEY[k].part is Part.CONTACT))
            problems.append(RowProblem(line, column, _(
                "a contact needs a name, a phone or an e-mail in the same row")))
        return
    data["name"] = name
    if "is_primary" in row.values:
        data["is_primary"] = row.values["is_primary"]
    email = _checked_email(line, row, data.pop("email", None), problems)
    try:
        checked = validate(ContactInput, data, region=region)
    except InvalidInput as error:
        problems.extend(_model_problems(line, row, Part.CONTACT, error))
        return
    out.contact = checked.model_dump(exclude_unset=True)
    if email:
        out.contact["email"] = email
    out.contact.pop("is_primary", None)
    # Derived from the phone by the model (and so marked set): only with a phone in the row.
    out.contact.pop("phone_normalized", None)
    if checked.phone:
        out.contact["phone_normalized"] = checked.phone_normalized
    out.contact.pop("mobile_normalized", None)
    if checked.mobile:
        out.contact["mobile_normalized"] = checked.mobile_normalized
    if "is_primary" in row.values:
        out.is_primary = checked.is_primary


def _checked_email(line: int, row: _Row, raw: str | None,
                   problems: list[RowProblem]) -> str | None:
    """ContactInput's e-mail rule (clean, normalise, length), with the fast normaliser.

    Checked here rather than by the input model for speed alone: the model's check takes
    about 200 µs an address, two thirds of a row's import (`csv_values.fast_normalize_email`).
    """
    if raw is None:
        return None
    try:
        cleaned = clean_text(raw, max_len=limits.EMAIL)
        if cleaned is None:
            return None
        normalized = fast_normalize_email(cleaned)
        if len(normalized) > limits.EMAIL:
            raise ValueError(_("is too long: at most {limit} characters (this has {count})")
                             .format(limit=limits.EMAIL, count=len(normalized)))
    except ValueError as exc:
        problems.append(RowProblem(line, row.columns.get("email"), _("{label}: {problem}").format(
            label=field_label("email", ContactInput), problem=exc)))
        return None
    return normalized


def _plan_part(line: int, row: _Row, out: ImportRow, problems: list[RowProblem],
               zone: ZoneInfo) -> None:
    before = len(problems)
    values, columns = row.values, row.columns
    plan: dict[str, Any] = {}

    def read(key: str, reader: Callable[[str], Any]) -> None:
        if key in values:
            try:
                plan[key] = reader(values[key])
            except ValueError as exc:
                problems.append(RowProblem(line, columns[key], str(exc)))

    read("plan_id", read_id)
    read("method", lambda t: read_choice(ContactMethod, t))
    read("scheduled_at", lambda t: read_moment(t, zone))
    read("status", lambda t: read_choice(PlanStatus, t))
    read("done_at", lambda t: read_moment(t, zone))
    for key in ("outcome", "next_step"):
        read(key, lambda t: clean_text(t, max_len=limits.TEXT, multiline=True))
    if len(problems) > before:
        return
    for key in ("method", "scheduled_at"):
        if key not in plan:
            problems.append(RowProblem(line, None, _(
                "a contact plan needs a {field} column").format(field=key)))
            return
    try:
        checked = validate(ContactPlanInput, {
            "method": plan["method"].value, "scheduled_at": plan["scheduled_at"],
            **({"agenda": values["agenda"]} if "agenda" in values else {}),
        })
    except InvalidInput as error:
        problems.extend(_model_problems(line, row, Part.PLAN, error))
        return
    plan.update(checked.model_dump(exclude_unset=True, exclude={"contact_id"}))
    if "done_at" in plan and plan.setdefault("status", PlanStatus.DONE) is not PlanStatus.DONE:
        problems.append(RowProblem(line, columns["done_at"], _(
            "only a done plan has a done time (the status is {status})").format(
                status=plan["status"])))
        return
    for key in ("scheduled_at", "done_at"):
        if plan.get(key) is not None:
            plan[key] = plan[key].astimezone(UTC)
    out.plan_id = plan.pop("plan_id", None)
    out.plan = plan


def parse_row(line: int, headers: Sequence[str], fields: Sequence[str | None],
              cells: Sequence[str], *, region: str, zone: ZoneInfo) -> ImportRow | list[RowProblem]:
    """One row checked: an ImportRow, or every problem found in it."""
    problems: list[RowProblem] = []
    extra = [cell for cell in cells[len(headers):] if cell.strip()]
    if extra:
        problems.append(RowProblem(line, None, _(
            "has {count} cells but the header has {width} columns (a delimiter inside a "
            "value needs quotes)").format(count=len(cells), width=len(headers))))
    row = _Row(headers, fields, cells)
    out = ImportRow(line)
    _customer_part(line, row, out, problems, region)
    if row.given(Part.CONTACT):
        _contact_part(line, row, out, problems, region)
    if row.given(Part.PLAN) and (set(row.values) - {"plan_id", "status"}) & {
        f.key for f in FIELDS if f.part is Part.PLAN
    }:
        _plan_part(line, row, out, problems, zone)
    if not problems and not ("name" in out.customer or out.customer_id or out.contact):
        problems.append(RowProblem(line, None, _("names no company (the company column is empty)")))
    return problems or out


def parse_rows(
    headers: Sequence[str],
    fields: Sequence[str | None],
    rows: Sequence[tuple[int, Sequence[str]]],
    *,
    region: str,
    zone: ZoneInfo,
    progress: Progress | None = None,
) -> tuple[list[ImportRow], list[RowProblem]]:
    """Check every row: the good ones, and every problem of the bad ones (by line)."""
    good: list[ImportRow] = []
    problems: list[RowProblem] = []
    total = len(rows)
    for done, (line, cells) in enumerate(rows, start=1):
        parsed = parse_row(line, headers, fields, cells, region=region, zone=zone)
        if isinstance(parsed, ImportRow):
            good.append(parsed)
        else:
            problems.extend(parsed)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(_("Checking rows"), done, total)
    return good, problems
