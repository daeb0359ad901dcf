"""Record forms and editors: a customer's contacts, plans, needs, proposals, minutes,
contracts, …; each validates what is typed and saves through the store. Re-exported lazily."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.forms.competitor_form import CompetitorNoteFormScreen
    from salesdev_tui.forms.contact_form import ContactFormScreen
    from salesdev_tui.forms.contract_editor import ContractScreen
    from salesdev_tui.forms.credit_form import CreditCheckFormScreen
    from salesdev_tui.forms.customer_form import CustomerFormScreen
    from salesdev_tui.forms.followup_forms import MilestoneFormScreen, ProgressReportFormScreen
    from salesdev_tui.forms.lead_form import LeadFormScreen
    from salesdev_tui.forms.lead_quick import QuickLeadScreen
    from salesdev_tui.forms.needs_form import NeedsNoteFormScreen
    from salesdev_tui.forms.negotiation_editor import NegotiationScreen
    from salesdev_tui.forms.plan_form import PlanFormScreen
    from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen
    from salesdev_tui.forms.proposal_editor import ProposalScreen
    from salesdev_tui.forms.record_form import RecordForm
    from salesdev_tui.forms.research_form import ResearchNoteFormScreen
    from salesdev_tui.forms.survey_form import SurveyFormScreen
    from salesdev_tui.forms.target_form import TargetFormScreen

_WHERE = {
    "CompetitorNoteFormScreen": "competitor_form",
    "ContactFormScreen": "contact_form",
    "ContractScreen": "contract_editor",
    "CreditCheckFormScreen": "credit_form",
    "CustomerFormScreen": "customer_form",
    "LeadFormScreen": "lead_form",
    "MilestoneFormScreen": "followup_forms",
    "NeedsNoteFormScreen": "needs_form",
    "NegotiationScreen": "negotiation_editor",
    "PlanFormScreen": "plan_form",
    "PlanOutcomeScreen": "plan_outcome",
    "ProgressReportFormScreen": "followup_forms",
    "ProposalScreen": "proposal_editor",
    "QuickLeadScreen": "lead_quick",
    "RecordForm": "record_form",
    "ResearchNoteFormScreen": "research_form",
    "SurveyFormScreen": "survey_form",
    "TargetFormScreen": "target_form",
}

__all__ = [
    "CompetitorNoteFormScreen",
    "ContactFormScreen",
    "ContractScreen",
    "CreditCheckFormScreen",
    "CustomerFormScreen",
    "LeadFormScreen",
    "MilestoneFormScreen",
    "NeedsNoteFormScreen",
    "NegotiationScreen",
    "PlanFormScreen",
    "PlanOutcomeScreen",
    "ProgressReportFormScreen",
    "ProposalScreen",
    "QuickLeadScreen",
    "RecordForm",
    "ResearchNoteFormScreen",
    "SurveyFormScreen",
    "TargetFormScreen",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"salesdev_tui.forms.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
