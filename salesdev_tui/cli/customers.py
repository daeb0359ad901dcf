"""`salesdev add | list | show | stage`: customers from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, option_text, resolve, state
from salesdev_tui.i18n import _
from salesdev_tui.services.visible import json_visible, visible


@cli.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The company; or the person, with --company."))],
    company: Annotated[
        str | None, typer.Option(help=_("The company, when NAME is the contact person."))
    ] = None,
    contact: Annotated[str | None, typer.Option(help=_("The contact person."))] = None,
    phone: Annotated[str | None, typer.Option(help=_("The contact's phone."))] = None,
    email: Annotated[str | None, typer.Option(help=_("The contact's e-mail."))] = None,
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
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the new record as JSON."))
    ] = False,
) -> None:
    """Add a prospect (with its first contact person)."""
    from salesdev_tui.services.validation import (
        ContactInput,
        CustomerInput,
        InvalidInput,
        validate,
    )

    st = state(ctx)
    settings = st.settings()
    company_name, person = (company, name) if company else (name, contact)
    try:
        customer = validate(
            CustomerInput,
            {
                "name": company_name,
                "source": source,
                "source_detail": source_detail,
                "industry": industry,
                "size": size,
                "potential": potential,
                "notes": notes,
            },
            region=settings.phone_region,
        )
        person_data = {"name": person, "phone": phone, "email": email}
        contact_in = None
        if any(person_data.values()):
            # A phone or e-mail without a person's name still belongs to someone.
            person_data["name"] = person or company_name
            contact_in = validate(ContactInput, person_data, region=settings.phone_region)
    except InvalidInput as exc:
        fail(str(exc), Exit.INVALID)
    store = st.open_store()
    try:
        row = guard_storage(lambda: store.add_lead(customer, contact_in))
    finally:
        store.db.close()
    if as_json:
        from salesdev_tui.services.exchange import record_to_dict

        typer.echo(json_visible(json.dumps(record_to_dict(row), ensure_ascii=False, indent=2)))
    else:
        typer.echo(visible(_("Added {name} ({id}) as a prospect.").format(
            name=row.name, id=row.id.hex[:8])))


@cli.command("list")
def list_customers(
    ctx: typer.Context,
    stage: Annotated[str | None, typer.Option(help=_("Only customers at this stage."))] = None,
    limit: Annotated[int, typer.Option(min=1, help=_("At most this many rows."))] = 100,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """List customers, most recently changed first."""
    from salesdev_tui.models import Stage

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
    store = state(ctx).open_store()
    try:
        rows = guard_storage(lambda: store.list_customers(stage=wanted, limit=limit))
    finally:
        store.db.close()
    if as_json:
        payload = [
            {
                "id": str(r.id),
                "name": r.name,
                "stage": r.stage.value,
                "potential": r.potential.value if r.potential else None,
                "industry": r.industry,
                "source": r.source.value if r.source else None,
                "next_plan_at": r.next_plan_at.isoformat() if r.next_plan_at else None,
                "last_activity_at": r.last_activity_at.isoformat() if r.last_activity_at else None,
            }
            for r in rows
        ]
        typer.echo(json_visible(json.dumps(payload, ensure_ascii=False, indent=2)))
        return
    from salesdev_tui.cli.render import customer_table, print_table

    print_table(customer_table(rows, state(ctx).settings().zone))


@cli.command()
def show(
    ctx: typer.Context,
    customer_id: Annotated[str, typer.Argument(metavar="ID", help=_("Id or unique id prefix."))],
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show one customer: classification, contacts and stage history."""
    from salesdev_tui.models import Customer

    st = state(ctx)
    store = st.open_store()
    try:
        cid = resolve(lambda: store.resolve_id(Customer, customer_id))
        customer = guard_storage(lambda: store.get_customer(cid))
        contacts = guard_storage(lambda: store.contacts_of(cid))
        history = guard_storage(lambda: store.stage_history(cid))
    finally:
        store.db.close()
    if as_json:
        from salesdev_tui.services.exchange import record_to_dict

        payload = record_to_dict(customer)
        payload["contacts"] = [record_to_dict(c) for c in contacts]
        payload["stage_changes"] = [record_to_dict(h) for h in history]
        typer.echo(json_visible(json.dumps(payload, ensure_ascii=False, indent=2)))
        return
    from salesdev_tui.cli.render import print_customer

    print_customer(customer, contacts, history, st.settings().zone)


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
    from salesdev_tui.models import Customer, Stage, limits
    from salesdev_tui.store import StageRefused

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
            decision = guard_storage(
                lambda: store.change_stage(
                    cid, wanted, reason=reason, credit_override=credit_override
                )
            )
        except StageRefused as refused:
            d = refused.decision
            for issue in d.blockers:
                typer.echo(visible(f"✗ {issue.message} {issue.hint}"), err=True)
            if not d.blockers:
                for issue in d.warnings:
                    typer.echo(visible(f"! {issue.message} {issue.hint}"), err=True)
                typer.echo(visible(_("Give --reason to pass these warnings.")), err=True)
            raise typer.Exit(int(Exit.INVALID)) from None
    finally:
        store.db.close()
    for issue in decision.warnings:
        typer.echo(visible(_("warning passed: {message}").format(message=issue.message)))
    typer.echo(visible(_("Moved to {stage}.").format(stage=wanted.value)))

