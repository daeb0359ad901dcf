"""Command palette: "jump to customer…" by name, searched in the database as you type."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.app_protocol import SalesApp


class CustomerJumpProvider(Provider):
    """Offers customers whose name, contacts, e-mail or phone match what is typed."""

    @property
    def _sales_app(self) -> SalesApp:
        # The app as the screens see it (app_protocol): the App imports this module.
        return cast("SalesApp", self.app)

    async def search(self, query: str) -> Hits:
        app = self._sales_app
        store = app.store
        text = query.strip()
        if store is None or len(text) < 2:
            return
        # The query runs in a thread: the palette stays responsive while SQLite works.
        worker = self.app.run_worker(
            partial(store.search.quick_find, text, 10), thread=True, group="palette",
            exclusive=True,
            exit_on_error=False,
        )
        rows = await worker.wait()
        matcher = self.matcher(text)
        for row in rows or []:
            label = _("Jump to {name}").format(name=row.name)
            score = matcher.match(row.name) or 0.5
            yield Hit(
                score,
                # Not matcher.highlight(): it parses its input as markup, and a customer
                # named "[@click=app.quit]x" must stay text.
                Content(label),
                partial(app.open_customer, row.id),
                # `help` is rendered as markup: escape the rep's text.
                help=escape(
                    _("{stage} · {industry}").format(
                        stage=_(row.stage.value), industry=row.industry or "—"
                    )
                ),
            )
