"""One test per validation rule of docs/scenario.md: every problem named by file, row or key, and column."""

from __future__ import annotations

import pytest

from planner.scenario import InputErrors, load_scenario


def problems(tiny) -> list[str]:
    """The problem lines reported for the (edited) tiny scenario."""
    with pytest.raises(InputErrors) as caught:
        load_scenario(tiny.yaml)
    return [str(p) for p in caught.value.problems]


def test_valid_fixture_loads(tiny):
    sc = load_scenario(tiny.yaml)
    assert (len(sc.regions), len(sc.sites), len(sc.industries), len(sc.functions)) == (2, 6, 2, 6)
    assert sc.capabilities == ("research",)
    assert sc.sites["A-center"].capabilities == {"research": 0.9}
    assert sc.functions["ai", "rd"].requirements == {"research": 0.8}
    assert sc.industries["steel"].max_hosts is None and sc.industries["steel"].min_hosts == 0


def test_missing_table_file(tiny):
    tiny.table("sites").unlink()
    assert problems(tiny) == ["tiny/tables/sites.csv: file not found (the sites table, named by tables.sites in "
                              "tiny/scenario.yaml)"]


def test_missing_scenario_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputErrors) as caught:
        load_scenario("nothing.yaml")
    assert [str(p) for p in caught.value.problems] == ["nothing.yaml: file not found"]


def test_unknown_column(tiny):
    tiny.replace("tables/sites.csv", "cost_factor", "cost_factr")
    assert problems(tiny) == [
        "tiny/tables/sites.csv row 1, column cost_factr: unknown column; expected id, region, zone, land_ha, "
        "land_price, lon, lat, cost_factor, adcode, or cap_<name>"]


def test_missing_required_column(tiny):
    tiny.replace("tables/industries.csv", "category,", "")
    for row in ("future,", "traditional,"):
        tiny.replace("tables/industries.csv", row, "")
    assert problems(tiny) == ["tiny/tables/industries.csv row 1, column category: required column is missing"]


def test_wrong_value_not_in_choices(tiny):
    tiny.replace("tables/sites.csv", "A-inner,A,inner", "A-inner,A,centre")
    assert problems(tiny) == ["tiny/tables/sites.csv row 3, column zone: 'centre' is not one of center, inner, outer"]


def test_wrong_type(tiny):
    tiny.replace("tables/sites.csv", "A-outer,A,outer,200,500", "A-outer,A,outer,200,cheap")
    assert problems(tiny) == ["tiny/tables/sites.csv row 4, column land_price: 'cheap' is not a number"]


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        ("sites", "A-center,A,center,20,", "A-center,A,center,0,",
         "tiny/tables/sites.csv row 2, column land_ha: '0' must be greater than 0"),
        ("sites", "A-center,A,center,20,3000", "A-center,A,center,20,-1",
         "tiny/tables/sites.csv row 2, column land_price: '-1' must be at least 0"),
        ("industries", "future,100,", "future,-100,",
         "tiny/tables/industries.csv row 2, column demand: '-100' must be greater than 0"),
        ("functions", "ai,rd,0.05,", "ai,rd,0,",
         "tiny/tables/functions.csv row 2, column land_per_unit: '0' must be greater than 0"),
        ("sites", ",1.2,0.9", ",1.2,1.5",
         "tiny/tables/sites.csv row 2, column cap_research: '1.5' must be at most 1"),
        ("industries", "future,100,0.1,1,", "future,100,0.1,0,",
         "tiny/tables/industries.csv row 2, column max_hosts: '0' must be at least 1"),
        ("sites", "A-center,A,center,20,3000,116.40", "A-center,A,center,20,3000,nan",
         "tiny/tables/sites.csv row 2, column lon: 'nan' is not a finite number"),
    ],
)
def test_values_out_of_range(tiny, table, old, new, expected):
    tiny.replace(f"tables/{table}.csv", old, new)
    assert problems(tiny) == [expected]


