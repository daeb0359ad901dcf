"""The records and vocabularies of the policy.

Import from the module that defines a name: `models.enums` (the vocabularies: no SQLModel,
cheap at start-up), `models.tables` (the tables; `ALL_TABLES` is the one list of them),
`models.views` (read models). This package imports nothing itself, so the enums load
without SQLModel (about 0.3 s) and the TUI paints its first frame first (PERFORMANCE-NOTES).
"""
