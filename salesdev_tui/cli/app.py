"""The typer application object, the global options and what every command shares.

Only typer is imported at module level: the store (SQLModel) and the TUI (Textual) are
imported inside the commands that need them, so `salesdev --help` starts fast.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from salesdev_tui.cli.errors import Exit, fail
from salesdev_tui.cli.passphrase import passphrase_if_needed
from salesdev_tui.i18n import N_, _

__all__ = [
    "CliState", "Exit", "cli", "fail", "guard_storage", "option_text", "resolve",
    "say_leftovers", "state",
]

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.store.combined import Store


T = TypeVar("T")


class _PlainErrors(TyperGroup):
    """The command group: a storage, config or path failure that a command did not catch
    itself still ends as one plain line and its exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # click's Context (typer vendors click)
        from salesdev_tui.paths import PathProblem

        try:
            return super().invoke(ctx)
        except PathProblem as exc:
            fail(str(exc), Exit.USAGE)
        except RecursionError:
            fail(_("The input is nested too deeply to read."), Exit.INVALID)
        except RuntimeError as exc:
            # pathlib's way of saying a path cannot be used (expanduser, resolve).
            if str(exc).startswith(("Symlink loop", "Could not determine home directory")):
                fail(_("A path given cannot be used: {why}").format(why=exc), Exit.USAGE)
            raise
        except Exception as exc:
            _fail_known(exc)
            raise


def _fail_known(exc: Exception) -> None:
    """Exit plainly when `exc` is a storage or config failure (imported only once raised:
    `salesdev --help` stays fast)."""
    from salesdev_tui.config import ConfigError
    from salesdev_tui.db.errors import StorageError

    if isinstance(exc, StorageError):
        fail(exc.message, Exit.STORAGE)
    if isinstance(exc, ConfigError):
        fail(str(exc), Exit.CONFIG)


#: What typer itself prints around the help and in usage errors. typer reads them through
#: the standard library's gettext, whose default domain has no salesdev catalogue: listed
#: here for extraction and routed through `i18n._` (`_speak_typer`).
_TYPER_TEXTS = (
    N_("Options"), N_("Commands"), N_("Arguments"), N_("Show this message and exit."),
    N_("Missing command."), N_("No such command {name!r}."), N_("default: {default}"),
    N_("required"), N_("env var: {var}"),
)


def _speak_typer() -> None:
    import typer.core
    from typer._click.formatting import HelpFormatter

    typer.core._ = _  # type: ignore[attr-defined]
    # The help's "Usage: " is written into click's formatter (no gettext there): the
    # default prefix is given in the rep's language instead (the same words as
    # cli/click_words.py gives a usage error).
    if not getattr(HelpFormatter.write_usage, "speaks", False):
        plain = HelpFormatter.write_usage

        def write_usage(self: HelpFormatter, prog: str, args: str = "",
                        prefix: str | None = None) -> None:
            plain(self, prog, args, _("Usage: ") if prefix is None else prefix)

        write_usage.speaks = True  # type: ignore[attr-defined]
        HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]


def _translate_help(command: Any) -> None:
    """Translate the help texts of `command` and its subcommands into the active language.

    typer builds them from the commands' docstrings and `help=` texts; the docstrings are in
    the catalogue (tools/i18n.py extracts them) and translated here, at run time, once the
    language is known. A text already translated has no entry and stays as it is.
    """
    for name in ("help", "short_help", "epilog"):
        text = getattr(command, name, None)
        if text:
            setattr(command, name, _(text))
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        _translate_help(sub)
    # The --help option is made on demand, with click's own English text.
    make_help_option = command.get_help_option

    def translated_help_option(ctx: Any) -> Any:
        option = make_help_option(ctx)
        if option is not None and option.help:
            option.help = _(option.help)
        return option

    command.get_help_option = translated_help_option


