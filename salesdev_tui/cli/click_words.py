"""The lines click prints around a usage error, in the rep's language.

typer vendors click with its messages written into the code (no gettext), so a zh_TW rep
read "Usage:", "Try … for help." and "Error: Missing argument 'ID'." in English beside
Chinese help. The CLI prints click's error through `translate_line`, which recognises the
few shapes click uses and says them through the catalogue; a line it does not know passes
unchanged (a new click message is English, never lost).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from salesdev_tui.i18n import _

__all__ = ["translate_line"]


def _message(text: str) -> str:
    """An error's own message (after "Error: ")."""
    if m := re.fullmatch(r"(.*)\. Did you mean (.*)\?", text, re.S):
        return _("{problem}. Did you mean {suggestion}?").format(
            problem=_message(m[1] + ".").rstrip(".。"), suggestion=m[2])
    for pattern, say in _MESSAGES:
        if m := re.fullmatch(pattern, text, re.S):
            return say(m)
    return text


def _invalid(m: re.Match[str]) -> str:
    problem = m[2]
    if problem.startswith("Input should be a valid integer"):
        problem = _("a whole number is needed")
    elif problem.startswith("Input should be a valid number"):
        problem = _("a number is needed")
    elif found := re.fullmatch(r"(?:Value error, )?(.*) is not one of (.*)\.", problem):
        problem = _("{value} is not one of {choices}").format(
            value=found[1], choices=found[2])
    return _("{option}: {problem}").format(option=m[1], problem=problem)


_MESSAGES: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (r"Missing argument (.*)\.", lambda m: _("Missing argument {name}.").format(name=m[1])),
    (r"Missing option (.*)\.", lambda m: _("Missing option {name}.").format(name=m[1])),
    (r"No such option: (.*)", lambda m: _("No such option: {name}").format(name=m[1])),
    (r"Option (.*) requires an argument\.",
     lambda m: _("Option {name} needs a value.").format(name=m[1])),
    (r"Got unexpected extra argument\(s\) \((.*)\)",
     lambda m: _("Unexpected extra arguments: {args}").format(args=m[1])),
    (r"Invalid value for (.*?): (.*)", _invalid),
]


def translate_line(line: str) -> str:
    """One line of click's usage-error output, said in the current language."""
    if m := re.fullmatch(r"Usage: (.*)", line):
        return _("Usage: {usage}").format(usage=m[1])
    if m := re.fullmatch(r"Try '(.*)' for help\.", line):
        return _("Try '{command}' for help.").format(command=m[1])
    if m := re.fullmatch(r"Error: (.*)", line, re.S):
        return _("Error: {message}").format(message=_message(m[1]))
    return line