def test_unknown_region_reference(tiny):
    tiny.replace("tables/sites.csv", "B-outer,B,", "B-outer,C,")
    assert problems(tiny) == [
        "tiny/tables/sites.csv row 7, column region: 'C' is not a region id of tiny/tables/regions.csv"]


def test_unknown_industry_reference(tiny):
    tiny.append("tables/functions.csv", "chips,rd,0.1,1,1,0,,,,\n")
    assert problems(tiny) == [
        "tiny/tables/functions.csv row 8, column industry: 'chips' is not an industry id of tiny/tables/industries.csv"]


def test_missing_function_row(tiny):
    tiny.replace("tables/functions.csv", "steel,pilot,0.3,200,5,2,,0.1,,0.2\n", "")
    assert problems(tiny) == [
        "tiny/tables/functions.csv, column function: industry 'steel' (tiny/tables/industries.csv row 3) "
        "has no row for pilot"]


def test_duplicate_function_row(tiny):
    tiny.append("tables/functions.csv", "steel,pilot,0.3,200,5,2,,0.1,,0.2\n")
    assert problems(tiny) == [
        "tiny/tables/functions.csv row 8, column function: steel pilot is already given in row 6"]


def test_missing_support_ratio(tiny):
    tiny.replace("tables/functions.csv", "ai,pilot,0.2,300,10,5,,0.3,", "ai,pilot,0.2,300,10,5,,,")
    assert problems(tiny) == [
        "tiny/tables/functions.csv row 3, column support_ratio: a value is required for pilot"]


def test_duplicate_ids(tiny):
    tiny.append("tables/regions.csv", "A,Again,又,II,116,39,,,\n")
    assert problems(tiny) == ["tiny/tables/regions.csv row 4, column id: 'A' is already used in row 2"]


def test_unknown_yaml_key(tiny):
    tiny.replace("scenario.yaml", "  linkage_cost: 0.5", "  linkage_cots: 0.5")
    assert problems(tiny) == [
        "tiny/scenario.yaml key settings.linkage_cots: unknown key; expected one of chain_radius_km, linkage_cost, "
        "duplication, duplication_penalty, weights, periods, discount_rate, transition, transition_lag"]


def test_unknown_rule_key(tiny):
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {regoin: A}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[0].lock_out.regoin: unknown key; expected one of region, zone, site, tier, "
        "industry, category, function"]


def test_rule_value_unknown(tiny):
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {site: [A-center, Z-center]}\n")
    assert problems(tiny) == ["tiny/scenario.yaml key rules[0].lock_out.site: 'Z-center' is not a known site"]


def test_lock_in_ineligible(tiny):
    tiny.append("scenario.yaml", "rules:\n  - lock_in: {site: B-outer, industry: ai, function: rd}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[0].lock_in: locks in ai rd at B-outer, which is not eligible: "
        "cap_research 0.2 < req_research 0.8"]


def test_override_problems_are_reported_with_the_other_yaml_problems(tiny):
    tiny.replace("scenario.yaml", "chain_radius_km: 300", "chain_radius_km: far")
    tiny.append("scenario.yaml", "overrides:\n  - {table: sites, set: {landprice: 1}}\n")
    assert problems(tiny) == ["tiny/scenario.yaml key settings.chain_radius_km: 'far' is not a number",
                              "tiny/scenario.yaml key overrides[0].set.landprice: sites has no column 'landprice'"]


def test_a_table_with_only_its_header_is_an_error(tiny):
    header = (tiny.root / "tables/sites.csv").read_text(encoding="utf-8").splitlines()[0]
    (tiny.root / "tables/sites.csv").write_text(header + "\n", encoding="utf-8")
    assert "tiny/tables/sites.csv: has no rows below its header; the sites table needs at least one" in problems(tiny)


def test_an_empty_section_changes_nothing(tiny):
    from planner.scenario import load_scenario

    base = load_scenario(tiny.yaml)
    (tiny.root / "child.yaml").write_text("extends: scenario.yaml\nname: child\nsettings:\n  # nothing yet\nsolver:\n",
                                         encoding="utf-8")
    child = load_scenario(tiny.root / "child.yaml")
    assert child.settings == base.settings and child.solver == base.solver


