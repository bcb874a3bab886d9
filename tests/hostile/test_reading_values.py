"""Class 4 (first half) of issue 17: values that were accepted as something else are bad input, reported as written.

- true/false where a number or a table cell is meant (`set: {max_hosts: true}` became 1);
- `6_6` (Python reads it as 66; a spreadsheet and a planner do not), in CSV cells and YAML;
- a control character (a NUL byte) inside an id;
- YAML 1.1's yes/no/on/off: `function: yes` was reported as `'1'`, a region `NO` as `'0'`; scenario YAML is
  read with YAML 1.2 plain values, so they are the text as written;
- ids that differ only in letter case (they collide in file systems, GIS layers and Excel lookups).
"""

from __future__ import annotations

import pytest

from planner.scenario import load_scenario
from tests.conftest import Editable
from tests.hostile.reading_cases import Case, add_to_yaml, params, reported, time_limit

YES_NO = "is a yes/no value, not text or a number; write '{0}' in quotes if the text is meant"
OVERRIDDEN = "(the value of tiny/scenario.yaml key overrides[0].set.{0})"


def _override(where: str, change: str) -> str:
    return f"overrides:\n  - {{table: industries, where: {{{where}}}, {change}}}\n"


CASES: list[Case] = [
    Case("override-sets-true-as-a-number", lambda t: add_to_yaml(t, _override("id: ai", "set: {max_hosts: true}")),
         ("tiny/scenario.yaml key overrides[0].set.max_hosts: true " + YES_NO.format("true"),)),
    Case("override-scales-by-false", lambda t: add_to_yaml(t, _override("id: ai", "scale: {demand: false}")),
         ("tiny/scenario.yaml key overrides[0].scale.demand: false is not a number",)),
    Case("override-where-true", lambda t: add_to_yaml(t, _override("id: [ai, true]", "set: {demand: 5}")),
         ("tiny/scenario.yaml key overrides[0].where.id: true " + YES_NO.format("true"),)),
    Case("override-sets-6_6", lambda t: add_to_yaml(t, _override("id: ai", "set: {demand: 6_6}")),
         ("tiny/tables/industries.csv row 2, column demand: '6_6' is not a number " + OVERRIDDEN.format("demand"),)),
    Case("override-where-6_6-matches-nothing", lambda t: add_to_yaml(t, _override("demand: 1_00", "set: {demand: 5}")),
         ("tiny/scenario.yaml key overrides[0].where: matches no row of tiny/tables/industries.csv",)),
    Case("csv-number-6_6", lambda t: t.replace("tables/industries.csv", "future,100,", "future,1_00,"),
         ("tiny/tables/industries.csv row 2, column demand: '1_00' is not a number",)),
    Case("csv-whole-number-6_6",
         lambda t: t.replace("tables/industries.csv", "future,100,0.1,1,", "future,100,0.1,1_0,"),
         ("tiny/tables/industries.csv row 2, column max_hosts: '1_0' is not a whole number",)),
    Case("yaml-number-6_6", lambda t: t.replace("scenario.yaml", "chain_radius_km: 300", "chain_radius_km: 3_00"),
         ("tiny/scenario.yaml key settings.chain_radius_km: '3_00' is not a number",)),
    Case("yaml-true-as-a-number", lambda t: t.replace("scenario.yaml", "linkage_cost: 0.5", "linkage_cost: true"),
         ("tiny/scenario.yaml key settings.linkage_cost: true is not a number",)),
    Case("yaml-true-as-threads", lambda t: t.replace("scenario.yaml", "threads: 1", "threads: true"),
         ("tiny/scenario.yaml key solver.threads: true is not a whole number",)),
    Case("nul-in-an-id", lambda t: t.replace("tables/sites.csv", "A-center,", "A-cen\0ter,"),
         ("tiny/tables/sites.csv row 2, column id: 'A-cen\\x00ter' contains the control character U+0000; "
          "an id cannot",)),
    Case("nul-in-a-reference", lambda t: t.replace("tables/sites.csv", "A-center,A,", "A-center,A\0,"),
         ("tiny/tables/sites.csv row 2, column region: 'A\\x00' contains the control character U+0000; an id cannot",
          "tiny/tables/sites.csv row 2, column region: 'A\\x00' is not a region id of tiny/tables/regions.csv")),
    Case("nul-in-a-column-name", lambda t: t.replace("tables/sites.csv", "cost_factor", "cost\0factor"),
         ("tiny/tables/sites.csv row 1, column cost\\x00factor: unknown column; expected id, region, zone, land_ha, "
          "land_price, lon, lat, cost_factor, adcode, or cap_<name>",)),
    Case("table-path-true", lambda t: t.replace("scenario.yaml", "sites: tables/sites.csv", "sites: true"),
         ("tiny/scenario.yaml key tables.sites: expected text, got true",)),
    Case("function-yes", lambda t: add_to_yaml(t, "rules:\n  - lock_out: {function: yes}\n"),
         ("tiny/scenario.yaml key rules[0].lock_out.function: 'yes' is not a known function",)),
    Case("region-NO", lambda t: add_to_yaml(t, "rules:\n  - lock_out: {region: [A, NO]}\n"),
         ("tiny/scenario.yaml key rules[0].lock_out.region: 'NO' is not a known region",)),
    Case("zone-off", lambda t: add_to_yaml(t, "rules:\n  - lock_in: {zone: off, industry: ai}\n"),
         ("tiny/scenario.yaml key rules[0].lock_in.zone: 'off' is not a known zone",)),
    Case("function-true", lambda t: add_to_yaml(t, "rules:\n  - lock_out: {function: true}\n"),
         ("tiny/scenario.yaml key rules[0].lock_out.function: true " + YES_NO.format("true"),)),
    Case("site-ids-differ-in-case",
         lambda t: t.append("tables/sites.csv", "a-center,A,center,20,3000,116.40,39.90,1.2,0.9\n"),
         ("tiny/tables/sites.csv row 8, column id: 'a-center' differs from 'A-center' (row 2) only in letter case; "
          "ids must differ in more than case",)),
    Case("region-ids-differ-in-case", lambda t: t.append("tables/regions.csv", "b,Beta,乙,III,117.20,39.10,,,\n"),
         ("tiny/tables/regions.csv row 4, column id: 'b' differs from 'B' (row 3) only in letter case; "
          "ids must differ in more than case",)),
]


@pytest.mark.parametrize("case", params(CASES))
def test_a_value_read_as_something_else_is_bad_input_reported_as_written(case: Case, tiny: Editable) -> None:
    found, expected = reported(case, tiny)
    assert found == expected


def test_yes_no_on_off_are_text_so_a_region_named_NO_is_selected(tiny: Editable) -> None:
    """Norway's code is an id like any other: with YAML 1.2 plain values a rule on region NO selects it."""
    regions, sites = tiny.table("regions"), tiny.table("sites")
    regions.write_text(regions.read_text(encoding="utf-8").replace("\nB,", "\nNO,"), encoding="utf-8")
    sites.write_text(sites.read_text(encoding="utf-8").replace(",B,", ",NO,"), encoding="utf-8")
    tiny.replace("scenario.yaml", "title: 测试 tiny", "title: no")
    add_to_yaml(tiny, "rules:\n  - lock_out: {region: NO, function: production}\n")
    with time_limit():
        scenario = load_scenario(tiny.yaml)
    assert scenario.title == "no"
    assert scenario.rules[0].lock_out.given() == {"region": frozenset({"NO"}), "function": frozenset({"production"})}
    assert set(scenario.regions) == {"A", "NO"}
