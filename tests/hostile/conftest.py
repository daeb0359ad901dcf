"""Reports how many Hypothesis examples each hostile test ran (the numbers the notes quote)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.hostile.strategies import EXAMPLES, OUTCOMES

_SECONDS: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def _timed(request: pytest.FixtureRequest) -> Iterator[None]:
    start = time.perf_counter()
    yield
    _SECONDS[request.node.name] += time.perf_counter() - start


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not EXAMPLES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("hostile input: examples run")
    for name, count in sorted(EXAMPLES.items()):
        saved, refused = OUTCOMES[f"{name}: saved"], OUTCOMES[f"{name}: refused"]
        detail = f" (saved {saved}, refused {refused})" if saved or refused else ""
        write(f"{name:<44} {count:>6} examples{detail}")
    write("")
    for test, seconds in sorted(_SECONDS.items()):
        if seconds >= 1:  # the many quick parametrised checks would drown the rest
            write(f"{test:<70} {seconds:7.1f} s")
