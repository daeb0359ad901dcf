"""Hostile command lines and files (issue 20, items 10 and 11): each ends as one plain line on
stderr and a documented exit code (README: 2 usage, 3 invalid input, 5 database, 6 config),
never a traceback, and a file that is refused is left byte for byte as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from tests.test_failing_storage_tui import read_only, seed


def run(*args: str, db: Path | str | None = None, config: Path | None = None
        ) -> tuple[int, str, str]:
    argv = [*(["--db", str(db)] if db is not None else []),
            *(["--config", str(config)] if config is not None else []), *args]
    result = CliRunner().invoke(cli, argv)
    return result.exit_code, result.stdout, result.stderr


def assert_one_line(code: int, err: str, expected: Exit, *words: str) -> None:
    """Exit `expected`, and stderr is one `error:` line holding `words` (no traceback)."""
    assert code == expected, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert all(word in err for word in words), err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- 20.10: out-of-range numbers and dates ----------------------------------------------------


def test_review_of_a_day_past_the_calendar_says_out_of_range(db_path: Path) -> None:
    seed(db_path)
    code, out, err = run("review", "--date", "9999-12-31", db=db_path)
    assert_one_line(code, err, Exit.INVALID, "--date", "between the years")
    assert out == ""


def test_scorecard_of_year_one_says_out_of_range(db_path: Path) -> None:
    seed(db_path)
    code, _out, err = run("scorecard", "--at", "0001-01", db=db_path)
    assert_one_line(code, err, Exit.INVALID, "--at", "out of range")


def test_a_limit_past_sqlites_integers_is_bad_usage(db_path: Path) -> None:
    seed(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "list", "--limit",
                                      "99999999999999999999999"])
    assert result.exit_code == Exit.USAGE
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "--limit" in result.stderr


# --- 20.10: database paths that cannot be a database file -------------------------------------


def _bad_db_paths(tmp_path: Path) -> dict[str, Path | str]:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    return {
        "a folder": folder,
        "under a file": a_file / "x.db",
        "a symlink loop": loop,
        "an unknown user's home": "~nosuchuser-salesdev/x.db",
        "a name over 255 bytes": tmp_path / ("n" * 300) / "x.db",
    }


@pytest.mark.parametrize("case", ["a folder", "under a file", "a symlink loop",
                                  "an unknown user's home", "a name over 255 bytes"])
@pytest.mark.parametrize("command", [["check"], ["backup"], ["list"], ["add", "Acme"]])
def test_a_database_path_that_cannot_be_a_file_exits_5(
    tmp_path: Path, case: str, command: list[str]
) -> None:
    path = _bad_db_paths(tmp_path)[case]
    code, out, err = run(*command, db=path)
    assert_one_line(code, err, Exit.STORAGE, "database")
    assert out == ""


def test_the_tui_launch_refuses_a_bad_database_path_before_starting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import salesdev_tui.app
    from salesdev_tui.cli.tui import launch_direct

    def no_app(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the TUI must not start on a path that cannot be a file")

    monkeypatch.setattr(salesdev_tui.app, "create_app", no_app)

    for path in _bad_db_paths(tmp_path).values():
        assert launch_direct(str(path), None) == Exit.STORAGE
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1, err
    folder = tmp_path / "config-folder"
    folder.mkdir()
    assert launch_direct(None, str(folder)) == Exit.CONFIG


# --- 20.10: broken settings ---------------------------------------------------------------


def test_a_config_nested_100000_deep_is_a_config_error(db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "deep.toml"
    config.write_text("a = " + "[" * 100_000 + "\n")
    code, _out, err = run("scorecard", db=db_path, config=config)
    assert_one_line(code, err, Exit.CONFIG, str(config), "nested too deeply")


@pytest.mark.parametrize(("toml", "key"), [
    ("[targets]\nrevenue = 1e30\n", "targets.revenue"),
    ("[targets]\nprofit = 10000000000000\n", "targets.profit"),
    ("[targets]\nnew_customers = 99999999999999999999\n", "targets.new_customers"),
    ("idle_days = 99999999999999999999\n", "idle_days"),
    ("idle_lock_minutes = 99999999999999999999\n", "idle_lock_minutes"),
])
def test_a_huge_number_in_the_config_is_a_config_error_naming_the_key(
    db_path: Path, tmp_path: Path, toml: str, key: str
) -> None:
    seed(db_path)
    config = tmp_path / "big.toml"
    config.write_text(toml)
    for command in (["scorecard"], ["review"]):
        code, _out, err = run(*command, db=db_path, config=config)
        assert_one_line(code, err, Exit.CONFIG, key)


def test_the_config_money_limit_is_the_stores() -> None:
    from salesdev_tui.config import _MONEY_LIMIT
    from salesdev_tui.domain.text_rules import MONEY_LIMIT

    assert _MONEY_LIMIT == MONEY_LIMIT


# --- 20.10 and 20.11: passphrases from a descriptor -----------------------------------------


def _fd_with(data: bytes) -> int:
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    return read


@pytest.mark.parametrize("command", ["encrypt", "decrypt", "rekey"])
def test_a_descriptor_number_no_descriptor_can_have_is_bad_usage(db_path: Path,
                                                                 command: str) -> None:
    seed(db_path)
    before = sha256(db_path)
    code, _out, err = run(command, "--passphrase-fd", "99999999999999999999", db=db_path)
    assert_one_line(code, err, Exit.USAGE, "99999999999999999999", "file descriptor")
    assert sha256(db_path) == before


def test_a_passphrase_with_a_nul_is_called_so_not_empty(db_path: Path) -> None:
    seed(db_path)
    before = sha256(db_path)
    fd = _fd_with(b"good\x00passphrase\n")
    code, _out, err = run("encrypt", "--passphrase-fd", str(fd), db=db_path)
    assert_one_line(code, err, Exit.INVALID, "NUL")
    assert "empty" not in err
    assert sha256(db_path) == before


def test_a_passphrase_descriptor_without_end_is_not_read_without_end(db_path: Path) -> None:
    seed(db_path)
    fd = os.open("/dev/zero", os.O_RDONLY)
    code, _out, err = run("encrypt", "--passphrase-fd", str(fd), db=db_path)
    assert_one_line(code, err, Exit.INVALID, "longer than")


# --- 20.10 and 20.11: files salesdev must refuse untouched --------------------------------------


def _crafted(path: Path, *, version: int) -> Path:
    """An SQLite file with salesdev's application id and the given user_version."""
    from salesdev_tui.db.identity import APPLICATION_ID

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={version}")
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    return path


