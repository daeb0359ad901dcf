"""`salesdev add | list | show | stage`: customers from the command line."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, option_text, resolve, state
from salesdev_tui.domain.visible import json_visible, visible
from salesdev_tui.i18n import _, joined

if TYPE_CHECKING:
    from salesdev_tui.cli.app import CliState
    from salesdev_tui.models.enums import Stage
    from salesdev_tui.store.customer_list import CustomerRow


@cli.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The company; or the person, with --company."))],
    company: Annotated[
        str | None, typer.Option(help=_("The company, when NAME is the contact person."))
    ] = None,
    contact: Annotated[str | None, typer.Option(help=_("The contact person."))] = None,
    phone: Annotated[str | None, typer.Option(help=_("The contact's phone."))] = None,
    mobile: Annotated[str | None, typer.Option(help=_("The contact's mobile phone."))] = None,
    email: Annotated[str | None, typer.Option(help=_("The contact's e-mail."))] = None,
    tax_id: Annotated[
        str | None,
        typer.Option(help=_("The company's tax ID (統一編號: 8 digits, checked; other "
                            "countries' IDs as written).")),
    ] = None,
    address: Annotated[str | None, typer.Option(help=_("The company's address."))] = None,
    source: Annotated[
        str | None,
        typer.Option(help=_("Channel: trade_show, online, referral, research or other.")),
    ] = None,
    source_detail: Annotated[
        str | None, typer.Option(help=_("Which trade show, who referred, which site."))
    ] = None,
    industry: Annotated[str | None, typer.Option(help=_("Industry."))] = None,
    size: Annotated[
        str | None, typer.Option(help=_("micro, small, medium, large or enterprise."))
    ] = None,
    potential: Annotated[
        str | None, typer.Option(help=_("Cooperation potential: A, B or C."))
    ] = None,
    notes: Annotated[str | None, typer.Option(help=_("Notes."))] = None,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate",
            help=_("Add it even when a customer with the same tax ID, e-mail, phone or name "
                   "exists."),
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the new record as JSON."))
    ] = False,
) -> None:
    """Add a prospect (with its first contact person); refuses a likely duplicate (exit 3)."""
    from salesdev_tui.domain.validation import LeadInvalid, check_lead

    st = state(ctx)
    settings = st.settings()
    company_name, person = (company, name) if company else (name, contact)
    customer = {
        "name": company_name, "source": source, "source_detail": source_detail,
        "industry": industry, "size": size, "potential": potential, "notes": notes,
        "tax_id": tax_id, "address": address,
    }
    try:
        # The same rule as the lead form and the quick line (issue 14.15).
        draft = check_lead(
            customer, {"name": person, "phone": phone, "mobile": mobile, "email": email},
            region=settings.phone_region,
        )
    except LeadInvalid as exc:
        lines = dict(exc.problems)
        if "contact_name" in lines and not person:
            lines["contact_name"] += " " + _("(give --contact NAME)")
        fail(joined(lines.values()), Exit.INVALID)
    from salesdev_tui.usecases.leads import DuplicateLead, add_lead

    store = st.open_store()
    try:
        try:
            row = guard_storage(lambda: add_lead(store, draft, allow_duplicate=allow_duplicate))
        except DuplicateLead as duplicate:
            match = duplicate.matches[0]
            fail(
                _("{name} ({id}, {stage}) may be the same customer ({reason}); "
                  "not added. Give --allow-duplicate to add it anyway.").format(
                    name=match.customer_name, id=match.customer_id.hex[:8],
                    stage=match.stage.value, reason=match.reason_text,
                ),
                Exit.INVALID,
            )
    finally:
        store.db.close()
    if as_json:
        from salesdev_tui.domain.exchange import record_to_dict

        typer.echo(json_visible(json.dumps(record_to_dict(row), ensure_ascii=False, indent=2)))
    else:
        typer.echo(visible(_("Added {name} ({id}) as a prospect.").format(
            name=row.name, id=row.id.hex[:8])))


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    TSV = "tsv"


#: The columns of `list --format csv|tsv|json`, in order (docs/json/list.schema.json).
LIST_COLUMNS = ("id", "name", "stage", "potential", "industry", "source", "next_plan_at",
                "last_activity_at")


def _list_record(row: CustomerRow) -> dict[str, str | None]:
    from salesdev_tui.domain.json_values import utc_z

    return {
        "id": str(row.id),
        "name": row.name,
        "stage": row.stage.value,
        "potential": row.potential.value if row.potential else None,
        "industry": row.industry,
        "source": row.source.value if row.source else None,
        "next_plan_at": utc_z(row.next_plan_at),
        "last_activity_at": utc_z(row.last_activity_at),
    }


def _delimited(rows: list[dict[str, str | None]], delimiter: str) -> str:
    """The rows as CSV or TSV with a header line; a cell is never cut."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(LIST_COLUMNS)
    for record in rows:
        writer.writerow(["" if record[key] is None else record[key] for key in LIST_COLUMNS])
    return buffer.getvalue()


