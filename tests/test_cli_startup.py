"""CLI start-up (issue 15.8): a data command imports its own command module only, and every
command is still registered when help or an unknown command asks for all of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import salesdev_tui.cli as cli_package


def test_every_command_is_in_the_register() -> None:
    app = cli_package._with_commands()
    registered = {
        info.name or (info.callback.__name__ if info.callback else "")
        for info in app.registered_commands
    } | {group.name or group.typer_instance.info.name or "" for group in app.registered_groups}
    listed = {name for names in cli_package.REGISTER.values() for name in names}
    assert registered == listed


def test_the_command_is_found_after_the_global_options() -> None:
    command_of = cli_package._command_of
    assert command_of(["--db", "x.db", "--config=c.toml", "scorecard", "--json"]) == "scorecard"
    assert command_of(["list", "--json"]) == "list"
    assert command_of(["--help"]) is None
    assert command_of([]) is None


def test_a_data_command_imports_only_its_command_module(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "import salesdev_tui.cli as cli\n"
        "sys.argv = ['salesdev', '--db', sys.argv[1], '--config', sys.argv[2], 'paths']\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('salesdev_tui'))\n"
        "print(json.dumps(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json\n" + probe, str(tmp_path / "s.db"),
         str(tmp_path / "c.toml")],
        capture_output=True, text=True, check=True, timeout=60,
    )
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "salesdev_tui.cli.data" in loaded
    for other in ("encryption", "merge", "customers", "plans", "proposals", "reports"):
        assert f"salesdev_tui.cli.{other}" not in loaded, other
    assert not any(m.startswith(("textual", "salesdev_tui.screens")) for m in loaded)
