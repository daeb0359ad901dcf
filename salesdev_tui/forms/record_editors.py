"""The editors a customer's page opens (`a`, enter on a row): one function per kind of record.

Each imports its screen when called, so a page imports none of them until one is opened;
plain imports, so mypy checks each constructor. Built as `open(customer_id, record_id)`,
record_id None to add.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

EditorOpener = Callable[[uuid.UUID, uuid.UUID | None], Screen[Any]]


def contact_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.contact_form import ContactFormScreen

    return ContactFormScreen(customer_id, record_id)


def plan_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.plan_form import PlanFormScreen

    return PlanFormScreen(customer_id, record_id)


def needs_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.needs_form import NeedsNoteFormScreen

    return NeedsNoteFormScreen(customer_id, record_id)


def proposal_editor(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.proposal_editor import ProposalScreen

    return ProposalScreen(customer_id, record_id)


def negotiation_editor(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.negotiation_editor import NegotiationScreen

    return NegotiationScreen(customer_id, record_id)


def contract_editor(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.contract_editor import ContractScreen

    return ContractScreen(customer_id, record_id)


def milestone_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.followup_forms import MilestoneFormScreen

    return MilestoneFormScreen(customer_id, record_id)


def progress_report_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.followup_forms import ProgressReportFormScreen

    return ProgressReportFormScreen(customer_id, record_id)


def survey_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.survey_form import SurveyFormScreen

    return SurveyFormScreen(customer_id, record_id)


def credit_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.credit_form import CreditCheckFormScreen

    return CreditCheckFormScreen(customer_id, record_id)


def competitor_form(customer_id: uuid.UUID, record_id: uuid.UUID | None) -> Screen[Any]:
    from salesdev_tui.forms.competitor_form import CompetitorNoteFormScreen

    return CompetitorNoteFormScreen(customer_id, record_id)