@cli.command("list")
def list_customers(
    ctx: typer.Context,
    stage: Annotated[str | None, typer.Option(help=_("Only customers at this stage."))] = None,
    # The most SQLite's LIMIT (a 64-bit integer) takes is far more than any book holds.
    limit: Annotated[int, typer.Option(min=1, max=1_000_000_000,
                                       help=_("At most this many rows."))] = 100,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON (as --format json)."))
                       ] = False,
    output_format: Annotated[ListFormat, typer.Option(
        "--format", case_sensitive=False,
        help=_("table, json, csv or tsv (csv and tsv: one header line, every column "
               "whole)."))] = ListFormat.TABLE,
    search: Annotated[
        str | None,
        typer.Option(
            help=_("Only customers whose name, contacts or notes contain this text (2+ "
                   "characters, any script); filters as in the search box, e.g. "
                   "'精密 stage:prop pot:A'.")
        ),
    ] = None,
) -> None:
    """List customers, most recently changed first."""
    from salesdev_tui.models.enums import Stage

    wanted: Stage | None = None
    if stage is not None:
        try:
            wanted = Stage(stage.strip().lower())
        except ValueError:
            fail(
                _("Stage: '{value}' is not one of {choices}.").format(
                    value=stage, choices=", ".join(s.value for s in Stage)
                ),
                Exit.INVALID,
            )
    if as_json:
        if output_format not in (ListFormat.TABLE, ListFormat.JSON):
            fail(_("--json and --format {fmt}: choose one.").format(fmt=output_format.value),
                 Exit.USAGE)
        output_format = ListFormat.JSON
    from salesdev_tui.cli.output import say_cut

    rows: list[CustomerRow]
    total: int | None
    if search is not None:
        from salesdev_tui.cli.customer_search import search_rows

        found, total = search_rows(ctx, search, wanted, limit)
        rows = list(found)
    else:
        rows, total = _listed(state(ctx), wanted, limit)
    if output_format is ListFormat.TABLE:
        from salesdev_tui.cli.render import customer_table, print_table

        print_table(customer_table(rows, state(ctx).settings().zone))
    else:
        records = [_list_record(r) for r in rows]
        if output_format is ListFormat.JSON:
            text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        else:
            text = _delimited(records, "," if output_format is ListFormat.CSV else "\t")
        typer.echo(json_visible(text) if output_format is ListFormat.JSON
                   else visible(text, multiline=True), nl=False)
    from salesdev_tui.store.customer_list import COUNT_CAP

    say_cut(len(rows), total, cap=COUNT_CAP)


def _listed(st: CliState, stage: Stage | None, limit: int) -> tuple[list[CustomerRow],
                                                                    int | None]:
    """The first `limit` customers (at `stage`) and, when the limit cut the list, how many
    there are: on a plain connection when the file allows it (the same SQL, without loading
    SQLAlchemy and SQLModel: issue 15.8), else through the store."""
    from salesdev_tui.store.quick_reads import read_customer_list

    listed = st.read_plainly(lambda path: read_customer_list(path, stage, limit))
    if listed is not None:
        return listed
    store = st.open_store()
    try:
        return guard_storage(lambda: store.customers.list_and_count(stage=stage, limit=limit))
    finally:
        store.db.close()


