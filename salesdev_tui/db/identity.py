"""What makes a file a salesdev database of this version: read from its 100-byte header.

Kept free of SQLAlchemy imports: the start-up read (`db/raw.py`) checks a file with plain
IO before anything heavy is loaded.
"""

from __future__ import annotations

#: "SDV1": tells a salesdev file apart from every other SQLite file (PRAGMA application_id).
APPLICATION_ID = 0x53445631

#: The schema this code reads and writes (PRAGMA user_version). To change the schema: bump it
#: and add the step to `db/migrations.py` (see its docstring).
SCHEMA_VERSION = 13