def use_configured_language(argv: list[str]) -> None:
    """Speak the language of the config (`--config` in argv, or the default file), else of
    the environment. A broken config is reported by the command that reads it; here it
    only means the environment decides."""
    from salesdev_tui.config import ConfigError, load_settings
    from salesdev_tui.i18n import choose_language, set_language
    from salesdev_tui.paths import PathProblem, config_path, usable_file

    given: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            given = argv[index + 1]
            break
        if arg.startswith("--config="):
            given = arg.partition("=")[2]
            break
    configured: str | None = None
    try:
        path = usable_file(given, config_path)
        configured = load_settings(path).language
    except ConfigError:
        # Another key is bad: the message about it should still be in the rep's language.
        configured = _language_key(path)
    except (PathProblem, OSError, ValueError):
        pass
    set_language(choose_language(configured))


def _language_key(path: Path) -> str | None:
    """The `language` of a settings file that does not load as a whole, if readable."""
    import tomllib

    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("language")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    return value if isinstance(value, str) else None


class _SafeErrorsGroup(_PlainErrors):
    """Typer's usage errors quote argv ("No such command '…'", "Invalid value for '…'"):
    shown here with control characters made visible, one line per error line."""

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, **kwargs: Any,
    ) -> Any:
        _speak_typer()
        _translate_help(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        from salesdev_tui.cli.click_words import translate_line
        from salesdev_tui.domain.visible import visible

        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except ClickException as exc:
            shown = io.StringIO()
            exc.show(file=shown)
            for line in shown.getvalue().splitlines():
                typer.echo(visible(translate_line(line)), err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


cli = typer.Typer(
    cls=_SafeErrorsGroup,
    name="salesdev",
    help=N_("salesdev: develop new customers from the keyboard, offline."),
    no_args_is_help=False,
    # `--install-completion` / `--show-completion`: Typer's completion for bash, zsh, fish
    # and PowerShell (scripts and people alike type the commands).
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: Rich's help formatter imports a Markdown parser and doubles the start-up
    # time of `salesdev --help` (measured: 139 ms of imports alone).
    rich_markup_mode=None,
)


@dataclass
class CliState:
    db_path: Path | None = None
    config_path: Path | None = None
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            from salesdev_tui.config import ConfigError, load_settings

            try:
                self._settings = load_settings(self.resolved_config_path())
            except ConfigError as exc:
                fail(str(exc), Exit.CONFIG)
        return self._settings

    def resolved_config_path(self) -> Path:
        """The settings file (--config, $SALESDEV_CONFIG or the default); exit 6 when the
        path itself cannot be a file."""
        from salesdev_tui.paths import PathProblem, config_path, usable_file

        try:
            return usable_file(self.config_path, config_path)
        except PathProblem as exc:
            fail(_("Settings file {problem}").format(problem=exc), Exit.CONFIG)

    def resolved_db_path(self) -> Path:
        """The database file (--db, $SALESDEV_DB or the default); exit 5 when the path itself
        cannot be a database file (a folder, under a file, a symlink loop, a name too long)."""
        from salesdev_tui.paths import PathProblem, default_db_path, usable_file

        try:
            return usable_file(self.db_path, default_db_path)
        except PathProblem as exc:
            fail(_("Cannot use the database {problem}.").format(problem=exc), Exit.STORAGE)

    def open_store(self) -> Store:
        """Open the database (creating it if missing) or exit with a plain message."""
        from salesdev_tui.db import StorageError, open_database
        from salesdev_tui.store.combined import Store

        path = self.resolved_db_path()
        try:
            # The rep's name records who made each change (the history's "who").
            store = Store(open_database(path, passphrase=passphrase_if_needed(path)),
                          actor=self._rep_name())
        except StorageError as exc:
            fail(exc.message, Exit.STORAGE)
        self._daily_backup(store.db.path)
        say_leftovers()
        return store

    def read_plainly(self, read: Callable[[Path], T | None]) -> T | None:
        """`read(path)` on a plain connection (`store.quick_today`), with what `open_store`
        does around the open (the leftovers swept and told, the daily backup); None when the
        file needs the full open, which the caller then does (issue 15.8: a read command
        need not load SQLAlchemy and SQLModel)."""
        from salesdev_tui.db.leftovers import sweep_leftovers

        path = self.resolved_db_path()
        sweep_leftovers(path)  # before any connection, as `open_database` does
        result = read(path)
        if result is not None:
            self._daily_backup(path)
            say_leftovers()
        return result

    def _rep_name(self) -> str | None:
        """The configured rep name; None (the login name) when unset or the config is broken
        (a command that reads the config reports that itself)."""
        from salesdev_tui.config import ConfigError, load_settings
        from salesdev_tui.paths import config_path

        try:
            settings = self._settings or load_settings(self.config_path or config_path())
        except ConfigError:
            return None
        return settings.rep_name or None

    def _daily_backup(self, db_path: Path) -> None:
        """The day's first start backs the database up; a failure warns, never stops."""
        from datetime import UTC, datetime

        from salesdev_tui.config import ConfigError, Settings, load_settings
        from salesdev_tui.db.autobackup import daily_backup_problem
        from salesdev_tui.domain.visible import visible

        try:
            settings = self._settings or load_settings(self.resolved_config_path())
        except ConfigError:
            settings = Settings()  # the command reports a broken config if it reads one
        problem = daily_backup_problem(db_path, now=datetime.now(UTC), zone=settings.zone,
                                       keep=settings.backups_keep)
        if problem is not None:
            typer.echo(visible(_("warning: the daily backup failed: {problem}").format(
                problem=problem)),
                       err=True)


def say_leftovers() -> None:
    """One line on stderr for what an interrupted backup or conversion left and was removed."""
    from salesdev_tui.db.leftovers import take_notices

    for notice in take_notices():
        typer.echo(_("note: {notice}").format(notice=notice), err=True)


def option_text(option: str, value: str | None, *, max_len: int) -> str | None:
    """A text option (`--reason`, …) through the rules of every stored text, or exit 3
    naming the option: argv may carry escape sequences and invalid UTF-8."""
    from salesdev_tui.domain.text_rules import clean_text

    try:
        return clean_text(value, max_len=max_len)
    except ValueError as exc:
        fail(_("{option}: {problem}").format(option=option, problem=exc), Exit.INVALID)


def guard_storage(call: Callable[[], T]) -> T:
    """Run a store call; a storage failure becomes a one-line message and exit code 5, a
    value the store refuses to write (`models.write_guard`) one with exit code 3."""
    from salesdev_tui.db import StorageError
    from salesdev_tui.models.write_guard import RecordRefused

    try:
        return call()
    except StorageError as exc:
        fail(exc.message, Exit.STORAGE)
    except RecordRefused as exc:
        fail(str(exc), Exit.INVALID)


def resolve(find: Callable[[], T]) -> T:
    """Run an id lookup; no match or an ambiguous prefix becomes exit code 4."""
    from salesdev_tui.store.base import Ambiguous, NotFound

    try:
        return guard_storage(find)
    except (NotFound, Ambiguous) as exc:
        fail(str(exc), Exit.NOT_FOUND)


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


@cli.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help=_("Database file (default: the platform data dir; or set SALESDEV_DB)."),
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help=_("Config file (default: the platform config dir; or set SALESDEV_CONFIG)."),
            show_default=False,
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help=_("Show the version."))] = False,
) -> None:
    """Start the app, or run one of the commands below."""
    if version:
        from salesdev_tui import __version__

        typer.echo(f"salesdev {__version__}")
        raise typer.Exit()
    ctx.obj = CliState(db_path=db, config_path=config)
    if ctx.invoked_subcommand is None:
        from salesdev_tui.cli.tui import launch_direct

        raise typer.Exit(
            launch_direct(str(db) if db else None, str(config) if config else None)
        )
