"""Look at the TUI in Traditional Chinese: every main screen at 80x24 and 120x40, as text.

    .venv/bin/python bench/zh_tw_screens.py OUTDIR [PO[,PO...] | none | ""] [SCENE,...]

Builds the demo database at the snapshot tests' fixed date, puts the .po files into i18n's
dict catalogue (as `i18n.set_catalog` would, but noting misses) BEFORE the screens are
imported (BINDINGS are translated at import); if i18n moves to gettext, adapt that step.
It drives the app with Pilot and writes OUTDIR/<cols>x<rows>/<screen>.txt (one line per
terminal row, wide characters taking their two cells) and .svg. Then prints every msgid the
UI asked for that the catalogues lack: strings built at run time that extraction cannot see.
`none` runs in English, for comparison; "" (or nothing) loads every .po under
salesdev_tui/locale/zh_TW. Scenes: today help customers page leadform quick scorecard
review contract stagemove palette forms misc more.
Not a test: a tool for whoever edits the zh_TW catalogue (read the .txt files).
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

OUT = Path(sys.argv[1])
PO = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else ",".join(
    str(p) for p in sorted(Path("salesdev_tui/locale/zh_TW").rglob("*.po")))
FIXED_NOW = datetime(2026, 11, 16, 6, 30, tzinfo=UTC)

tmp = Path(tempfile.mkdtemp(prefix="zhui-fit-"))
home = tmp / "home"
home.mkdir()
for var, value in {"HOME": home, "XDG_DATA_HOME": home / ".local/share",
                   "XDG_CONFIG_HOME": home / ".config", "XDG_STATE_HOME": home / ".local/state",
                   "SALESDEV_DB": tmp / "data/salesdev.db",
                   "SALESDEV_CONFIG": tmp / "config/config.toml", "TZ": "Asia/Taipei"}.items():
    os.environ[var] = str(value)

from babel.messages.pofile import read_po  # noqa: E402

from salesdev_tui import i18n  # noqa: E402

catalogue: dict[str, str] = {}
for po in PO.split(","):
    if po == "none":
        continue
    with open(po, "rb") as fh:
        catalogue.update({m.id: m.string for m in read_po(fh) if m.id and m.string})


class Recording(dict):  # type: ignore[type-arg]
    """The catalogue, noting every msgid asked for that it does not hold."""

    missing: dict[str, int] = {}

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        if key not in self:
            Recording.missing[key] = Recording.missing.get(key, 0) + 1
        return super().get(key, default)


i18n._catalog = Recording(catalogue)  # before any screen module builds its BINDINGS

from textual.widgets import Input, TextArea  # noqa: E402

from salesdev_tui.app import create_app  # noqa: E402
from salesdev_tui.config import Settings  # noqa: E402
from salesdev_tui.db import open_database  # noqa: E402
from salesdev_tui.domain.demo import generate_demo  # noqa: E402
from salesdev_tui.store import Store  # noqa: E402


class Clock:
    def __call__(self) -> datetime:
        return FIXED_NOW


db_path = tmp / "data" / "salesdev.db"
db = open_database(db_path)
try:
    Store(db, clock=Clock()).bulk_insert(
        generate_demo(customers=40, seed=11, now=FIXED_NOW, zone=ZoneInfo("Asia/Taipei")))
finally:
    db.close()


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The screen as text, one line per terminal row (a wide character's second cell is
    its own empty segment in the strips, so columns line up as on the terminal)."""
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens)
    return "\n".join("".join(seg.text for seg in strip) for strip in update.strips) + "\n"


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(300):
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = app.store is not None or app.store_error is not None
        if opened and not [w for w in app.workers if w.is_running]:
            break
    for widget in app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause(0.05)


SCENES = sys.argv[3].split(",") if len(sys.argv) > 3 else None


