"""The rep's settings: typed defaults in code, overridden by a TOML file.

`load_settings` reads the file (``paths.config_path()``) once; the CLI hands the result
to the App. Every problem in the file becomes a `ConfigError` that names the file, the
dotted key and what is wrong, in words a rep can act on.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from salesdev_tui.i18n import _
from salesdev_tui.paths import ensure_private_dir

__all__ = [
    "DEFAULT_LOST_REASONS",
    "DEFAULT_STAGE_PROBABILITIES",
    "PROBABILITY_STAGES",
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
# Field checks (their ValueError text is shown to the rep after the key name)


def _fraction(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(_("must be a fraction from 0 to 1 (write 0.3 for 30%)"))
    return value


def _not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(_("must not be negative"))
    return value


def _probability_stage(name: str) -> str:
    if name not in PROBABILITY_STAGES:
        raise ValueError(
            _("has an unknown stage {name!r}; the stages are: {stages}").format(
                name=name, stages=", ".join(PROBABILITY_STAGES)
            )
        )
    return name


Fraction = Annotated[Decimal, AfterValidator(_fraction)]
Amount = Annotated[Decimal, AfterValidator(_not_negative)]
ProbabilityStage = Annotated[str, AfterValidator(_probability_stage)]


class Targets(BaseModel):
    """The rep's monthly targets; a KPI without a target is simply not compared."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    new_customers: Annotated[StrictInt, Field(ge=0)] | None = None
    """Customers whose first contract is signed in the month."""
    success_rate: Fraction | None = None
    """New customers / prospects contacted, as a fraction (0.25 = 25%)."""
    revenue: Amount | None = None
    """Sum of contract values signed in the month, in the configured currency."""
    profit: Amount | None = None
    """Sum of (value - cost) of the contracts signed in the month."""
    satisfaction: Decimal | None = None
    """Mean survey score in the month, from 1 to 5."""

    @field_validator("satisfaction")
    @classmethod
    def _score(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and not Decimal(1) <= value <= Decimal(5):
            raise ValueError(_("must be a score from 1 to 5"))
        return value


class Settings(BaseModel):
    """Everything the rep can configure. Defaults live here; the TOML file overrides them."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    rep_name: str = ""
    """The rep's name, shown in reports and exports."""
    timezone: str = Field(default_factory=system_timezone)
    """IANA time zone (e.g. ``Asia/Taipei``) in which days, months and quarters are cut."""
    currency: str = "TWD"
    """ISO 4217 code (3 upper-case letters) of the money amounts."""
    phone_region: str = "TW"
    """ISO 3166 alpha-2 region used to read phone numbers written without a country code."""
    commission_rate: Fraction = Decimal("0.03")
    """Commission = revenue x this rate (0.03 = 3%)."""
    targets: Targets = Field(default_factory=Targets)
    """Monthly targets per KPI."""
    theme: str = "textual-dark"
    """Textual theme name; changing the theme in the app saves it here."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys (e.g. ``"customer-new" = "ctrl+n"``), given to ``App.set_keymap``."""
    idle_days: Annotated[StrictInt, Field(ge=1)] = 14
    """A customer with no activity for this many days is "idle"."""
    lost_reasons: list[str] = Field(default_factory=lambda: list(DEFAULT_LOST_REASONS))
    """The reasons offered when a customer is marked lost."""
    stage_probabilities: dict[ProbabilityStage, Fraction] = Field(
        default_factory=lambda: dict(DEFAULT_STAGE_PROBABILITIES)
    )
    """Chance of winning from each open stage, for the weighted pipeline.

    Stages left out of the file keep their defaults."""
    backups_keep: Annotated[StrictInt, Field(ge=1)] = 7
    """How many automatic backups to keep beside the database."""
    idle_lock_minutes: Annotated[StrictInt, Field(ge=0)] = 0
    """Lock the screen after this many idle minutes (0 = never)."""

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    @field_validator("timezone", mode="after")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        value = value.strip()
        if not _zone_is_valid(value):
            raise ValueError(
                _("is not a known IANA time zone: {name!r} (e.g. Asia/Taipei)").format(name=value)
            )
        return value

    @field_validator("currency", mode="after")
    @classmethod
    def _check_currency(cls, value: str) -> str:
        value = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(_("must be a 3-letter currency code such as TWD"))
        return value

    @field_validator("phone_region", mode="after")
    @classmethod
    def _check_phone_region(cls, value: str) -> str:
        value = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(_("must be a 2-letter region code such as TW"))
        return value

    @field_validator("lost_reasons", mode="after")
    @classmethod
    def _check_lost_reasons(cls, value: list[str]) -> list[str]:
        reasons = [reason.strip() for reason in value]
        if not reasons:
            raise ValueError(_("must list at least one reason"))
        if any(not reason for reason in reasons):
            raise ValueError(_("must not contain an empty reason"))
        return reasons

    @field_validator("stage_probabilities", mode="before")
    @classmethod
    def _merge_default_probabilities(cls, value: object) -> object:
        if isinstance(value, Mapping):
            return {**DEFAULT_STAGE_PROBABILITIES, **value}
        return value


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


def _dotted(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        if part == "[key]":  # pydantic marks a bad dict key this way; the key is already named
            continue
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += f".{part}" if key else part
    return key


def _problem(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "extra_forbidden":
        return _("is not a known setting (check the spelling)")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("must be a whole number")
    if kind in {"decimal_type", "decimal_parsing", "finite_number", "float_type", "float_parsing"}:
        return _("must be a number")
    if kind == "string_type":
        return _("must be text in quotes")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("must be a table")
    if kind == "list_type":
        return _("must be a list")
    if kind == "greater_than_equal":
        return _("must be at least {limit}").format(limit=ctx.get("ge"))
    if kind == "less_than_equal":
        return _("must be at most {limit}").format(limit=ctx.get("le"))
    return _("is not valid: {detail}").format(detail=error["msg"])


def _validation_error(path: Path, error: ValidationError) -> ConfigError:
    first = error.errors(include_url=False)[0]
    return ConfigError(path, _dotted(first["loc"]) or None, _problem(first))


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
        return Settings.model_validate(data)
    except ValidationError as error:
        raise _validation_error(path, error) from error


# ---------------------------------------------------------------------------------------
# Writing


def _atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step; a new file is 0600, a new dir 0700."""
    if path.is_symlink():  # keep a dotfiles symlink working: write through it
        path = path.resolve()
    parent = path.parent
    if not parent.exists():
        ensure_private_dir(parent)
    fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # mkstemp made it 0600, so the settings file is 0600 too
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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

    field = Settings.model_fields.get(key)
    if field is None:
        raise ConfigError(path, key, _("is not a known setting (check the spelling)"))
    rendered = tomlkit.item(value).as_string() if field.annotation is str else value.strip()
    try:
        parsed = tomllib.loads(f"v = {rendered}\n", parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        parsed = {}
    if set(parsed) != {"v"}:
        raise ConfigError(path, key, _("must be a single value, got {value!r}").format(value=value))
    try:
        Settings.model_validate({key: parsed["v"]})
    except ValidationError as error:
        raise _validation_error(path, error) from error

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
