"""The version 2 inputs (docs/scenario.md "Version 2"): stock, periods, demand per period, upgrades, phase-out.

Each bad input is reported with its file, row or key and column, in planners' words, all at once.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.scenario import InputErrors, load_scenario

STOCK = "industry,function,site,capacity,source\nsteel,production,B-outer,120,2024 统计年鉴\nsteel,pilot,B-inner,20,\n"


def brownfield(tiny, periods: str = "[2025, 2030, 2035]", stock: str = STOCK) -> None:
    """Give the tiny scenario periods and a stock table."""
    tiny.replace("scenario.yaml", "  functions: tables/functions.csv",
                 "  functions: tables/functions.csv\n  stock: tables/stock.csv")
    tiny.replace("scenario.yaml", "  duplication: hard", f"  duplication: hard\n  periods: {periods}")
    tiny.table("stock").write_text(stock, encoding="utf-8")


def with_retire_cost(tiny, costs: dict[str, str]) -> None:
    """Add the retire_cost column to the functions table: `costs` by "industry,function", empty elsewhere."""
    header, *lines = tiny.table("functions").read_text(encoding="utf-8").splitlines()
    body = [line + "," + costs.get(",".join(line.split(",")[:2]), "") for line in lines]
    tiny.table("functions").write_text("\n".join([header + ",retire_cost", *body]) + "\n", encoding="utf-8")


def problems(tiny) -> list[str]:
    """The problem lines reported for the (edited) tiny scenario."""
    with pytest.raises(InputErrors) as caught:
        load_scenario(tiny.yaml)
    return [str(p) for p in caught.value.problems]


def test_a_brownfield_scenario_loads(tiny):
    brownfield(tiny)
    tiny.replace("scenario.yaml", "  periods:",
                 "  discount_rate: 0.05\n  transition: build_first\n  transition_lag: 1\n"
                 "  weights: {retire: 2, upgrade: 0.5}\n  periods:")
    tiny.replace("tables/industries.csv", "min_hosts\n", "min_hosts,growth,upgrades,upgrade_cost,demand_2035\n")
    tiny.replace("tables/industries.csv", "future,100,0.1,1,\n", "future,100,0.1,1,,0.05,,,\n")
    tiny.replace("tables/industries.csv", "0.05,,\n", "0.05,,,-0.02,,,250\n")
    with_retire_cost(tiny, {"steel,production": "40"})
    tiny.append("scenario.yaml",
                "rules:\n  - phase_out: {zone: center, category: traditional, function: production, by: 2030}\n")
    sc = load_scenario(tiny.yaml)
    assert sc.is_version2 and sc.periods == (2025, 2030, 2035)
    assert sc.stock["steel", "production", "B-outer"].capacity == 120
    assert sc.stock["steel", "production", "B-outer"].source == "2024 统计年鉴"
    assert sc.stock["steel", "pilot", "B-inner"].source is None
    st = sc.settings
    assert (st.discount_rate, st.transition, st.transition_lag, st.weights.retire, st.weights.upgrade) == (
        0.05, "build_first", 1, 2.0, 0.5)
    assert sc.industries["ai"].growth == 0.05 and sc.industries["steel"].growth == -0.02
    assert sc.industries["steel"].demands == {"2035": 250.0}
    assert sc.functions["steel", "production"].retire_cost == 40 and sc.functions["ai", "rd"].retire_cost == 0
    assert sc.rules[0].kind == "phase_out" and sc.rules[0].phase_out.by == 2030


def test_a_version1_scenario_loads_and_dumps_as_before(tiny):
    sc = load_scenario(tiny.yaml)
    assert not sc.is_version2 and sc.periods == (None,) and dict(sc.stock) == {}
    dumped = sc.spec.model_dump(mode="json")
    assert list(dumped["tables"]) == ["regions", "sites", "industries", "functions"]
    assert list(dumped["settings"]) == ["chain_radius_km", "linkage_cost", "duplication", "duplication_penalty",
                                        "weights"]
    assert list(dumped["settings"]["weights"]) == ["land", "setup", "operating", "linkage", "duplication"]
    assert ("growth" not in sc.industries["ai"].model_dump()
            and "retire_cost" not in sc.functions["ai", "rd"].model_dump())


def test_stock_rows_name_known_things_once(tiny):
    brownfield(tiny, stock="industry,function,site,capacity\nsteal,production,B-outer,10\nsteel,production,Z-outer,10\n"
                           "steel,making,B-outer,10\nsteel,production,B-outer,0\nsteel,production,B-outer,5\n")
    assert problems(tiny) == [
        "tiny/tables/stock.csv row 4, column function: 'making' is not one of rd, pilot, production",
        "tiny/tables/stock.csv row 5, column capacity: '0' must be greater than 0",
        "tiny/tables/stock.csv row 2, column industry: 'steal' is not an industry id of tiny/tables/industries.csv",
        "tiny/tables/stock.csv row 3, column site: 'Z-outer' is not a site id of tiny/tables/sites.csv",
        "tiny/tables/stock.csv row 6, column site: stock of steel production at B-outer is already given in row 5",
    ]


def test_stock_of_a_function_the_industry_lacks(tiny):
    brownfield(tiny, stock="industry,function,site,capacity\nsteel,pilot,B-inner,10\n")
    tiny.replace("tables/functions.csv", "steel,pilot,0.3,200,5,2,,0.1,,0.2\n", "")
    assert problems(tiny) == [
        "tiny/tables/functions.csv, column function: industry 'steel' (tiny/tables/industries.csv row 3) "
        "has no row for pilot",
        "tiny/tables/stock.csv row 2, column function: industry 'steel' has no pilot row in tiny/tables/functions.csv",
    ]


def test_a_stock_table_without_rows_or_columns(tiny):
    brownfield(tiny, stock="industry,function,site,capacit\n")
    assert problems(tiny) == [
        "tiny/tables/stock.csv row 1, column capacit: unknown column; "
        "expected industry, function, site, capacity, source",
        "tiny/tables/stock.csv row 1, column capacity: required column is missing",
        "tiny/tables/stock.csv: has no rows below its header; the stock table needs at least one",
    ]


def test_a_missing_stock_file(tiny):
    brownfield(tiny)
    tiny.table("stock").unlink()
    assert problems(tiny) == ["tiny/tables/stock.csv: file not found "
                              "(the stock table, named by tables.stock in tiny/scenario.yaml)"]


def test_stock_using_more_land_than_the_site_has(tiny):
    # A-center has 20 ha; steel production uses 1 ha per unit, ai rd 0.05
    brownfield(tiny, stock="industry,function,site,capacity\nsteel,production,A-center,15\nai,rd,A-center,200\n"
                           "steel,production,B-outer,299\n")
    assert problems(tiny) == [
        "tiny/tables/stock.csv rows 2, 3, column capacity: the stock at A-center needs 25 ha of land (land_per_unit x "
        "capacity), more than the site's 20 ha (land_ha in tiny/tables/sites.csv row 2)"]


def test_stock_may_stand_where_new_capacity_may_not(tiny):
    # ai rd needs research 0.8; B-outer has 0.2, and a lock_out forbids new production at the center
    brownfield(tiny, stock="industry,function,site,capacity\nai,rd,B-outer,10\nsteel,production,A-center,10\n")
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {zone: center, function: production}\n")
    assert load_scenario(tiny.yaml).stock["ai", "rd", "B-outer"].capacity == 10


@pytest.mark.parametrize(("periods", "expected"), [
    ("[2030, 2025]", "key settings.periods: periods must be strictly increasing years: 2025 follows 2030"),
    ("[2025, 2025]", "key settings.periods: periods must be strictly increasing years: 2025 follows 2025"),
    ("[2025, 2030.5]", "key settings.periods[1]: 2030.5 is not a whole number"),
    ("[25, 2030]", "key settings.periods[0]: 25 must be at least 1900"),
    ("[]", "key settings.periods: give at least one year, or leave periods out for one period"),
    ("2025", "key settings.periods: expected a list, got 2025"),
    ("[2025, next]", "key settings.periods[1]: 'next' is not a whole number"),
])
def test_bad_periods(tiny, periods, expected):
    brownfield(tiny, periods=periods)
    assert problems(tiny) == [f"tiny/scenario.yaml {expected}"]


@pytest.mark.parametrize(("line", "expected"), [
    ("transition: later", "key settings.transition: 'later' is not one of free, build_first"),
    ("transition_lag: -1", "key settings.transition_lag: -1 must be at least 0"),
    ("transition_lag: 0.5", "key settings.transition_lag: 0.5 is not a whole number"),
    ("discount_rate: -0.05", "key settings.discount_rate: -0.05 must be at least 0"),
    ("discount_rate: 5", "key settings.discount_rate: 5 must be at most 1"),
    ("weights: {retire: -1}", "key settings.weights.retire: -1 must be at least 0"),
    ("weights: {upgrad: 1}", "key settings.weights.upgrad: unknown key; expected one of land, setup, operating, "
                             "linkage, duplication, retire, upgrade"),
])
def test_bad_transition_settings(tiny, line, expected):
    brownfield(tiny)
    tiny.replace("scenario.yaml", "  duplication: hard", f"  duplication: hard\n  {line}")
    assert problems(tiny) == [f"tiny/scenario.yaml {expected}"]


def test_demand_columns_name_periods(tiny):
    brownfield(tiny)
    tiny.replace("tables/industries.csv", "min_hosts\n", "min_hosts,demand_2031,demand_next,demand_2030\n")
    tiny.replace("tables/industries.csv", "future,100,0.1,1,\n", "future,100,0.1,1,,,,0\n")
    tiny.replace("tables/industries.csv", "0.05,,\n", "0.05,,,,,\n")
    assert problems(tiny) == [
        "tiny/tables/industries.csv row 2, column demand_2030: '0' must be greater than 0",
        "tiny/tables/industries.csv row 1, column demand_2031: 2031 is not a year of settings.periods "
        "(2025, 2030, 2035)",
        "tiny/tables/industries.csv row 1, column demand_next: 'next' is not a year; a demand_<year> column names a "
        "year of settings.periods",
    ]


def test_a_demand_column_without_periods(tiny):
    tiny.replace("tables/industries.csv", "min_hosts\n", "min_hosts,demand_2030\n")
    tiny.replace("tables/industries.csv", "future,100,0.1,1,\n", "future,100,0.1,1,,120\n")
    tiny.replace("tables/industries.csv", "0.05,,\n", "0.05,,,\n")
    assert problems(tiny) == [
        "tiny/tables/industries.csv row 1, column demand_2030: a demand for 2030, but tiny/scenario.yaml sets no "
        "settings.periods (one period)"]


def test_growth_below_minus_one(tiny):
    tiny.replace("tables/industries.csv", "min_hosts\n", "min_hosts,growth\n")
    tiny.replace("tables/industries.csv", "future,100,0.1,1,\n", "future,100,0.1,1,,-1\n")
    tiny.replace("tables/industries.csv", "0.05,,\n", "0.05,,,x\n")
    assert problems(tiny) == ["tiny/tables/industries.csv row 2, column growth: '-1' must be greater than -1",
                              "tiny/tables/industries.csv row 3, column growth: 'x' is not a number"]


def _industries(tiny, rows: list[str]) -> None:
    """Replace the industries with `rows` (id,name,name_zh,category,demand,upgrades,upgrade_cost), each with steel's
    functions."""
    tiny.table("industries").write_text(
        "id,name,name_zh,category,demand,upgrades,upgrade_cost\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    header, *lines = tiny.table("functions").read_text(encoding="utf-8").splitlines()
    steel = [line for line in lines if line.startswith("steel,")]
    ids = [r.split(",")[0] for r in rows]
    body = [line.replace("steel,", f"{i},", 1) for i in ids for line in steel]
    tiny.table("functions").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")


def test_upgrades_name_a_traditional_industry_that_upgrades_none(tiny):
    _industries(tiny, ["ai,AI,人工智能,future,100,,", "steel,Steel,钢铁,traditional,300,,",
                       "smart,Smart steel,智能钢铁,emerging,100,steel,50", "green,Green,绿色,emerging,100,ai,",
                       "coal,Coal,煤,traditional,100,coal,", "x,X,叉,emerging,1,smart,", "y,Y,歪,emerging,1,nothing,",
                       "z,Z,泽,traditional,1,,-3", "w,W,窝,traditional,1,smart,", "v,V,微,emerging,1,w,"])
    assert problems(tiny) == [
        "tiny/tables/industries.csv row 9, column upgrade_cost: '-3' must be at least 0",
        "tiny/tables/industries.csv row 5, column upgrades: 'ai' is a future industry (row 2); an upgrade converts the "
        "production of a traditional industry",
        "tiny/tables/industries.csv row 6, column upgrades: industry 'coal' cannot upgrade itself",
        "tiny/tables/industries.csv row 7, column upgrades: 'smart' is a emerging industry (row 4); "
        "an upgrade converts the production of a traditional industry",
        "tiny/tables/industries.csv row 8, column upgrades: 'nothing' is not an industry id of "
        "tiny/tables/industries.csv",
        "tiny/tables/industries.csv row 10, column upgrades: 'smart' is a emerging industry (row 4); "
        "an upgrade converts the production of a traditional industry",
        "tiny/tables/industries.csv row 11, column upgrades: 'w' upgrades 'smart' in turn (row 10); the industry "
        "upgraded must not upgrade another",
    ]


def test_phase_out_needs_periods(tiny):
    tiny.append("scenario.yaml", "rules:\n  - phase_out: {zone: center, function: production, by: 2030}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[0].phase_out.by: a phase-out by 2030 needs settings.periods "
        "(the scenario has one period)"]


@pytest.mark.parametrize(("rule", "expected"), [
    ("{zone: center, by: 2040}", "key rules[0].phase_out.by: 2040 is after the last period, 2035"),
    ("{zone: center, by: 2020}", "key rules[0].phase_out.by: 2020 is before the first period, 2025; phase out by 2025 "
                                 "at the earliest"),
    ("{zone: center, by: 2030.5}", "key rules[0].phase_out.by: 2030.5 is not a whole number"),
    ("{zone: center}", "key rules[0].phase_out.by: a value is required"),
    ("{zone: centre, by: 2030}", "key rules[0].phase_out.zone: 'centre' is not a known zone"),
    ("{region: A, site: B-outer, by: 2030}", "key rules[0].phase_out: matches no (industry, function, site)"),
])
def test_bad_phase_out(tiny, rule, expected):
    brownfield(tiny)
    tiny.append("scenario.yaml", f"rules:\n  - phase_out: {rule}\n")
    assert problems(tiny) == [f"tiny/scenario.yaml {expected}"]


def test_a_phase_out_with_a_misspelt_key(tiny):
    brownfield(tiny)
    tiny.append("scenario.yaml", "rules:\n  - phase_out: {zone: center, year: 2030}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[0].phase_out.by: a value is required",
        "tiny/scenario.yaml key rules[0].phase_out.year: unknown key; expected one of region, zone, site, tier, "
        "industry, category, function, by"]


def test_a_rule_with_two_kinds(tiny):
    brownfield(tiny)
    tiny.append("scenario.yaml", "rules:\n  - {lock_out: {zone: center}, phase_out: {zone: center, by: 2030}}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[0]: a rule needs exactly one of lock_in, lock_out or phase_out"]


def test_phase_out_of_a_locked_in_triple(tiny):
    brownfield(tiny)
    tiny.append("scenario.yaml", "rules:\n  - lock_in: {site: A-center, industry: ai, function: rd}\n"
                                 "  - phase_out: {zone: center, industry: ai, by: 2035}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[1].phase_out: phases out ai rd at A-center by 2035, but rules[0].lock_in "
        "keeps it open in every period"]


def test_an_override_of_a_stock_table_the_scenario_lacks(tiny):
    tiny.append("scenario.yaml", "overrides:\n  - {table: stock, scale: {capacity: 2}}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key overrides[0].table: the scenario has no stock table (tables.stock) to change"]


def test_an_override_scales_the_stock(tiny):
    brownfield(tiny)
    tiny.append("scenario.yaml", "overrides:\n  - {table: stock, where: {site: B-outer}, scale: {capacity: 2}}\n")
    assert load_scenario(tiny.yaml).stock["steel", "production", "B-outer"].capacity == 240


def test_every_problem_at_once(tiny):
    brownfield(tiny, periods="[2025, 2020]", stock="industry,function,site,capacity\nsteel,production,Q,10\n")
    with_retire_cost(tiny, {"ai,rd": "-1"})
    assert problems(tiny) == [
        "tiny/scenario.yaml key settings.periods: periods must be strictly increasing years: 2020 follows 2025",
        "tiny/tables/functions.csv row 2, column retire_cost: '-1' must be at least 0",
        "tiny/tables/stock.csv row 2, column site: 'Q' is not a site id of tiny/tables/sites.csv",
    ]


def test_validate_command_exit_codes(tiny):
    brownfield(tiny)
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(tiny.yaml)])
    assert result.exit_code == 0
    assert result.output.endswith("valid (2 regions, 6 sites, 2 industries, periods 2025, 2030, 2035, 2 stock rows)\n")
    tiny.append("scenario.yaml", "rules:\n  - phase_out: {zone: center, by: 2040}\n")
    result = runner.invoke(app, ["validate", str(tiny.yaml)])
    assert result.exit_code == 2
    assert "tiny/scenario.yaml key rules[0].phase_out.by: 2040 is after the last period, 2035" in result.output


def test_the_schema_documents_the_version2_fields():
    runner = CliRunner()
    schema = json.loads(runner.invoke(app, ["schema"]).output)
    text = json.dumps(schema, ensure_ascii=False)
    for words in ("T: the years of the plan's periods", "ρ: annual discount rate", "先立后破",
                  "Λ: periods new production", "w_retire", "w_upgrade", "The `stock` table",
                  "the triples matched hold no capacity"):
        assert words in text, words
    stock = json.loads(runner.invoke(app, ["schema", "--table", "stock"]).output)
    assert list(stock["properties"]) == ["industry", "function", "site", "capacity", "source"]
    assert stock["properties"]["capacity"]["description"].startswith("E_ifs")
    industries = json.loads(runner.invoke(app, ["schema", "--table", "industries"]).output)
    assert industries["properties"]["growth"]["description"].startswith("γ_i")
    assert industries["patternProperties"]["^demand_.+$"]["description"].startswith("D_it")
    functions = json.loads(runner.invoke(app, ["schema", "--table", "functions"]).output)
    assert functions["properties"]["retire_cost"]["description"].startswith("ψ_if")


def test_pareto_refuses_the_version2_terms_for_a_scenario_without_periods(tiny):
    """The research commands take version 2 scenarios (tests/research/test_periods.py); what stays refused is a
    version 2 cost term in a scenario that has none."""
    result = CliRunner().invoke(app, ["pareto", str(tiny.yaml), "--between", "land", "upgrade", "--out", "out"])
    assert result.exit_code == 2, result.output
    assert ("cost term 'upgrade' exists only in a scenario with periods or stock (docs/model.md version 2); tiny has "
            "neither; its terms: land, setup, operating, linkage, duplication") in " ".join(result.output.split())
    assert not (tiny.root.parent / "out").exists()
