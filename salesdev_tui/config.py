"""The rep's settings: typed defaults in code, overridden by a TOML file.

`load_settings` reads the file (``paths.config_path()``) once; the CLI hands the result
to the App. Every problem in the file becomes a `ConfigError` that names the file, the
dotted key and what is wrong, in words a rep can act on.
"""
# Over 400 lines on purpose: every setting with its default, check and help, so the file's
# reader finds them all.

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tomllib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from salesdev_tui.i18n import LANGUAGES, _
from salesdev_tui.paths import ensure_private_dir

__all__ = [
    "DEFAULT_LOST_REASONS",
    "DEFAULT_STAGE_PROBABILITIES",
    "PROBABILITY_STAGES",
    "Company",
    "ConfigError",
    "Settings",
    "Targets",
    "load_settings",
    "save_setting",
    "system_timezone",
]

DEFAULT_LOST_REASONS: tuple[str, ...] = (
    "price",
    "chose a competitor",
    "no budget",
    "no need",
    "no response",
    "timing",
    "other",
)

#: Stages a probability can be set for: the open ones (won is 1 and lost is 0 by definition).
#: These are `models.enums.Stage` values, spelt out so that reading the settings does not
#: import the models package (and SQLModel with it); a test keeps the two in step.
PROBABILITY_STAGES: tuple[str, ...] = (
    "prospect",
    "contacted",
    "needs",
    "proposal",
    "negotiation",
    "contract",
)

#: Chance of winning from each open stage, for the weighted pipeline.
DEFAULT_STAGE_PROBABILITIES: Mapping[str, Decimal] = dict(
    zip(
        PROBABILITY_STAGES,
        (Decimal(p) for p in ("0.05", "0.1", "0.2", "0.4", "0.6", "0.8")),
        strict=True,
    )
)


