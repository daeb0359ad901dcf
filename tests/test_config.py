"""Settings: defaults, the errors a rep sees for a bad file, and saving one key."""

from __future__ import annotations

import ast
import dataclasses
import stat
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from salesdev_tui import config, paths
from salesdev_tui.config import (
    DEFAULT_LOST_REASONS,
    PROBABILITY_STAGES,
    ConfigError,
    Settings,
    Targets,
    load_settings,
    save_setting,
    system_timezone,
)

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-config.toml"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the real config and data dirs (and the machine's zone) out of the tests."""
    monkeypatch.setenv("SALESDEV_CONFIG", str(tmp_path / "cfg" / "config.toml"))
    monkeypatch.setenv("SALESDEV_DB", str(tmp_path / "data" / "salesdev.db"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("TZ", "Asia/Taipei")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    error = info.value
    assert error.path == path
    assert str(path) in str(error)
    assert "pydantic" not in str(error).lower()
    assert "validation error" not in str(error).lower()
    return error


# --- defaults ------------------------------------------------------------------------------


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "nope.toml")
    assert settings == Settings()
    assert settings.rep_name == ""
    assert settings.timezone == "Asia/Taipei"  # from TZ
    assert settings.zone.key == "Asia/Taipei"
    assert settings.currency == "TWD"
    assert settings.phone_region == "TW"
    assert settings.commission_rate == Decimal("0.03")
    assert settings.targets == Targets()
    assert settings.targets.revenue is None
    assert settings.theme == "textual-dark"
    assert settings.keymap == {}
    assert settings.idle_days == 14
    assert settings.lost_reasons == list(DEFAULT_LOST_REASONS)
    assert settings.stage_probabilities["proposal"] == Decimal("0.4")
    assert settings.backups_keep == 7
    assert settings.idle_lock_minutes == 0


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path / "c.toml", "# nothing\n")) == Settings()


def field_names(cls: type[object]) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]


