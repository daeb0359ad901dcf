"""Demo data: one rep's realistic, deterministic year of customer development.

`generate_demo` returns unsaved model instances keyed by exchange collection name, parents
first (the order of `models.tables.ALL_TABLES`). Pure: no clock (`now` is passed in), no database.
The same `customers`, `seed`, `now` and `zone` give the same records, ids included: every
random choice, UUIDs too, comes from one seeded `random.Random`.

The data keeps the policy's rules, so the gates and the KPIs make sense on it:

- Every customer walks the stage path from `prospect` one step at a time (`stage_changes`,
  strictly increasing times); about 27% are still prospects, 15% won, 10% lost (with a reason).
- A stage is entered only once its soft gates are met: a done contact plan before
  `contacted`, a needs note before `proposal`, negotiation minutes before `contract`. Won
  customers hold a signed contract whose six clauses are filled and which legal approved
  before it was signed; the worst credit grade (D) appears only on prospects and lost
  customers, dated after their last forward move.
- `first_contacted_at` / `first_signed_at` are the minimum done plan `done_at` / contract
  `signed_at`; `last_activity_at` (and `updated_at`) the latest past event of the customer.
- Past events fall on local working hours (09:00-17:00 in `zone`) of days before today;
  stage changes at 17:00-18:00. Open plans lie ahead (some overdue, some due today).

Speed: rows are filled in directly (`_Builder`) instead of through SQLModel's `__init__`,
which validates nothing for table models but costs ~95 us a row through SQLAlchemy's
attribute events; the result is the same transient instance (tests compare both ways).
"""
# Over 400 lines on purpose: the demo's word lists (names, industries, agendas in two
# languages) are most of it.

from __future__ import annotations

import functools
import gc
import json
import random
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib.resources import files
from itertools import accumulate
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.instrumentation import manager_of_class

from salesdev_tui.domain.dedupe import company_key
from salesdev_tui.domain.exchange import COLLECTIONS as EXCHANGE_COLLECTIONS
from salesdev_tui.domain.periods import Period, period_containing
from salesdev_tui.models.enums import (
    STAGE_ORDER,
    CompanySize,
    ContactMethod,
    CreditRating,
    Kpi,
    LegalReview,
    MilestoneKind,
    NeedKind,
    PeriodKind,
    PlanStatus,
    PointKind,
    Potential,
    Priority,
    ProposalStatus,
    PurchasingPower,
    Source,
    Stage,
    SurveyMethod,
)
from salesdev_tui.models.tables import (
    CONTRACT_CLAUSES,
    CompetitorNote,
    Contact,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    FieldEdit,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    ProgressReport,
    Proposal,
    ProposalLine,
    Record,
    ResearchNote,
    StageChange,
    Survey,
    Target,
)
from salesdev_tui.models.types import utc

__all__ = ["COLLECTIONS", "generate_demo"]

#: Exchange collection name -> table, parents before children: every collection of the
#: exchange format except the edit history (a demo has no edits).
COLLECTIONS: dict[str, type[Record]] = {
    name: model for name, model in EXCHANGE_COLLECTIONS if model is not FieldEdit
}

R = TypeVar("R", bound=Record)
T = TypeVar("T")

_DAY = 86_400
_HISTORY_DAYS = 365
_WORK_START, _WORK_END = 9 * 60, 17 * 60  # minutes of the local day
_Q4 = Decimal("0.0001")
#: KPIs whose target grows with the period's length (rates and means do not).
_SUMMED = (Kpi.NEW_CUSTOMERS, Kpi.REVENUE, Kpi.PROFIT)

_S = Stage
#: Share (percent) of customers ending in each stage.
_STAGE_SHARE = (
    (_S.PROSPECT, 27), (_S.WON, 15), (_S.CONTACTED, 14), (_S.LOST, 10),
    (_S.NEEDS, 10), (_S.PROPOSAL, 9), (_S.NEGOTIATION, 8), (_S.CONTRACT, 7),
)  # fmt: skip
#: Days spent before entering a stage: (fewest, most). Won needs 3 (draft, review, sign).
_GAP_DAYS = {
    _S.CONTACTED: (2, 21), _S.NEEDS: (2, 25), _S.PROPOSAL: (3, 30),
    _S.NEGOTIATION: (3, 30), _S.CONTRACT: (3, 30), _S.WON: (3, 20), _S.LOST: (3, 45),
}  # fmt: skip
#: The last stage a lost customer reached before being lost.
_LOST_FROM = (
    (_S.PROSPECT, 25), (_S.CONTACTED, 20), (_S.NEEDS, 15),
    (_S.PROPOSAL, 20), (_S.NEGOTIATION, 15), (_S.CONTRACT, 5),
)  # fmt: skip
#: Mean number of contact plans of a customer by the stage it reached (about 10 overall).
_PLAN_MEAN = (2.5, 6.0, 9.0, 12.0, 15.0, 17.0, 22.0)
_SIZE_FACTOR = {
    CompanySize.MICRO: 0.4, CompanySize.SMALL: 0.7, CompanySize.MEDIUM: 1.0,
    CompanySize.LARGE: 1.6, CompanySize.ENTERPRISE: 2.5,
}  # fmt: skip


