"""Tests of the reference implementation itself (hand-computed optima, enumeration, checker)."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import highspy
import pytest
import yaml

from tests.tables import rewrite_csv

from .checker import check_run_folder, write_run_folder
from .generator import write_random_scenario
from .model import solve_reference, solve_scenario
from .scenario import EARTH_RADIUS_KM, FOCUS_CATEGORIES, PRED, Scenario, Triple, load_scenario

TABLES = {
    "regions": "regions.csv",
    "sites": "sites.csv",
    "industries": "industries.csv",
    "functions": "functions.csv",
}
REGION_HEADER = "id,name,name_zh,tier,lon,lat,energy_budget,max_new_industries\n"
INDUSTRY_HEADER = "id,name,name_zh,category,demand,overcapacity,max_hosts,min_hosts\n"
FUNCTION_HEADER = (
    "industry,function,land_per_unit,setup_cost,unit_cost,min_scale,max_scale,"
    "support_ratio,energy_per_unit,req_talent\n"
)


def _write(directory: Path, tables: dict[str, str], doc: dict) -> Path:
    for name, text in tables.items():
        (directory / f"{name}.csv").write_text(text, encoding="utf-8")
    doc = {"name": "hand", "tables": TABLES, **doc}
    path = directory / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """One region, two sites (center, outer on the same meridian), one industry."""
    return _write(
        tmp_path,
        {
            "regions": REGION_HEADER + "BJ,Beijing,北京,I,116.0,40.0,,\n",
            "sites": "id,region,zone,land_ha,land_price,lon,lat,cost_factor,cap_talent\n"
            "BJ-center,BJ,center,10,5000,116.0,40.0,1.5,1.0\n"
            "BJ-outer,BJ,outer,150,100,116.0,40.5,,0.2\n",
            "industries": INDUSTRY_HEADER + "ai,AI,人工智能,future,100,,,\n",
            "functions": FUNCTION_HEADER
            + "ai,rd,0.1,50,2,0,,,,0.5\n"
            "ai,pilot,0.2,30,1,0,,0.5,,\n"
            "ai,production,1.0,100,0.5,10,,0.2,,\n",
        },
        {
            "settings": {
                "chain_radius_km": 100,
                "linkage_cost": 0.01,
                "weights": {"linkage": 2},
            },
            "rules": [{"lock_out": {"zone": "center", "function": "production"}}],
        },
    )


def test_tiny_hand_optimum(tiny: Path) -> None:
    # Eligibility: rd needs talent 0.5, so rd only at BJ-center (1.0 >= 0.5, outer 0.2 < 0.5);
    # production is locked out of the center, so production only at BJ-outer; pilot both.
    # Production: demand 100, all costs positive -> q = 100 at outer (land 100 ha of 150).
    # Pilot must support 0.2 * 100 = 20 units. At outer it costs 100 yuan/m2 * 0.2 ha * 20
    # = 400 of land, at center 5000 * 0.2 * 20 = 20000, so pilot q = 20 at outer (4 ha).
    # R&D must support 0.5 * 20 = 10 units, at center (the only eligible site).
    #   land      : 100*1.0*100 + 100*0.2*20 + 5000*0.1*10 = 10000 + 400 + 5000 = 15400
    #   setup     : 100 + 30 + 50                                             =   180
    #   operating : 1*0.5*100 + 1*1*20 + 1.5*2*10 (cost factor 1.5 at center) =   100
    #   linkage   : weight 2 * tau 0.01 * (10 units over d(center, outer) + 20 units over 0)
    # where d = R * 0.5 degree (same meridian), R = 6371.0088 km, about 55.6 km < 100 km.
    d = EARTH_RADIUS_KM * math.radians(0.5)
    expected = 15400 + 180 + 100 + 2 * 0.01 * 10 * d
    res = solve_reference(tiny)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert set(res.open) == {
        ("ai", "rd", "BJ-center"),
        ("ai", "pilot", "BJ-outer"),
        ("ai", "production", "BJ-outer"),
    }
    assert res.open[("ai", "production", "BJ-outer")] == pytest.approx(100, abs=1e-7)
    assert res.open[("ai", "pilot", "BJ-outer")] == pytest.approx(20, abs=1e-7)
    assert res.open[("ai", "rd", "BJ-center")] == pytest.approx(10, abs=1e-7)
    assert res.flows == pytest.approx(
        {
            ("ai", "pilot", "BJ-center", "BJ-outer"): 10.0,
            ("ai", "production", "BJ-outer", "BJ-outer"): 20.0,
        },
        abs=1e-7,
    )


def _two_regions(tmp_path: Path, duplication: str) -> Path:
    return _write(
        tmp_path,
        {
            "regions": REGION_HEADER + "A,A,甲,I,116.0,40.0,,\nB,B,乙,III,116.0,41.0,,\n",
            "sites": "id,region,zone,land_ha,land_price,lon,lat,cost_factor,cap_talent\n"
            "A1,A,center,100,1000,116.0,40.0,,1.0\n"
            "B1,B,outer,100,100,116.0,41.0,,0.0\n",
            "industries": INDUSTRY_HEADER + "bio,Bio,生物,emerging,10,,1,\n",
            "functions": FUNCTION_HEADER
            + "bio,rd,0.1,10,1,0,,,,0.5\n"
            "bio,pilot,0.1,10,1,0,,1.0,,\n"
            "bio,production,1.0,10,1,0,,1.0,,\n",
        },
        {
            "settings": {
                "linkage_cost": 0.01,
                "duplication": duplication,
                "duplication_penalty": 1000,
                "weights": {"duplication": 0.5},
            },
            "rules": [{"lock_out": {"region": ["A"], "function": "production"}}],
        },
    )


def test_soft_duplication_hand_optimum(tmp_path: Path) -> None:
    # R&D only in A (talent), production only in B (lock_out), max_hosts 1: two host
    # regions are unavoidable, so hard mode is infeasible and soft mode pays one extra host.
    # Production 10 at B1: land 100*1*10 = 1000, setup 10, operating 10.
    # Pilot 10 (ratio 1): at B1 land 100*0.1*10 = 100 (at A1 it would be 1000), setup 10,
    #   operating 10; R&D 10 at A1: land 1000*0.1*10 = 1000, setup 10, operating 10.
    # Linkage: 10 units of R&D over d(A1, B1) = R * 1 degree, tau 0.01, no radius.
    # Duplication: weight 0.5 * penalty 1000 * 1 extra host = 500.
    d = EARTH_RADIUS_KM * math.radians(1.0)
    expected = 1020 + 120 + 1020 + 0.01 * 10 * d + 500
    hard = tmp_path / "hard"
    soft = tmp_path / "soft"
    hard.mkdir()
    soft.mkdir()
    assert solve_reference(_two_regions(hard, "hard")).status == "infeasible"
    res = solve_reference(_two_regions(soft, "soft"))
    assert res.status == "optimal"
    assert res.objective == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert set(res.open) == {("bio", "rd", "A1"), ("bio", "pilot", "B1"), ("bio", "production", "B1")}


def test_flat_only(tiny: Path) -> None:
    doc = yaml.safe_load(tiny.read_text(encoding="utf-8"))
    doc["extends"] = "base.yaml"
    tiny.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(NotImplementedError):
        solve_reference(tiny)


def test_lock_in_on_ineligible_triple_is_an_error(tiny: Path) -> None:
    doc = yaml.safe_load(tiny.read_text(encoding="utf-8"))
    doc["rules"].append({"lock_in": {"site": "BJ-outer", "function": "rd"}})
    tiny.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ValueError):
        solve_reference(tiny)


def test_lock_in_forces_an_opening(tiny: Path) -> None:
    base = solve_reference(tiny).objective
    doc = yaml.safe_load(tiny.read_text(encoding="utf-8"))
    doc["rules"].append({"lock_in": {"site": "BJ-center", "function": "pilot"}})
    tiny.write_text(yaml.safe_dump(doc), encoding="utf-8")
    res = solve_reference(tiny)
    assert ("ai", "pilot", "BJ-center") in res.open
    assert res.objective is not None and base is not None
    assert res.objective >= base + 30 - 1e-6  # at least the extra pilot setup cost


# ------------------------------------------------------------- enumeration
def _pattern_lp(scn: Scenario, pattern: set[Triple]) -> float | None:
    """Optimum of docs/model.md with x fixed to ``pattern``, written independently of model.py.

    Hosting, anti-duplication and focus constraints only depend on x, so they are checked
    here directly; what remains is an LP in q and g, built with highspy's modelling API.
    """
    st = scn.settings
    w = st.weights
    if any(t not in pattern for t in scn.lock_in_triples()):
        return None
    hosts = {i: {scn.sites[s].region for (j, _, s) in pattern if j == i} for i in scn.industries}
    constant = w["setup"] * sum(scn.functions[(i, f)].setup_cost for i, f, _ in pattern)
    for i, ind in scn.industries.items():
        if len(hosts[i]) < ind.min_hosts:
            return None
        if ind.max_hosts is not None and len(hosts[i]) > ind.max_hosts:
            if st.duplication == "hard":
                return None
            constant += w["duplication"] * st.duplication_penalty * (len(hosts[i]) - ind.max_hosts)
    for r, reg in scn.regions.items():
        if reg.max_new_industries is not None:
            n = sum(
                1 for i, ind in scn.industries.items()
                if ind.category in FOCUS_CATEGORIES and r in hosts[i]
            )
            if n > reg.max_new_industries:
                return None

    h = highspy.Highs()
    h.silent()
    q = {}
    for t in sorted(pattern):
        i, f, s = t
        fn = scn.functions[(i, f)]
        site = scn.sites[s]
        upper = site.land_ha / fn.land_per_unit
        if fn.max_scale is not None:
            upper = min(upper, fn.max_scale)
        if fn.min_scale > upper:
            return None
        cost = w["land"] * site.land_price * fn.land_per_unit + w["operating"] * site.cost_factor * fn.unit_cost
        q[t] = h.addVariable(lb=fn.min_scale, ub=upper, obj=cost)
    g = {}
    for (i, f, t) in q:
        if f not in PRED:
            continue
        for (j, p, s) in q:
            if j == i and p == PRED[f] and scn.distance(s, t) <= st.chain_radius_km:
                g[(i, f, s, t)] = h.addVariable(
                    lb=0, obj=w["linkage"] * st.linkage_cost * scn.distance(s, t)
                )
    for s, site in scn.sites.items():
        terms = [scn.functions[(i, f)].land_per_unit * var for (i, f, u), var in q.items() if u == s]
        if terms:
            h.addConstr(h.qsum(terms) <= site.land_ha)
    for i, ind in scn.industries.items():
        prod = [var for (j, f, _), var in q.items() if j == i and f == "production"]
        if not prod:
            return None
        h.addConstr(h.qsum(prod) >= ind.demand)
        h.addConstr(h.qsum(prod) <= (1 + ind.overcapacity) * ind.demand)
    for (i, f, t), var in q.items():
        if f in PRED:
            rho = scn.functions[(i, f)].support_ratio
            into = [gv for (j, ff, _, u), gv in g.items() if (j, ff, u) == (i, f, t)]
            h.addConstr(h.qsum(into + [-rho * var]) == 0)
        succ = [k for k, p in PRED.items() if p == f]
        out = [gv for (j, ff, s, _), gv in g.items() if j == i and ff in succ and s == t]
        if out:
            h.addConstr(h.qsum(out + [-1.0 * var]) <= 0)
    for r, reg in scn.regions.items():
        if reg.energy_budget is not None:
            terms = [
                scn.functions[(i, f)].energy_per_unit * var
                for (i, f, s), var in q.items()
                if scn.sites[s].region == r
            ]
            if terms:
                h.addConstr(h.qsum(terms) <= reg.energy_budget)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return constant + h.getInfo().objective_function_value


NARROW_RULES = [
    {"lock_out": {"zone": "outer", "function": "rd"}},
    {"lock_out": {"zone": "center", "function": ["pilot", "production"]}},
    {"lock_out": {"zone": "inner", "function": "production"}},
]


@pytest.mark.parametrize(
    ("seed", "n_regions", "n_industries", "soft"),
    # seeds picked to cover energy budgets, focus limits, min/max hosts, min/max scale,
    # radius cuts, and soft duplication with an extra host at the optimum (2 and 38)
    [
        (1, 2, 1, False),
        (17, 2, 1, False),
        (26, 2, 1, False),
        (2, 2, 1, True),
        (38, 2, 1, True),
        (24, 1, 2, False),
        (31, 1, 2, False),
        (13, 1, 2, True),
    ],
)
def test_enumeration_matches_mip(
    tmp_path: Path, seed: int, n_regions: int, n_industries: int, soft: bool
) -> None:
    path = write_random_scenario(
        tmp_path, seed, n_regions=n_regions, n_industries=n_industries, soft=soft
    )
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    # narrow eligibility (<= 10 binaries) so that all x patterns can be enumerated
    doc["rules"] = [r for r in doc.get("rules", []) if "lock_in" not in r] + NARROW_RULES
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    scn = load_scenario(path)
    elig = scn.eligible_triples()
    assert len(elig) <= 10

    best: float | None = None
    for bits in itertools.product((0, 1), repeat=len(elig)):
        pattern = {t for t, b in zip(elig, bits, strict=False) if b}
        value = _pattern_lp(scn, pattern)
        # cross-check the matrix model with x fixed to the same pattern
        fixed = solve_scenario(scn, fixed_open=pattern)
        if value is None:
            assert fixed.status == "infeasible", pattern
        else:
            assert fixed.status == "optimal", pattern
            assert fixed.objective == pytest.approx(value, rel=1e-7, abs=1e-6), pattern
            if best is None or value < best:
                best = value

    res = solve_reference(path)
    if best is None:
        assert res.status == "infeasible"
    else:
        assert res.status == "optimal"
        assert res.objective == pytest.approx(best, rel=1e-7, abs=1e-6)


# ----------------------------------------------------------------- checker
@pytest.mark.parametrize(("seed", "soft"), [(11, False), (12, True), (13, False), (14, True)])
def test_checker_accepts_reference_plans(tmp_path: Path, seed: int, soft: bool) -> None:
    path = write_random_scenario(tmp_path / "scn", seed, soft=soft)
    res = solve_reference(path)
    write_run_folder(res, path, tmp_path / "run")
    if res.status == "optimal":
        assert check_run_folder(tmp_path / "run", path) == []
    else:
        assert check_run_folder(tmp_path / "run", path) != []


@pytest.fixture()
def good_run(tiny: Path) -> Path:
    run = tiny.parent / "run"
    write_run_folder(solve_reference(tiny), tiny, run)
    assert check_run_folder(run, tiny) == []
    return run


def test_checker_flags_perturbed_capacity(tiny: Path, good_run: Path) -> None:
    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["function"] == "production":
                row["capacity"] = str(float(row["capacity"]) * 1.2)
        return rows

    rewrite_csv(good_run / "assignments.csv", edit)
    found = check_run_folder(good_run, tiny)
    assert any("above (1 + θ) D" in m for m in found)
    assert any("support received" in m for m in found)


def test_checker_flags_small_capacity_change(tiny: Path, good_run: Path) -> None:
    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            if row["function"] == "rd":
                row["capacity"] = str(float(row["capacity"]) + 1e-3)
        return rows

    rewrite_csv(good_run / "assignments.csv", edit)
    assert check_run_folder(good_run, tiny) != []


def test_checker_flags_dropped_link(tiny: Path, good_run: Path) -> None:
    rewrite_csv(good_run / "links.csv", lambda rows: rows[1:])
    found = check_run_folder(good_run, tiny)
    assert any("support received" in m for m in found)
    assert any("objective recomputed" in m for m in found)


def test_checker_flags_wrong_objective(tiny: Path, good_run: Path) -> None:
    summary = json.loads((good_run / "summary.json").read_text(encoding="utf-8"))
    summary["objective"] *= 1.001
    (good_run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    found = check_run_folder(good_run, tiny)
    assert any("objective recomputed" in m for m in found)
    assert any("add up" in m for m in found)


def test_checker_flags_ineligible_and_missing_lock_in(tiny: Path, good_run: Path) -> None:
    doc = yaml.safe_load(tiny.read_text(encoding="utf-8"))
    doc["rules"].append({"lock_in": {"site": "BJ-center", "function": "pilot"}})
    tiny.write_text(yaml.safe_dump(doc), encoding="utf-8")

    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        extra = dict(rows[0])
        extra.update(function="production", site="BJ-center", zone="center")
        return rows + [extra]

    rewrite_csv(good_run / "assignments.csv", edit)
    found = check_run_folder(good_run, tiny)
    assert any("lock_out" in m for m in found)
    assert any("lock_in triple" in m for m in found)


def test_checker_flags_bad_distance_and_radius(tiny: Path, good_run: Path) -> None:
    def edit(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            row["distance_km"] = str(float(row["distance_km"]) + 1.0)
        return rows

    rewrite_csv(good_run / "links.csv", edit)
    doc = yaml.safe_load(tiny.read_text(encoding="utf-8"))
    doc["settings"]["chain_radius_km"] = 50
    tiny.write_text(yaml.safe_dump(doc), encoding="utf-8")
    found = check_run_folder(good_run, tiny)
    assert any("haversine" in m for m in found)
    assert any("chain radius" in m for m in found)


def test_checker_without_plan(tmp_path: Path) -> None:
    path = _two_regions(tmp_path, "hard")
    res = solve_reference(path)
    write_run_folder(res, path, tmp_path / "run")
    assert not (tmp_path / "run" / "assignments.csv").exists()
    assert check_run_folder(tmp_path / "run", path) == ["no plan to check: summary status is 'infeasible'"]
