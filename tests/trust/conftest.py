"""The crash tests' figures, printed at the end of the run so the notes can quote them."""

from __future__ import annotations

from typing import Any

import pytest

_FIGURES: list[str] = []


@pytest.fixture
def trust_figures() -> list[str]:
    """Append one line per measured figure; they are printed after the test summary."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("crash and power-loss figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
