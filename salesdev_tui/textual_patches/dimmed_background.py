"""Dialogs dim the screen behind them without redrawing it each time the dialog changes.

A Textual dialog draws the screen behind it tinted (`BackgroundScreen`): for every segment of
every line, two colours are converted, blended and made into a new style. Each time the
dialog's layout changed (a save turning the form into its "plan the next contact?" prompt)
or the screen behind refreshed (every save makes it reload), that was 30-50 ms at 120x40:
most of the time a logged contact took to show. A screen holds a few hundred distinct
styles, so the blend is kept per (style, tint); a segment is then a dictionary lookup.
The blend itself stays Textual's, so a dialog looks exactly as it did.

Even with the blend kept, drawing the screen behind took ~20 ms, and Textual draws it again
on every repaint of the dialog's screen: each focus change in the dialog repaints the
whole screen. So the dialog keeps the lines it drew until the screen behind changes, which
Textual reports as a refresh of regions of the dialog's screen (the screen behind, when
it updates, marks what changed there), or its size, styles or layout change.

Relies on: `Screen.render` returning `textual.renderables.background_screen.
BackgroundScreen(screen, color)` for a translucent modal, its classmethod
`process_segments(segments, color)`, and a change behind the dialog arriving as
`refresh(*regions)` on the dialog's screen. Upstream: a tint cache inside BackgroundScreen,
and a dialog screen that redraws what is behind only when that changed, remove it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.renderables.background_screen import BackgroundScreen

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.color import Color
    from textual.geometry import Region
    from textual.strip import Strip

#: Distinct (style, tint) pairs kept; a theme change makes new ones, so the dict is bounded.
_MOST_STYLES = 4096
#: Crops of the dialog's screen kept (a repaint of one widget in the dialog asks for its
#: region only): a handful in use, bounded all the same.
_MOST_CROPS = 32


class CachedTint(BackgroundScreen):
    """Textual's tinted background screen, with each style's tint worked out once."""

    _tinted: ClassVar[dict[tuple[Style | None, Color], Style]] = {}

    @classmethod
    def process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
        tinted = cls._tinted
        for segment in segments:
            text, style, control = segment
            if control:
                yield segment
                continue
            key = (style, color)
            new = tinted.get(key)
            if new is None:
                new = cls.tint(style, color)
                if len(tinted) >= _MOST_STYLES:
                    tinted.clear()
                tinted[key] = new
            yield Segment(text, new, control)

    @staticmethod
    def tint(style: Style | None, color: Color) -> Style:
        """What Textual's own BackgroundScreen makes of `style` under `color`."""
        (segment,) = BackgroundScreen.process_segments([Segment(" ", style)], color)
        assert segment.style is not None
        return segment.style


class DimmedBackground:
    """Mixed into a ModalScreen subclass before it (`class D(DimmedBackground, ModalScreen)`)."""

    _drawn: dict[tuple[object, ...], list[Strip]] | None = None
    """The screen's own lines (the dimmed screen behind) by crop, until that changes."""

    def render(self) -> RenderableType:
        renderable: RenderableType = super().render()  # type: ignore[misc]
        if type(renderable) is BackgroundScreen:
            return CachedTint(renderable.screen, renderable.color)
        return renderable

    def render_lines(self, crop: Region) -> list[Strip]:
        key = (crop, self.size)  # type: ignore[attr-defined]
        drawn = self._drawn if self._drawn is not None else {}
        lines = drawn.get(key)
        if lines is None:
            lines = super().render_lines(crop)  # type: ignore[misc]
            if len(drawn) >= _MOST_CROPS:
                drawn.clear()
            drawn[key] = lines
            self._drawn = drawn
        return list(lines)

    def refresh(self, *regions: Region, **how: Any) -> Any:
        # Regions: the screen behind changed there. A plain repaint (a focus move) is not.
        if regions or how.get("layout") or how.get("recompose"):
            self._drawn = None
        return super().refresh(*regions, **how)  # type: ignore[misc]

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()  # type: ignore[misc]

    def on_screen_resume(self) -> None:
        # What was behind may have changed while another dialog covered this one.
        self._drawn = None