async def shoot(size: tuple[int, int]) -> None:
    folder = OUT / f"{size[0]}x{size[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(timezone="Asia/Taipei", rep_name="Test Rep", currency="TWD")

    async def save(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        (folder / f"{name}.txt").write_text(screen_text(pilot.app))
        (folder / f"{name}.svg").write_text(pilot.app.export_screenshot(title=name))

    async def run(name: str, steps) -> None:  # type: ignore[no-untyped-def]
        if SCENES and name.split("-")[0] not in SCENES:
            return
        app = create_app(settings, db_path, clock=Clock())
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await steps(pilot, lambda n: save(pilot, n))

    def keys(*ks: str):  # type: ignore[no-untyped-def]
        async def steps(pilot, snap) -> None:  # type: ignore[no-untyped-def]
            for k in ks:
                await pilot.press(k)
                await settle(pilot)
            await snap(ks and ks[-1] or "")
        return steps

    def pick(app, stage: str):  # type: ignore[no-untyped-def]
        rows = app.store.customers.list_customers(limit=500)
        return sorted((r for r in rows if r.stage.value == stage), key=lambda r: r.name)[0]

    async def today(pilot, snap):  # type: ignore[no-untyped-def]
        await snap("today")
    await run("today", today)

    async def help_(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("question_mark")
        await snap("help")
    await run("help", help_)

    for key, first in (("c", "down"), ("s", None), ("r", None)):
        async def help_on(pilot, snap, key=key, first=first):  # type: ignore[no-untyped-def]
            await pilot.press(key)
            await settle(pilot)
            if first:
                await pilot.press(first)
            await pilot.press("question_mark")
            await snap(f"help-{key}")
        await run("help", help_on)

    async def help_page(pilot, snap):  # type: ignore[no-untyped-def]
        pilot.app.open_customer(pick(pilot.app, "needs").id)
        await settle(pilot)
        await pilot.press("question_mark")
        await snap("help-page")
    await run("help", help_page)

    async def customers(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("c")
        await snap("customers")
    await run("customers", customers)

    async def page(pilot, snap):  # type: ignore[no-untyped-def]
        for stage in ("negotiation", "won"):
            pilot.app.open_customer(pick(pilot.app, stage).id)
            await settle(pilot)
            for key in "1234567890h":
                await pilot.press(key)
                await snap(f"page-{stage}-{key}")
            await pilot.press("escape")
            await settle(pilot)
    await run("page", page)

    async def lead_form(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("N")
        await snap("leadform")
        await pilot.press("ctrl+s")
        await snap("leadform-invalid")
    await run("leadform", lead_form)

    async def quick(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("n")
        await snap("quick")
        await pilot.press(*"Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 "
                           "#trade_show #manufacturing !A")
        await snap("quick-typed")
    await run("quick", quick)

    async def scorecard(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("s")
        await snap("scorecard")
        await pilot.press("q")
        await snap("scorecard-quarter")
    await run("scorecard", scorecard)

    async def review(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("r")
        await snap("review")
    await run("review", review)

    async def contract(pilot, snap):  # type: ignore[no-untyped-def]
        from salesdev_tui.forms.contract_editor import ContractScreen
        for stage in ("negotiation", "contract"):
            pilot.app.push_screen(ContractScreen(pick(pilot.app, stage).id, None))
            await snap(f"contract-{stage}")
            await pilot.press("ctrl+g")
            await snap(f"contract-{stage}-sign")
            await pilot.press("escape", "escape")
            await settle(pilot)
    await run("contract", contract)

    async def stage(pilot, snap):  # type: ignore[no-untyped-def]
        pilot.app.open_customer(pick(pilot.app, "needs").id)
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await snap("stagemove")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("L")
        await snap("stagemove-lost")
    await run("stagemove", stage)

    async def palette(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+p")
        await snap("palette")
    await run("palette", palette)

    async def forms(pilot, snap):  # type: ignore[no-untyped-def]
        import importlib

        from salesdev_tui.dialogs.delete_customer import PurgeConfirmScreen
        from salesdev_tui.forms.customer_form import CustomerFormScreen
        from salesdev_tui.widgets.customer_tabs import customer_tabs
        customer = pick(pilot.app, "won")
        for tab in customer_tabs("Test Rep"):
            for n, editor in enumerate(tab.editors):
                module_name, _sep, class_name = editor.screen.partition(":")
                klass = getattr(importlib.import_module(f"salesdev_tui.screens.{module_name}"),
                                class_name)
                pilot.app.push_screen(klass(customer.id, None))
                await snap(f"forms-{tab.id}-{n}")
                pilot.app.pop_screen()
                await settle(pilot)
        pilot.app.push_screen(CustomerFormScreen(customer.id))
        await snap("forms-customer")
        pilot.app.pop_screen()
        await settle(pilot)
        pilot.app.push_screen(PurgeConfirmScreen(customer.name))
        await snap("forms-delete")
    await run("forms", forms)

    async def misc(pilot, snap):  # type: ignore[no-untyped-def]
        import importlib

        for name, mod, cls in (("import", "import_wizard", "ImportWizardScreen"),
                               ("export", "data_export", "ExportScreen"),
                               ("ics", "ics_export", "IcsExportScreen"),
                               ("research", "research", "ResearchScreen"),
                               ("competitors", "competitors", "CompetitorsScreen")):
            module = importlib.import_module(f"salesdev_tui.screens.{mod}")
            klass = getattr(module, cls)
            pilot.app.push_screen(klass())
            await snap(f"misc-{name}")
            await pilot.press("escape")
            await settle(pilot)
    await run("misc", misc)

    async def more(pilot, snap):  # type: ignore[no-untyped-def]
        await pilot.press("l")  # log the outcome of the first overdue contact
        await snap("more-outcome")
        pilot.app.pop_screen()
        await settle(pilot)
        await pilot.press("e")
        await snap("more-reschedule")
        pilot.app.pop_screen()
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("T")
        await snap("more-target")
        pilot.app.pop_screen()
        await settle(pilot)
        await pilot.press("enter")
        await snap("more-figure-customers")
        pilot.app.pop_screen()
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("e")
        await snap("more-review-export")
        pilot.app.pop_screen()
        await settle(pilot)
        await pilot.press("f")
        await snap("more-follow-up")
        pilot.app.pop_screen()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        customer = pick(pilot.app, "negotiation")
        pilot.app.open_customer(customer.id)
        await settle(pilot)
        for tab, name in (("4", "proposal"), ("5", "minutes")):
            await pilot.press(tab)
            await settle(pilot)
            await pilot.press("tab")
            await pilot.press("enter")
            await snap(f"more-{name}")
            if name == "proposal":
                await pilot.press("x")
                await snap("more-proposal-export")
                await pilot.press("escape")
                await settle(pilot)
            pilot.app.pop_screen()
            await settle(pilot)
        await pilot.press("right_square_bracket")
        await snap("more-stage-forward")
    await run("more", more)


async def main() -> None:
    for size in ((80, 24), (120, 40)):
        await shoot(size)


asyncio.run(main())
# A translation passed through _() again is not a miss.
missed = {k: n for k, n in Recording.missing.items() if k not in set(catalogue.values())}
print(f"missing from the catalogue ({len(missed)}):")
for key, count in sorted(missed.items()):
    print(f"  {count:4} {key!r}")