def test_a_salesdev_mark_with_schema_0_is_refused_unchanged(tmp_path: Path) -> None:
    crafted = _crafted(tmp_path / "crafted.db", version=0)
    before = sha256(crafted)
    for command in (["list"], ["add", "Acme"], ["scorecard"]):
        code, out, err = run(*command, db=crafted)
        assert_one_line(code, err, Exit.STORAGE, str(crafted), "unchanged")
        assert out == ""
    fd = _fd_with(b"a long passphrase\n")
    code, _out, err = run("encrypt", "--passphrase-fd", str(fd), db=crafted)
    assert_one_line(code, err, Exit.STORAGE, "unchanged")
    code, _out, err = run("restore", str(crafted), "--yes", db=tmp_path / "live.db")
    assert_one_line(code, err, Exit.STORAGE, "unchanged")
    assert sha256(crafted) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "crafted" in p.name) == ["crafted.db"]
    assert not (tmp_path / "backups").exists()  # no pre-migration backup either
    run("backup", db=crafted)  # a copy may be taken; the file itself is only read
    assert sha256(crafted) == before


def test_encrypt_refuses_a_newer_schema_as_opening_does(db_path: Path) -> None:
    from salesdev_tui.db.identity import SCHEMA_VERSION

    seed(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = sha256(db_path)
    fd = _fd_with(b"a long passphrase\n")
    code, _out, err = run("encrypt", "--passphrase-fd", str(fd), db=db_path)
    assert_one_line(code, err, Exit.STORAGE, "newer salesdev", "unchanged")
    assert sha256(db_path) == before
    assert db_path.read_bytes().startswith(b"SQLite format 3\x00")  # still plain


def test_check_of_a_healthy_database_in_a_read_only_folder_says_ok(db_path: Path) -> None:
    seed(db_path)
    for leftover in ("-wal", "-shm"):
        Path(f"{db_path}{leftover}").unlink(missing_ok=True)
    with read_only(db_path.parent):
        code, out, err = run("check", db=db_path)
    assert code == Exit.OK, err
    assert ": ok" in out and "problems" not in out + err


# --- 20.11: imports read within limits, and in one encoding ------------------------------------


def test_import_of_an_endless_device_stops_at_the_file_limit(db_path: Path) -> None:
    seed(db_path)
    for extra in ([], ["--encoding", "utf-8"], ["--dry-run"]):
        code, _out, err = run("import", "/dev/zero", *extra, db=db_path)
        assert_one_line(code, err, Exit.INVALID, "64 MiB")


def test_import_of_a_line_over_the_limit_names_the_limit(db_path: Path, tmp_path: Path
                                                        ) -> None:
    seed(db_path)
    long_line = tmp_path / "long.csv"
    long_line.write_text("company,notes\nA," + "x" * (2 << 20) + "\n")
    long_field = tmp_path / "field.csv"
    long_field.write_text('company,notes\nA,"' + "x\n" * (1 << 20) + '"\n')
    for path in (long_line, long_field):
        code, _out, err = run("import", str(path), db=db_path)
        assert_one_line(code, err, Exit.INVALID, "1 MiB", "line 2")


def test_the_import_wizard_reads_through_the_same_limit(tmp_path: Path) -> None:
    from salesdev_tui.usecases.import_file import InputTooLarge, read_import_file

    with pytest.raises(InputTooLarge, match="64 MiB"):
        read_import_file(Path("/dev/zero"))
    source = (Path(__file__).parents[1] / "salesdev_tui" / "dialogs" /
              "import_wizard.py").read_text()
    assert "read_bytes()" not in source and "read_import_file" in source


def test_a_mixed_utf8_and_big5_file_is_refused_naming_encoding(db_path: Path, tmp_path: Path
                                                              ) -> None:
    seed(db_path)
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("company,contact\n王大明茶行,王先生\n".encode()
                      + "林記商行,林小姐\n".encode("big5"))
    before = sha256(db_path)
    code, out, err = run("import", str(mixed), "--skip-bad-rows", db=db_path)
    assert_one_line(code, err, Exit.INVALID, "--encoding", "line 3")
    assert sha256(db_path) == before
    code, out, err = run("list", "--json", db=db_path)
    assert [row["name"] for row in json.loads(out)] == ["Gamma Steel"]


def test_no_file_is_ever_read_as_latin1() -> None:
    from salesdev_tui.domain.csv_sniff import EncodingProblem, detect_encoding

    # Bytes Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d), in no other candidate
    with pytest.raises(EncodingProblem):
        detect_encoding(b"company\n\x81\x8d\x8f\x90\x9d\xff\n")
    assert detect_encoding("company\nCafé Müller\n".encode("cp1252")) == "cp1252"
    assert detect_encoding("company\n林記商行\n".encode("big5")) == "cp950"


# --- 20.11: a dry run writes nothing, a saved mapping included ---------------------------------


def test_dry_run_does_not_save_the_mapping(db_path: Path, tmp_path: Path) -> None:
    from salesdev_tui.usecases.csv_mappings import mappings_dir

    sheet = tmp_path / "leads.csv"
    sheet.write_text("Firma,contact\nAcme Tea,Lee\n")
    config = tmp_path / "config" / "config.toml"
    code, out, err = run("import", str(sheet), "--map", "Firma=company", "--dry-run",
                         "--save-mapping", "crm", db=db_path, config=config)
    assert code == Exit.OK, err
    assert "would be saved" in out
    assert not (mappings_dir(config) / "crm.json").exists()
    code, out, err = run("import", str(sheet), "--map", "Firma=company",
                         "--save-mapping", "crm", db=db_path, config=config)
    assert code == Exit.OK, err
    assert (mappings_dir(config) / "crm.json").exists()


# --- 20.11: the export's formula guard --------------------------------------------------------


# Distinct by their name keys too (a name-key merge on import is another item: 20.3).
FORMULA_NAMES = ["-1-1", "+886 912 345 678", "=1+2", "@SUM(A9)", "+5", "'=7", "-3"]


def test_every_formula_trigger_is_guarded_and_the_round_trip_holds(tmp_path: Path) -> None:
    source = tmp_path / "source.db"
    for name in FORMULA_NAMES:
        code, _out, err = run("add", "--", name, db=source)
        assert code == Exit.OK, err
    code, text, err = run("export", "--format", "csv", db=source)
    assert code == Exit.OK, err
    names = [row["company"] for row in csv.DictReader(io.StringIO(text))]
    assert set(names) == {"'-1-1", "'+886 912 345 678", "'=1+2", "'@SUM(A9)", "'+5", "''=7",
                          "-3"}
    sheet = tmp_path / "export.csv"
    sheet.write_text(text)
    copy = tmp_path / "copy.db"
    code, _out, err = run("import", str(sheet), db=copy)
    assert code == Exit.OK, err
    code, out, err = run("list", "--json", db=copy)
    assert sorted(row["name"] for row in json.loads(out)) == sorted(FORMULA_NAMES)


def test_the_reject_file_guards_formulas_too(db_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("company,email\n-1-1,not-an-email\nGood Co,good@example.com\n")
    code, _out, err = run("import", str(sheet), "--skip-bad-rows", db=db_path)
    assert code == Exit.OK, err
    rejects = (tmp_path / "bad.rejects.csv").read_text()
    assert list(csv.reader(io.StringIO(rejects)))[1][0] == "'-1-1"


# --- 20.11: folders salesdev creates are 0700 whatever the umask --------------------------------


def test_every_folder_created_is_0700_under_umask_000(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "c" / "salesdev.db"
    old = os.umask(0)
    try:
        code, _out, err = run("add", "Acme", db=db)
    finally:
        os.umask(old)
    assert code == Exit.OK, err
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c",
                   db.parent / "backups"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.parametrize("command", [
    ["restore", "{bad}", "--yes"], ["backup", "--to", "{bad}"], ["review", "-o", "{bad}"],
    ["export", "--out", "{bad}"], ["export", "--format", "csv", "--out", "{bad}"],
    ["import", "{bad}"], ["plans", "--ics", "{bad}"],
])
@pytest.mark.parametrize("bad", ["~nosuchuser-salesdev/x", "loop"])
def test_every_path_option_says_plainly_why_a_path_cannot_be_used(
    db_path: Path, tmp_path: Path, command: list[str], bad: str
) -> None:
    seed(db_path)
    if bad == "loop":
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
        bad = str(tmp_path / "loop")
    code, _out, err = run(*[part.format(bad=bad) for part in command], db=db_path)
    assert "Traceback" not in err
    if code == Exit.OK:  # an output file replaces a dangling or looping link: fine
        assert bad.endswith("loop") and command[0] in ("export", "plans"), err
        return
    assert code in (Exit.USAGE, Exit.INVALID, Exit.STORAGE), err
    assert err.startswith("error: ") and err.count("\n") == 1, err
