"""Class 3 of issue 17: YAML that is too large once read (alias bombs, deep nesting) is refused while it is read,
and no message repeats a huge value whole.

A billion-laughs alias is refused at the line of the alias that passes the limit of values
(planner.scenario.yamlsafe.MAX_YAML_VALUES), in well under a second, wherever it stands; every value a
message repeats is cut to 80 characters with an ellipsis (planner.scenario.errors.quoted).
"""

from __future__ import annotations

import time

import pytest

from planner.scenario import load_scenario
from tests.conftest import Editable
from tests.hostile.reading_cases import Case, add_to_yaml, params, reported, time_limit

BOMB_REFUSED = ("YAML cannot be read: more than 100000 values once its aliases (*name) are expanded; "
                "a scenario needs far fewer")


def billion_laughs(indent: str, levels: int = 9) -> str:
    """A list of `levels` lists, each of ten aliases of the one before: 10**levels values when expanded."""
    lines = [f"{indent}- &l0 [{', '.join(['lol'] * 10)}]"]
    lines += [f"{indent}- &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def _bomb_under_title(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "title: 测试 tiny\n", "title:\n" + billion_laughs("  "))


def _bomb_under_unknown_key(tiny: Editable) -> None:
    add_to_yaml(tiny, "lol:\n" + billion_laughs("  "))


def _bomb_under_rules(tiny: Editable) -> None:
    add_to_yaml(tiny, "rules:\n" + billion_laughs("  "))


def _bomb_in_a_mapping(tiny: Editable) -> None:
    """The same with mappings: merge keys (`<<`) repeat all the keys of the mapping they name."""
    lines = ["lol:", "  l0: &l0 {" + ", ".join(f"k{k}: lol" for k in range(10)) + "}"]
    for n in range(1, 9):
        lines.append(f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]")
    add_to_yaml(tiny, "\n".join(lines) + "\n")


def _alias_inside_itself(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "title: 测试 tiny\n", "title: &t [a, *t]\n")


def _deep_nesting(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "title: 测试 tiny\n", "title: " + "[" * 5000 + "]" * 5000 + "\n")


def _huge_integer(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "  threads: 1\n", "  threads: 1\n  seed: " + "9" * 5000 + "\n")


def _long_list_as_title(tiny: Editable) -> None:
    tiny.replace("scenario.yaml", "title: 测试 tiny\n", "title: [" + ", ".join(["laugh"] * 20000) + "]\n")


def _long_unknown_key(tiny: Editable) -> None:
    add_to_yaml(tiny, "k" * 1000 + ": 1\n")  # YAML keys without ? are at most 1024 characters


def _long_region_id(tiny: Editable) -> None:
    tiny.replace("tables/sites.csv", "A-center,A,", "A-center," + "R" * 100_000 + ",")


def _long_rule_value(tiny: Editable) -> None:
    add_to_yaml(tiny, "rules:\n  - lock_out: {region: " + "N" * 100_000 + "}\n")


LAUGHS = "['laugh', 'laugh', 'laugh', 'laugh', 'laugh', 'laugh', 'laugh', 'laugh', 'laug…"
KEYS = "k" * 155 + "…"  # the place "key k…" is cut at 160 characters

CASES: list[Case] = [
    Case("bomb-under-title", _bomb_under_title, (f"tiny/scenario.yaml line 8: {BOMB_REFUSED}",)),
    Case("bomb-under-unknown-key", _bomb_under_unknown_key, (f"tiny/scenario.yaml line 22: {BOMB_REFUSED}",)),
    Case("bomb-under-rules", _bomb_under_rules, (f"tiny/scenario.yaml line 22: {BOMB_REFUSED}",)),
    Case("bomb-of-mappings", _bomb_in_a_mapping, (f"tiny/scenario.yaml line 22: {BOMB_REFUSED}",)),
    Case("alias-inside-itself", _alias_inside_itself,
         ("tiny/scenario.yaml line 3: YAML cannot be read: the alias *t is used inside the value it names",)),
    Case("nested-5000-deep", _deep_nesting,
         ("tiny/scenario.yaml line 3: YAML cannot be read: values are nested more than 64 levels deep",)),
    Case("integer-of-5000-digits", _huge_integer,
         (f"tiny/scenario.yaml line 16: YAML cannot be read: '{'9' * 77}…' is not a whole number planner can read",)),
    Case("long-list-as-title", _long_list_as_title, (f"tiny/scenario.yaml key title: expected text, got {LAUGHS}",)),
    Case("long-unknown-key", _long_unknown_key,
         (f"tiny/scenario.yaml key {KEYS}: unknown key; expected one of name, title, description, extends, tables, "
          "settings, rules, overrides, solver",)),
    Case("long-region-id", _long_region_id,
         (f"tiny/tables/sites.csv row 2, column region: '{'R' * 77}…' is not a region id of tiny/tables/regions.csv",)),
    Case("long-rule-value", _long_rule_value,
         (f"tiny/scenario.yaml key rules[0].lock_out.region: '{'N' * 77}…' is not a known region",)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_yaml_too_large_once_read_is_refused_and_no_message_repeats_a_huge_value(case: Case, tiny: Editable) -> None:
    started = time.perf_counter()
    found, expected = reported(case, tiny)
    assert found == expected
    assert time.perf_counter() - started < 10


def test_aliases_within_the_limit_are_read(tiny: Editable) -> None:
    """Anchors and aliases are YAML a planner may use: repeating one selector is fine."""
    add_to_yaml(tiny, "rules:\n  - lock_out: &centre {zone: center, function: production}\n  - lock_out: *centre\n")
    with time_limit():
        scenario = load_scenario(tiny.yaml)
    assert [rule.lock_out.given() for rule in scenario.rules] == [
        {"zone": frozenset({"center"}), "function": frozenset({"production"})}] * 2
