"""No leaks through file modes: with umask 022 every file salesdev writes is 0600 and every
folder it creates 0700 (RELIABILITY-NOTES 7.2): the database and its -wal/-shm, backups,
exports (JSON, CSV, vCard, Markdown report, calendar, proposal) and the TUI's writers.
salesdev writes no log files (checked: no logging handler anywhere in the package).
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.models.tables import Proposal


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def run(db_path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_database_folder_and_files(db_path: Path) -> None:
    from salesdev_tui.db import open_database

    db = open_database(db_path)
    try:
        with db.write() as session:  # so the -wal and -shm exist
            session.connection().exec_driver_sql("PRAGMA user_version")
        assert mode(db_path.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{db_path}{suffix}")
            assert path.exists(), suffix
            assert mode(path) == 0o600, suffix
    finally:
        db.close()


def test_every_cli_export_and_backup_is_private(db_path: Path, tmp_path: Path) -> None:
    import json

    out = tmp_path / "out"
    out.mkdir()
    customer = json.loads(run(db_path, "add", "Acme", "--contact", "Jane Wu", "--email",
                              "jane@acme.tw", "--json"))["id"]
    from salesdev_tui.db import open_database

    db = open_database(db_path)
    try:
        with db.write() as session:
            proposal = Proposal(customer_id=uuid.UUID(customer), title="Offer")
            session.add(proposal)
            session.flush()
            proposal_id = str(proposal.id)
    finally:
        db.close()
    # An existing, world-readable file is replaced (--replace) by a private one too.
    (out / "all.json").write_text("old")
    assert mode(out / "all.json") == 0o644
    run(db_path, "export", "--format", "json", "--out", str(out / "all.json"), "--replace")
    run(db_path, "export", "--format", "csv", "--what", "customers", "--out",
        str(out / "customers.csv"))
    run(db_path, "export", "--format", "vcard", "--out", str(out / "contacts.vcf"))
    run(db_path, "plans", "--ics", str(out / "plans.ics"))
    run(db_path, "review", "--format", "md", "-o", str(out / "review.md"))
    run(db_path, "proposal", proposal_id, "-f", "md", "-o", str(out / "proposal.md"))
    run(db_path, "backup")
    run(db_path, "backup", "--to", str(out / "copy.db"))

    written = sorted(p.name for p in out.iterdir())
    assert written == ["all.json", "contacts.vcf", "copy.db", "customers.csv", "plans.ics",
                       "proposal.md", "review.md"]
    for path in out.iterdir():
        assert mode(path) == 0o600, path.name
    assert mode(out) == 0o755  # a folder the rep chose keeps its mode
    backups = db_path.parent / "backups"
    assert mode(backups) == 0o700
    assert list(backups.iterdir())
    for path in backups.iterdir():
        assert mode(path) == 0o600, path.name


def test_backup_into_a_new_folder_makes_it_private(db_path: Path, tmp_path: Path) -> None:
    from salesdev_tui.db.backup import backup_database

    run(db_path, "add", "Acme")
    target = tmp_path / "new" / "pre-migration.db"
    backup_database(db_path, target)
    assert mode(target.parent) == 0o700
    assert mode(target) == 0o600


def test_the_tui_writers_are_private(tmp_path: Path) -> None:
    from salesdev_tui.usecases.private_files import write_private, write_private_text

    text_file, data_file = tmp_path / "report.md", tmp_path / "plans.ics"
    for path in (text_file, data_file):
        path.write_text("old")
        assert mode(path) == 0o644
    write_private_text(text_file, "# Report", replace=True)
    write_private(data_file, b"BEGIN:VCALENDAR")
    assert mode(text_file) == 0o600 and mode(data_file) == 0o600
    assert text_file.read_text() == "# Report"
