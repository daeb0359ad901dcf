"""The open pipeline: what open proposals are worth, and worth weighted by stage.

An **open proposal** is the latest live version of a customer's proposal, unless it was
rejected, for a customer still being developed (any stage but won and lost): a draft, a
presented offer, or one accepted and waiting for its contract. Its value is the proposal's
total (the sum of its rounded line totals, `services.proposals`). The **weighted** value
multiplies it by the chance of winning from the customer's stage (config
``stage_probabilities``, e.g. negotiation 0.6), rounded half-even to the cent per stage.
Pure: the store gathers the facts per stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Protocol

from salesdev_tui.models.enums import STAGE_ORDER, Stage

__all__ = ["Pipeline", "PipelineFact", "PipelineStage", "weighted_pipeline"]

_CENT = Decimal("0.01")


class PipelineFact(Protocol):
    """Open proposals of the customers in one stage (the store's PipelineRow)."""

    @property
    def stage(self) -> Stage: ...
    @property
    def proposals(self) -> int: ...
    @property
    def value(self) -> Decimal: ...


@dataclass(frozen=True)
class PipelineStage:
    stage: Stage
    proposals: int
    value: Decimal
    probability: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[PipelineStage, ...]
    """One line per stage that holds open proposals, in stage order."""
    proposals: int
    value: Decimal
    weighted: Decimal


def weighted_pipeline(
    facts: Iterable[PipelineFact], probabilities: Mapping[str, Decimal]
) -> Pipeline:
    """Weigh each stage's open value by its probability (a stage without one counts 0)."""
    by_stage = {fact.stage: fact for fact in facts}
    stages: list[PipelineStage] = []
    for stage in STAGE_ORDER:
        fact = by_stage.get(stage)
        if fact is None or fact.proposals == 0:
            continue
        probability = Decimal(probabilities.get(stage.value, Decimal(0)))
        stages.append(
            PipelineStage(
                stage=stage,
                proposals=fact.proposals,
                value=fact.value,
                probability=probability,
                weighted=(fact.value * probability).quantize(_CENT, ROUND_HALF_EVEN),
            )
        )
    return Pipeline(
        stages=tuple(stages),
        proposals=sum(s.proposals for s in stages),
        value=sum((s.value for s in stages), Decimal("0.00")),
        weighted=sum((s.weighted for s in stages), Decimal("0.00")),
    )
