"""`salesdev list --search TEXT` (issue 14.1): the search box's query from the command line,
two characters anywhere in any script, filters, --json, and the core's length cap (20.11)."""

from __future__ import annotations

import json

from tests.test_cli import add, run  # noqa: F401 - the fixture


def _names(out: str) -> list[str]:
    return sorted(row["name"] for row in json.loads(out))


def test_list_search_finds_two_characters_anywhere(run) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add(run, "台灣精密機械股份有限公司")
    add(run, "王氏貿易", "--contact", "王大明")
    add(run, "Lotus Foods", "--contact", "林美玲")
    add(run, "Acme Trading", "--notes", "met 美玲 at the fair", "--potential", "A")
    for typed, expected in [
        ("精密", ["台灣精密機械股份有限公司"]),
        ("大明", ["王氏貿易"]),
        ("美玲", ["Acme Trading", "Lotus Foods"]),
        ("美玲 pot:A", ["Acme Trading"]),
        ("zz", []),
    ]:
        code, out, err = run("list", "--search", typed, "--json")
        assert code == 0, err
        assert _names(out) == expected, typed
    code, out, _ = run("list", "--search", "大明")
    assert code == 0 and "Customers (1)" in out and "Lotus" not in out
    code, out, _ = run("list", "--search", "美玲", "--stage", "won", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run("list", "--search", "美玲", "--limit", "1", "--json")
    assert code == 0 and len(json.loads(out)) == 1


def test_list_search_refuses_a_bad_filter_and_caps_long_text(run) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add(run, "Acme Trading")
    code, out, err = run("list", "--search", "acme stage:nosuch", "--json")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "stage:nosuch" in err
    code, out, err = run("list", "--search", "acme" + " " * 300 + "x" * 10_000, "--json")
    assert code == 0 and _names(out) == ["Acme Trading"]  # the text after the cap is ignored
    assert "200 characters" in err
