"""Every reach into Textual's internals, in one place (Textual 8.2.8 is pinned).

Each module here names the private attribute or method it relies on and why no public API
does the job; tests/test_textual_patches.py fails when one of them changes, so an upgrade
of Textual shows at once which patch to revisit.
"""