class _Weighted(Generic[T]):
    """A weighted choice with the cumulative weights computed once."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _w in pairs]
        self.cum = list(accumulate(w for _i, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


_SHARE = _Weighted(_STAGE_SHARE)
_LOST_REACHED = _Weighted(_LOST_FROM)
_METHOD = _Weighted(
    [
        (ContactMethod.PHONE, 40), (ContactMethod.EMAIL, 25), (ContactMethod.VISIT, 20),
        (ContactMethod.MEETING, 12), (ContactMethod.OTHER, 3),
    ]
)  # fmt: skip
_PAST_STATUS = _Weighted([(PlanStatus.DONE, 85), (PlanStatus.MISSED, 8), (PlanStatus.CANCELLED, 7)])
_SIZE = _Weighted(
    [
        (CompanySize.MICRO, 10), (CompanySize.SMALL, 30), (CompanySize.MEDIUM, 35),
        (CompanySize.LARGE, 18), (CompanySize.ENTERPRISE, 7),
    ]
)  # fmt: skip
_LOW, _MID, _HIGH = PurchasingPower.LOW, PurchasingPower.MEDIUM, PurchasingPower.HIGH
_POWER = {
    "low": _Weighted([(_LOW, 60), (_MID, 35), (_HIGH, 5)]),
    "mid": _Weighted([(_LOW, 20), (_MID, 60), (_HIGH, 20)]),
    "high": _Weighted([(_LOW, 5), (_MID, 35), (_HIGH, 60)]),
}
_POTENTIAL = {
    "hot": _Weighted([(Potential.A, 45), (Potential.B, 45), (Potential.C, 10)]),
    "warm": _Weighted([(Potential.A, 25), (Potential.B, 50), (Potential.C, 25)]),
    "cold": _Weighted([(Potential.A, 12), (Potential.B, 43), (Potential.C, 45)]),
    "lost": _Weighted([(Potential.A, 10), (Potential.B, 40), (Potential.C, 50)]),
}  # fmt: skip
_SOURCE = _Weighted(
    [
        (Source.TRADE_SHOW, 30), (Source.ONLINE, 25), (Source.REFERRAL, 20),
        (Source.RESEARCH, 12), (Source.OTHER, 13),
    ]
)  # fmt: skip
_NEED_KIND = _Weighted(
    [
        (NeedKind.NEED, 35),
        (NeedKind.PAIN_POINT, 30),
        (NeedKind.CONCERN, 15),
        (NeedKind.REQUIREMENT, 20),
    ]
)
_PRIORITY = _Weighted([(Priority.HIGH, 30), (Priority.MEDIUM, 50), (Priority.LOW, 20)])
_DISCOUNT = _Weighted([(0, 55), (5, 25), (10, 15), (15, 5)])
_RATING = _Weighted([(CreditRating.A, 30), (CreditRating.B, 40), (CreditRating.C, 30)])
_SCORE = _Weighted([(5, 45), (4, 37), (3, 11), (2, 5), (1, 2)])
_SURVEY_METHOD = _Weighted(
    [
        (SurveyMethod.FORM, 40),
        (SurveyMethod.EMAIL, 25),
        (SurveyMethod.PHONE, 20),
        (SurveyMethod.VISIT, 15),
    ]
)
_CONTACT_COUNT = _Weighted([(1, 45), (2, 35), (3, 20)])
_UPCOMING = _Weighted([(0, 20), (1, 55), (2, 25)])


class _Builder(Generic[R]):
    """Makes transient table rows fast: fills `__dict__` the way SQLModel's `__init__` ends up.

    The instance gets its SQLAlchemy state from the mapper (as a loaded row does), the
    field values in field order (defaults first, then `values`), and the pydantic
    bookkeeping attributes; no validation happens either way for table models.
    """

    __slots__ = ("name", "new", "required", "template")

    def __init__(self, cls: type[R]) -> None:
        # The mapper's attributes work only once mappers are configured (normally the first
        # __init__ of any model does it; nothing here calls __init__).
        configure_mappers()
        self.name = cls.__name__
        self.new = manager_of_class(cls).new_instance
        template: dict[str, Any] = {}
        required: list[str] = []
        for name, info in cls.model_fields.items():
            if info.is_required() or info.default_factory is not None:
                template[name] = None
                required.append(name)
            else:
                template[name] = info.default
        self.template = template
        self.required = frozenset(required)

    def __call__(self, values: dict[str, Any]) -> R:
        if not values.keys() >= self.required:
            missing = sorted(self.required - values.keys())
            raise TypeError(f"{self.name}: missing {', '.join(missing)}")
        row = self.new()  # SQLModel.__new__ sets pydantic's bookkeeping attributes
        fields = row.__dict__
        fields.update(self.template)
        fields.update(values)
        object.__setattr__(row, "__pydantic_fields_set__", set(values))
        return row


# --- the word lists (data/demo_names.json) --------------------------------------------------


@dataclass(frozen=True)
class _Industry:
    key: str
    zh: str
    words_zh: list[tuple[str, str]]
    words_en: list[str]
    shows: list[str]


@dataclass(frozen=True)
class _City:
    zh: str
    en: str
    area: str
    digits: int
    districts: list[tuple[str, str]]
    roads: list[tuple[str, str]]


@dataclass(frozen=True)
class _Product:
    name: str
    zh: str
    price: tuple[int, int]
    qty: tuple[int, int]


@dataclass(frozen=True)
class _Words:
    brands_zh: list[tuple[str, str]]
    brands_en: list[str]
    suffix_zh: _Weighted[str]
    suffix_en: _Weighted[str]
    industries: _Weighted[_Industry]
    all_shows: list[str]
    surnames: list[tuple[str, str, str]]
    given_zh: list[tuple[str, str]]
    given_en: list[str]
    surnames_western: list[tuple[str, str]]
    roles: dict[str, list[str]]
    cities: _Weighted[_City]
    regions: dict[str, list[str]]
    online_sites: list[str]
    other_sources: list[str]
    credit_sources: list[str]
    competitors: list[str]
    lost_reasons: _Weighted[str]
    products: list[_Product]
    texts: dict[str, dict[str, Any]]


@functools.cache
def _words() -> _Words:
    raw = json.loads(
        files("salesdev_tui.data").joinpath("demo_names.json").read_text(encoding="utf-8")
    )
    industries = [
        _Industry(
            key=item["key"],
            zh=item["zh"],
            words_zh=[(a, b) for a, b in item["words_zh"]],
            words_en=list(item["words_en"]),
            shows=list(item["shows"]),
        )
        for item in raw["industries"]
    ]
    cities = [
        _City(
            zh=c["zh"],
            en=c["en"],
            area=c["area"],
            digits=int(c["digits"]),
            districts=[(a, b) for a, b in c["districts"]],
            roads=[(a, b) for a, b in c["roads"]],
        )
        for c in raw["cities"]
    ]
    return _Words(
        brands_zh=[(a, b) for a, b in raw["company_brands_zh"]],
        brands_en=list(raw["company_brands_en"]),
        suffix_zh=_Weighted([(s, w) for s, w in raw["company_suffixes_zh"]]),
        suffix_en=_Weighted([(s, w) for s, w in raw["company_suffixes_en"]]),
        industries=_Weighted(
            [(ind, item["weight"]) for ind, item in zip(industries, raw["industries"], strict=True)]
        ),
        all_shows=[show for ind in industries for show in ind.shows],
        surnames=[(a, b, c) for a, b, c in raw["surnames"]],
        given_zh=[(a, b) for a, b in raw["given_names_zh"]],
        given_en=list(raw["given_names_en"]),
        surnames_western=[(a, b) for a, b in raw["surnames_western"]],
        roles={lang: list(v) for lang, v in raw["roles"].items()},
        cities=_Weighted(
            [(city, c["weight"]) for city, c in zip(cities, raw["cities"], strict=True)]
        ),
        regions={lang: list(v) for lang, v in raw["regions"].items()},
        online_sites=list(raw["online_sites"]),
        other_sources=list(raw["other_sources"]),
        credit_sources=list(raw["credit_sources"]),
        competitors=list(raw["competitors"]),
        lost_reasons=_Weighted([(r, w) for r, w in raw["lost_reasons"]]),
        products=[
            _Product(p["name"], p["zh"], (p["price"][0], p["price"][1]), (p["qty"][0], p["qty"][1]))
            for p in raw["products"]
        ],
        texts=raw["texts"],
    )


# --- small helpers --------------------------------------------------------------------------


def _money(cents: int) -> Decimal:
    """Cents as a two-place Decimal (exact)."""
    return Decimal(cents).scaleb(-2)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _stage_quota(customers: int, rng: random.Random) -> list[Stage]:
    """Final stages in the target shares; every stage present once there are 8 customers."""
    counts = {stage: customers * share // 100 for stage, share in _STAGE_SHARE}
    rest = customers - sum(counts.values())
    for stage, _share in _STAGE_SHARE[:rest]:
        counts[stage] += 1
    if customers >= len(_STAGE_SHARE):
        for stage, _share in _STAGE_SHARE:
            if counts[stage] == 0:
                counts[stage] = 1
                counts[max(counts, key=counts.__getitem__)] -= 1
    stages = [stage for stage, _share in _STAGE_SHARE for _n in range(counts[stage])]
    rng.shuffle(stages)
    return stages


@dataclass
class _Company:
    name: str
    domain: str
    lang: str  # "zh" or "en": the language of the company's name and of the rep's notes


class _Demo:
    """One generation run: the random stream, the clock arithmetic and the output lists."""

    def __init__(self, seed: int, now: datetime, zone: ZoneInfo) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.now = utc(now)
        self.now_ts = int(self.now.timestamp())
        self.zone = zone
        self.today = self.now.astimezone(zone).date()
        self.words = _words()
        self.out: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
        self._noon: dict[int, int] = {}
        self._dates: dict[int, date] = {}
        self._names: set[str] = set()
        self._domains: set[str] = set()
        self._referrers: list[tuple[str, str]] = []
        self._research: list[ResearchNote] = []
        self._research_days: list[int] = []
        self._last = 0
        self.make_research = _Builder(ResearchNote)
        self.make_customer = _Builder(Customer)
        self.make_contact = _Builder(Contact)
        self.make_plan = _Builder(ContactPlan)
        self.make_need = _Builder(NeedsNote)
        self.make_proposal = _Builder(Proposal)
        self.make_line = _Builder(ProposalLine)
        self.make_negotiation = _Builder(Negotiation)
        self.make_point = _Builder(NegotiationPoint)
        self.make_contract = _Builder(Contract)
        self.make_milestone = _Builder(Milestone)
        self.make_report = _Builder(ProgressReport)
        self.make_survey = _Builder(Survey)
        self.make_credit = _Builder(CreditCheck)
        self.make_competitor = _Builder(CompetitorNote)
        self.make_target = _Builder(Target)
        self.make_change = _Builder(StageChange)

    # -- time: days are counted from today (0) in the zone; -1 is yesterday ---------------

    def at(self, day: int, minute: int) -> int:
        """Unix time of `minute` past local midnight on `day` (exact across DST: counted
        from local noon, and the clocks never change during working hours)."""
        noon = self._noon.get(day)
        if noon is None:
            local = datetime.combine(self.today + timedelta(days=day), time(12), tzinfo=self.zone)
            noon = self._noon[day] = int(local.timestamp())
        return noon + (minute - 720) * 60

    def work(self, day: int, lo: int = _WORK_START, hi: int = _WORK_END) -> int:
        """A random working-hours moment of `day` (minutes in [lo, hi))."""
        return self.at(day, self.span(lo, hi))

    def day(self, day: int) -> date:
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = self.today + timedelta(days=day)
        return found

    @staticmethod
    def dt(ts: int) -> datetime:
        return datetime.fromtimestamp(ts, UTC)

    # Random picks through `random()` alone: about 4x cheaper than `choice`/`randint`, and
    # just as deterministic.

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def between(self, lo: int, hi: int) -> int:
        """A random integer in [lo, hi]."""
        if hi < lo:
            raise ValueError(f"empty range [{lo}, {hi}]")
        return lo + int(self.random() * (hi - lo + 1))

    def span(self, lo: int, hi: int) -> int:
        """A random integer in [lo, hi)."""
        return self.between(lo, hi - 1)

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def seen(self, ts: int) -> int:
        """Note a past event of the current customer (for `last_activity_at`)."""
        if ts > self._last:
            self._last = ts
        return ts

    # -- the run ---------------------------------------------------------------------------

    def run(self, customers: int) -> dict[str, list[Any]]:
        rng = self.rng
        self.research_notes(max(3, min(50, customers // 25)))
        paths = [self.path(stage) for stage in _stage_quota(customers, rng)]
        paths.sort(key=lambda p: p[1][0])  # by creation day: referrals and numbers follow time
        for stages, days in paths:
            self.customer(stages, days)
        self.number_contracts()
        self.targets()
        return self.out

    def path(self, final: Stage) -> tuple[list[Stage], list[int]]:
        """The stages a customer walks and the day it entered each (all before today)."""
        rng = self.rng
        if final is Stage.LOST:
            reached = _LOST_REACHED.pick(rng)
            stages = [*STAGE_ORDER[: STAGE_ORDER.index(reached) + 1], Stage.LOST]
        else:
            stages = list(STAGE_ORDER[: STAGE_ORDER.index(final) + 1])
        gaps = [self.between(*_GAP_DAYS[stage]) for stage in stages[1:]]
        room = max(0, _HISTORY_DAYS - 3 - sum(gaps))
        if final in (Stage.WON, Stage.LOST):
            dwell = self.between(0, room)
        elif final is Stage.PROSPECT:
            dwell = self.between(0, min(150, room))
        else:
            dwell = self.between(0, min(75, room))
        days = [-3 - dwell - sum(gaps)]
        for gap in gaps:
            days.append(days[-1] + gap)
        return stages, days

    # -- research notes --------------------------------------------------------------------

    def research_notes(self, count: int) -> None:
        rng, w = self.rng, self.words
        days = sorted(
            [-_HISTORY_DAYS - 45]
            + [self.between(-_HISTORY_DAYS - 40, -60) for _ in range(count - 1)]
        )
        for day in days:
            lang = "zh" if rng.random() < 0.5 else "en"
            texts = w.texts[lang]
            industry = w.industries.pick(rng)
            region = self.pick(w.regions[lang])
            label = industry.zh if lang == "zh" else industry.key.title()
            ts = self.work(day)
            note = self.make_research(
                {
                    "id": self.uid(),
                    "created_at": self.dt(ts),
                    "updated_at": self.dt(ts),
                    "title": _cut(
                        self.pick(texts["research_title"]).format(industry=label, region=region),
                        200,
                    ),
                    "industry": industry.key,
                    "region": region,
                    "trends": self.pick(texts["trends"]),
                    "competitors_seen": ", ".join(rng.sample(w.competitors, self.between(1, 3))),
                    "leads_found": self.pick(texts["leads_found"]).format(
                        n=self.between(20, 90), m=self.between(3, 15)
                    ),
                    "noted_on": self.day(day),
                }
            )
            self._research.append(note)
            self._research_days.append(day)
            self.out["research_notes"].append(note)

    # -- one customer and everything about it ----------------------------------------------

    def customer(self, stages: list[Stage], days: list[int]) -> None:
        rng, w = self.rng, self.words
        final = stages[-1]
        lost = final is Stage.LOST
        reached = len(days) - 2 if lost else len(days) - 1  # index in STAGE_ORDER
        end_day = days[-1] if lost else -1  # the last day with past activity
        cid = self.uid()
        created_ts = self.work(days[0])
        self._last = created_ts
        change_ts = [created_ts] + [self.at(d, self.span(17 * 60, 18 * 60)) for d in days[1:]]

        industry = w.industries.pick(rng)
        source = _SOURCE.pick(rng)
        research_id: uuid.UUID | None = None
        detail = ""
        if source is Source.RESEARCH:
            # A note written before the customer was found (the first one predates them all).
            eligible = bisect_left(self._research_days, days[0])
            note = self._research[self.span(0, max(1, eligible))]
            research_id = note.id
            industry = next(i for i in w.industries.items if i.key == note.industry)
            detail = note.title
        lang = "zh" if rng.random() < 0.65 else "en"
        company = self.company(industry, lang)
        city = w.cities.pick(rng)
        size = _SIZE.pick(rng)
        texts: dict[str, Any] = w.texts[
            lang if rng.random() < 0.85 else ("en" if lang == "zh" else "zh")
        ]

        if source is Source.TRADE_SHOW:
            shows = industry.shows if rng.random() < 0.8 else w.all_shows
            detail = self.pick(shows).format(year=(self.day(days[0]) - timedelta(days=60)).year)
        elif source is Source.ONLINE:
            detail = self.pick(w.online_sites)
        elif source is Source.REFERRAL:
            if self._referrers:
                person, firm = self.pick(self._referrers)
            else:
                sur = self.pick(w.surnames)
                person = sur[0] + self.pick(w.given_zh)[0]
                firm = self.pick(w.brands_zh)[0] + self.pick(industry.words_zh)[0] + "有限公司"
            detail = (
                f"介紹人：{person}（{firm}）" if lang == "zh" else f"Referred by {person} ({firm})"
            )
        elif source is Source.OTHER:
            detail = self.pick(w.other_sources)

        contacts = self.contacts(cid, company, city, created_ts)
        first_done = self.plans(cid, contacts, stages, days, change_ts, reached, end_day, texts)
        if reached >= 2:
            self.needs_notes(cid, contacts, days, reached, final, texts, size)
        proposal: tuple[Proposal, int] | None = None
        if reached >= 3:
            proposal = self.proposals(cid, days, change_ts, reached, final, texts, size)
        if reached >= 4:
            self.negotiations(cid, contacts, days, reached, final, texts, proposal)
        signed_ts: int | None = None
        lost_reason = w.lost_reasons.pick(rng) if lost else None
        if reached >= 5 and proposal is not None:
            signed_ts = self.contract(cid, days, proposal, final is Stage.WON, texts)
        if final is Stage.WON and signed_ts is not None:
            self.follow_up(cid, days, texts, size)
            self._referrers.append((contacts[0].name, company.name))
        self.credit_checks(cid, days, final, end_day, texts)
        if reached >= 2 or lost_reason == "chose a competitor":
            self.competitor_notes(cid, days, reached, end_day, texts, lost_reason)
        for i, stage in enumerate(stages):
            self.seen(change_ts[i])
            self.out["stage_changes"].append(
                self.make_change(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(change_ts[i]),
                        "updated_at": self.dt(change_ts[i]),
                        "customer_id": cid,
                        "from_stage": stages[i - 1] if i else None,
                        "to_stage": stage,
                        "changed_at": self.dt(change_ts[i]),
                        "reason": lost_reason if stage is Stage.LOST else None,
                    }
                )
            )

        if final in (Stage.WON, Stage.CONTRACT, Stage.NEGOTIATION):
            potential = _POTENTIAL["hot"].pick(rng)
        elif lost:
            potential = _POTENTIAL["lost"].pick(rng)
        elif final in (Stage.NEEDS, Stage.PROPOSAL):
            potential = _POTENTIAL["warm"].pick(rng)
        else:
            potential = _POTENTIAL["cold"].pick(rng)
        power_key = {CompanySize.MICRO: "low", CompanySize.SMALL: "low", CompanySize.MEDIUM: "mid"}
        revisit: int | None = None
        if final is Stage.WON and rng.random() < 0.6:
            revisit = self.pick((30, 60, 90))
        elif not lost and potential is Potential.A and rng.random() < 0.3:
            revisit = self.pick((14, 30))
        district, road = self.pick(city.districts), self.pick(city.roads)
        number, floor = self.between(1, 350), self.between(2, 18)
        if lang == "zh":
            address = f"{city.zh}{district[0]}{road[0]}{number}號" + (
                f"{floor}樓" if floor < 12 else ""
            )
        else:
            address = f"{floor}F, No. {number}, {road[1]}, {district[1]}, {city.en}"
        last_ts = self._last
        self.out["customers"].append(
            self.make_customer(
                {
                    "id": cid,
                    "created_at": self.dt(created_ts),
                    "updated_at": self.dt(last_ts),
                    "name": company.name,
                    "name_key": company_key(company.name),
                    "stage": final,
                    "lost_reason": lost_reason,
                    "source": source,
                    "source_detail": _cut(detail, 200) if detail else None,
                    "research_note_id": research_id,
                    "industry": industry.key,
                    "size": size,
                    "potential": potential,
                    "needs_preferences": self.pick(texts["needs_preferences"])
                    if reached >= 2 and rng.random() < 0.7
                    else None,
                    "purchasing_power": _POWER[power_key.get(size, "high")].pick(rng),
                    "address": address if rng.random() < 0.9 else None,
                    "website": f"https://www.{company.domain}" if rng.random() < 0.85 else None,
                    "notes": self.pick(texts["customer_notes"]) if rng.random() < 0.25 else None,
                    "revisit_days": revisit,
                    "first_contacted_at": None if first_done is None else self.dt(first_done),
                    "first_signed_at": None if signed_ts is None else self.dt(signed_ts),
                    "last_activity_at": self.dt(last_ts),
                }
            )
        )

    def company(self, industry: _Industry, lang: str) -> _Company:
        rng, w = self.rng, self.words
        for attempt in range(12):
            branch = attempt >= 4
            city = w.cities.pick(rng)
            if lang == "zh":
                brand, brand_rom = self.pick(w.brands_zh)
                word, word_rom = self.pick(industry.words_zh)
                name = brand + word + w.suffix_zh.pick(rng)
                base, tld = brand_rom + word_rom, ".com.tw"
                if branch:
                    name += city.zh[:2] + "分公司"
            else:
                brand, word = self.pick(w.brands_en), self.pick(industry.words_en)
                suffix = w.suffix_en.pick(rng)
                name = (
                    f"{brand} {word} ({city.en}) {suffix}" if branch else f"{brand} {word} {suffix}"
                )
                base, tld = _slug(brand + word), (".com" if rng.random() < 0.6 else ".com.tw")
            if branch:
                base += _slug(city.en.removesuffix(" City"))
            if name not in self._names:
                break
        else:
            name = f"{name} {len(self._names) + 1}"
        self._names.add(name)
        domain = base + tld
        serial = 1
        while domain in self._domains:
            serial += 1
            domain = f"{base}{serial}{tld}"
        self._domains.add(domain)
        return _Company(name=name, domain=domain, lang=lang)

    def contacts(
        self, cid: uuid.UUID, company: _Company, city: _City, created_ts: int
    ) -> list[Contact]:
        rng, w = self.rng, self.words
        count = _CONTACT_COUNT.pick(rng)
        roles = rng.sample(w.roles[company.lang], count)
        used: set[str] = set()
        rows: list[Contact] = []
        for i in range(count):
            name, local = self.person(company.lang)
            while local in used:
                local += str(self.between(2, 9))
            used.add(local)
            phone: str | None
            e164: str | None
            if (i == 0 and rng.random() < 0.6) or (i > 0 and rng.random() < 0.3):
                phone, e164 = self.landline(city, extension=i > 0 or rng.random() < 0.2)
            else:
                phone, e164 = self.mobile()
            email: str | None = f"{local}@{company.domain}"
            roll = rng.random()
            if roll < 0.05:
                phone = e164 = None
            elif roll < 0.12:
                email = None
            ts = created_ts + 60 * i
            rows.append(
                self.make_contact(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(ts),
                        "updated_at": self.dt(ts),
                        "customer_id": cid,
                        "name": name,
                        "role": roles[i],
                        "phone": phone,
                        "phone_normalized": e164,
                        "email": email,
                        "is_primary": i == 0,
                        "notes": self.pick(w.texts[company.lang]["contact_notes"])
                        if rng.random() < 0.2
                        else None,
                    }
                )
            )
        self.out["contacts"].extend(rows)
        return rows

    def person(self, lang: str) -> tuple[str, str]:
        """A person's display name and the local part of their e-mail address."""
        rng, w = self.rng, self.words
        sur_zh, sur_rom, sur_en = self.pick(w.surnames)
        if lang == "zh" and rng.random() < 0.8:
            given, given_rom = self.pick(w.given_zh)
            local = self.pick((f"{given_rom}.{sur_rom}", f"{sur_rom}.{given_rom}", given_rom))
            return sur_zh + given, local
        first = self.pick(w.given_en)
        if lang == "en" and rng.random() < 0.35:
            sur_en, sur_rom = self.pick(w.surnames_western)
        local = self.pick((f"{first.lower()}.{sur_rom}", f"{first.lower()}{sur_rom[0]}"))
        return f"{first} {sur_en}", local

    def landline(self, city: _City, *, extension: bool) -> tuple[str, str]:
        rng = self.rng
        digits = city.digits
        number = str(self.between(2, 8)) + str(self.span(0, 10 ** (digits - 1))).zfill(digits - 1)
        head, tail = (number[:4], number[4:]) if digits == 8 else (number[:3], number[3:])
        style = rng.random()
        if style < 0.3:
            text = f"+886 {city.area} {head} {tail}"
        elif style < 0.85:
            text = f"0{city.area}-{head}-{tail}"
        else:
            text = f"(0{city.area}) {head}-{tail}"
        if extension and rng.random() < 0.5:
            text += self.pick((" #", " ext. ", " ext ")) + str(self.between(100, 899))
        return text, f"+886{city.area}{number}"

    def mobile(self) -> tuple[str, str]:
        rng = self.rng
        number = "9" + str(self.between(10_000_000, 99_999_999))
        style = rng.random()
        if style < 0.6:
            text = f"0{number[:3]}-{number[3:6]}-{number[6:]}"
        elif style < 0.85:
            text = f"+886 {number[:3]} {number[3:6]} {number[6:]}"
        else:
            text = f"0{number[:3]} {number[3:6]} {number[6:]}"
        return text, "+886" + number

    def plans(
        self,
        cid: uuid.UUID,
        contacts: list[Contact],
        stages: list[Stage],
        days: list[int],
        change_ts: list[int],
        reached: int,
        end_day: int,
        texts: dict[str, Any],
    ) -> int | None:
        """Contact plans over the customer's history; returns the first done_at (or None)."""
        rng = self.rng
        lost = stages[-1] is Stage.LOST
        won = stages[-1] is Stage.WON
        mean = 3 + 2.5 * reached if lost else _PLAN_MEAN[reached]
        total = max(1, round(mean * rng.uniform(0.6, 1.4)))
        slots: list[tuple[int, PlanStatus]] = []
        if not lost:
            upcoming = _UPCOMING.pick(rng) if not won else self.between(0, 1)
            slots += [(self.between(1, 30), PlanStatus.PLANNED) for _ in range(upcoming)]
            if rng.random() < 0.15:
                slots.append((self.between(max(days[0] + 1, -10), -1), PlanStatus.PLANNED))
            if rng.random() < 0.12:
                slots.append((0, PlanStatus.PLANNED))
        elif rng.random() < 0.3:
            slots.append((self.between(end_day + 1, end_day + 14), PlanStatus.CANCELLED))
        if reached == 0:
            for _ in range(self.between(0, 2)):
                status = PlanStatus.MISSED if rng.random() < 0.6 else PlanStatus.CANCELLED
                slots.append((self.between(days[0] + 1, end_day), status))
        else:
            first_day = self.between(days[0] + 1, days[1])
            if first_day > days[0] + 1 and rng.random() < 0.3:
                slots.append((self.between(days[0] + 1, first_day - 1), PlanStatus.MISSED))
            slots.append((first_day, PlanStatus.DONE))
            # Most contacts happen while the deal moves (up to the last stage entered), the
            # rest spread over the whole history (revisits after signing, follow-ups).
            busy_until = max(days[reached], first_day + 1)
            for _ in range(max(0, total - len(slots))):
                last = busy_until if rng.random() < 0.6 else end_day
                slots.append((self.between(first_day + 1, last), _PAST_STATUS.pick(rng)))
        slots.sort(key=lambda s: s[0])

        agenda_by_stage = texts["agenda"]
        outcome_by_stage = texts["outcome"]
        forward = days[: reached + 1]
        first_done: int | None = None
        primary = contacts[0].id
        lost_ts = change_ts[-1]
        rows = self.out["contact_plans"]
        for day, status in slots:
            stage = STAGE_ORDER[min(reached, max(0, bisect_left(forward, day) - 1))].value
            if day >= 0 or status is PlanStatus.PLANNED:
                scheduled = self.at(day, _WORK_START + 15 * self.span(0, 36))
                created = max(
                    self.at(days[0], _WORK_END),
                    min(
                        scheduled - self.between(1, 10) * _DAY,
                        self.now_ts - self.between(1, 48) * 3600,
                    ),
                )
            else:
                scheduled = self.at(day, _WORK_START + 15 * self.span(0, 28))
                created = max(self.at(days[0], _WORK_END), scheduled - self.between(1, 10) * _DAY)
            created = min(created, scheduled, self.now_ts)
            done_at: datetime | None = None
            outcome: str | None = None
            next_step: str | None = None
            if status is PlanStatus.DONE:
                done = self.seen(scheduled + 60 * self.between(10, 60))
                if first_done is None:
                    first_done = done
                updated = done
                done_at = self.dt(done)
                outcome = self.pick(outcome_by_stage[stage])
                if rng.random() < 0.6:
                    next_step = self.pick(texts["next_step"])
            elif status is PlanStatus.MISSED:
                updated = min(scheduled + 3600 * self.between(1, 30), self.now_ts)
                outcome = self.pick(texts["missed"])
            elif status is PlanStatus.CANCELLED:
                if lost and day > end_day:
                    updated = lost_ts
                    created = min(created, lost_ts)
                else:
                    updated = created + int((scheduled - created) * rng.random())
                outcome = self.pick(texts["cancelled"]) if rng.random() < 0.7 else None
            else:
                updated = created
            rows.append(
                self.make_plan(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(created),
                        "updated_at": self.dt(updated),
                        "customer_id": cid,
                        "contact_id": primary if rng.random() < 0.7 else self.pick(contacts).id,
                        "method": _METHOD.pick(rng),
                        "scheduled_at": self.dt(scheduled),
                        "status": status,
                        "done_at": done_at,
                        "agenda": self.pick(agenda_by_stage[stage]),
                        "outcome": outcome,
                        "next_step": next_step,
                    }
                )
            )
        return first_done

    def window(self, days: list[int], stage: int, end_day: int) -> tuple[int, int]:
        """The days spent in `stage` (by index): after its entry day up to the next entry."""
        return days[stage] + 1, days[stage + 1] if stage + 1 < len(days) else end_day

    def needs_notes(
        self,
        cid: uuid.UUID,
        contacts: list[Contact],
        days: list[int],
        reached: int,
        final: Stage,
        texts: dict[str, Any],
        size: CompanySize,
    ) -> None:
        rng = self.rng
        if final is Stage.NEEDS and rng.random() < 0.15:
            return
        lo, hi = self.window(days, 2, -1 if final is not Stage.LOST else days[-1])
        for _ in range(self.between(1, 4)):
            kind = _NEED_KIND.pick(rng)
            ts = self.seen(self.work(self.between(lo, hi)))
            budget = None
            if rng.random() < 0.35:
                budget = _money(int(self.between(10, 300) * _SIZE_FACTOR[size]) * 10_000 * 100)
            self.out["needs_notes"].append(
                self.make_need(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(ts),
                        "updated_at": self.dt(ts),
                        "customer_id": cid,
                        "kind": kind,
                        "text": self.pick(texts["needs"][kind.value]),
                        "priority": _PRIORITY.pick(rng),
                        "budget": budget,
                        "decision_maker": self.pick(contacts).name if rng.random() < 0.5 else None,
                        "timeline": self.pick(texts["timeline"]) if rng.random() < 0.5 else None,
                        "noted_at": self.dt(ts),
                    }
                )
            )

    def lines(
        self,
        proposal_id: uuid.UUID,
        ts: int,
        lang: str,
        size: CompanySize,
        base: list[tuple[_Product, int, int, int]] | None = None,
    ) -> tuple[list[tuple[_Product, int, int, int]], int]:
        """Proposal lines (product, unit price in TWD, quantity, discount %) and the total in
        cents. With `base`, a revision: the same items, a little more discount."""
        rng = self.rng
        if base is None:
            items = []
            for product in rng.sample(self.words.products, self.between(1, 4)):
                lo, hi = product.qty
                qty = lo if lo == hi else max(1, round(self.between(lo, hi) * _SIZE_FACTOR[size]))
                price = self.between(*product.price) // 100 * 100
                items.append((product, price, qty, _DISCOUNT.pick(rng)))
        else:
            items = [(p, price, qty, min(30, disc + 5)) for p, price, qty, disc in base]
        total = 0
        created = self.dt(ts)
        for position, (product, price, qty, disc) in enumerate(items):
            total += price * 100 * qty * (100 - disc) // 100
            self.out["proposal_lines"].append(
                self.make_line(
                    {
                        "id": self.uid(),
                        "created_at": created,
                        "updated_at": created,
                        "proposal_id": proposal_id,
                        "position": position,
                        "product": product.zh if lang == "zh" else product.name,
                        "description": (product.name if lang == "zh" else product.zh)
                        if rng.random() < 0.3
                        else None,
                        "quantity": Decimal(qty * 1000).scaleb(-3),
                        "unit_price": _money(price * 100),
                        "discount_pct": Decimal(disc * 100).scaleb(-2),
                    }
                )
            )
        return items, total

    def proposal_title(
        self, items: list[tuple[_Product, int, int, int]], lang: str, texts: dict[str, Any]
    ) -> str:
        """A title named after the biggest line, without its unit ("(per day)")."""
        product = max(items, key=lambda item: item[1] * item[2])[0]
        name = product.zh.split("（")[0] if lang == "zh" else product.name.split(" (")[0]
        return _cut(self.pick(texts["proposal_title"]).format(product=name), 200)

    def proposal_row(
        self,
        cid: uuid.UUID,
        pid: uuid.UUID,
        *,
        version: int,
        previous: uuid.UUID | None,
        title: str,
        status: ProposalStatus,
        created: int,
        presented: int | None,
        updated: int,
        texts: dict[str, Any],
    ) -> Proposal:
        rng = self.rng
        valid_from = presented if presented is not None else created
        valid_days = self.pick((30, 45, 60, 90))
        valid_until = datetime.fromtimestamp(valid_from, self.zone).date() + timedelta(
            days=valid_days
        )
        row: Proposal = self.make_proposal(
            {
                "id": pid,
                "created_at": self.dt(created),
                "updated_at": self.dt(updated),
                "customer_id": cid,
                "previous_id": previous,
                "version": version,
                "title": title,
                "status": status,
                "price_structure": self.pick(texts["price_structure"]),
                "delivery_method": self.pick(texts["delivery_method"]),
                "delivery_time": self.pick(texts["delivery_time"]),
                "after_sales": self.pick(texts["after_sales"]),
                "valid_until": valid_until,
                "presented_at": None if presented is None else self.dt(presented),
                "notes": self.pick(texts["proposal_notes"]) if rng.random() < 0.3 else None,
            }
        )
        self.out["proposals"].append(row)
        return row

    def proposals(
        self,
        cid: uuid.UUID,
        days: list[int],
        change_ts: list[int],
        reached: int,
        final: Stage,
        texts: dict[str, Any],
        size: CompanySize,
    ) -> tuple[Proposal, int]:
        """Version 1 (and maybe a revision); returns the latest proposal and its total."""
        rng = self.rng
        lang = "zh" if texts is self.words.texts["zh"] else "en"
        end_day = days[-1] if final is Stage.LOST else -1
        lo, hi = self.window(days, 3, end_day)
        a = self.between(lo, hi)
        created = self.seen(self.at(a, self.span(_WORK_START, 12 * 60)))
        presented: int | None = self.at(self.between(a, hi), self.span(13 * 60, _WORK_END))
        pid = self.uid()
        items, total = self.lines(pid, created, lang, size)
        title = self.proposal_title(items, lang, texts)
        revise = reached >= 4 and rng.random() < 0.35
        if final is Stage.PROPOSAL and rng.random() < 0.25:
            status, presented = ProposalStatus.DRAFT, None
        elif revise:
            status = ProposalStatus.REJECTED
        elif reached >= 5:
            status = ProposalStatus.ACCEPTED
        elif final is Stage.LOST and rng.random() < 0.6:
            status = ProposalStatus.REJECTED
        else:
            status = ProposalStatus.PRESENTED
        if presented is not None:
            self.seen(presented)
        latest_created = created
        if revise:
            lo2, hi2 = self.window(days, 4, end_day)
            day2 = self.between(lo2, hi2)
            created2 = self.seen(self.at(day2, self.span(_WORK_START, 12 * 60)))
            presented2 = self.seen(self.at(day2, self.span(13 * 60, _WORK_END)))
            self.proposal_row(
                cid, pid, version=1, previous=None, title=title, status=status,
                created=created, presented=presented, updated=created2, texts=texts,
            )  # fmt: skip
            pid2 = self.uid()
            _items, total = self.lines(pid2, created2, lang, size, base=items)
            pid, previous, version, created, presented = pid2, pid, 2, created2, presented2
            latest_created = created2
            status = ProposalStatus.ACCEPTED if reached >= 5 else ProposalStatus.PRESENTED
            if final is Stage.LOST and reached < 5 and rng.random() < 0.6:
                status = ProposalStatus.REJECTED
        else:
            previous, version = None, 1
        if status is ProposalStatus.ACCEPTED:
            updated = change_ts[5]
        elif status is ProposalStatus.REJECTED and final is Stage.LOST:
            updated = change_ts[-1]
        else:
            updated = presented if presented is not None else latest_created
        row = self.proposal_row(
            cid, pid, version=version, previous=previous, title=title, status=status,
            created=latest_created, presented=presented, updated=updated, texts=texts,
        )  # fmt: skip
        return row, total

    def negotiations(
        self,
        cid: uuid.UUID,
        contacts: list[Contact],
        days: list[int],
        reached: int,
        final: Stage,
        texts: dict[str, Any],
        proposal: tuple[Proposal, int] | None,
    ) -> None:
        rng = self.rng
        if final is Stage.NEGOTIATION and rng.random() < 0.15:
            return
        lo, hi = self.window(days, 4, days[-1] if final is Stage.LOST else -1)
        latest = proposal[0] if proposal is not None else None
        points_text = texts["points"]
        for _ in range(1 if rng.random() < 0.65 else 2):
            held = self.at(self.between(lo, hi), self.span(_WORK_START, 15 * 60))
            written = self.seen(held + 60 * self.between(30, 120))
            nid = self.uid()
            proposal_id = None
            if latest is not None:
                proposal_id = latest.id
                if latest.created_at > self.dt(held) and latest.previous_id is not None:
                    proposal_id = latest.previous_id
            self.out["negotiations"].append(
                self.make_negotiation(
                    {
                        "id": nid,
                        "created_at": self.dt(written),
                        "updated_at": self.dt(written),
                        "customer_id": cid,
                        "proposal_id": proposal_id,
                        "held_at": self.dt(held),
                        "our_attendees": self.pick(texts["our_attendees"]),
                        "their_attendees": ", ".join(
                            c.name for c in rng.sample(contacts, self.between(1, len(contacts)))
                        ),
                        "next_steps": self.pick(texts["negotiation_next"]),
                        "strategy_notes": self.pick(texts["strategy_notes"]),
                    }
                )
            )
            position = 0
            for kind in (PointKind.KEY_INFO, PointKind.AGREED, PointKind.OPEN):
                for text in rng.sample(points_text[kind.value], self.between(1, 2)):
                    resolved = kind is PointKind.OPEN and reached >= 5 and rng.random() < 0.8
                    self.out["negotiation_points"].append(
                        self.make_point(
                            {
                                "id": self.uid(),
                                "created_at": self.dt(written),
                                "updated_at": self.dt(written),
                                "negotiation_id": nid,
                                "kind": kind,
                                "text": text,
                                "resolved": resolved,
                                "position": position,
                            }
                        )
                    )
                    position += 1

    def contract_row(
        self,
        cid: uuid.UUID,
        proposal_id: uuid.UUID,
        total: int,
        texts: dict[str, Any],
        *,
        created: int,
        clauses: Sequence[str],
        sent: int | None,
        reviewed: int | None,
        signed: int | None,
    ) -> Contract:
        rng = self.rng
        values: dict[str, Any] = {
            "id": self.uid(),
            "created_at": self.dt(created),
            "updated_at": self.dt(
                max(t for t in (created, sent, reviewed, signed) if t is not None)
            ),
            "customer_id": cid,
            "proposal_id": proposal_id,
            "value": _money(total),
            "cost": _money(total * self.between(55, 80) // 100),
            "legal_review": LegalReview.PENDING if reviewed is None else LegalReview.APPROVED,
            "legal_sent_at": None if sent is None else self.dt(sent),
            "legal_reviewer": None if reviewed is None else self.pick(texts["legal_reviewers"]),
            "legal_reviewed_at": None if reviewed is None else self.dt(reviewed),
            "legal_comments": self.pick(texts["legal_comments"])
            if reviewed is not None and rng.random() < 0.5
            else None,
            "signed_at": None if signed is None else self.dt(signed),
        }
        for clause in clauses:
            values[clause] = self.pick(texts["clauses"][clause])
        row: Contract = self.make_contract(values)
        self.out["contracts"].append(row)
        return row

    def contract(
        self,
        cid: uuid.UUID,
        days: list[int],
        proposal: tuple[Proposal, int],
        won: bool,
        texts: dict[str, Any],
    ) -> int | None:
        """The contract of a customer that reached the contract stage; returns signed_at."""
        rng = self.rng
        row, total = proposal
        if won:
            draft_day, won_day = days[5] + 1, days[6]
            sent_day = self.between(draft_day, won_day - 2)
            review_day = self.between(sent_day + 1, won_day - 1)
            signed = self.seen(self.at(won_day, self.span(10 * 60, 16 * 60)))
            self.contract_row(
                cid, row.id, total, texts,
                created=self.seen(self.at(draft_day, self.span(_WORK_START, 11 * 60))),
                clauses=CONTRACT_CLAUSES,
                sent=self.at(sent_day, self.span(14 * 60, _WORK_END)),
                reviewed=self.work(review_day),
                signed=signed,
            )  # fmt: skip
            return signed
        lo, hi = self.window(days, 5, -1)  # up to the lost day, if lost
        draft_day = self.between(lo, hi)
        self.contract_row(
            cid, row.id, total, texts,
            created=self.seen(self.at(draft_day, self.span(_WORK_START, 11 * 60))),
            clauses=rng.sample(CONTRACT_CLAUSES, self.between(2, 5)),
            sent=self.at(self.between(draft_day, hi), self.span(14 * 60, _WORK_END))
            if rng.random() < 0.5
            else None,
            reviewed=None,
            signed=None,
        )  # fmt: skip
        return None

    def follow_up(
        self, cid: uuid.UUID, days: list[int], texts: dict[str, Any], size: CompanySize
    ) -> None:
        """After signing: kick-off, milestones, progress reports, surveys, maybe a repeat order."""
        rng = self.rng
        contract = self.out["contracts"][-1]
        won_day = days[6]
        kickoff_day = self.between(won_day + 1, min(won_day + 7, -1))
        kickoff = self.seen(self.at(kickoff_day, self.span(_WORK_START, 11 * 60)))
        planned = self.at(won_day, _WORK_END) + 60 * self.between(0, 60)
        self.milestone(
            cid,
            contract.id,
            MilestoneKind.KICKOFF,
            texts["kickoff"],
            planned,
            kickoff_day,
            kickoff,
            None,
        )
        titles = texts["milestones"]
        due_day = kickoff_day
        for index in sorted(rng.sample(range(len(titles)), self.between(2, 4))):
            due_day += self.between(10, 45)
            done: int | None = None
            note = None
            if due_day <= -1 and rng.random() < 0.9:
                done = self.seen(self.work(min(due_day + self.between(-3, 2), -1)))
                note = self.pick(texts["quality_notes"]) if rng.random() < 0.6 else None
            self.milestone(
                cid,
                contract.id,
                MilestoneKind.MILESTONE,
                titles[index],
                planned,
                due_day,
                done,
                note,
            )
        report_day = self.between(kickoff_day, -1)
        while report_day <= -1:
            ts = self.seen(self.at(report_day, self.span(13 * 60, _WORK_END)))
            self.out["progress_reports"].append(
                self.make_report(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(ts),
                        "updated_at": self.dt(ts),
                        "customer_id": cid,
                        "contract_id": contract.id,
                        "sent_at": self.dt(ts),
                        "channel": self.pick(texts["report_channels"]),
                        "summary": self.pick(texts["report_summaries"]),
                    }
                )
            )
            report_day += self.between(20, 45)
        survey_day = self.between(kickoff_day, -1)
        for _ in range(2):
            score = _SCORE.pick(rng)
            band = "good" if score >= 4 else "neutral" if score == 3 else "bad"
            ts = self.seen(self.at(survey_day, self.span(13 * 60, _WORK_END)))
            self.out["surveys"].append(
                self.make_survey(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(ts),
                        "updated_at": self.dt(ts),
                        "customer_id": cid,
                        "score": score,
                        "comment": self.pick(texts["survey"][band]) if rng.random() < 0.7 else None,
                        "taken_at": self.dt(ts),
                        "method": _SURVEY_METHOD.pick(rng),
                    }
                )
            )
            if survey_day + 30 > -1 or rng.random() < 0.6:
                break
            survey_day = self.between(survey_day + 30, -1)
        if won_day <= -60 and rng.random() < 0.2:
            self.repeat_order(cid, won_day, texts, size)

    def milestone(
        self,
        cid: uuid.UUID,
        contract_id: uuid.UUID,
        kind: MilestoneKind,
        title: str,
        created: int,
        due_day: int,
        done: int | None,
        note: str | None,
    ) -> None:
        self.out["milestones"].append(
            self.make_milestone(
                {
                    "id": self.uid(),
                    "created_at": self.dt(created),
                    "updated_at": self.dt(created if done is None else done),
                    "customer_id": cid,
                    "contract_id": contract_id,
                    "kind": kind,
                    "title": title,
                    "due_on": self.day(due_day),
                    "done_at": None if done is None else self.dt(done),
                    "quality_note": note,
                }
            )
        )

    def repeat_order(
        self, cid: uuid.UUID, won_day: int, texts: dict[str, Any], size: CompanySize
    ) -> None:
        """A second, signed contract some weeks after the first (revenue, not a new customer)."""
        lang = "zh" if texts is self.words.texts["zh"] else "en"
        signed_day = self.between(won_day + 30, -1)
        offer_day = signed_day - self.between(5, 15)
        created = self.seen(self.at(offer_day, self.span(_WORK_START, 12 * 60)))
        presented = self.seen(self.at(offer_day, self.span(13 * 60, _WORK_END)))
        draft = self.seen(self.at(offer_day + 1, self.span(_WORK_START, 11 * 60)))
        signed = self.seen(self.at(signed_day, self.span(10 * 60, 16 * 60)))
        pid = self.uid()
        items, total = self.lines(pid, created, lang, size)
        self.proposal_row(
            cid, pid, version=1, previous=None,
            title=self.proposal_title(items, lang, texts),
            status=ProposalStatus.ACCEPTED, created=created, presented=presented, updated=draft,
            texts=texts,
        )  # fmt: skip
        self.contract_row(
            cid, pid, total, texts,
            created=draft, clauses=CONTRACT_CLAUSES,
            sent=self.at(offer_day + 1, self.span(14 * 60, _WORK_END)),
            reviewed=self.work(signed_day - 1), signed=signed,
        )  # fmt: skip

    def credit_checks(
        self, cid: uuid.UUID, days: list[int], final: Stage, end_day: int, texts: dict[str, Any]
    ) -> None:
        rng, w = self.rng, self.words
        if rng.random() >= 0.5:
            return
        lo = days[0] + 1
        checks: list[tuple[int, CreditRating]] = []
        if final in (Stage.PROSPECT, Stage.LOST) and rng.random() < 0.2:
            # Poor credit, found after the last forward move (so no gate was passed with it).
            d_lo = days[-2] + 1 if final is Stage.LOST else lo
            worst = self.between(d_lo, end_day)
            if worst - 1 >= lo and rng.random() < 0.4:
                checks.append((self.between(lo, worst - 1), _RATING.pick(rng)))
            checks.append((worst, CreditRating.D))
        else:
            count = 2 if rng.random() < 0.3 and end_day - lo >= 1 else 1
            for day in sorted(rng.sample(range(lo, end_day + 1), count)):
                checks.append((day, _RATING.pick(rng)))
        notes = texts["credit_notes"]
        for day, rating in checks:
            ts = self.seen(self.work(day))
            band = (
                "good"
                if rating in (CreditRating.A, CreditRating.B)
                else ("fair" if rating is CreditRating.C else "poor")
            )
            limit = {
                CreditRating.A: (200, 1000),
                CreditRating.B: (50, 300),
                CreditRating.C: (10, 80),
            }.get(rating)
            self.out["credit_checks"].append(
                self.make_credit(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(ts),
                        "updated_at": self.dt(ts),
                        "customer_id": cid,
                        "checked_on": self.day(day),
                        "rating": rating,
                        "source": self.pick(w.credit_sources),
                        "credit_limit": _money(self.between(*limit) * 10_000 * 100)
                        if limit
                        else _money(0),
                        "notes": self.pick(notes[band])
                        if band == "poor" or rng.random() < 0.3
                        else None,
                    }
                )
            )

    def competitor_notes(
        self,
        cid: uuid.UUID,
        days: list[int],
        reached: int,
        end_day: int,
        texts: dict[str, Any],
        lost_reason: str | None,
    ) -> None:
        rng = self.rng
        if lost_reason != "chose a competitor" and rng.random() >= 0.3:
            return
        lo = days[min(2, reached)] + 1
        for competitor in rng.sample(self.words.competitors, 1 if rng.random() < 0.75 else 2):
            ts = self.seen(self.work(self.between(lo, end_day)))
            self.out["competitor_notes"].append(
                self.make_competitor(
                    {
                        "id": self.uid(),
                        "created_at": self.dt(ts),
                        "updated_at": self.dt(ts),
                        "customer_id": cid,
                        "competitor": competitor,
                        "offer": self.pick(texts["competitor_offers"])
                        if rng.random() < 0.7
                        else None,
                        "strengths": self.pick(texts["competitor_strengths"]),
                        "weaknesses": self.pick(texts["competitor_weaknesses"]),
                    }
                )
            )

    # -- after all customers ---------------------------------------------------------------

    def number_contracts(self) -> None:
        """Contract numbers in drafting order, per local year: SD-2026-0001, ..."""
        serial: dict[int, int] = {}
        for row in sorted(self.out["contracts"], key=lambda c: (c.created_at, c.id)):
            year = row.created_at.astimezone(self.zone).year
            serial[year] = serial.get(year, 0) + 1
            row.__dict__["number"] = f"SD-{year}-{serial[year]:04d}"
            row.__pydantic_fields_set__.add("number")

    def targets(self) -> None:
        """Targets for the last 12 months, 4 quarters and 2 years, from the year's pace."""
        year_ago = self.now - timedelta(days=_HISTORY_DAYS)
        signed = [
            c for c in self.out["contracts"] if c.signed_at is not None and c.signed_at >= year_ago
        ]
        wins = sum(
            1
            for c in self.out["customers"]
            if c.first_signed_at is not None and c.first_signed_at >= year_ago
        )
        revenue = sum((c.value for c in signed), Decimal(0)) / 12
        profit = sum((c.value - c.cost for c in signed), Decimal(0)) / 12
        monthly = {
            Kpi.NEW_CUSTOMERS: Decimal(max(1, round(wins / 12 * 1.1 + 0.49))),
            Kpi.SUCCESS_RATE: Decimal("0.25"),
            Kpi.REVENUE: (revenue * Decimal("1.1") / 10_000).to_integral_value() * 10_000,
            Kpi.PROFIT: (profit * Decimal("1.1") / 10_000).to_integral_value() * 10_000,
            Kpi.SATISFACTION: Decimal("4.2"),
        }
        scale = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
        periods: list[Period] = []
        for kind, count in ((PeriodKind.MONTH, 12), (PeriodKind.QUARTER, 4), (PeriodKind.YEAR, 2)):
            period = period_containing(self.now, kind, self.zone)
            for _ in range(count):
                periods.append(period)
                period = period.previous()
        for period in periods:
            ts = self.dt(
                min(int(period.start.timestamp()) + 9 * 3600 + self.between(0, 3600), self.now_ts)
            )
            for kpi, base in monthly.items():
                value = base * scale[period.kind] if kpi in _SUMMED else base
                self.out["targets"].append(
                    self.make_target(
                        {
                            "id": self.uid(),
                            "created_at": ts,
                            "updated_at": ts,
                            "period_kind": period.kind,
                            "period_label": period.label,
                            "kpi": kpi,
                            "value": value.quantize(_Q4),
                        }
                    )
                )


def generate_demo(
    *, customers: int, seed: int, now: datetime, zone: ZoneInfo
) -> dict[str, list[Record]]:
    """A realistic year of one rep's customer development, ending at `now`.

    Returns unsaved model instances keyed by exchange collection name (see `COLLECTIONS`),
    parents before children, so inserting the lists in order satisfies every foreign key.
    Deterministic: the same arguments give equal records, ids included.
    """
    if customers < 0:
        raise ValueError("customers must not be negative")
    demo = _Demo(seed, now, zone)
    # Millions of new objects and no garbage: the cyclic collector would only walk them over
    # and over (a third of the run time at 10,000 customers). It is switched back on after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return demo.run(customers)
    finally:
        if collecting:
            gc.enable()
