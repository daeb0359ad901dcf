"""The team server's tests run against the real PostgreSQL of this machine.

They fail (never skip) when it is not reachable: `.ci/run` starts it first. Each test gets
a database of its own and login roles with a unique prefix (roles are cluster-wide), both
removed afterwards.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from salesdev_tui.server.admin import add_user, migrate
from salesdev_tui.server.roles import TeamRole

#: The administrator's connection to the cluster (trust authentication on this machine).
ADMIN = os.environ.get("SALESDEV_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


#: Held shared by every server test, exclusively by one that keeps a transaction open on
#: purpose: a pull reads only what is older than the oldest transaction still open in the
#: whole cluster (server/pull.py), so such a test would hold back the other worker's pulls.
_LOCK = Path(tempfile.gettempdir()) / "salesdev-server-tests.lock"


@pytest.fixture(autouse=True)
def cluster_quiet(request: pytest.FixtureRequest) -> Iterator[None]:
    exclusive = request.node.get_closest_marker("holds_transaction") is not None
    with _LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {ADMIN} ({exc}); start it with"
                    " `pg_ctlcluster --skip-systemctl-redirect 15 main start`")


def url_for(database: str, user: str = "postgres") -> str:
    base = ADMIN.rsplit("/", 1)[0]
    scheme, rest = base.split("://", 1)
    host = rest.split("@", 1)[-1]
    return f"{scheme}://{user}@{host}/{database}"


@dataclass
class Team:
    """A fresh server database with one user per role (and a second rep)."""

    database: str
    admin_url: str
    prefix: str

    def user(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def url(self, name: str) -> str:
        return url_for(self.database, self.user(name))

    def connect(self, name: str) -> psycopg.Connection[tuple[object, ...]]:
        conn = psycopg.connect(self.url(name), autocommit=True)
        conn.execute("SET search_path = salesdev")
        return conn


@pytest.fixture
def server_db() -> Iterator[tuple[str, str]]:
    """A fresh, empty database: (its name, the administrator's URL to it)."""
    name = f"salesdev_t_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield name, url_for(name)
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def team(server_db: tuple[str, str]) -> Iterator[Team]:
    database, admin_url = server_db
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    found = Team(database, admin_url, prefix)
    migrate(admin_url)
    people = {"amy": TeamRole.REP, "ben": TeamRole.REP, "max": TeamRole.MANAGER,
              "lee": TeamRole.LEGAL}
    for name, role in people.items():
        add_user(admin_url, found.user(name), role)
    try:
        yield found
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            for name in people:
                admin.execute(f"DROP ROLE IF EXISTS {found.user(name)}")