@cli.command()
def show(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(metavar="ID", help=_("Id or unique id prefix."))],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show one customer: classification, contacts and stage history."""
    from salesdev_tui.models.tables import Customer

    st = state(ctx)
    store = st.open_store()
    try:
        cid = resolve(lambda: store.resolve_id(Customer, customer_id))
        customer = guard_storage(lambda: store.customers.get_customer(cid))
        contacts = guard_storage(lambda: store.customers.contacts_of(cid))
        history = guard_storage(lambda: store.customers.stage_history(cid))
        file = guard_storage(lambda: store.files.customer_file(cid))
    finally:
        store.db.close()
    if as_json:
        from salesdev_tui.domain.exchange import record_to_dict

        payload = record_to_dict(customer)
        payload["contacts"] = [record_to_dict(c) for c in contacts]
        payload["stage_changes"] = [record_to_dict(h) for h in history]
        payload["contracts"] = [record_to_dict(c) for c in file.contracts]
        typer.echo(json_visible(json.dumps(payload, ensure_ascii=False, indent=2)))
        return
    from salesdev_tui.cli.render import print_customer
    from salesdev_tui.cli.show_records import print_records

    settings = st.settings()
    print_customer(customer, contacts, history, settings.zone)
    print_records(file.contracts, file.field_edits, settings.zone, settings.rep_name)


@cli.command()
def stage(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(metavar="ID", help=_("Id or unique id prefix."))],
    target: Annotated[str, typer.Argument(metavar="STAGE", help=_("The stage to move to."))],
    reason: Annotated[
        str | None, typer.Option(help=_("Why (needed for lost, and to pass a warning)."))
    ] = None,
    credit_override: Annotated[
        str | None, typer.Option(help=_("Why a customer with poor credit may be won."))
    ] = None,
) -> None:
    """Move a customer to another stage, through the policy's gates."""
    from salesdev_tui.domain.stage_messages import refusal_lines
    from salesdev_tui.domain.stages import StageRefused
    from salesdev_tui.models import limits
    from salesdev_tui.models.enums import Stage
    from salesdev_tui.models.tables import Customer
    from salesdev_tui.usecases.leads import move_stage

    reason = option_text("--reason", reason, max_len=limits.REASON)
    credit_override = option_text("--credit-override", credit_override, max_len=limits.REASON)
    try:
        wanted = Stage(target.strip().lower())
    except ValueError:
        fail(
            _("Stage: '{value}' is not one of {choices}.").format(
                value=target, choices=", ".join(s.value for s in Stage)
            ),
            Exit.INVALID,
        )
    store = state(ctx).open_store()
    try:
        cid = resolve(lambda: store.resolve_id(Customer, customer_id))
        try:
            moved = guard_storage(
                lambda: move_stage(store, cid, wanted, reason=reason,
                                   credit_override=credit_override)
            )
        except StageRefused as refused:
            for line in refusal_lines(refused.decision):
                typer.echo(visible(line), err=True)
            raise typer.Exit(int(Exit.INVALID)) from None
    finally:
        store.db.close()
    for issue in moved.decision.warnings:
        typer.echo(visible(_("warning passed: {message}").format(message=issue.message)))
    if moved.plans_cancelled:
        typer.echo(_("{n} planned contacts cancelled (reopening the customer puts them "
                     "back).").format(n=moved.plans_cancelled))
    if moved.plans_restored:
        typer.echo(_("{n} planned contacts cancelled when it was lost are planned again.")
                   .format(n=moved.plans_restored))
    typer.echo(visible(_("Moved to {stage}.").format(stage=wanted.value)))



@cli.command()
def edit(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(metavar="ID", help=_("Id or unique id prefix."))],
    name: Annotated[str | None, typer.Option(help=_("The company's name."))] = None,
    tax_id: Annotated[
        str | None,
        typer.Option(help=_("The company's tax ID (統一編號: 8 digits, checked; other "
                            "countries' IDs as written); \"\" clears it.")),
    ] = None,
    address: Annotated[
        str | None, typer.Option(help=_("The company's address; \"\" clears it."))
    ] = None,
    website: Annotated[str | None, typer.Option(help=_("The website; \"\" clears it."))] = None,
    industry: Annotated[str | None, typer.Option(help=_("Industry; \"\" clears it."))] = None,
) -> None:
    """Change a customer's own information; only the options given change (logged in its
    history)."""
    from salesdev_tui.domain.validation import CustomerInput, InvalidInput, validate
    from salesdev_tui.models.tables import Customer

    given = {key: value for key, value in {
        "name": name, "tax_id": tax_id, "address": address, "website": website,
        "industry": industry}.items() if value is not None}
    if not given:
        fail(_("Nothing to change: give --tax-id, --address, --name, --website or "
               "--industry."), Exit.INVALID)
    store = state(ctx).open_store()
    try:
        cid = resolve(lambda: store.resolve_id(Customer, customer_id))
        current = guard_storage(lambda: store.customers.get_customer(cid))
        try:
            # The name is required by the model; the stored one stands in when not given.
            data = validate(CustomerInput, {"name": current.name, **given},
                            region=state(ctx).settings().phone_region)
        except InvalidInput as exc:
            fail(joined(exc.by_field().values()), Exit.INVALID)
        row = guard_storage(lambda: store.customers.update_customer(cid, data))
    finally:
        store.db.close()
    typer.echo(visible(_("Changed {name} ({id}).").format(name=row.name, id=row.id.hex[:8])))
