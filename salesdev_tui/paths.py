"""Where salesdev keeps its files: platform data and config dirs, with env overrides.

Nothing here touches the disk at import time; every function computes its answer when
called, so tests can point `SALESDEV_DB`, `SALESDEV_CONFIG` and the XDG dirs elsewhere.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from salesdev_tui.i18n import _

APP_NAME = "salesdev"
#: Points at another config file (used by tests and by reps with several setups).
CONFIG_ENV = "SALESDEV_CONFIG"
#: Points at another database file.
DB_ENV = "SALESDEV_DB"

PRIVATE_DIR_MODE = 0o700

#: The longest name of one file or folder most file systems take (bytes).
_NAME_MAX = 255
#: The longest path Linux takes (bytes).
_PATH_MAX = 4095


class PathProblem(ValueError):
    """A path salesdev cannot use; `str(error)` says which and why, in one line."""


def expand(path: Path | str) -> Path:
    """`path` with a leading ``~`` or ``~user`` expanded; PathProblem for an unknown user.

    (``Path.expanduser`` raises a bare RuntimeError for ``~nosuchuser``.)
    """
    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise PathProblem(_("{path}: that home folder does not exist (no such user)").format(
            path=path)) from None


def usable_file(given: Path | str | None, default: Callable[[], Path]) -> Path:
    """The file a command was given (``~`` expanded), else `default()`; PathProblem saying
    why when it cannot be a file (the one check behind --db and --config, CLI and TUI)."""
    path = expand(given) if given else default()
    problem = file_path_problem(path)
    if problem is not None:
        raise PathProblem(problem)
    return path


def file_path_problem(path: Path) -> str | None:
    """Why `path` cannot be a file salesdev reads or creates, or None when it can.

    A missing file is fine (it can be created); a folder, a path through a file, a symlink
    loop, a name over 255 bytes or a path over 4095 bytes are not. Each answer is one line
    naming the path, so no OSError or RuntimeError reaches the rep as a traceback.
    """
    encoded = os.fsencode(path)
    if len(encoded) > _PATH_MAX:
        return _("{path}: the path is too long (at most {n} bytes)").format(
            path=f"{str(path)[:60]}…", n=_PATH_MAX)
    if any(len(os.fsencode(part)) > _NAME_MAX for part in path.parts):
        return _("{path}: a file or folder name in it is longer than {n} bytes").format(
            path=f"{str(path)[:60]}…", n=_NAME_MAX)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            return _("{path}: a part of the path is a file, not a folder").format(path=path)
        if exc.errno == errno.ELOOP:
            return _("{path}: the path is a loop of symbolic links").format(path=path)
        if exc.errno == errno.ENAMETOOLONG:
            return _("{path}: the path or a name in it is too long").format(path=path)
        return _("{path}: {why}").format(path=path, why=exc.strerror or exc)
    if stat.S_ISDIR(info.st_mode):
        return _("{path}: it is a folder, not a file").format(path=path)
    return None


def data_dir() -> Path:
    """The platform's data dir for salesdev (e.g. ``~/.local/share/salesdev``)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The platform's cache dir for salesdev (e.g. ``~/.cache/salesdev``): what can be made
    again (the parsed stylesheet), nothing of the rep's."""
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The settings file: ``$SALESDEV_CONFIG`` if set, else ``config.toml`` in the config dir."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return expand(override)
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_db_path() -> Path:
    """The database file: ``$SALESDEV_DB`` if set, else ``salesdev.db`` in the data dir."""
    override = os.environ.get(DB_ENV, "").strip()
    if override:
        return expand(override)
    return data_dir() / "salesdev.db"


def backup_dir(db_path: Path) -> Path:
    """The ``backups`` folder beside the database file."""
    return db_path.expanduser().parent / "backups"


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) and make `path` itself owner-only (0700).

    Parents that already exist keep their permissions; every folder created here is made
    0700 explicitly (``mkdir(parents=True)`` gives the parents 0777 minus the umask: 0777
    under umask 000). The final directory is tightened to 0700 only when the current user
    owns it, so pointing salesdev at a shared folder never fails on a chmod.
    Call it on folders salesdev owns (its data, config and backup dirs).
    """
    path = expand(path)
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile: left as that process made it
        folder.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_DIR_MODE)  # a file there: FileExistsError, as mkdir says
    info = path.stat()
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return
    if stat.S_IMODE(info.st_mode) != PRIVATE_DIR_MODE:
        # mkdir's mode is filtered by the umask, and an existing dir may be looser.
        path.chmod(PRIVATE_DIR_MODE)