def test_a_lock_out_that_matches_nothing_is_an_error(tiny):
    tiny.append("scenario.yaml", "rules:\n  - lock_out: {region: A, site: B-outer}\n  - lock_out: {zone: center}\n")
    assert problems(tiny) == ["tiny/scenario.yaml key rules[0].lock_out: matches no (industry, function, site)"]


def test_lock_in_removed_by_lock_out(tiny):
    tiny.append("scenario.yaml",
                "rules:\n  - lock_out: {zone: center}\n  - lock_in: {site: A-center, industry: ai, function: rd}\n")
    assert problems(tiny) == [
        "tiny/scenario.yaml key rules[1].lock_in: locks in ai rd at A-center, which is not eligible: "
        "a lock_out rule removes it"]


def test_soft_duplication_needs_penalty(tiny):
    tiny.replace("scenario.yaml", "duplication: hard", "duplication: soft")
    assert problems(tiny) == ["tiny/scenario.yaml key settings.duplication_penalty: required when duplication is soft"]


def test_a_missing_penalty_is_reported_with_the_other_settings_problems(tiny):
    tiny.replace("scenario.yaml", "duplication: hard", "duplication: soft")
    tiny.replace("scenario.yaml", "chain_radius_km: 300", "chain_radius_km: far")
    assert problems(tiny) == ["tiny/scenario.yaml key settings.chain_radius_km: 'far' is not a number",
                              "tiny/scenario.yaml key settings.duplication_penalty: required when duplication is soft"]


def test_extends_cycle(tiny):
    (tiny.root / "a.yaml").write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    (tiny.root / "b.yaml").write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_scenario(tiny.root / "a.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "tiny/b.yaml key extends: extends cycle: tiny/a.yaml -> tiny/b.yaml -> tiny/a.yaml"]


def test_broken_yaml_names_line(tiny):
    tiny.append("scenario.yaml", "rules: [\n")
    (message,) = problems(tiny)
    assert message.startswith("tiny/scenario.yaml line 17: YAML cannot be read")


def test_duplicate_yaml_key(tiny):
    tiny.append("scenario.yaml", "name: again\n")
    (message,) = problems(tiny)
    assert message == "tiny/scenario.yaml line 16: YAML cannot be read: key 'name' is given twice"


def test_not_utf8(tiny):
    tiny.table("regions").write_bytes("id,name,name_zh\nA,Alpha,甲\n".encode("gb18030"))
    assert problems(tiny) == ["tiny/tables/regions.csv: is not UTF-8 text (line 2, byte 25); save it as CSV UTF-8: "
                              'in Excel, 文件 > 另存为 > "CSV UTF-8 (逗号分隔)" (File > Save As > "CSV UTF-8 (Comma '
                              'delimited)"); or name the Excel workbook in the scenario instead (regions: '
                              "book.xlsx#regions, or tables: book.xlsx for every table)"]


def test_every_problem_reported_together(tiny):
    tiny.replace("scenario.yaml", "duplication: hard", "duplication: medium")
    tiny.replace("tables/sites.csv", "A-inner,A,inner", "A-inner,A,centre")
    tiny.replace("tables/industries.csv", "future,100,", "future,-100,")
    assert problems(tiny) == [
        "tiny/scenario.yaml key settings.duplication: 'medium' is not one of hard, soft",
        "tiny/tables/sites.csv row 3, column zone: 'centre' is not one of center, inner, outer",
        "tiny/tables/industries.csv row 2, column demand: '-100' must be greater than 0",
    ]


def test_long_lists_are_summarised(tiny):
    rows = "".join(f"X{n},A,centre,1,1,116,39,,\n" for n in range(40))
    tiny.append("tables/sites.csv", rows)
    with pytest.raises(InputErrors) as caught:
        load_scenario(tiny.yaml)
    report = caught.value.report(limit=25).splitlines()
    assert len(caught.value.problems) == 40
    assert len(report) == 26 and report[-1] == "... and 15 more problems"
