"""Encryption at rest (SQLCipher 4): converting, opening, backups, the CLI and the unlock screen.

Every encrypted connection derives its key (PBKDF2, ~0.1-0.2 s), so the data sets are small.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from salesdev_tui.db import Problem, StorageError, open_database
from salesdev_tui.db.autobackup import daily_backup, manual_backup
from salesdev_tui.db.cipher import Secret, key_for
from salesdev_tui.db.cipher_convert import decrypt, encrypt, rekey
from salesdev_tui.db.restore import check_database, restore_database
from salesdev_tui.domain.exchange import dump_document
from salesdev_tui.domain.validation import CustomerInput, validate
from salesdev_tui.store.combined import Store
from tests.conftest import FIXED_NOW, Clock

PASS = "correct horse battery"
NEW_PASS = "tr0ub4dor & 3"
MARKER = "Zyxwvu Marker Trading"
PLAIN_MAGIC = b"SQLite format 3\x00"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add(store: Store, name: str) -> None:
    store.customers.add_lead(validate(CustomerInput, {"name": name}))


def _fill(db_path: Path, *, passphrase: str | None = None) -> str:
    """Demo records plus one customer with a unique marker; returns the export."""
    from salesdev_tui.domain.demo import generate_demo

    db = open_database(db_path, passphrase=passphrase)
    try:
        store = Store(db, clock=Clock())
        store.exchange.bulk_insert(generate_demo(customers=6, seed=3, now=FIXED_NOW,
                                        zone=ZoneInfo("Asia/Taipei")))
        _add(store, MARKER)
        return dump_document(store.exchange.export_records(), exported_at=FIXED_NOW)
    finally:
        db.close()


def _export(db_path: Path, passphrase: str | None = None) -> str:
    db = open_database(db_path, passphrase=passphrase)
    try:
        return dump_document(Store(db, clock=Clock()).exchange.export_records(),
                             exported_at=FIXED_NOW)
    finally:
        db.close()


@pytest.fixture
def encrypted_db(db_path: Path) -> Iterator[tuple[Path, str]]:
    before = _fill(db_path)
    encrypt(db_path, PASS, now=FIXED_NOW)
    yield db_path, before


def test_encrypt_then_open_with_the_passphrase_gives_the_same_data(
        encrypted_db: tuple[Path, str]) -> None:
    db_path, before = encrypted_db
    assert not db_path.read_bytes().startswith(PLAIN_MAGIC)
    assert MARKER.encode() not in db_path.read_bytes()
    assert oct(db_path.stat().st_mode & 0o777) == "0o600"
    assert not Path(f"{db_path}.salesdev-new").exists()
    assert _export(db_path, PASS) == before
    # The backup of the original is encrypted with the new passphrase too.
    (backup,) = (db_path.parent / "backups").glob("*-pre-encrypt.db")
    assert not backup.read_bytes().startswith(PLAIN_MAGIC)
    assert check_database(backup, passphrase=PASS) == []


def test_without_or_with_a_wrong_passphrase_nothing_changes_and_stderr_stays_clean(
        encrypted_db: tuple[Path, str], capfd: pytest.CaptureFixture[str]) -> None:
    db_path, _before = encrypted_db
    digest = _sha(db_path)
    with pytest.raises(StorageError) as needed:
        open_database(db_path)
    assert needed.value.problem is Problem.PASSPHRASE_NEEDED
    assert str(db_path) in needed.value.message
    for wrong in ("wrong passphrase", PASS.upper(), "x'00'"):
        with pytest.raises(StorageError) as refused:
            open_database(db_path, passphrase=wrong)
        assert refused.value.problem is Problem.WRONG_PASSPHRASE
        assert str(db_path) in refused.value.message
        assert wrong not in repr(refused.value) + str(refused.value)
    assert _sha(db_path) == digest
    assert not Path(f"{db_path}-wal").exists()
    out, err = capfd.readouterr()
    assert err == "" and out == ""  # SQLCipher's "hmac check failed" log is silenced


def test_a_file_that_is_not_whole_pages_is_not_taken_for_an_encrypted_one(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("just some text, not a database")
    with pytest.raises(StorageError) as refused:
        open_database(text, passphrase=PASS)
    assert refused.value.problem is Problem.NOT_SQLITE


def test_decrypt_gives_a_plain_file_with_the_same_data(
        encrypted_db: tuple[Path, str]) -> None:
    db_path, before = encrypted_db
    with pytest.raises(StorageError) as refused:
        decrypt(db_path, "not it", now=FIXED_NOW)
    assert refused.value.problem is Problem.WRONG_PASSPHRASE
    decrypt(db_path, PASS, now=FIXED_NOW)
    assert db_path.read_bytes().startswith(PLAIN_MAGIC)
    assert _export(db_path) == before


def test_rekey_old_passphrase_fails_new_one_works(encrypted_db: tuple[Path, str]) -> None:
    db_path, before = encrypted_db
    rekey(db_path, PASS, NEW_PASS, now=FIXED_NOW)
    with pytest.raises(StorageError) as refused:
        open_database(db_path, passphrase=PASS)
    assert refused.value.problem is Problem.WRONG_PASSPHRASE
    assert _export(db_path, NEW_PASS) == before
    (backup,) = (db_path.parent / "backups").glob("*-pre-rekey.db")
    assert check_database(backup, passphrase=NEW_PASS) == []


def test_a_database_open_in_this_process_is_not_converted(
        encrypted_db: tuple[Path, str]) -> None:
    db_path, _before = encrypted_db
    db = open_database(db_path, passphrase=PASS)
    try:
        with pytest.raises(StorageError) as refused:
            rekey(db_path, PASS, NEW_PASS, now=FIXED_NOW)
        assert refused.value.problem is Problem.BUSY
    finally:
        db.close()
    assert key_for(db_path) is None  # forgotten on close


def test_a_new_database_with_a_passphrase_is_encrypted_from_the_start(db_path: Path) -> None:
    db = open_database(db_path, passphrase=PASS)
    try:
        assert db.encrypted
        _add(Store(db, clock=Clock()), MARKER)
    finally:
        db.close()
    assert not db_path.read_bytes().startswith(PLAIN_MAGIC)
    assert MARKER in _export(db_path, PASS)
    assert not (db_path.parent / "backups").exists()


def test_pragmas_hold_on_encrypted_connections(encrypted_db: tuple[Path, str]) -> None:
    db_path, _before = encrypted_db
    db = open_database(db_path, passphrase=PASS)
    try:
        with db.engine.connect() as conn:
            def value(pragma: str) -> Any:
                return conn.exec_driver_sql(f"PRAGMA {pragma}").scalar()

            assert value("journal_mode") == "wal"
            assert value("synchronous") == 2
            assert value("foreign_keys") == 1
            assert value("busy_timeout") >= 5000
            assert value("secure_delete") == 1
            assert value("trusted_schema") == 0
            assert value("cell_size_check") == 1
            assert value("kdf_iter") == "256000"  # SQLCipher 4 defaults
            assert value("cipher_page_size") == "4096"
            assert value("application_id") == 0x53445631
        assert str(db.engine.url) == f"sqlite:///{db_path}"
        assert PASS not in repr(db.engine) + repr(db.engine.pool)
    finally:
        db.close()


def test_backups_of_an_encrypted_database_are_encrypted_and_restore(
        encrypted_db: tuple[Path, str]) -> None:
    db_path, before = encrypted_db
    db = open_database(db_path, passphrase=PASS)
    try:
        manual = manual_backup(db_path, FIXED_NOW)
        auto = daily_backup(db_path, now=FIXED_NOW, zone=ZoneInfo("Asia/Taipei"), keep=3)
        _add(Store(db, clock=Clock()), "Added After Backup")
    finally:
        db.close()
    assert auto is not None
    for backup in (manual, auto):
        data = backup.read_bytes()
        assert not data.startswith(PLAIN_MAGIC) and MARKER.encode() not in data
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
        with pytest.raises(StorageError) as needed:
            open_database(backup)
        assert needed.value.problem is Problem.PASSPHRASE_NEEDED
    outcome = restore_database(manual, db_path, now=FIXED_NOW, passphrase=PASS)
    assert outcome.previous is not None
    assert not outcome.previous.read_bytes().startswith(PLAIN_MAGIC)
    assert _export(db_path, PASS) == before
    # Into a missing database, an encrypted backup comes with its own key.
    fresh = db_path.parent / "fresh" / "new.db"
    restore_database(manual, fresh, now=FIXED_NOW, passphrase=PASS)
    assert not fresh.read_bytes().startswith(PLAIN_MAGIC)
    assert _export(fresh, PASS) == before


def test_a_plain_backup_restores_into_an_encrypted_database_encrypted(db_path: Path) -> None:
    before = _fill(db_path)
    plain = manual_backup(db_path, FIXED_NOW)
    encrypt(db_path, PASS, now=FIXED_NOW)
    restore_database(plain, db_path, now=FIXED_NOW, passphrase=PASS)
    assert not db_path.read_bytes().startswith(PLAIN_MAGIC)
    assert _export(db_path, PASS) == before
    # The other way round is refused: a plain database is never filled from an encrypted file.
    other = db_path.parent / "other.db"
    open_database(other).close()
    encrypted_backup = next((db_path.parent / "backups").glob("*-pre-restore.db"))
    digest = _sha(other)
    with pytest.raises(StorageError) as refused:
        restore_database(encrypted_backup, other, now=FIXED_NOW, passphrase=PASS)
    assert refused.value.problem is Problem.INVALID
    assert _sha(other) == digest


def test_secret_never_prints_itself() -> None:
    secret = Secret(PASS)
    assert PASS not in repr(secret) + str(secret) + f"{secret}" + repr([secret])
    assert secret == Secret(PASS) and secret != Secret(NEW_PASS)
    with pytest.raises(ValueError):
        Secret("")
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


# -- the CLI ---------------------------------------------------------------------------------


def _fd_with(*lines: str) -> int:
    """A readable descriptor holding `lines` (what `--passphrase-fd` reads)."""
    read, write = os.pipe()
    os.write(write, "".join(f"{line}\n" for line in lines).encode())
    os.close(write)
    return read


def _cli(db_path: Path, *args: str) -> Any:
    from salesdev_tui.cli import cli

    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


@pytest.mark.slow
def test_cli_round_trip_leaves_the_passphrase_and_the_data_nowhere_in_plain(
        db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    _fill(db_path)
    outputs: list[str] = []

    def run(*args: str, fd_env: str | None = None) -> Any:
        if fd_env is not None:
            monkeypatch.setenv("SALESDEV_PASSPHRASE_FD", fd_env)
        result = _cli(db_path, *args)
        monkeypatch.delenv("SALESDEV_PASSPHRASE_FD", raising=False)
        outputs.append(result.output)
        return result

    result = run("encrypt", "--passphrase-fd", str(_fd_with(PASS)))
    assert result.exit_code == 0, result.output
    listed = run("list", fd_env=str(_fd_with(PASS)))
    assert listed.exit_code == 0, listed.output
    assert "Customers (7)" in listed.output
    export = tmp_path / "out.json"
    assert run("export", "--out", str(export), fd_env=str(_fd_with(PASS))).exit_code == 0
    wrong = run("list", fd_env=str(_fd_with("not the passphrase")))
    assert wrong.exit_code == 5 and "passphrase is wrong" in wrong.output
    assert run("rekey", "--passphrase-fd", str(_fd_with(PASS, NEW_PASS))).exit_code == 0
    assert run("decrypt", "--passphrase-fd", str(_fd_with(PASS))).exit_code == 5
    assert run("decrypt", "--passphrase-fd", str(_fd_with(NEW_PASS))).exit_code == 0
    assert run("list").exit_code == 0
    out, err = capfd.readouterr()
    secrets = [PASS.encode(), NEW_PASS.encode()]
    for text in [*outputs, out, err]:
        assert not any(s.decode() in text for s in secrets)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 5  # db, backups, export, ...
    for path in written:
        data = path.read_bytes()
        assert not any(s in data for s in secrets), path
    # While encrypted, the data was in no file but the (chosen) export and plain backups.
    for path in (db_path.parent / "backups").glob("*-pre-*.db"):
        assert MARKER.encode() not in path.read_bytes(), path


def test_cli_encrypt_asks_twice_and_refuses_a_mismatch(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(db_path)
    digest = _sha(db_path)
    answers = iter([PASS, "something else"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    result = _cli(db_path, "encrypt")
    assert result.exit_code == 3
    assert "differ" in result.output
    assert _sha(db_path) == digest
    answers = iter(["short", "short"])
    result = _cli(db_path, "encrypt")
    assert result.exit_code == 3 and "too short" in result.output


def test_cli_asks_the_passphrase_when_the_database_is_encrypted(
        encrypted_db: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    db_path, _before = encrypted_db
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return PASS

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    result = _cli(db_path, "list")
    assert result.exit_code == 0, result.output
    assert "Customers (7)" in result.output
    assert asked and str(db_path) in asked[0]


def test_open_time_plain_vs_encrypted(db_path: Path, tmp_path: Path) -> None:
    """Median of 5 opens (printed for the record; run with -s to see it)."""
    _fill(db_path)
    encrypted = tmp_path / "enc" / "salesdev.db"
    encrypted.parent.mkdir()
    restore_database(manual_backup(db_path, FIXED_NOW), encrypted, now=FIXED_NOW)
    encrypt(encrypted, PASS, now=FIXED_NOW, keep_backup=False)

    def median_open(path: Path, passphrase: str | None) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            db = open_database(path, passphrase=passphrase)
            times.append(time.perf_counter() - start)
            db.close()
        return statistics.median(times)

    plain, keyed = median_open(db_path, None), median_open(encrypted, PASS)
    print(f"open median of 5: plain {plain * 1000:.1f} ms, encrypted {keyed * 1000:.1f} ms")
    assert keyed < 3.0


# -- the unlock screen and the idle lock ----------------------------------------------------


class _Host:
    """A tiny app that shows an UnlockScreen and records what it dismissed with."""

    @staticmethod
    def make(check: Any, *, locked: bool = False) -> Any:
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        from salesdev_tui.dialogs.unlock import UnlockScreen

        class Host(App[None]):
            CSS_PATH = str(Path(__file__).parent.parent / "salesdev_tui" / "salesdev.tcss")

            def __init__(self) -> None:
                super().__init__()
                self.results: list[Any] = []

            def compose(self) -> ComposeResult:
                yield Static("customer data behind the lock", id="behind")

            def on_mount(self) -> None:
                self.push_screen(UnlockScreen(Path("/data/salesdev.db"), check, locked=locked),
                                 self.results.append)

        return Host()


async def test_unlock_screen_wrong_then_right_passphrase(encrypted_db: tuple[Path, str]) -> None:
    from textual.widgets import Input, Static

    from salesdev_tui.dialogs.unlock import UnlockScreen

    db_path, before = encrypted_db
    app = _Host.make(lambda secret: open_database(db_path, passphrase=secret))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"wrong one", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = str(app.screen.query_one("#unlock-message", Static).render())
        assert "passphrase is wrong" in message
        field = app.screen.query_one("#unlock-passphrase", Input)
        assert field.value == "wrong one"  # kept: the rep fixes a typo, not retypes it all
        field.value = ""
        await pilot.press(*PASS, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, UnlockScreen)
        (db,) = app.results
    try:
        assert dump_document(Store(db, clock=Clock()).exchange.export_records(),
                             exported_at=FIXED_NOW) == before
    finally:
        db.close()


async def test_unlock_screen_escape_quits() -> None:
    app = _Host.make(lambda secret: True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == []
    assert app.return_code == 0


async def test_idle_lock_covers_the_app_and_the_passphrase_lifts_it(
        encrypted_db: tuple[Path, str]) -> None:
    from textual.app import App
    from textual.widgets import Input

    from salesdev_tui.dialogs.unlock import IdleLock, UnlockScreen, relock_check

    db_path, _before = encrypted_db
    db = open_database(db_path, passphrase=PASS)
    now = [1000.0]
    try:
        app: App[None] = App()
        async with app.run_test() as pilot:
            lock = IdleLock(app, 5, lambda: UnlockScreen(db.path, relock_check(db), locked=True),
                            clock=lambda: now[0])
            now[0] += 4 * 60
            lock.tick()
            lock.touch()  # a key press four minutes in
            now[0] += 4 * 60
            lock.tick()
            await pilot.pause()
            assert not lock.locked
            now[0] += 2 * 60
            lock.tick()
            await pilot.pause()
            assert lock.locked and isinstance(app.screen, UnlockScreen)
            await pilot.press(*NEW_PASS, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, UnlockScreen)
            app.screen.query_one("#unlock-passphrase", Input).value = PASS
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not lock.locked and not isinstance(app.screen, UnlockScreen)
    finally:
        db.close()
