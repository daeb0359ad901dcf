"""The command line in Traditional Chinese: --help (typer's texts and the commands'
docstrings, translated at run time), an error, and the language chosen from the config or
the environment before typer builds its help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui import i18n
from salesdev_tui.cli import cli
from salesdev_tui.cli.app import use_configured_language


@pytest.fixture
def chinese() -> None:
    i18n.set_language("zh_TW")


def test_help_in_chinese(chinese: None) -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    out = result.stdout
    assert "salesdev：用鍵盤開發新客戶，離線作業。" in out
    assert "選項" in out and "指令" in out and "顯示此說明並結束。" in out
    assert "列出客戶，最近變更的在前。" in out  # a command's docstring
    assert "Show this message and exit." not in out


def test_a_command_help_in_chinese(chinese: None) -> None:
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0
    assert "每日檢討" in result.stdout and "[預設：text]" in result.stdout


def test_an_error_in_chinese(chinese: None, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "show", "0000"])
    assert result.exit_code == 4
    assert result.stderr.strip() == "錯誤：沒有符合 '0000' 的客戶。"


def test_the_config_decides_even_when_another_key_is_bad(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('language = "zh_TW"\ncurrency = "XYZ"\n', encoding="utf-8")
    use_configured_language(["--config", str(config), "review"])
    assert i18n.language() == "zh_TW"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    use_configured_language([f"--config={config}"])
    assert i18n.language() == "en"


def test_the_environment_decides_without_a_config_key(tmp_path: Path) -> None:
    """The installed command, end to end: LANG=zh_TW.UTF-8 and no language in the config."""
    env = {**os.environ, "LANG": "zh_TW.UTF-8", "SALESDEV_CONFIG": str(tmp_path / "none.toml")}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    result = subprocess.run(
        [sys.executable, "-c", "from salesdev_tui.cli import main; main()", "--help"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "顯示版本。" in result.stdout
