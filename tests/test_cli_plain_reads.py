"""`salesdev list` and `salesdev review` read on a plain connection (issue 15.8): byte for
byte what the store's path prints, for every format, in English and Chinese, on an empty
book, a small one and the demo's with deleted rows; and without loading SQLAlchemy,
SQLModel, the table classes or the input models, so an import that brings them back fails
here."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from salesdev_tui import i18n
from salesdev_tui.cli import cli
from salesdev_tui.cli.app import CliState
from tests.conftest import FIXED_NOW, Clock

#: The demo's last day (FIXED_NOW in Taipei), days before it that hold between them every
#: kind of fact the review lists (checked below), and a day with nothing.
DAYS = ("2026-11-16", "2026-11-15", "2026-11-11", "2026-11-05", "2026-11-03", "2026-11-02",
        "2026-01-05")
LIST_ARGS: list[list[str]] = [
    ["list", "--json"],
    ["list"],
    ["list", "--format", "csv"],
    ["list", "--format", "tsv", "--limit", "7"],
    ["list", "--stage", "won", "--json"],
    ["list", "--stage", "lost", "--limit", "1000", "--format", "csv"],
    ["list", "--limit", "3"],
]
REVIEW_ARGS: list[list[str]] = [["review", "--date", day] for day in DAYS] + [
    ["review", "--date", day, "--format", fmt] for day in DAYS[:3] for fmt in ("md", "json")
]
#: What the plain path must never load: the ORM, the table classes, the store's front, the
#: full open, the input models and what they check with (each costs tens to hundreds of ms).
HEAVY_PACKAGES = ("sqlalchemy", "sqlmodel", "textual", "email_validator", "phonenumbers",
                  "rapidfuzz")
HEAVY_MODULES = ("salesdev_tui.models.tables", "salesdev_tui.models.types",
                 "salesdev_tui.store.base", "salesdev_tui.store.combined",
                 "salesdev_tui.db.database", "salesdev_tui.domain.validation")


def _book(db_path: Path, customers: int) -> Path:
    """A database of `customers` demo customers (none: an empty book) with deleted rows."""
    from sqlmodel import col, select

    from salesdev_tui.db import open_database
    from salesdev_tui.domain.demo import generate_demo
    from salesdev_tui.models.tables import ContactPlan, Contract
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        store = Store(db, clock=Clock())
        if customers:
            store.exchange.bulk_insert(generate_demo(
                customers=customers, seed=7, now=FIXED_NOW, zone=ZoneInfo("Asia/Taipei")))
            # Deleted: the customer listed first, the latest contact done, a contract.
            first = store.customers.list_customers(limit=1)[0]
            store.deletion.delete_customer(first.id)
            with db.read() as session:
                plan = session.exec(select(ContactPlan).where(
                    col(ContactPlan.done_at).is_not(None),
                    col(ContactPlan.deleted_at).is_(None),
                ).order_by(col(ContactPlan.done_at).desc())).first()
                contract = session.exec(select(Contract).where(
                    col(Contract.deleted_at).is_(None))).first()
            for model, record in ((ContactPlan, plan), (Contract, contract)):
                if record is not None:
                    store.records.delete_record(model, record.id)
    finally:
        db.close()
    return db_path


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Made once for the module (the demo's insert is the slow part); read-only after."""
    root = tmp_path_factory.mktemp("books")
    return {name: _book(root / name / "salesdev.db", size)
            for name, size in (("empty", 0), ("small", 3), ("demo", 60))}


@pytest.fixture
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    yield request.param


