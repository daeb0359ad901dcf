"""Where salesdev keeps its files: platform data and config dirs, with env overrides.

Nothing here touches the disk at import time; every function computes its answer when
called, so tests can point `SALESDEV_DB`, `SALESDEV_CONFIG` and the XDG dirs elsewhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "salesdev"
#: Points at another config file (used by tests and by reps with several setups).
CONFIG_ENV = "SALESDEV_CONFIG"
#: Points at another database file.
DB_ENV = "SALESDEV_DB"

PRIVATE_DIR_MODE = 0o700


def data_dir() -> Path:
    """The platform's data dir for salesdev (e.g. ``~/.local/share/salesdev``)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The settings file: ``$SALESDEV_CONFIG`` if set, else ``config.toml`` in the config dir."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_db_path() -> Path:
    """The database file: ``$SALESDEV_DB`` if set, else ``salesdev.db`` in the data dir."""
    override = os.environ.get(DB_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return data_dir() / "salesdev.db"


def backup_dir(db_path: Path) -> Path:
    """The ``backups`` folder beside the database file."""
    return db_path.expanduser().parent / "backups"


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) and make `path` itself owner-only (0700).

    Parents that already exist keep their permissions; parents we create get the
    default mode. The final directory is tightened to 0700 only when the current user
    owns it, so pointing salesdev at a shared folder never fails on a chmod.
    Call it on folders salesdev owns (its data, config and backup dirs).
    """
    path = path.expanduser()
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    info = path.stat()
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return
    if stat.S_IMODE(info.st_mode) != PRIVATE_DIR_MODE:
        # mkdir's mode is filtered by the umask, and an existing dir may be looser.
        path.chmod(PRIVATE_DIR_MODE)
