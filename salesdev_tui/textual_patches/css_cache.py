"""The app's stylesheet parsed once per version of it, not at every start.

Textual parses salesdev.tcss (800 lines) before the first frame, at every start: ~10 ms of
CPU, the largest single piece of what salesdev adds to a bare Textual app's first paint
(bench/startup.py). The parsed rules depend only on the CSS text, where it was read from,
the theme's variables (substituted while parsing) and Textual's code: with those as the
key, the rules are kept in the user's cache folder (pickled with the whole key, ~2 ms to
read back) and read from there on the next start when the key kept is the key asked for.
Anything else (no such file, a torn one, another key, another Textual) means a parse, as
without the cache; a failed write only costs the next start its parse. Sheets of 256
characters and more are kept (`SMALLEST`: salesdev.tcss, and the DEFAULT_CSS of the App,
DataTable, Footer and some 20 more widgets before Today's first frame: the 18 of 256-1,023
characters took ~5 ms to parse, ~0.35 ms each, and ~0.15 ms each to read back); a shorter
one parses about as fast as its file would be read.

The cache folder is the user's own (0700, files 0600): a kept file is trusted as the
settings file is.

Textual internals: wraps `Stylesheet._parse_rules` (private) of one stylesheet instance and
fills its `_parse_cache` (an LRUCache keyed as `_parse_rules` keys it), reading
`_variables`. Checked by tests/test_textual_patches.py (the signature, the key, the source's
fingerprint) and tests/test_css_cache.py (kept rules style the app as parsed ones do).
"""

from __future__ import annotations

import functools
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from textual.css import model, parse, styles
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

__all__ = ["KEEP", "SMALLEST", "keep_parsed_css"]

#: Sheets shorter than this (characters) are parsed as usual.
SMALLEST = 256
#: How many kept sheets the folder holds at most (~25 per theme used, once every screen has
#: been shown).
KEEP = 128
_PREFIX = "tcss-"
_SUFFIX = ".pickle"


def keep_parsed_css(stylesheet: Stylesheet, folder: Path) -> None:
    """From now on, `stylesheet` reads its large sheets' rules from `folder` when kept there,
    and keeps them there when parsed."""
    parse_rules_now = stylesheet._parse_rules

    def parse_rules(css: str, read_from: CSSLocation, is_default_rules: bool = False,
                    tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if len(css) < SMALLEST or key in stylesheet._parse_cache:
            return parse_rules_now(css, read_from, is_default_rules, tie_breaker, scope)
        whole_key = _whole_key(stylesheet, key)
        path = folder / f"{_PREFIX}{zlib.crc32(whole_key.encode('utf-8', 'replace')):08x}{_SUFFIX}"
        rules = _read(path, whole_key)
        if rules is None:
            rules = parse_rules_now(css, read_from, is_default_rules, tie_breaker, scope)
            if not any(rule.errors for rule in rules):
                _write(path, whole_key, rules)
        stylesheet._parse_cache[key] = rules
        return rules

    stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]


@functools.cache
def _textual_code() -> tuple[tuple[str, int, int], ...]:
    """Which Textual parsed and pickled the rules: its parser's and rules' modules (an
    upgrade replaces them). Not `textual.__version__`: that reads the package metadata,
    ~8 ms of imports. Once a process: Textual is not replaced under a running app."""
    files = (parse.__file__, styles.__file__, model.__file__)
    return tuple((str(name), os.stat(name).st_size, os.stat(name).st_mtime_ns)
                 for name in files if name)


def _whole_key(stylesheet: Stylesheet, key: tuple[Any, ...]) -> str:
    variables = sorted(stylesheet._variables.items())
    return repr((_textual_code(), pickle.HIGHEST_PROTOCOL, key, variables))


def _read(path: Path, whole_key: str) -> list[RuleSet] | None:
    try:
        kept_key, rules = pickle.loads(path.read_bytes())  # noqa: S301 - the user's folder
    except Exception:  # noqa: BLE001 - missing, torn or foreign: parse instead
        return None
    if kept_key != whole_key or not (
        isinstance(rules, list) and all(isinstance(rule, RuleSet) for rule in rules)
    ):
        return None
    return rules


def _write(path: Path, whole_key: str, rules: list[RuleSet]) -> None:
    from salesdev_tui.atomic_file import write_atomic
    from salesdev_tui.paths import ensure_private_dir

    try:
        ensure_private_dir(path.parent)
        write_atomic(path, pickle.dumps((whole_key, rules), protocol=pickle.HIGHEST_PROTOCOL))
        kept = sorted(path.parent.glob(f"{_PREFIX}*{_SUFFIX}"),
                      key=lambda kept: kept.stat().st_mtime, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        return  # the next start parses again
