"""Keep double-width characters whole where one widget is drawn over another (issue 14.17).

A toast showed `火箭軸承🚀有  公司`: one character gone, two spaces in its place. Textual's
compositor cuts every screen line at the left and right edge of every widget on it, also
of the widgets *under* a toast, tooltip or dialog, and divides each widget's line at those
cuts; a double-width character (CJK, most emoji) that straddles a cut of a widget beneath
is split into two spaces (rich `Segment.split_cells`), though the widget on top owns both
halves. Known upstream, open: https://github.com/Textualize/textual/issues/6357.

The fix, at the layer where the fault is: a widget's line is divided only where the owner
of the cells changes. Cuts inside a run of cells the widget wins are skipped, the run is
one piece, and the skipped positions get an empty piece so no widget beneath claims them.
A partial screen update then writes each piece to its own length (not to the next cut).

Textual internals: replaces `Compositor._render_chops` (private) and wraps
`Compositor.render_partial_update`, reading `self.cuts`, `self._get_renders(crop)` and the
`ChopsUpdate` fields `chops`, `spans`, `chop_ends`. Checked by tests/test_textual_patches.py
(the signatures) and tests/test_rendering_80x24.py (the picture). Upstream: the fix of
Textualize/textual#6357 (cut a line only where the owner of its cells changes) removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

__all__ = ["keep_wide_characters_whole"]

_EMPTY = Strip([])
_applied = False


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Textual's `Compositor._render_chops`, dividing a line only where ownership changes."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    intersection = Region.intersection
    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            starts = final_cuts[:-1]
            if not starts:
                continue
            # Front to back: a bucket still empty is this widget's. Divide only where
            # that changes, so a run of this widget's buckets is one piece.
            free = [chops_line.get(start) is None for start in starts]
            runs: list[int] = [0]
            runs += [i for i in range(1, len(starts)) if free[i] != free[i - 1]]
            bounds = [starts[i] for i in runs[1:]] + [final_cuts[-1]]
            pieces = strip.divide([cut - render_x for cut in bounds])
            for run_index, (first, piece) in enumerate(zip(runs, pieces, strict=False)):
                if not free[first]:
                    continue
                last = runs[run_index + 1] if run_index + 1 < len(runs) else len(starts)
                chops_line[starts[first]] = piece
                for i in range(first + 1, last):
                    chops_line[starts[i]] = _EMPTY
    return cast("Sequence[Mapping[int, Strip]]", chops)


_original_partial: Callable[[Compositor], ChopsUpdate | None] | None = None


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's, with each piece's end at its own length (a joined run ends past the next
    cut, an empty placeholder where it starts)."""
    assert _original_partial is not None
    update = _original_partial(self)
    if update is None:
        return None
    lines = {y for y, _x1, _x2 in update.spans}
    ends: list[list[int]] = list(update.chop_ends)
    for y in lines:
        line = update.chops[y]
        ends[y] = [x + strip.cell_length if strip is not None else end
                   for (x, strip), end in zip(line.items(), ends[y], strict=False)]
    update.chop_ends = ends
    return update


def keep_wide_characters_whole() -> None:
    """Patch the compositor once (idempotent)."""
    global _applied, _original_partial
    if _applied:
        return
    compositor: Any = Compositor
    _original_partial = compositor.render_partial_update
    compositor._render_chops = _render_chops
    compositor.render_partial_update = _render_partial_update
    _applied = True
