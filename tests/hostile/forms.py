"""Driving a form with hostile values, and what every form test asserts afterwards.

One app serves all the examples of a test (`AppSession`: `run_test` in a thread of its own,
each example a coroutine sent to that loop; starting the app costs seconds on a loaded
machine, an example well under one). An example opens the form, injects the values into the
widgets (`input.value = s`, `textarea.text = s`: key
events cannot produce every character), presses the form's save key, then checks: the app is
alive; either the form is still open with an error at every refused field and every widget
still holding exactly what was put in, or the record in the database equals the documented
normalisation of what the widgets held, and reopening it shows the stored text literally.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future
from types import TracebackType
from typing import Any

from rich.text import Text
from sqlmodel import select
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Static, TextArea

from salesdev_tui.domain.validation import CustomerInput, validate
from salesdev_tui.domain.visible import visible
from salesdev_tui.models.tables import Record, length_limits
from tests.conftest import wait_ready
from tests.hostile.strategies import Expected, expected_text

SIZE = (120, 40)


#: Seconds one example may take before the test says the app hangs.
EXAMPLE_TIMEOUT = 180


class AppSession:
    """`with AppSession(app) as session: session.run(example)`: one running app, many examples.

    The app runs under `run_test` on an event loop in a thread; `run(example)` sends the
    coroutine `example(pilot)` there and waits for it, then closes every screen it opened.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.pilot: Any = None
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._context: contextvars.Context | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="hostile-app", daemon=True)

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            async with self.app.run_test(size=SIZE) as pilot:
                self.pilot = pilot
                # Examples run in the app's context (Textual keeps the active app there).
                self._context = contextvars.copy_context()
                await settle(pilot)
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self.error = exc
        finally:
            self._ready.set()

    def __enter__(self) -> AppSession:
        self._thread.start()
        self._ready.wait(EXAMPLE_TIMEOUT)
        if self.error is not None or self.pilot is None:
            raise AssertionError(f"the app did not start: {self.error!r}")
        return self

    def run(self, example: Callable[[Any], Awaitable[None]]) -> None:
        assert self._loop is not None
        assert_alive(self.app)

        async def wrapped(pilot: Any) -> None:
            try:
                await example(pilot)
            finally:
                while len(self.app.screen_stack) > 1:
                    self.app.pop_screen()
                await settle(pilot)

        loop, context = self._loop, self._context
        done: Future[None] = Future()

        def start() -> None:
            task = loop.create_task(wrapped(self.pilot), context=context)

            def finished(task: asyncio.Task[None]) -> None:
                error = task.exception()
                if error is None:
                    done.set_result(None)
                else:
                    done.set_exception(error)

            task.add_done_callback(finished)

        loop.call_soon_threadsafe(start)
        done.result(EXAMPLE_TIMEOUT)
        assert_alive(self.app)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(EXAMPLE_TIMEOUT)
        if self.error is not None and kind is None:
            raise self.error


def assert_alive(app: Any) -> None:
    """The app did not crash: no unhandled exception, still running."""
    assert app._exception is None, app._exception
    assert app.return_code is None, app.return_code


def add_customer(store: Any, name: str = "Hostile Trading") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def widget_text(widget: Widget) -> str:
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Input), widget
    return widget.value


def set_text(widget: Widget, value: str) -> str:
    """Put `value` into an Input or TextArea; returns what the widget then holds."""
    if isinstance(widget, TextArea):
        widget.text = value
    else:
        assert isinstance(widget, Input), widget
        widget.value = value
    return widget_text(widget)


def label_text(label: Widget) -> str:
    """The plain text a Label or Static shows."""
    assert isinstance(label, Label | Static)
    content = label.render()
    plain = getattr(content, "plain", None)
    return plain if isinstance(plain, str) else str(content)


def expect(model: type[Record], field: str, typed: str, *, multiline: bool,
           blank_by_strip: bool = False) -> Expected:
    """The documented result of `typed` in `field`: the limit is the table's CHECK.

    `blank_by_strip`: the form treats text that `str.strip` empties as a blank field before
    validating (RecordForm, the proposal editor), so "\x85" or "\x1c" alone is blank there,
    not a refused control character as in the other forms.
    """
    low, high = length_limits(model)[field]
    if blank_by_strip and not typed.strip():
        typed = ""
    result = expected_text(typed, max_len=high, multiline=multiline)
    if result.value is None and low > 0:
        return Expected(None, refused=True)  # a required field left blank
    return result


def rows_of(app: Any, model: type[Record], **where: object) -> list[Any]:
    with app.store.db.read() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(session.exec(query).all())


def one_line(text: str, width: int | None) -> str:
    """How a list cell shows a long text: one line, cut with an ellipsis (customer_tabs)."""
    flat = text.replace("\n", " ")
    if width is None or len(flat) <= width:
        return flat
    return flat[: width - 1] + "…"


def page_cells(screen: Any, record_id: uuid.UUID) -> list[Any]:
    """The cells of the rows of `record_id` in every table on `screen`."""
    cells: list[Any] = []
    for table in screen.query(DataTable):
        for row_key in list(table.rows):
            if row_key.value is not None and row_key.value.endswith(record_id.hex):
                cells.extend(table.get_row(row_key))
    return cells


def assert_shown_literally(cells: list[Any], texts: Mapping[str, str]) -> None:
    """Every cell is literal Text (never markup) and each text is one of the cells."""
    assert cells, "the record is not listed"
    assert all(isinstance(cell, Text) for cell in cells), cells
    plains = [cell.plain for cell in cells]
    for field, text in texts.items():
        # Control and bidi characters are shown as escapes (domain.visible), the rest as typed;
        # the page's tables keep tabs and line breaks (customer_page: visible(multiline=True)),
        # so a drawn tab is a tab here too (Hypothesis found 'a\na\tx' shown as 'a a\tx').
        assert visible(text, multiline=True) in plains, (field, text, plains)


async def settle(pilot: Any) -> None:
    await wait_ready(pilot)
    await pilot.pause()
