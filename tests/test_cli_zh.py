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
    assert out.lstrip().startswith("用法：salesdev") and "Usage" not in out


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


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (["lisst"], ["用法：python -m salesdev_tui [OPTIONS] COMMAND [ARGS]...",
                     "輸入 'python -m salesdev_tui --help' 查看說明。",
                     "錯誤：沒有 'lisst' 這個指令；您是指 'list' 嗎？"]),
        (["show"], ["錯誤：缺少參數 'ID'。"]),
        (["show", "--bogus"], ["錯誤：沒有這個選項：--bogus"]),
        (["list", "--limit", "x"], ["錯誤：'--limit'：需要整數"]),
        (["show", "a", "b", "c"], ["錯誤：多了無法辨識的參數：b c"]),
        (["list", "--limit"], ["錯誤：選項 '--limit' 需要一個值。"]),
    ],
)
def test_usage_errors_in_chinese(args: list[str], lines: list[str], tmp_path: Path) -> None:
    """click's own frame (Usage, Try … for help, Error) and its messages, in the rep's
    language: typer prints them from strings written into its code."""
    env = {**os.environ, "SALESDEV_CONFIG": str(tmp_path / "c.toml"),
           "SALESDEV_DB": str(tmp_path / "s.db")}
    (tmp_path / "c.toml").write_text('language = "zh_TW"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "salesdev_tui", *args], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    shown = done.stderr.splitlines()
    for line in lines:
        assert line in shown
    assert "Usage" not in done.stderr and "Error" not in done.stderr


def test_usage_errors_in_english_are_click_s_own() -> None:
    from salesdev_tui.cli.click_words import translate_line

    i18n.set_language("en")
    for line in ("Usage: salesdev show [OPTIONS] {ID}", "Try 'salesdev show --help' for help.",
                 "Error: Missing argument 'ID'.", "Error: No such option: --bogus",
                 "Error: No such command 'lisst'. Did you mean 'list'?",
                 "Error: Got unexpected extra argument(s) (b c)"):
        assert translate_line(line) == line.replace(
            "Got unexpected extra argument(s) (b c)", "Unexpected extra arguments: b c")
    assert translate_line("anything else") == "anything else"
