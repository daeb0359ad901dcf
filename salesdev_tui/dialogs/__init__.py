"""Modal dialogs: a choice, a confirmation, a question, an export or import; each returns
its answer through `dismiss`. Re-exported lazily."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.dialogs.choice import ChoiceScreen
    from salesdev_tui.dialogs.confirm import ConfirmScreen
    from salesdev_tui.dialogs.customer_pick import CustomerPickScreen
    from salesdev_tui.dialogs.data_export import ExportScreen
    from salesdev_tui.dialogs.duplicate_choice import DuplicateChoiceScreen
    from salesdev_tui.dialogs.figure_customers import FigureCustomersScreen
    from salesdev_tui.dialogs.help import HelpScreen
    from salesdev_tui.dialogs.ics_export import IcsExportScreen
    from salesdev_tui.dialogs.import_wizard import ImportWizardScreen
    from salesdev_tui.dialogs.proposal_export_dialog import ProposalExportScreen
    from salesdev_tui.dialogs.reason_prompt import ReasonScreen
    from salesdev_tui.dialogs.review_export import ReviewExportScreen
    from salesdev_tui.dialogs.stage_move import StageMoveScreen
    from salesdev_tui.dialogs.unlock import UnlockScreen

_WHERE = {
    "ChoiceScreen": "choice",
    "ConfirmScreen": "confirm",
    "CustomerPickScreen": "customer_pick",
    "DuplicateChoiceScreen": "duplicate_choice",
    "ExportScreen": "data_export",
    "FigureCustomersScreen": "figure_customers",
    "HelpScreen": "help",
    "IcsExportScreen": "ics_export",
    "ImportWizardScreen": "import_wizard",
    "ProposalExportScreen": "proposal_export_dialog",
    "ReasonScreen": "reason_prompt",
    "ReviewExportScreen": "review_export",
    "StageMoveScreen": "stage_move",
    "UnlockScreen": "unlock",
}

__all__ = [
    "ChoiceScreen",
    "ConfirmScreen",
    "CustomerPickScreen",
    "DuplicateChoiceScreen",
    "ExportScreen",
    "FigureCustomersScreen",
    "HelpScreen",
    "IcsExportScreen",
    "ImportWizardScreen",
    "ProposalExportScreen",
    "ReasonScreen",
    "ReviewExportScreen",
    "StageMoveScreen",
    "UnlockScreen",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"salesdev_tui.dialogs.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
