"""Legal review as a real step (issue 19.5): `salesdev contract send-for-review ID` (the
rep) and `salesdev legal queue|show|approve|reject` (a member of the legal role, on the
team server directly). Both call `usecases.legal_review`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, resolve, state
from salesdev_tui.i18n import N_, _

if TYPE_CHECKING:
    from salesdev_tui.server.legal_queue import QueuedContract

legal = typer.Typer(help=N_("The legal department's review of contracts (policy III.7)."),
                    no_args_is_help=True)
contract = typer.Typer(help=N_("Contracts: send one for legal review."), no_args_is_help=True)
cli.add_typer(legal, name="legal")
cli.add_typer(contract, name="contract")


@contract.command("send-for-review")
def send_for_review_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID",
                                               help=_("Contract id or unique id prefix."))],
) -> None:
    """Send a contract to the legal department (on a team: it joins legal's queue at the
    next `salesdev sync`)."""
    from salesdev_tui.domain.contracts import ContractRefused
    from salesdev_tui.domain.visible import visible
    from salesdev_tui.models.tables import Contract
    from salesdev_tui.usecases.legal_review import send_for_review

    st = state(ctx)
    store = st.open_store()
    try:
        kid = resolve(lambda: store.resolve_id(Contract, contract_id))
        try:
            row = guard_storage(lambda: send_for_review(store, kid))
        except ContractRefused as exc:
            fail(str(exc), Exit.INVALID)
    finally:
        store.db.close()
    line = _("Contract {number} sent for legal review.").format(number=row.number or kid.hex[:8])
    if st.settings().team.configured:
        line += " " + _("Run `salesdev sync` to put it in legal's queue.")
    typer.echo(visible(line))


def _run(call: Any) -> Any:
    """A legal action: a refusal, bad input or an unreachable server is one plain line."""
    from salesdev_tui.domain.validation import InvalidInput
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.legal_review import LegalRefused

    try:
        return call()
    except InvalidInput as exc:
        fail(str(exc), Exit.INVALID)
    except LegalRefused as exc:
        fail(str(exc), Exit.NOT_FOUND if exc.not_found else Exit.INVALID)
    except ServerError as exc:
        fail(str(exc), Exit.STORAGE)


def _line(item: QueuedContract, zone: Any, currency: str) -> str:
    from salesdev_tui.domain.legal_approval import approved_by
    from salesdev_tui.domain.locale_format import format_money
    from salesdev_tui.domain.visible import visible

    sent = item.sent_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    reviewed = item.reviewed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") \
        if item.reviewed_at else None
    return visible("  ".join([
        item.id[:8], item.number or "—", item.customer, format_money(item.value, currency),
        _("sent {when}").format(when=sent),
        approved_by(item.review, item.reviewer, reviewed)]))


@legal.command("queue")
def queue_command(
    ctx: typer.Context,
    reviewed: Annotated[bool, typer.Option("--all", help=_(
        "Also the contracts reviewed already and not signed yet."))] = False,
) -> None:
    """The contracts sent for review, the longest waiting first."""
    from salesdev_tui.usecases.legal_review import legal_queue

    settings = state(ctx).settings()
    found = _run(lambda: legal_queue(settings.team, reviewed_too=reviewed))
    if not found:
        typer.echo(_("No contract is waiting for legal review."))
    for item in found:
        typer.echo(_line(item, settings.zone, settings.currency))


@legal.command("show")
def show_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID", help=_(
        "Contract id, unique id prefix or number."))],
) -> None:
    """One contract sent for review: its six clauses and the review so far."""
    from salesdev_tui.domain.contracts import clause_label
    from salesdev_tui.domain.visible import visible
    from salesdev_tui.usecases.legal_review import find_for_legal

    settings = state(ctx).settings()
    item = _run(lambda: find_for_legal(settings.team, contract_id))
    typer.echo(_line(item, settings.zone, settings.currency))
    for name, text in item.clauses.items():
        typer.echo(visible(_("{clause}: {text}").format(
            clause=clause_label(name), text=text or _("(not filled in)")), multiline=True))
    if item.comments:
        typer.echo(visible(_("Comment: {text}").format(text=item.comments), multiline=True))


def _verdict(ctx: typer.Context, contract_id: str, comment: str | None, verdict: Any) -> None:
    from salesdev_tui.cli.app import option_text
    from salesdev_tui.models import limits
    from salesdev_tui.usecases.legal_review import give_verdict

    settings = state(ctx).settings()
    text = option_text("--comment", comment, max_len=limits.TEXT)
    item = _run(lambda: give_verdict(settings.team, contract_id, verdict, text))
    typer.echo(_line(item, settings.zone, settings.currency))


@legal.command("approve")
def approve_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID", help=_(
        "Contract id, unique id prefix or number."))],
    comment: Annotated[str | None, typer.Option("--comment", help=_(
        "What legal notes for the rep."))] = None,
) -> None:
    """Approve a contract; the server records your name and the time."""
    from salesdev_tui.models.enums import LegalReview

    _verdict(ctx, contract_id, comment, LegalReview.APPROVED)


@legal.command("reject")
def reject_command(
    ctx: typer.Context,
    contract_id: Annotated[str, typer.Argument(metavar="ID", help=_(
        "Contract id, unique id prefix or number."))],
    comment: Annotated[str | None, typer.Option("--comment", help=_(
        "Required: what the rep must change."))] = None,
) -> None:
    """Reject a contract with a comment; the server records your name and the time."""
    from salesdev_tui.models.enums import LegalReview

    _verdict(ctx, contract_id, comment, LegalReview.REJECTED)