def test_every_field_has_a_docstring() -> None:
    tree = ast.parse(Path(config.__file__).read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for cls in (Settings, Targets):
        body = classes[cls.__name__].body
        documented = {
            stmt.target.id
            for stmt, after in zip(body, body[1:], strict=False)
            if isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
            and after.value.value.strip()
        }
        for name in field_names(cls):
            assert name in documented, f"{cls.__name__}.{name} has no docstring"


def test_every_field_has_a_check() -> None:
    assert list(config._SETTINGS_CHECKS) == field_names(Settings)
    assert list(config._TARGETS_CHECKS) == field_names(Targets)
    assert {"rep_name", "timezone", "currency", "phone_region", "theme", "language",
            "contract_prefix"} == config._TEXT_SETTINGS


def test_import_does_not_load_pydantic() -> None:
    """Settings are read before the first frame: no pydantic (nor other heavy) imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import salesdev_tui.config"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "salesdev_tui.config" in result.stderr
    assert "pydantic" not in result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    heavy = {"textual", "sqlmodel", "sqlalchemy", "tomlkit", "salesdev_tui.models"}
    assert not heavy & imported


def test_probability_stages_match_the_open_stages() -> None:
    from salesdev_tui.models.enums import STAGE_ORDER, Stage

    assert tuple(s.value for s in STAGE_ORDER if s is not Stage.WON) == PROBABILITY_STAGES


def test_values_are_read_exactly(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        'commission_rate = 0.035\ncurrency = "usd"\n[targets]\nrevenue = 1234567.89\n',
    )
    settings = load_settings(path)
    assert settings.commission_rate == Decimal("0.035")
    assert settings.currency == "USD"
    assert settings.targets.revenue == Decimal("1234567.89")


def test_partial_stage_probabilities_keep_the_other_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path / "c.toml", "[stage_probabilities]\nproposal = 0.5\n"))
    assert settings.stage_probabilities["proposal"] == Decimal("0.5")
    assert settings.stage_probabilities["contract"] == Decimal("0.8")


def test_keymap_passes_through(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[keymap]\n"customer-new" = "ctrl+n"\nquit = "ctrl+q,f10"\n')
    assert load_settings(path).keymap == {"customer-new": "ctrl+n", "quit": "ctrl+q,f10"}


def test_sample_config_loads_and_documents_every_key() -> None:
    settings = load_settings(SAMPLE)
    data = tomllib.loads(SAMPLE.read_text(encoding="utf-8"))
    assert set(data) == set(field_names(Settings))
    assert set(data["targets"]) == set(field_names(Targets))
    # The sample shows the defaults (targets and the zone are examples).
    defaults = Settings()
    for name in field_names(Settings):
        if name not in {"targets", "timezone"}:
            assert getattr(settings, name) == getattr(defaults, name), name


# --- errors --------------------------------------------------------------------------------


def test_bad_toml_gives_line_and_column(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'rep_name = "Amy"\n[targets\n')
    assert error.key is None
    assert error.line == 2
    assert error.column is not None
    assert "line 2" in str(error)


def test_bad_toml_at_end_of_document(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'rep_name = "Amy"\ntheme = ')
    assert error.line == 2
    assert "line 2" in str(error)


def test_unknown_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'them = "nord"\n')
    assert error.key == "them"
    assert "them" in str(error)
    assert "not a known setting" in str(error)


def test_unknown_nested_key(tmp_path: Path) -> None:
    error = error_for(tmp_path, "[targets]\nrevenu = 5\n")
    assert error.key == "targets.revenu"


def test_wrong_type(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'idle_days = "two weeks"\n')
    assert error.key == "idle_days"
    assert "whole number" in str(error)


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    assert error_for(tmp_path, "backups_keep = true\n").key == "backups_keep"
    assert error_for(tmp_path, "commission_rate = true\n").key == "commission_rate"


@pytest.mark.parametrize("value", ['"14"', "14.5", "14.0"])
def test_whole_numbers_are_strict(tmp_path: Path, value: str) -> None:
    error = error_for(tmp_path, f"idle_days = {value}\n")
    assert error.key == "idle_days"
    assert "whole number" in str(error)


@pytest.mark.parametrize(("text", "key"), [("idle_days = 0\n", "idle_days"),
                                           ("backups_keep = 0\n", "backups_keep"),
                                           ("idle_lock_minutes = -1\n", "idle_lock_minutes")])
def test_whole_number_minimum(tmp_path: Path, text: str, key: str) -> None:
    error = error_for(tmp_path, text)
    assert error.key == key
    assert "must be at least" in str(error)


def test_numbers_in_quotes_are_read(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path / "c.toml", 'commission_rate = "0.05"\n'))
    assert settings.commission_rate == Decimal("0.05")
    for value in ('"lots"', "nan", "inf"):
        assert "must be a number" in str(error_for(tmp_path, f"commission_rate = {value}\n"))


def test_wrong_type_nested(tmp_path: Path) -> None:
    error = error_for(tmp_path, '[targets]\nrevenue = "lots"\n')
    assert error.key == "targets.revenue"
    assert "number" in str(error)


def test_table_expected(tmp_path: Path) -> None:
    error = error_for(tmp_path, "targets = 5\n")
    assert error.key == "targets"
    assert "table" in str(error)


def test_bad_timezone(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'timezone = "Mars/Olympus_Mons"\n')
    assert error.key == "timezone"
    assert "Mars/Olympus_Mons" in str(error)
    assert "time zone" in str(error)


@pytest.mark.parametrize("rate", ["1.5", "-0.01", "3"])
def test_bad_commission_rate(tmp_path: Path, rate: str) -> None:
    error = error_for(tmp_path, f"commission_rate = {rate}\n")
    assert error.key == "commission_rate"
    assert "0 to 1" in str(error)


def test_commission_rate_bounds_are_inclusive(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path / "a.toml", "commission_rate = 0\n")).commission_rate == 0
    assert load_settings(write(tmp_path / "b.toml", "commission_rate = 1\n")).commission_rate == 1


def test_bad_satisfaction_target(tmp_path: Path) -> None:
    error = error_for(tmp_path, "[targets]\nsatisfaction = 6\n")
    assert error.key == "targets.satisfaction"
    assert "1 to 5" in str(error)


def test_negative_target(tmp_path: Path) -> None:
    assert error_for(tmp_path, "[targets]\nnew_customers = -1\n").key == "targets.new_customers"


def test_bad_currency(tmp_path: Path) -> None:
    assert error_for(tmp_path, 'currency = "NT$"\n').key == "currency"


def test_the_everyday_currencies_are_babels(tmp_path: Path) -> None:
    """The currencies config accepts without asking Babel (start-up) are Babel's; any other
    code still goes to Babel, which knows it or not."""
    from babel.numbers import is_currency

    assert config.EVERYDAY_CURRENCIES
    assert all(is_currency(code) for code in config.EVERYDAY_CURRENCIES)
    assert load_settings(write(tmp_path / "a.toml", 'currency = "usd"\n')).currency == "USD"
    assert load_settings(write(tmp_path / "b.toml", 'currency = "NOK"\n')).currency == "NOK"
    assert error_for(tmp_path, 'currency = "XYZ"\n').key == "currency"


def test_unknown_stage_probability(tmp_path: Path) -> None:
    error = error_for(tmp_path, "[stage_probabilities]\nwon = 1\n")
    assert error.key == "stage_probabilities.won"
    assert "unknown stage" in str(error)


def test_bad_stage_probability(tmp_path: Path) -> None:
    error = error_for(tmp_path, "[stage_probabilities]\nproposal = 40\n")
    assert error.key == "stage_probabilities.proposal"


def test_bad_lost_reason(tmp_path: Path) -> None:
    assert error_for(tmp_path, "lost_reasons = []\n").key == "lost_reasons"
    assert error_for(tmp_path, 'lost_reasons = ["price", 3]\n').key == "lost_reasons[1]"
    assert error_for(tmp_path, 'lost_reasons = ["price", " "]\n').key == "lost_reasons"
    assert error_for(tmp_path, 'lost_reasons = "price"\n').key == "lost_reasons"


def test_bad_keymap(tmp_path: Path) -> None:
    assert error_for(tmp_path, "keymap = []\n").key == "keymap"
    error = error_for(tmp_path, "[keymap]\nquit = 3\n")
    assert error.key == "keymap.quit"
    assert "text in quotes" in str(error)


def test_bad_phone_region(tmp_path: Path) -> None:
    assert error_for(tmp_path, 'phone_region = "TWN"\n').key == "phone_region"
    assert load_settings(write(tmp_path / "c.toml", 'phone_region = " jp "\n')).phone_region == "JP"


def test_a_bad_value_is_reported_before_an_unknown_key(tmp_path: Path) -> None:
    assert error_for(tmp_path, 'them = 1\nidle_days = "x"\n').key == "idle_days"
    assert error_for(tmp_path, "[targets]\nzz = 1\nrevenue = -1\n").key == "targets.revenue"
    error = error_for(tmp_path, "[stage_probabilities]\nwon = 1\nproposal = 40\n")
    assert error.key == "stage_probabilities.proposal"


# --- building in code ------------------------------------------------------------------------


def test_keywords_are_checked_and_normalised() -> None:
    loose: dict[str, Any] = {
        "targets": {"revenue": 5},
        "stage_probabilities": {"proposal": "0.5"},
        "lost_reasons": (" price ", "other"),
    }
    settings = Settings(timezone=" Asia/Taipei ", rep_name="Test Rep", currency="usd", **loose)
    assert settings.timezone == "Asia/Taipei"
    assert settings.currency == "USD"
    assert settings.targets == Targets(revenue=Decimal(5))
    assert settings.stage_probabilities["proposal"] == Decimal("0.5")
    assert settings.stage_probabilities["contract"] == Decimal("0.8")
    assert settings.lost_reasons == ["price", "other"]
    assert Targets(success_rate=Decimal("0.25")).success_rate == Decimal("0.25")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"idle_days": 0}, "idle_days must be at least 1"),
        ({"idle_days": True}, "idle_days must be a whole number"),
        ({"timezone": "Mars/Base"}, "timezone is not a known IANA time zone"),
        ({"targets": {"revenue": -1}}, "targets.revenue must not be negative"),
        ({"targets": {"revenu": 1}}, "targets.revenu is not a known setting"),
        ({"lost_reasons": ["a", 3]}, "lost_reasons[1] must be text in quotes"),
    ],
)
def test_bad_keywords_raise_a_plain_value_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as info:
        Settings(**kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)
    assert not isinstance(info.value, ConfigError)


def test_targets_check_keywords() -> None:
    with pytest.raises(ValueError, match="satisfaction must be a score from 1 to 5"):
        Targets(satisfaction=Decimal(6))


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.theme = "nord"  # type: ignore[misc]


def test_model_copy_checks_the_update() -> None:
    settings = Settings(rep_name="Amy")
    copy = settings.model_copy(update={"theme": "nord", "currency": "usd"})
    assert copy.theme == "nord"
    assert copy.currency == "USD"
    assert copy.rep_name == "Amy"
    assert settings.theme == "textual-dark"
    with pytest.raises(ValueError, match="idle_days must be at least 1"):
        settings.model_copy(update={"idle_days": 0})
    with pytest.raises(ValueError, match="them is not a known setting"):
        settings.model_copy(update={"them": "nord"})


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'rep_name = "\xff"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(path)


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)  # a directory
    assert info.value.key is None


# --- system zone ---------------------------------------------------------------------------


def test_system_timezone_order(tmp_path: Path) -> None:
    etc_tz = write(tmp_path / "timezone", "Europe/Berlin\n")
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/America/New_York")
    missing = tmp_path / "missing"

    assert system_timezone({"TZ": "Asia/Tokyo"}, etc_tz, link) == "Asia/Tokyo"
    assert system_timezone({"TZ": ":Asia/Tokyo"}, etc_tz, link) == "Asia/Tokyo"
    assert system_timezone({"TZ": "not a zone"}, etc_tz, link) == "Europe/Berlin"
    assert system_timezone({}, missing, link) == "America/New_York"
    assert system_timezone({}, missing, missing) == "UTC"


# --- saving --------------------------------------------------------------------------------


ORIGINAL = """\
# My salesdev settings
rep_name = "Amy"  # that's me
theme = "textual-dark"

# targets agreed with my manager
[targets]
revenue = 100000  # per month
"""


def test_save_setting_keeps_comments_and_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", ORIGINAL)
    save_setting(path, "theme", "nord")
    text = path.read_text(encoding="utf-8")
    assert text == ORIGINAL.replace('theme = "textual-dark"', 'theme = "nord"')
    settings = load_settings(path)
    assert settings.theme == "nord"
    assert settings.rep_name == "Amy"
    assert settings.targets.revenue == Decimal("100000")


def test_save_setting_adds_a_missing_key_at_top_level(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", ORIGINAL.replace('theme = "textual-dark"\n', ""))
    save_setting(path, "theme", "gruvbox")
    settings = load_settings(path)
    assert settings.theme == "gruvbox"
    assert settings.targets.revenue == Decimal("100000")
    assert "# targets agreed with my manager" in path.read_text(encoding="utf-8")


def test_save_setting_creates_a_private_file(tmp_path: Path) -> None:
    path = paths.config_path()
    assert path == tmp_path / "cfg" / "config.toml"
    save_setting(path, "theme", "nord")
    assert load_settings(path).theme == "nord"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_save_setting_quotes_text(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_setting(path, "rep_name", 'Chen "Amy" 陳')
    assert load_settings(path).rep_name == 'Chen "Amy" 陳'


def test_save_setting_reads_non_text_values_as_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_setting(path, "idle_days", "30")
    assert load_settings(path).idle_days == 30


def test_save_setting_refuses_bad_input_and_leaves_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", ORIGINAL)
    with pytest.raises(ConfigError) as info:
        save_setting(path, "them", "nord")
    assert info.value.key == "them"
    with pytest.raises(ConfigError) as info:
        save_setting(path, "timezone", "Nowhere/Land")
    assert info.value.key == "timezone"
    with pytest.raises(ConfigError):
        save_setting(path, "idle_days", "3\nrep_name = 'x'")
    assert path.read_text(encoding="utf-8") == ORIGINAL


def test_save_setting_refuses_to_rewrite_broken_toml(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[targets\n")
    with pytest.raises(ConfigError):
        save_setting(path, "theme", "nord")
    assert path.read_text(encoding="utf-8") == "[targets\n"


def test_save_setting_writes_through_a_symlink(tmp_path: Path) -> None:
    real = write(tmp_path / "dotfiles.toml", ORIGINAL)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_setting(link, "theme", "nord")
    assert link.is_symlink()
    assert load_settings(real).theme == "nord"


# --- paths ---------------------------------------------------------------------------------


def test_paths_follow_the_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.config_path() == tmp_path / "cfg" / "config.toml"
    assert paths.default_db_path() == tmp_path / "data" / "salesdev.db"
    assert paths.backup_dir(paths.default_db_path()) == tmp_path / "data" / "backups"
    monkeypatch.delenv("SALESDEV_CONFIG")
    monkeypatch.delenv("SALESDEV_DB")
    assert paths.config_path().is_relative_to(tmp_path / "xdg-config")
    assert paths.default_db_path() == paths.data_dir() / "salesdev.db"
    assert paths.data_dir().is_relative_to(tmp_path / "xdg-data")


def test_ensure_private_dir(tmp_path: Path) -> None:
    parent = tmp_path / "shared"
    parent.mkdir(mode=0o755)
    parent.chmod(0o755)
    target = parent / "a" / "b"
    paths.ensure_private_dir(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755
    target.chmod(0o755)
    paths.ensure_private_dir(target)  # already there: tightened again
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
