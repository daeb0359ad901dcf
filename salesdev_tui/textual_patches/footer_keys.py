"""What Textual's `Footer.compose` would show, as one comparable value (for `KeyFooter`).

Relies on: `Footer._bindings_ready` (a private reactive: False until the screen's bindings
are known, and `compose` yields nothing before), and on `Footer.compose` reading exactly
what is listed here (the screen's `active_bindings`, the key display, the command palette
key, `show_command_palette`; and `combine_groups`, which its watcher reads).
tests/test_textual_patches.py fails when `Footer.compose` changes. Upstream: a Footer that
rebuilds only when its keys change, or a public "bindings ready" flag, removes it.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer


def footer_keys(footer: Footer) -> Hashable:
    """Everything `Footer.compose` reads, as one comparable value (None: nothing to show)."""
    if not footer._bindings_ready or not footer.is_attached:
        return None
    app = footer.app
    keys = tuple(
        (
            binding.key,
            app.get_key_display(binding),
            binding.description,
            binding.action,
            binding.group,
            binding.show,
            enabled,
            tooltip,
        )
        for (_node, binding, enabled, tooltip) in footer.screen.active_bindings.values()
        if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
    )
    return (keys, footer.show_command_palette, footer.combine_groups)
