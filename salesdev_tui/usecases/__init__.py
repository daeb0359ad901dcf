"""Use cases: what a rep does (add a lead, move a stage, import, export, back up), written once.

The two faces (the Typer CLI in `cli/` and the Textual screens) call these and nothing
below them for an action, so an action cannot give two answers. A use case may read files,
write files and open the store; the rules it applies live in the domain (`services/`).
"""