def _run(monkeypatch: pytest.MonkeyPatch, db: Path, config: Path, args: list[str], *,
         plain: bool) -> tuple[int, str, str]:
    """The command through the plain path (the store may not open) or the store's (the
    plain connection is refused, as for an encrypted file)."""
    with monkeypatch.context() as patch:
        if plain:
            def no_store(self: CliState) -> Any:
                raise AssertionError("the plain path opened the store")

            patch.setattr(CliState, "open_store", no_store)
        else:
            patch.setattr("salesdev_tui.store.quick_reads.open_for_reading", lambda path: None)
        result = CliRunner().invoke(cli, ["--db", str(db), "--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("book", "language"),
    [("demo", "en"), ("demo", "zh_TW"), ("small", "en"), ("empty", "en"), ("empty", "zh_TW")],
    indirect=["language"],
)
def test_plain_and_store_paths_print_the_same_bytes(
    books: dict[str, Path], book: str, language: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Taipei"\nrep_name = "Test Rep"\ncurrency = "TWD"\n'
                      f'language = "{language}"\n', encoding="utf-8")
    for args in LIST_ARGS + REVIEW_ARGS:
        plain = _run(monkeypatch, books[book], config, args, plain=True)
        full = _run(monkeypatch, books[book], config, args, plain=False)
        assert plain[0] == 0, (args, plain[2])
        assert plain == full, args
    if book == "demo":  # the comparison compared something in every list
        filled: set[str] = set()
        for day in DAYS:
            code, out, _err = _run(monkeypatch, books[book], config,
                                   ["review", "--date", day, "--format", "json"], plain=True)
            filled |= _filled_lists(json.loads(out))
        assert {"contacts.done", "contacts.missed", "new_leads", "stage_moves",
                "proposals_sent", "minutes", "contracts_signed", "surveys", "overdue.plans",
                "overdue.milestones", "tomorrow"} <= filled, filled
        code, out, err = _run(monkeypatch, books[book], config, ["list", "--limit", "3"],
                              plain=True)
        assert code == 0 and "3" in err and "59" in err  # 60 customers, one deleted


def _filled_lists(data: dict[str, Any], prefix: str = "") -> set[str]:
    """The dotted keys of the non-empty lists in the review's JSON."""
    found: set[str] = set()
    for key, value in data.items():
        if isinstance(value, dict):
            found |= _filled_lists(value, f"{prefix}{key}.")
        elif isinstance(value, list) and value:
            found.add(prefix + key)
    return found


def test_the_deleted_rows_are_not_listed(books: dict[str, Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    db = open_database(books["demo"])
    try:
        deleted = {str(row.id) for row in Store(db).deletion.deleted_customers()}
    finally:
        db.close()
    assert len(deleted) == 1
    code, out, _err = _run(monkeypatch, books["demo"], tmp_path / "c.toml",
                           ["list", "--limit", "1000", "--json"], plain=True)
    listed = {row["id"] for row in json.loads(out)}
    assert code == 0 and len(listed) == 59 and not listed & deleted


def test_list_and_review_load_no_orm_table_or_input_model(books: dict[str, Path],
                                                         tmp_path: Path) -> None:
    """In a fresh process, as the rep runs them: every format of both commands."""
    runs = [args for args in LIST_ARGS if "--stage" not in args] + [
        ["review"], ["review", "--format", "md"], ["review", "--format", "json"]]
    probe = (
        "import json, sys\n"
        "from salesdev_tui.cli import main\n"
        "db, config, runs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])\n"
        "for args in runs:\n"
        "    sys.argv = ['salesdev', '--db', db, '--config', config, *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, (args, exc.code)\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_PACKAGES!r}"
        f" or m in {HEAVY_MODULES!r})\n"
        "print(json.dumps(heavy), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(books["demo"]), str(tmp_path / "c.toml"),
         json.dumps(runs)],
        capture_output=True, text=True, check=True, timeout=120,
    )
    assert result.stdout.count('"last_activity_at"') == 59  # list --json printed
    assert "Daily report" in result.stdout and '"planned"' in result.stdout  # the reviews
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_an_encrypted_book_is_read_through_the_store(db_path: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain connection cannot read an SQLCipher file: the store's path (which asks
    the passphrase) prints the list and the review."""
    from salesdev_tui.db.cipher_convert import encrypt

    _book(db_path, 3)
    plain_before = _run(monkeypatch, db_path, tmp_path / "c.toml",
                        ["review", "--date", DAYS[0]], plain=True)
    encrypt(db_path, "correct horse battery", now=FIXED_NOW)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse battery")
    for args in (["list", "--json"], ["review", "--date", DAYS[0]]):
        result = CliRunner().invoke(
            cli, ["--db", str(db_path), "--config", str(tmp_path / "c.toml"), *args])
        assert result.exit_code == 0, result.output
        if args[0] == "list":
            assert len(json.loads(result.stdout)) == 2  # 3, one deleted
        else:
            assert result.stdout == plain_before[1]
