"""The batch's context (issue 21.4): at a trade show every card shares its source, the
show's name, often the industry and the potential. After a card is saved these carry over
to the next until the rep changes them; the quick line shows them as a dim prefix and
the form keeps them in its fields.

Pure: the quick line's own grammar (`services.quickadd`) writes and reads the context, so
what is carried over is exactly what the rep would have typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesdev_tui.domain.quickadd import QuickLead, parse_quick_line
from salesdev_tui.models.enums import Potential, Source

#: The fields a batch carries from one card to the next (the lead form's batch mode too).
CARRIED = ("source", "source_detail", "industry", "potential")


@dataclass(frozen=True)
class BatchContext:
    source: Source | None = None
    source_detail: str | None = None
    industry: str | None = None
    potential: Potential | None = None

    def __bool__(self) -> bool:
        return any((self.source, self.industry, self.potential))

    def tokens(self, lead: QuickLead | None = None) -> str:
        """The context as quick-line tags, leaving out what `lead` sets itself."""
        parts: list[str] = []
        if self.source is not None and (lead is None or lead.source is None):
            tag = "#" + self.source.value
            if self.source_detail:
                detail = self.source_detail
                tag += f':"{detail}"' if '"' not in detail else f":「{detail}」"
            parts.append(tag)
        if self.industry and (lead is None or not lead.industry):
            parts.append("#" + self.industry.replace(" ", "_"))
        if self.potential is not None and (lead is None or lead.potential is None):
            parts.append("!" + self.potential.value)
        return " ".join(parts)


def context_of(lead: QuickLead) -> BatchContext:
    """What a saved card passes on to the next one."""
    return BatchContext(lead.source, lead.source_detail if lead.source else None,
                        lead.industry, lead.potential)


def with_context(line: str, context: BatchContext) -> str:
    """`line` with the context's tags for every field the line does not set itself: before
    its notes (`//`), where a tag would still be read as one."""
    if not context or not line.strip():
        return line
    tokens = context.tokens(parse_quick_line(line))
    if not tokens:
        return line
    head, sep, notes = _split_notes(line)
    return f"{head.rstrip()} {tokens}{' ' + sep + notes if sep else ''}"


def _split_notes(line: str) -> tuple[str, str, str]:
    """(before the notes, "//" or "", the notes): `//` starts notes at the start of a word."""
    for index in range(len(line) - 1):
        if line.startswith("//", index) and (index == 0 or line[index - 1].isspace()):
            return line[:index], "//", line[index + 2:]
    return line, "", ""
