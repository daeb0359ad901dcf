"""Where a rep's team-server password is kept: never in the config file, on the command
line or in the environment (issue 18.5), but in a libpq password file of salesdev's own,
mode 0600, that libpq itself reads (`passfile=`), so the password is never passed around
by salesdev either.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit


def password_file() -> Path:
    from platformdirs import user_config_path

    override = os.environ.get("SALESDEV_PGPASS")  # tests; never a password, only a path
    return Path(override) if override else user_config_path("salesdev") / "pgpass"


def _escaped(part: str) -> str:
    return part.replace("\\", "\\\\").replace(":", "\\:")


def conninfo(url: str, user: str, sslmode: str = "prefer") -> str:
    """The libpq connection string for `user` at `url`, reading the password file."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, user=user, sslmode=sslmode, passfile=str(password_file()),
                         connect_timeout=10, application_name="salesdev")


def save_password(url: str, user: str, password: str) -> Path:
    """Keep `password` for `user` at `url` (replacing an older line), 0600 from the start."""
    from salesdev_tui.paths import ensure_private_dir

    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", str(parts.port or 5432)
    database = parts.path.lstrip("/") or user
    key = ":".join(_escaped(p) for p in (host, port, database, user))
    path = password_file()
    ensure_private_dir(path.parent)
    lines = []
    if path.exists():
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if not line.startswith(key + ":")]
    lines.append(f"{key}:{_escaped(password)}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    return path


def needs_password(error: Exception) -> bool:
    """The server refused for want of a (right) password, as libpq words it."""
    text = str(error)
    return "no password supplied" in text or "password authentication failed" in text
