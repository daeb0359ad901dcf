"""The department's team server: a PostgreSQL database that every rep's laptop syncs with.

The laptop's SQLite file stays the rep's working copy; the server holds what each rep
pushed, guarded by row-level security so a rep sees only their own rows, a manager reads
everyone's and may only hand customers over (and set targets), and legal reads only the
contracts sent for review and may change only the review fields. salesdev never connects
to it as a superuser or as the tables' owner (`server.connect` refuses).
"""
