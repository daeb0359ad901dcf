"""What every screen that reads or writes the database shares.

`run_db` runs one store call in a thread worker (the UI never waits for SQLite) and hands
the result back on the UI thread; workers never touch widgets. A storage failure becomes a
notification; the screen's widgets, and whatever the rep typed in them, stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import App
from textual.screen import ModalScreen, Screen

from salesdev_tui.i18n import _
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground
from salesdev_tui.textual_patches.kept_styles import KeptStyles

if TYPE_CHECKING:
    from salesdev_tui.app_protocol import SalesApp
    from salesdev_tui.store.combined import Store

T = TypeVar("T")


def storage_message(exc: BaseException) -> str | None:
    """The plain message of a storage failure, or None if `exc` is something else."""
    from salesdev_tui.db.errors import classify

    mapped = classify(exc, None)
    return mapped.message if mapped is not None else None


def call_fresh_if_read_only(store: Store, call: Callable[[Store], T]) -> T:
    """`call(store)`; after a read-only failure, once more on newly opened connections.

    SQLite opens a file it may not write read-only, and that connection stays read-only
    for good: once the rep has fixed the permissions, every save on it would still fail.
    The failed write was rolled back whole, so running it again cannot save twice; if the
    file is still read-only, the second failure is the one reported. (This belongs in
    Database.write; see the report of issue 7.)
    """
    from salesdev_tui.db.errors import Problem, classify

    try:
        return call(store)
    except Exception as exc:
        mapped = classify(exc, None)
        if mapped is None or mapped.problem not in (Problem.READ_ONLY, Problem.READ_ONLY_DIR):
            raise
    store.db.engine.dispose()  # closes the pooled connections; the next ones reopen the file
    return call(store)


class DbMixin:
    """Mixed into Screen and ModalScreen subclasses."""

    @property
    def textual_app(self) -> App[Any]:
        """The Textual app this screen runs in (the mixin itself has no `app`)."""
        return cast("App[Any]", self.app)  # type: ignore[attr-defined]

    @property
    def sales_app(self) -> SalesApp:
        """The app, as screens see it (a Protocol: no screen imports the App class)."""
        return cast("SalesApp", self.textual_app)

    def run_db(
        self,
        call: Callable[[Store], T],
        done: Callable[[T], None],
        *,
        failed: Callable[[BaseException], bool] | None = None,
        group: str = "db",
        exclusive: bool = True,
    ) -> None:
        """Run `call(store)` in a worker; then `done(result)` on the UI thread.

        `failed(exc)` may handle an error (return True); otherwise storage errors are
        notified plainly and anything else is notified as an unexpected problem.
        """
        store = self.sales_app.store
        if store is None:
            message = self.sales_app.store_error or _("The database is still opening…")
            self.textual_app.notify(message, severity="warning", markup=False)
            return
        self._db_worker(store, call, done, failed, group, exclusive)

    def _db_worker(
        self,
        store: Store,
        call: Callable[[Store], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], bool] | None,
        group: str,
        exclusive: bool,
    ) -> None:
        app = self.textual_app

        def job() -> None:
            try:
                result = call_fresh_if_read_only(store, call)
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none crash
                app.call_from_thread(self._report_failure, exc, failed)
                return
            app.call_from_thread(done, result)

        # A thread worker owned by this screen: cancelled with it when the screen goes away.
        self.run_worker(  # type: ignore[attr-defined]
            job, thread=True, exclusive=exclusive, group=group, exit_on_error=False
        )

    def _report_failure(
        self, exc: BaseException, failed: Callable[[BaseException], bool] | None
    ) -> None:
        if failed is not None and failed(exc):
            return
        from salesdev_tui.domain.visible import visible
        from salesdev_tui.models.write_guard import RecordRefused

        message = storage_message(exc)
        if message is None and isinstance(exc, RecordRefused):
            message = _("Not saved: {problem}").format(problem=visible(exc))
        if message is None:
            message = _("Unexpected problem: {problem}").format(problem=visible(exc))
        self.textual_app.notify(message, severity="error", timeout=12, markup=False)


class DbScreen(KeptStyles, DbMixin, Screen[None]):
    """A main screen that loads from the store (shown again and again: `KeptStyles`)."""


class DbModal(DimmedBackground, DbMixin, ModalScreen[T]):
    """A dialog that loads from or saves to the store."""