class ConfigError(Exception):
    """The settings file cannot be used. `str(error)` is the message to show the rep."""

    def __init__(
        self,
        path: Path,
        key: str | None,
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = path
        """The settings file."""
        self.key = key
        """The dotted key at fault (``"targets.revenue"``), or None for a file-level problem."""
        self.problem = problem
        """What is wrong, without the file name."""
        self.line = line
        """The line of a TOML syntax error, if known."""
        self.column = column
        """The column of a TOML syntax error, if known."""
        if key is None:
            message = _("Settings file {path} {problem}").format(path=path, problem=problem)
        else:
            message = _("Settings file {path}: {key} {problem}").format(
                path=path, key=key, problem=problem
            )
        self.message = message
        """The full message: file, key and problem."""
        super().__init__(message)


# ---------------------------------------------------------------------------------------
# Time zones


def _zone_is_valid(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _zone_name_from_path(target: str) -> str:
    """``/usr/share/zoneinfo/Asia/Taipei`` -> ``Asia/Taipei``; other text unchanged."""
    if "zoneinfo/" in target:
        target = target.rsplit("zoneinfo/", 1)[1]
        for prefix in ("posix/", "right/"):
            target = target.removeprefix(prefix)
    return target


def system_timezone(
    environ: Mapping[str, str] | None = None,
    etc_timezone: Path = Path("/etc/timezone"),
    localtime: Path = Path("/etc/localtime"),
) -> str:
    """The system's IANA zone name, or ``"UTC"`` when it cannot be found.

    Tries, in order: the ``TZ`` env var (if it is an IANA name), ``/etc/timezone``, and the
    target of the ``/etc/localtime`` symlink after ``zoneinfo/``.
    """
    env = os.environ if environ is None else environ
    candidates: list[str] = [_zone_name_from_path(env.get("TZ", "").strip().removeprefix(":"))]
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for line in etc_timezone.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                candidates.append(line)
                break
    with contextlib.suppress(OSError):
        target = os.readlink(localtime)
        if "zoneinfo/" in target:
            candidates.append(_zone_name_from_path(target))
    for name in candidates:
        if name and _zone_is_valid(name):
            return name
    return "UTC"


# ---------------------------------------------------------------------------------------
# Field checks. Each takes the value as given (from TOML or a keyword) and returns it
# normalised, or raises `_Invalid`; the problem text is shown to the rep after the key name.

#: Where a problem is: the field name, then the table keys and list indexes inside it.
_Loc = tuple[str | int, ...]


def _dotted(loc: _Loc) -> str:
    """``("targets", "revenue")`` -> ``targets.revenue``; ``("lost_reasons", 1)`` -> ``...[1]``."""
    key = ""
    for part in loc:
        if isinstance(part, str):
            key += f".{part}" if key else part
        else:
            key += f"[{part}]"
    return key


class _Invalid(ValueError):
    """A bad setting value. `str(error)` is ``"<dotted key> <problem>"``, e.g.
    ``"idle_days must be at least 1"``; `load_settings` turns it into a `ConfigError`."""

    def __init__(self, problem: str, loc: _Loc = ()) -> None:
        self.problem = problem
        self.loc = loc
        key = _dotted(loc)
        super().__init__(f"{key} {problem}" if key else problem)

    def inside(self, *outer: str | int) -> _Invalid:
        """The same problem, located under `outer`."""
        return _Invalid(self.problem, (*outer, *self.loc))


def _unknown_setting(key: object) -> _Invalid:
    return _Invalid(_("is not a known setting (check the spelling)"), (_loc_part(key),))


def _loc_part(key: object) -> str | int:
    return key if isinstance(key, str | int) else repr(key)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(_("must be text in quotes"))
    return value


def _whole(minimum: int, maximum: int) -> Callable[[object], int]:
    """A strict whole number (not a bool, not ``"14"``, not ``14.5``) from `minimum` to
    `maximum` (a huge number would overflow the dates and timers it feeds)."""

    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(_("must be a whole number"))
        if value < minimum:
            raise _Invalid(_("must be at least {limit}").format(limit=minimum))
        if value > maximum:
            raise _Invalid(_("must be at most {limit:,}").format(limit=maximum))
        return value

    return check


def _number(value: object) -> Decimal:
    """A finite Decimal from a Decimal, an int, a float or numeric text (not a bool)."""
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # 0.03 -> Decimal("0.03"), not the binary expansion
    elif isinstance(value, str):
        with contextlib.suppress(InvalidOperation, ValueError):
            number = Decimal(value)
    if number is None or not number.is_finite():
        raise _Invalid(_("must be a number"))
    return number


def _fraction(value: object) -> Decimal:
    number = _number(value)
    if not Decimal(0) <= number <= Decimal(1):
        raise _Invalid(_("must be a fraction from 0 to 1 (write 0.3 for 30%)"))
    return number


#: Money stays below this, as every amount the app stores does (`text_rules.MONEY_LIMIT`:
#: integer cents); a test keeps the two in step. Not imported: reading settings stays light.
_MONEY_LIMIT = Decimal(10) ** 13


def _amount(value: object) -> Decimal:
    number = _number(value)
    if number < 0:
        raise _Invalid(_("must not be negative"))
    if number >= _MONEY_LIMIT:
        raise _Invalid(_("must be below {limit:,}").format(limit=int(_MONEY_LIMIT)))
    return number


def _score(value: object) -> Decimal:
    number = _number(value)
    if not Decimal(1) <= number <= Decimal(5):
        raise _Invalid(_("must be a score from 1 to 5"))
    return number


_V = TypeVar("_V")


def _optional(check: Callable[[object], _V]) -> Callable[[object], _V | None]:
    def optional(value: object) -> _V | None:
        return None if value is None else check(value)

    return optional


def _zone_name(value: object) -> str:
    name = _text(value).strip()
    if not _zone_is_valid(name):
        raise _Invalid(
            _("is not a known IANA time zone: {name!r} (e.g. Asia/Taipei)").format(name=name)
        )
    return name


#: Currencies known to be in Babel's list (a test checks each): these pass without loading
#: Babel and its data (~10 ms of every start-up, before the first frame).
EVERYDAY_CURRENCIES = frozenset({
    "TWD", "USD", "EUR", "JPY", "CNY", "HKD", "SGD", "KRW", "GBP", "AUD", "CAD", "CHF",
    "MYR", "THB", "VND", "PHP", "IDR", "INR", "NZD", "MOP",
})


def _currency(value: object) -> str:
    code = _text(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise _Invalid(_("must be a 3-letter currency code such as TWD"))
    if code in EVERYDAY_CURRENCIES:
        return code
    # Babel's list of ISO 4217 currencies: its data also gives each one's minor units,
    # which the money formats need (TWD and JPY are shown without decimals).
    from babel.numbers import is_currency

    if not is_currency(code):
        raise _Invalid(_("is not a known ISO 4217 currency code: {code} (e.g. TWD, USD, JPY)")
                       .format(code=code))
    return code


def _language(value: object) -> str:
    code = _text(value).strip()
    if code and code not in LANGUAGES:
        raise _Invalid(_("must be one of: {choices} (or empty to follow the environment)")
                       .format(choices=", ".join(LANGUAGES)))
    return code


def _region(value: object) -> str:
    code = _text(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise _Invalid(_("must be a 2-letter region code such as TW"))
    return code


def _number_prefix(value: object) -> str:
    """Letters, digits and dashes (it starts a contract number such as SD-2026-0001)."""
    prefix = _text(value).strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,11}", prefix) or prefix.endswith("-"):
        raise _Invalid(_("must be 1 to 12 letters, digits or dashes, such as SD"))
    return prefix


def _table(value: object) -> Mapping[Any, object]:
    if not isinstance(value, Mapping):
        raise _Invalid(_("must be a table"))
    return value


def _text_key(key: object) -> str:
    if not isinstance(key, str):
        raise _Invalid(_("must be text in quotes"), (_loc_part(key),))
    return key


def _keymap(value: object) -> dict[str, str]:
    keymap: dict[str, str] = {}
    for key, keys in _table(value).items():
        name = _text_key(key)
        try:
            keymap[name] = _text(keys)
        except _Invalid as error:
            raise error.inside(name) from None
    return keymap


def _reasons(value: object) -> list[str]:
    if not isinstance(value, list | tuple | set | frozenset | deque):
        raise _Invalid(_("must be a list"))
    reasons: list[str] = []
    for index, item in enumerate(value):
        try:
            reasons.append(_text(item).strip())
        except _Invalid as error:
            raise error.inside(index) from None
    if not reasons:
        raise _Invalid(_("must list at least one reason"))
    if any(not reason for reason in reasons):
        raise _Invalid(_("must not contain an empty reason"))
    return reasons


def _probabilities(value: object) -> dict[str, Decimal]:
    """Stage -> fraction; the stages left out keep their defaults."""
    merged: dict[Any, object] = {**DEFAULT_STAGE_PROBABILITIES, **_table(value)}
    probabilities: dict[str, Decimal] = {}
    for key, probability in merged.items():
        stage = _text_key(key)
        if stage not in PROBABILITY_STAGES:
            problem = _("has an unknown stage {name!r}; the stages are: {stages}").format(
                name=stage, stages=", ".join(PROBABILITY_STAGES)
            )
            raise _Invalid(problem, (stage,))
        try:
            probabilities[stage] = _fraction(probability)
        except _Invalid as error:
            raise error.inside(stage) from None
    return probabilities


def _targets(value: object) -> Targets:
    if isinstance(value, Targets):
        return value
    return _from_table(Targets, _table(value))


def _company(value: object) -> Company:
    if isinstance(value, Company):
        return value
    return _from_table(Company, _table(value))


def _line(value: object) -> str:
    """One line of text for a document header, trimmed."""
    text = _text(value).strip()
    if "\n" in text or "\r" in text:
        raise _Invalid(_("must be on one line"))
    if len(text) > 200:
        raise _Invalid(_("is too long: at most {limit} characters (this has {count})").format(
            limit=200, count=len(text)))
    return text


def _address(value: object) -> str:
    text = _text(value).strip()
    if len(text) > 500:
        raise _Invalid(_("is too long: at most {limit} characters (this has {count})").format(
            limit=500, count=len(text)))
    return text


def _phone(value: object) -> str:
    text = _line(value)
    if text:
        # Imported here: the phone rules load phonenumbers, and reading settings stays light.
        from salesdev_tui.domain.text_rules import phone_problem

        problem = phone_problem(text)
        if problem is not None:
            raise _Invalid(problem)
    return text


def _email(value: object) -> str:
    text = _line(value)
    if not text:
        return text
    from salesdev_tui.domain.text_rules import normalize_email

    try:
        return normalize_email(text)
    except ValueError as error:
        raise _Invalid(str(error)) from None


def _tax_id(value: object) -> str:
    text = _line(value)
    from salesdev_tui.domain.tax_id import normalize_tax_id, tax_id_problem

    problem = tax_id_problem(text)
    if problem is not None:
        raise _Invalid(problem)
    return normalize_tax_id(text) or ""


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(_("must be true or false (without quotes)"))
    return value


def _tax_rate(value: object) -> Decimal:
    number = _fraction(value)
    if number >= Decimal("0.5"):  # 0.5 and up is a percentage typed as a whole number
        raise _Invalid(_("must be a fraction below 0.5 (write 0.05 for 5%)"))
    return number


def _check_fields(instance: Targets | Company | Settings, checks: Mapping[str, _Check]) -> None:
    """Check and normalise every field of a just-built (frozen) instance, in field order."""
    for name, check in checks.items():
        try:
            value = check(getattr(instance, name))
        except _Invalid as error:
            raise error.inside(name) from None
        object.__setattr__(instance, name, value)


_T = TypeVar("_T", "Targets", "Company", "Settings")


def _from_table(cls: type[_T], table: Mapping[Any, object]) -> _T:
    """Build `cls` from a TOML table: bad values first (in field order), then unknown keys."""
    checks = {Targets: _TARGETS_CHECKS, Company: _COMPANY_CHECKS}.get(cls, _SETTINGS_CHECKS)
    known: dict[str, Any] = {key: value for key, value in table.items() if key in checks}
    instance = cls(**known)
    for key in table:
        if key not in checks:
            raise _unknown_setting(key)
    return instance


# ---------------------------------------------------------------------------------------
# The settings


@dataclass(frozen=True, kw_only=True)
class Targets:
    """The rep's monthly targets; a KPI without a target is simply not compared."""

    new_customers: int | None = None
    """Customers whose first contract is signed in the month."""
    success_rate: Decimal | None = None
    """New customers / prospects contacted, as a fraction (0.25 = 25%)."""
    revenue: Decimal | None = None
    """Sum of contract values signed in the month, in the configured currency."""
    profit: Decimal | None = None
    """Sum of (value - cost) of the contracts signed in the month."""
    satisfaction: Decimal | None = None
    """Mean survey score in the month, from 1 to 5."""

    def __post_init__(self) -> None:
        _check_fields(self, _TARGETS_CHECKS)


@dataclass(frozen=True, kw_only=True)
class Company:
    """The seller on a proposal: the `[company]` table. Blank fields are left off the page."""

    name: str = ""
    """The company's name as it signs documents (e.g. 精密機械股份有限公司)."""
    address: str = ""
    phone: str = ""
    tax_id: str = ""
    """統一編號 (8 digits, checked) or another country's tax ID."""
    rep_name: str = ""
    """The rep's name as printed on documents; blank: the top-level ``rep_name``."""
    rep_title: str = ""
    rep_phone: str = ""
    rep_email: str = ""
    tax_rate: Decimal = Decimal("0.05")
    """Business tax (營業稅) as a fraction: 0.05 = 5 %."""
    prices_include_tax: bool = False
    """Whether unit prices already include the business tax (含稅) or not (未稅)."""

    def __post_init__(self) -> None:
        _check_fields(self, _COMPANY_CHECKS)


@dataclass(frozen=True, kw_only=True)
class Team:
    """The department's team server this laptop syncs with (`salesdev team join`)."""

    url: str = ""
    """postgresql://HOST:PORT/DATABASE (no password: that is kept in a 0600 file)."""
    user: str = ""
    """The rep's login name on the server."""
    sslmode: str = "prefer"
    """libpq's sslmode: disable, allow, prefer, require, verify-ca or verify-full."""
    role: str = "rep"
    """What the server said this user is at `team join`: rep, manager or legal. It picks
    the TUI's first screen only; what the user may do is the server's row-level security."""
    sync_minutes: int = 5
    """The TUI syncs in the background every this many minutes (0: only at start, shortly
    after a change, and on demand)."""

    @property
    def configured(self) -> bool:
        return bool(self.url and self.user)


def _team(value: object) -> Team:
    if isinstance(value, Team):
        return value
    table = _table(value)
    for key in table:
        if key not in ("url", "user", "sslmode", "role", "sync_minutes"):
            raise _unknown_setting(str(key))
    values: dict[str, Any] = {}
    for key, item in table.items():
        try:
            values[str(key)] = (_SYNC_MINUTES(item) if key == "sync_minutes"
                                else _text(item))
        except _Invalid as error:
            raise error.inside(str(key)) from None
    return _checked_team(Team(**values))


#: At most a day between timed syncs.
_SYNC_MINUTES = _whole(0, 1440)


def _checked_team(team: Team) -> Team:
    from urllib.parse import urlsplit

    if team.url:
        try:
            parts = urlsplit(team.url)
        except ValueError:
            raise _Invalid(_("must be a postgresql:// URL"), ("url",)) from None
        if parts.scheme not in ("postgresql", "postgres"):
            raise _Invalid(_("must be a postgresql:// URL"), ("url",))
        if parts.password or parts.username:
            raise _Invalid(_("must not name a user or carry a password (the user is"
                             " `user`; the password is kept in a private file)"), ("url",))
    if team.sslmode not in ("disable", "allow", "prefer", "require", "verify-ca",
                            "verify-full"):
        raise _Invalid(_("must be one of disable, allow, prefer, require, verify-ca,"
                         " verify-full"), ("sslmode",))
    if team.role not in ("rep", "manager", "legal"):
        raise _Invalid(_("must be one of rep, manager, legal"), ("role",))
    try:
        _SYNC_MINUTES(team.sync_minutes)
    except _Invalid as error:
        raise error.inside("sync_minutes") from None
    return team


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the rep can configure. Defaults live here; the TOML file overrides them.

    Building one checks every value (``Settings(idle_days=0)`` raises a ValueError whose
    text names the field and the problem); `load_settings` turns that into a `ConfigError`.
    """

    rep_name: str = ""
    """The rep's name, shown in reports and exports."""
    timezone: str = field(default_factory=system_timezone)
    """IANA time zone (e.g. ``Asia/Taipei``) in which days, months and quarters are cut."""
    currency: str = "TWD"
    """ISO 4217 code (3 upper-case letters) of the money amounts."""
    phone_region: str = "TW"
    """ISO 3166 alpha-2 region used to read phone numbers written without a country code."""
    commission_rate: Decimal = Decimal("0.03")
    """Commission = revenue x this rate (0.03 = 3%)."""
    targets: Targets = field(default_factory=Targets)
    """Monthly targets per KPI."""
    theme: str = "textual-dark"
    """Textual theme name; changing the theme in the app saves it here."""
    language: str = ""
    """"en" or "zh_TW"; empty follows LC_ALL / LC_MESSAGES / LANG. The palette saves it."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (e.g. ``"customer-new" = "ctrl+n"``), given to ``App.set_keymap``."""
    idle_days: int = 14
    """A customer with no activity for this many days is "idle"."""
    lost_reasons: list[str] = field(default_factory=lambda: list(DEFAULT_LOST_REASONS))
    """The reasons offered when a customer is marked lost."""
    stage_probabilities: dict[str, Decimal] = field(
        default_factory=lambda: dict(DEFAULT_STAGE_PROBABILITIES)
    )
    """Chance of winning from each open stage, for the weighted pipeline.

    Stages left out of the file keep their defaults."""
    backups_keep: int = 7
    """How many automatic backups to keep beside the database."""
    idle_lock_minutes: int = 0
    """Lock the screen after this many idle minutes (0 = never).

    Only an encrypted database locks (`salesdev encrypt`): its passphrase unlocks it."""
    contract_prefix: str = "SD"
    """What a new contract's number starts with: PREFIX-YEAR-0001, numbered per year."""
    company: Company = field(default_factory=Company)
    """The seller's header on proposals, and the business tax (the `[company]` table)."""
    team: Team = field(default_factory=Team)
    """The department's team server (`salesdev team join` fills it in)."""

    def __post_init__(self) -> None:
        _check_fields(self, _SETTINGS_CHECKS)

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def model_copy(self, *, update: Mapping[str, object]) -> Settings:
        """A copy with the `update` values, checked like the file's (raises ValueError).

        Named after pydantic's method, which callers used before settings were dataclasses.
        """
        for key in update:
            if key not in _SETTINGS_CHECKS:
                raise _unknown_setting(key)
        changes: dict[str, Any] = dict(update)
        return dataclasses.replace(self, **changes)


_Check = Callable[[object], object]

#: The check of each field, in field order (a test keeps them in step with the fields).
_TARGETS_CHECKS: Mapping[str, _Check] = {
    "new_customers": _optional(_whole(0, 10**9)),
    "success_rate": _optional(_fraction),
    "revenue": _optional(_amount),
    "profit": _optional(_amount),
    "satisfaction": _optional(_score),
}

_COMPANY_CHECKS: Mapping[str, _Check] = {
    "name": _line,
    "address": _address,
    "phone": _phone,
    "tax_id": _tax_id,
    "rep_name": _line,
    "rep_title": _line,
    "rep_phone": _phone,
    "rep_email": _email,
    "tax_rate": _tax_rate,
    "prices_include_tax": _flag,
}

_SETTINGS_CHECKS: Mapping[str, _Check] = {
    "rep_name": _text,
    "timezone": _zone_name,
    "currency": _currency,
    "phone_region": _region,
    "commission_rate": _fraction,
    "targets": _targets,
    "theme": _text,
    "language": _language,
    "keymap": _keymap,
    "idle_days": _whole(1, 36_500),
    "lost_reasons": _reasons,
    "stage_probabilities": _probabilities,
    "backups_keep": _whole(1, 10_000),
    "idle_lock_minutes": _whole(0, 10_080),
    "contract_prefix": _number_prefix,
    "company": _company,
    "team": _team,
}

#: Settings that hold text: `save_setting` stores their value as a TOML string.
_TEXT_SETTINGS = frozenset(f.name for f in dataclasses.fields(Settings) if f.type in ("str", str))


# ---------------------------------------------------------------------------------------
# Reading


_POSITION = re.compile(
    r"^(?P<detail>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


def _syntax_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigError:
    raw = str(error)
    match = _POSITION.match(raw)
    if match is None:
        return ConfigError(path, None, _("is not valid TOML: {detail}").format(detail=raw))
    if match["line"] is not None:
        line, column = int(match["line"]), int(match["col"])
    else:  # "at end of document"
        line = text.count("\n") + 1
        column = len(text.rsplit("\n", 1)[-1]) + 1
    problem = _("is not valid TOML at line {line}, column {column}: {detail}").format(
        line=line, column=column, detail=match["detail"]
    )
    return ConfigError(path, None, problem, line=line, column=column)


def _read_text(path: Path) -> str | None:
    """The file's text, or None if it does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(
            path, None, _("cannot be read: {reason}").format(reason=error.strerror or error)
        ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(path, None, _("is not UTF-8 text")) from error


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        # Decimal keeps 0.03 exact: money and rates are never floats.
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, error) from error
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(path, None, _("is nested too deeply to read (arrays or tables "
                                        "inside each other)")) from None


def load_settings(path: Path) -> Settings:
    """Read the settings file at `path`; a missing file gives the defaults.

    Raises:
        ConfigError: the file cannot be read, is not valid TOML, or holds an unknown key or
            a bad value.
    """
    text = _read_text(path)
    if text is None:
        return Settings()
    data = _parse(path, text)
    try:
        return _from_table(Settings, data)
    except _Invalid as error:
        raise ConfigError(path, _dotted(error.loc) or None, error.problem) from error


# ---------------------------------------------------------------------------------------
# Writing


def _atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step; a new file is 0600, a new dir 0700."""
    if path.is_symlink():  # keep a dotfiles symlink working: write through it
        path = path.resolve()
    parent = path.parent
    if not parent.exists():
        ensure_private_dir(parent)
    from salesdev_tui.atomic_file import write_atomic

    # Whole or not at all, 0600 (a text-mode write can lose the end on a full disk).
    write_atomic(path, text.encode("utf-8"))


def save_setting(path: Path, key: str, value: str) -> None:
    """Set the top-level `key` to `value` in the settings file, keeping its comments.

    Text settings are stored as strings; for other settings `value` is read as a TOML value
    (``"30"`` -> 30). The value is checked first, and the file is left untouched when it is
    bad or the file cannot be parsed.

    Raises:
        ConfigError: unknown key, bad value, or an unreadable existing file.
    """
    import tomlkit  # only needed when writing; keeps startup lean
    import tomlkit.exceptions

    check = _SETTINGS_CHECKS.get(key)
    if check is None:
        raise ConfigError(path, key, _("is not a known setting (check the spelling)"))
    rendered = tomlkit.item(value).as_string() if key in _TEXT_SETTINGS else value.strip()
    try:
        parsed = tomllib.loads(f"v = {rendered}\n", parse_float=Decimal)
    except (tomllib.TOMLDecodeError, RecursionError):
        parsed = {}
    if set(parsed) != {"v"}:
        raise ConfigError(path, key, _("must be a single value, got {value!r}").format(value=value))
    try:
        check(parsed["v"])
    except _Invalid as error:
        raise ConfigError(path, _dotted(error.inside(key).loc), error.problem) from error

    text = _read_text(path) or ""
    _parse(path, text)  # same syntax errors as load_settings, before touching anything
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise ConfigError(
            path, None, _("is not valid TOML: {detail}").format(detail=error)
        ) from error
    document[key] = tomlkit.value(rendered)
    _atomic_write(path, tomlkit.dumps(document))


def team_problem(team: Team) -> str | None:
    """Why `team` cannot be saved (naming the key), or None."""
    try:
        _checked_team(team)
    except _Invalid as error:
        return str(error.inside("team"))
    return None


def save_team(path: Path, team: Team) -> None:
    """Write the `[team]` table (checked first), keeping the file's comments."""
    import tomlkit

    try:
        _checked_team(team)
    except _Invalid as error:
        raise ConfigError(path, _dotted(error.inside("team").loc), error.problem) from error
    text = _read_text(path) or ""
    _parse(path, text)
    document = tomlkit.parse(text)
    table = tomlkit.table()
    for key in ("url", "user", "sslmode", "role"):
        table[key] = getattr(team, key)
    kept = document.get("team")
    if isinstance(kept, dict) and "sync_minutes" in kept:  # a rejoin keeps the rep's choice
        table["sync_minutes"] = kept["sync_minutes"]
    document["team"] = table
    _atomic_write(path, tomlkit.dumps(document))
