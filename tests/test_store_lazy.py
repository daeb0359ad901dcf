"""The Store front builds each repository on first use (issue 15.8): a read command pays only
for what it reads, the actor reaches every repository whenever it is built, and the TUI's
`build_all` builds them all (in its worker)."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

from salesdev_tui.db import open_database
from salesdev_tui.store.combined import REPOSITORIES, Store


def test_the_list_names_every_repository() -> None:
    lazy = {name for name, value in vars(Store).items()
            if isinstance(value, functools.cached_property)}
    assert lazy == set(REPOSITORIES)


def test_a_repository_is_built_once_and_shares_the_parts_it_needs(db_path: Path) -> None:
    store = Store(open_database(db_path), actor="Lin")
    try:
        assert store.plans is store.plans
        assert store.plans.records is store.records
        assert store.records.contacts is store.contacts
        assert store.contracts.customers is store.customers
    finally:
        store.db.close()


def test_the_actor_reaches_repositories_built_before_and_after(db_path: Path) -> None:
    store = Store(open_database(db_path), actor="Lin")
    try:
        before = store.customers
        store.actor = "Chen"
        assert before.actor == "Chen"
        assert store.plans.actor == "Chen"  # built after the change
        assert store.build_all() is store
        assert {getattr(store, name).actor for name in REPOSITORIES} == {"Chen"}
    finally:
        store.db.close()


def test_reading_kpis_imports_neither_validation_nor_dedupe(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from salesdev_tui.db import open_database\n"
        "from salesdev_tui.store.combined import Store\n"
        "store = Store(open_database(Path(sys.argv[1])))\n"
        "store.kpis\n"
        "store.db.close()\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "s.db")],
                            capture_output=True, text=True, check=True, timeout=60)
    loaded = set(result.stdout.split())
    assert "salesdev_tui.store.kpis" in loaded
    for heavy in ("salesdev_tui.store.customers", "salesdev_tui.store.csv_import",
                  "salesdev_tui.domain.validation", "rapidfuzz", "phonenumbers",
                  "email_validator"):
        assert heavy not in loaded, heavy
