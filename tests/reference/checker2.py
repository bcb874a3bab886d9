"""Independent checker of a version 2 run folder (MODEL.md "Version 2", SCENARIO.md "Version 2
additions"), and a writer of such folders from a reference result.

``check_run_folder_v2`` re-reads the scenario with the reference reader and recomputes, from
the written plan only (``assignments.csv``, ``links.csv``, ``transition.csv``, ``regions.csv``
and ``summary.json``, each with a ``period`` column or entry), every version 2 constraint and
the discounted objective. The column names it reads are listed in ``TRANSITION_COLUMNS``
(first name preferred, the others accepted).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checker import ASSIGNMENT_COLUMNS, LINK_COLUMNS, _float, _read_rows, _write_csv
from .model2 import Key, Plan2, ReferenceResult2
from .scenario import (
    COST_TERMS_V2,
    FOCUS_CATEGORIES,
    FUNCTIONS,
    PRED,
    Scenario,
    load_scenario,
)

TRANSITION_COLUMNS: dict[str, tuple[str, ...]] = {
    "capacity": ("capacity", "in_use", "capacity_in_use"),
    "built": ("built",),
    "retired": ("retired",),
    "converted_in": ("converted_in", "conversion_in"),
    "converted_out": ("converted_out", "conversion_out"),
}
"""What transition.csv must give per (industry, function, site, period): accepted column names."""
REGION_PRODUCTION_COLUMNS: tuple[str, ...] = ("production", "production_capacity", "capacity")
"""Accepted names of regions.csv's production capacity column."""

Flow2 = tuple[str, str, str, str, int]


# ------------------------------------------------------------------ plan costs
def period_costs(
    scn: Scenario,
    k: int,
    opened: dict[Key, float],
    built: dict[Key, float],
    retired: dict[Key, float],
    converted: dict[tuple[str, str, int], float],
    flows: dict[Flow2, float],
) -> dict[str, float]:
    """Weighted, undiscounted cost terms of period position ``k`` of a plan (10k yuan)."""
    st, w = scn.settings, scn.settings.weights
    raw = {t: 0.0 for t in COST_TERMS_V2}
    for (i, f, s, kk), b in built.items():
        if kk == k:
            raw["land"] += scn.sites[s].land_price * scn.functions[(i, f)].land_per_unit * b
    for (i, f, s, kk), q in opened.items():
        if kk != k:
            continue
        before = (i, f, s, k - 1) in opened if k > 0 else scn.stock.get((i, f, s), 0.0) > 0
        if not before:
            raw["setup"] += scn.functions[(i, f)].setup_cost
        raw["operating"] += scn.sites[s].cost_factor * scn.functions[(i, f)].unit_cost * q
    raw["linkage"] = st.linkage_cost * sum(
        scn.distance(s, t) * g for (_, _, s, t, kk), g in flows.items() if kk == k
    )
    if st.duplication == "soft":
        for _i, extra in extra_hosts_v2(scn, opened, k).items():
            raw["duplication"] += st.duplication_penalty * extra
    for (i, f, _s, kk), r in retired.items():
        if kk == k:
            raw["retire"] += scn.functions[(i, f)].retire_cost * r
    for (i, _s, kk), c in converted.items():
        if kk == k:
            raw["upgrade"] += scn.industries[i].upgrade_cost * c
    return {t: w[t] * raw[t] for t in COST_TERMS_V2}


def hosts_v2(scn: Scenario, opened: dict[Key, float], k: int) -> dict[str, set[str]]:
    """Industry -> regions hosting any of its open functions in period position ``k``."""
    hosts: dict[str, set[str]] = {i: set() for i in scn.industries}
    for i, _, s, kk in opened:
        if kk == k:
            hosts[i].add(scn.sites[s].region)
    return hosts


def extra_hosts_v2(scn: Scenario, opened: dict[Key, float], k: int) -> dict[str, int]:
    """Industry -> host regions beyond H'_i in period position ``k`` (0 where H_i is not set)."""
    out = {}
    for i, regions in hosts_v2(scn, opened, k).items():
        cap = scn.max_hosts_v2(i)
        out[i] = 0 if cap is None else max(0, math.ceil(len(regions) - cap))
    return out


# ---------------------------------------------------------------- writing
def write_run_folder_v2(result: ReferenceResult2, scenario_yaml: Path, run_dir: Path) -> None:
    """Write summary.json, assignments.csv, links.csv, transition.csv, regions.csv and sites.csv of a
    reference result, in the version 2 layout the checker reads (``period`` = the year)."""
    scn = load_scenario(Path(scenario_yaml))
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    plan = result.plan
    summary: dict[str, Any] = {
        "scenario": scn.name,
        "status": {"optimal": "optimal", "infeasible": "infeasible"}.get(
            result.status, "feasible" if plan else "no_solution"
        ),
        "objective": result.objective,
        "violations": [],
    }
    label = [y if y is not None else "" for y in scn.years]
    if plan is not None:
        per = [period_costs(scn, k, plan.open, plan.built, plan.retired, plan.converted, plan.flows)
               for k in range(len(scn.years))]
        summary["costs"] = {t: sum(scn.discount(k) * c[t] for k, c in enumerate(per)) for t in COST_TERMS_V2}
        summary["periods"] = [
            {"period": label[k], "discount_factor": scn.discount(k), "costs": c, "objective": sum(c.values()),
             "hosts": {i: len(r) for i, r in hosts_v2(scn, plan.open, k).items()}}
            for k, c in enumerate(per)
        ]
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    if plan is None:
        return
    assignments = []
    for (i, f, s, k), q in sorted(plan.open.items(), key=lambda kv: (kv[0][3], kv[0][:3])):
        fn, site = scn.functions[(i, f)], scn.sites[s]
        assignments.append([label[k], i, f, s, site.region, site.zone, q, fn.land_per_unit * q,
                            site.land_price * fn.land_per_unit * plan.built.get((i, f, s, k), 0.0),
                            fn.setup_cost if (i, f, s, k) in plan.opening else 0.0,
                            site.cost_factor * fn.unit_cost * q])
    _write_csv(run_dir / "assignments.csv", ["period"] + ASSIGNMENT_COLUMNS, assignments)
    _write_csv(run_dir / "links.csv", ["period"] + LINK_COLUMNS,
               [[label[k], i, f, s, t, g, scn.distance(s, t)]
                for (i, f, s, t, k), g in sorted(plan.flows.items(), key=lambda kv: (kv[0][4], kv[0][:4]))])
    _write_csv(run_dir / "transition.csv", TRANSITION_HEADER, transition_rows(scn, plan, label))
    production: dict[tuple[int, str], float] = defaultdict(float)
    for (_i, f, s, k), q in plan.open.items():
        if f == "production":
            production[(k, scn.sites[s].region)] += q
    _write_csv(run_dir / "regions.csv", ["period", "region", "production"],
               [[label[k], r, production[(k, r)]] for k in range(len(scn.years)) for r in scn.regions])
    used: dict[tuple[int, str], float] = defaultdict(float)
    for (i, f, s, k), q in plan.open.items():
        used[(k, s)] += scn.functions[(i, f)].land_per_unit * q
    _write_csv(run_dir / "sites.csv", ["period", "site", "region", "zone", "land_ha", "land_used_ha"],
               [[label[k], s, site.region, site.zone, site.land_ha, used[(k, s)]]
                for k in range(len(scn.years)) for s, site in scn.sites.items()])


TRANSITION_HEADER = ["period", "industry", "function", "site", "kept", "built", "retired",
                     "converted_in", "converted_out", "capacity"]


def transition_rows(scn: Scenario, plan: Plan2, label: list[Any]) -> list[list[Any]]:
    """transition.csv rows: every triple and period with stock, capacity or a change."""
    ups = {i: ind.upgrades for i, ind in scn.industries.items() if ind.upgrades}
    rows = []
    for k in range(len(scn.years)):
        for t in scn.capacity_triples():
            key = (*t, k)
            i, f, s = t
            c_in = plan.converted.get((i, s, k), 0.0) if f == "production" else 0.0
            c_out = sum(v for (kk, ss, k2), v in plan.converted.items()
                        if f == "production" and ups.get(kk) == i and ss == s and k2 == k)
            prev = scn.stock.get(t, 0.0) if k == 0 else plan.open.get((*t, k - 1), 0.0)
            values = [plan.built.get(key, 0.0), plan.retired.get(key, 0.0), c_in, c_out, plan.open.get(key, 0.0)]
            if prev or any(values):
                rows.append([label[k], i, f, s, prev - values[1] - c_out] + values)
    return rows


# ---------------------------------------------------------------- checking
class _Checker:
    """Collects violations while reading a version 2 run folder."""

    def __init__(self, scn: Scenario, run_dir: Path, tol: float) -> None:
        self.scn, self.run_dir, self.tol = scn, run_dir, tol
        self.v: list[str] = []
        self.cap_set = set(scn.capacity_triples())

    def close(self, a: float, b: float) -> bool:
        return abs(a - b) <= self.tol * max(1.0, abs(b))

    def le(self, a: float, b: float) -> bool:
        return a <= b + self.tol * max(1.0, abs(b))

    def period(self, value: str | None, where: str) -> int | None:
        """Position of a ``period`` cell (any single value when the scenario has no periods)."""
        if not self.scn.settings.periods:
            return 0
        year = _float(value)
        if year is None or not year.is_integer() or int(year) not in self.scn.settings.periods:
            self.v.append(f"{where}: period {value!r} is not one of {list(self.scn.settings.periods)}")
            return None
        return self.scn.settings.periods.index(int(year))

    def rows(self, name: str, required: list[str]) -> list[tuple[str, dict[str, str]]]:
        try:
            rows = _read_rows(self.run_dir / name)
        except OSError as exc:
            self.v.append(f"{name} unreadable: {exc}")
            return []
        out = []
        for n, row in enumerate(rows, start=2):
            missing = [c for c in required if c not in row]
            if missing:
                self.v.append(f"{name} line {n}: missing columns {missing}")
                continue
            out.append((f"{name} line {n}", row))
        return out


def _pick(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((row[n] for n in names if n in row), None)


@dataclass
class TransitionTable:
    """What transition.csv says, per (industry, function, site, period position): positive values only."""

    built: dict[Key, float] = field(default_factory=dict)
    retired: dict[Key, float] = field(default_factory=dict)
    converted_in: dict[Key, float] = field(default_factory=dict)
    converted_out: dict[Key, float] = field(default_factory=dict)
    capacity: dict[Key, float] = field(default_factory=dict)


def check_run_folder_v2(run_dir: Path, scenario_yaml: Path, tol: float = 1e-6) -> list[str]:
    """Violations of MODEL.md version 2 by the plan in ``run_dir`` (empty list = plan is correct).

    Tolerances are relative: a bound b is violated by more than ``tol * max(1, |b|)``.
    """
    ck = _Checker(load_scenario(Path(scenario_yaml)), Path(run_dir), tol)
    try:
        summary = json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"summary.json unreadable: {exc}"]
    if summary.get("status") not in ("optimal", "feasible"):
        return [f"no plan to check: summary status is {summary.get('status')!r}"]
    if summary.get("violations"):
        ck.v.append(f"summary.json reports violations: {summary['violations']}")
    opened = _read_assignments(ck)
    _check_lock_in_land_and_demand(ck, opened)
    flows = _read_links(ck)
    _check_support(ck, opened, flows)
    _check_hosts_and_budgets(ck, opened)
    table = _read_transition(ck)
    _check_transition(ck, opened, table)
    _check_build_first(ck, table)
    _check_regions(ck, opened)
    _check_sites(ck, opened)
    _check_objective(ck, summary, opened, flows, table)
    return ck.v


def _read_assignments(ck: _Checker) -> dict[Key, float]:
    """assignments.csv: q per open (triple, period), each row checked on its own."""
    scn = ck.scn
    v = ck.v
    tol = ck.tol
    cap_set = ck.cap_set
    opened: dict[Key, float] = {}
    for where, row in ck.rows("assignments.csv", ["period"] + ASSIGNMENT_COLUMNS):
        k = ck.period(row["period"], where)
        i, f, s = row["industry"], row["function"], row["site"]
        if k is None:
            continue
        if i not in scn.industries or f not in FUNCTIONS or s not in scn.sites:
            v.append(f"{where}: unknown industry/function/site ({i}, {f}, {s})")
            continue
        t, q = (i, f, s), _float(row["capacity"])
        if q is None or q < -tol:
            v.append(f"{where}: capacity {row['capacity']!r} is not a non-negative number")
            continue
        if (*t, k) in opened:
            v.append(f"{where}: {t} listed twice in period {row['period']}")
            continue
        opened[(*t, k)] = q
        site, fn = scn.sites[s], scn.functions[(i, f)]
        if (row["region"], row["zone"]) != (site.region, site.zone):
            v.append(f"{where}: region/zone {row['region']}/{row['zone']} but site {s} is {site.region}/{site.zone}")
        if t not in cap_set:
            v.append(f"{where}: {t} holds capacity but is neither eligible nor standing stock")
        if scn.phased_out(t, k):
            v.append(f"{where}: {t} is open in {row['period']} but a phase_out rule empties it from then")
        if not ck.le(fn.min_scale, q):
            v.append(f"{where}: {t} capacity {q} below min scale {fn.min_scale}")
        if not ck.le(q, scn.upper_v2(t)):
            v.append(f"{where}: {t} capacity {q} above max(U, E) = {scn.upper_v2(t)}")
        for col, want in (("land_ha", fn.land_per_unit * q), ("operating_cost", site.cost_factor * fn.unit_cost * q)):
            got = _float(row[col])
            if got is None or not ck.close(got, want):
                v.append(f"{where}: {col} = {row[col]} but {want} expected")
    return opened


def _check_lock_in_land_and_demand(ck: _Checker, opened: dict[Key, float]) -> None:
    """lock_in in every period (10), land per site (2) and demand D_it (3) per period."""
    scn = ck.scn
    v = ck.v
    n_periods = len(ck.scn.years)
    try:
        for t in scn.lock_in_triples():
            for k in range(n_periods):
                if (*t, k) not in opened:
                    v.append(f"lock_in triple {t} is not open in period {scn.years[k]}")
    except ValueError as exc:
        v.append(f"scenario error: {exc}")

    for k in range(n_periods):
        label = scn.years[k]
        used: dict[str, float] = defaultdict(float)
        prod: dict[str, float] = defaultdict(float)
        for (i, f, s, kk), q in opened.items():
            if kk == k:
                used[s] += scn.functions[(i, f)].land_per_unit * q
                if f == "production":
                    prod[i] += q
        for s, land in used.items():
            if not ck.le(land, scn.sites[s].land_ha):
                v.append(f"period {label}, site {s}: land used {land} ha exceeds {scn.sites[s].land_ha} ha")
        for i, ind in scn.industries.items():
            dem = scn.demand_at(i, k)
            if not ck.le(dem, prod[i]):
                v.append(f"period {label}, industry {i}: production {prod[i]} below demand {dem}")
            if not ck.le(prod[i], (1 + ind.overcapacity) * dem):
                v.append(f"period {label}, industry {i}: production {prod[i]} above (1 + θ) D = "
                         f"{(1 + ind.overcapacity) * dem}")


def _read_links(ck: _Checker) -> dict[Flow2, float]:
    """links.csv: g per (link, period), each row checked on its own (ends, radius, distance)."""
    scn = ck.scn
    v = ck.v
    tol = ck.tol
    st = ck.scn.settings
    cap_set = ck.cap_set
    flows: dict[Flow2, float] = {}
    radius = st.chain_radius_km
    for where, row in ck.rows("links.csv", ["period"] + LINK_COLUMNS):
        k = ck.period(row["period"], where)
        i, f, s, t = row["industry"], row["function"], row["from_site"], row["to_site"]
        if k is None:
            continue
        if i not in scn.industries or f not in PRED or s not in scn.sites or t not in scn.sites:
            v.append(f"{where}: unknown industry/function/site ({i}, {f}, {s}, {t})")
            continue
        g = _float(row["amount"])
        if g is None or g < -tol:
            v.append(f"{where}: amount {row['amount']!r} is not a non-negative number")
            continue
        if (i, f, s, t, k) in flows:
            v.append(f"{where}: link listed twice")
            continue
        flows[(i, f, s, t, k)] = g
        for end in ((i, PRED[f], s), (i, f, t)):
            if end not in cap_set:
                v.append(f"{where}: end {end} is neither eligible nor standing stock")
        d = scn.distance(s, t)
        if math.isfinite(radius) and d > radius + tol * max(1.0, radius):
            v.append(f"{where}: distance {d} km exceeds the chain radius {radius} km")
        dk = _float(row["distance_km"])
        if dk is None or not ck.close(dk, d):
            v.append(f"{where}: distance_km = {row['distance_km']} but haversine gives {d}")
    return flows


def _check_support(ck: _Checker, opened: dict[Key, float], flows: dict[Flow2, float]) -> None:
    """Support received (4) and given (5) per period."""
    scn = ck.scn
    v = ck.v
    inflow: dict[Key, float] = defaultdict(float)
    outflow: dict[Key, float] = defaultdict(float)
    for (i, f, s, t, k), g in flows.items():
        inflow[(i, f, t, k)] += g
        outflow[(i, PRED[f], s, k)] += g
    for key in set(inflow) | {o for o in opened if o[1] in PRED}:
        need = scn.functions[(key[0], key[1])].support_ratio * opened.get(key, 0.0)
        if not ck.close(inflow.get(key, 0.0), need):
            v.append(f"support received by {key[:3]} in {scn.years[key[3]]}: {inflow.get(key, 0.0)} but ρ q = {need}")
    for key, out in outflow.items():
        if not ck.le(out, opened.get(key, 0.0)):
            v.append(f"support given by {key[:3]} in {scn.years[key[3]]}: {out} exceeds its capacity "
                     f"{opened.get(key, 0.0)}")


def _check_hosts_and_budgets(ck: _Checker, opened: dict[Key, float]) -> None:
    """Hosting caps H' and N (7), focus L' (8) and energy (9) per period."""
    scn = ck.scn
    v = ck.v
    tol = ck.tol
    st = ck.scn.settings
    n_periods = len(ck.scn.years)
    for k in range(n_periods):
        label = scn.years[k]
        hosts = hosts_v2(scn, opened, k)
        for i, ind in scn.industries.items():
            cap = scn.max_hosts_v2(i)
            if st.duplication == "hard" and cap is not None and len(hosts[i]) > cap + tol:
                v.append(f"period {label}, industry {i}: {len(hosts[i])} host regions exceed H' = {cap}")
            if len(hosts[i]) < ind.min_hosts - tol:
                v.append(f"period {label}, industry {i}: {len(hosts[i])} host regions below min_hosts {ind.min_hosts}")
        for r, reg in scn.regions.items():
            cap_r = scn.max_focus_v2(r)
            if cap_r is not None:
                focus = [i for i, ind in scn.industries.items() if ind.category in FOCUS_CATEGORIES and r in hosts[i]]
                if len(focus) > cap_r + tol:
                    v.append(f"period {label}, region {r}: hosts {len(focus)} future/emerging industries, L' = {cap_r}")
            if reg.energy_budget is not None:
                energy = sum(scn.functions[(i, f)].energy_per_unit * q
                             for (i, f, s, kk), q in opened.items() if kk == k and scn.sites[s].region == r)
                if not ck.le(energy, reg.energy_budget):
                    v.append(f"period {label}, region {r}: energy {energy} exceeds budget {reg.energy_budget}")


def _read_transition(ck: _Checker) -> TransitionTable:
    """transition.csv: built, retired, converted in and out, capacity per (triple, period)."""
    scn = ck.scn
    v = ck.v
    tol = ck.tol
    table = TransitionTable()
    built, retired, c_in, c_out = table.built, table.retired, table.converted_in, table.converted_out
    written_capacity = table.capacity
    for where, row in ck.rows("transition.csv", ["period", "industry", "function", "site"]):
        k = ck.period(row["period"], where)
        t = (row["industry"], row["function"], row["site"])
        if k is None:
            continue
        if t[0] not in scn.industries or t[1] not in FUNCTIONS or t[2] not in scn.sites:
            v.append(f"{where}: unknown industry/function/site {t}")
            continue
        key = (*t, k)
        for name, store in (("built", built), ("retired", retired), ("converted_in", c_in),
                            ("converted_out", c_out), ("capacity", written_capacity)):
            cell = _pick(row, TRANSITION_COLUMNS[name])
            if cell is None:
                v.append(f"{where}: no column {TRANSITION_COLUMNS[name][0]!r}")
                continue
            value = _float(cell) if cell.strip() else 0.0
            if value is None or value < -tol:
                v.append(f"{where}: {name} {cell!r} is not a non-negative number")
                continue
            if key in store:
                v.append(f"{where}: {t} listed twice in period {row['period']}")
                break
            if value > 0:
                store[key] = value
    return table


def _check_transition(ck: _Checker, opened: dict[Key, float], table: TransitionTable) -> None:
    """Capacity as in assignments.csv, new capacity on eligible triples, conversions where allowed, balance (11)."""
    scn = ck.scn
    v = ck.v
    tol = ck.tol
    n_periods = len(ck.scn.years)
    cap_set = ck.cap_set
    built, retired, c_in, c_out = table.built, table.retired, table.converted_in, table.converted_out
    written_capacity = table.capacity
    ups = {i: ind.upgrades for i, ind in scn.industries.items() if ind.upgrades}
    keys = {(*t, k) for t in cap_set for k in range(n_periods)}
    keys |= set(opened) | set(built) | set(retired) | set(c_in) | set(c_out) | set(written_capacity)
    for key in sorted(keys, key=lambda x: (x[3], x[:3])):
        i, f, s, k = key
        t, label = (i, f, s), scn.years[k]
        q = opened.get(key, 0.0)
        if not ck.close(written_capacity.get(key, 0.0), q):
            v.append(f"transition.csv: {t} in {label} capacity {written_capacity.get(key, 0.0)} "
                     f"but assignments.csv gives {q}")
        if built.get(key, 0.0) > tol and not scn.eligible(t):
            v.append(f"transition.csv: {t} builds {built[key]} in {label} but is not eligible (new capacity)")
        if f != "production" and (key in c_in or key in c_out):
            v.append(f"transition.csv: {t} converts in {label}, but only production converts")
        if key in c_in and (i not in ups or s not in scn.conversion_sites(i)):
            v.append(f"transition.csv: {t} receives a conversion in {label} that MODEL.md does not allow")
        if f == "production":
            want_out = sum(c for (kk, ff, ss, k2), c in c_in.items() if ups.get(kk) == i and ss == s and k2 == k)
            if not ck.close(c_out.get(key, 0.0), want_out):
                v.append(f"transition.csv: {t} converts out {c_out.get(key, 0.0)} in {label} "
                         f"but the upgrading industries convert in {want_out}")
        prev = scn.stock.get(t, 0.0) if k == 0 else opened.get((i, f, s, k - 1), 0.0)
        balance = prev + built.get(key, 0.0) - retired.get(key, 0.0) + c_in.get(key, 0.0) - c_out.get(key, 0.0)
        if not ck.close(q, balance):
            v.append(f"balance of {t} in {label}: capacity {q} but previous {prev} + built - retired "
                     f"+ converted in - out = {balance}")


def _check_build_first(ck: _Checker, table: TransitionTable) -> None:
    """先立后破 (13): per region, production retired up to t <= production built up to t - lag."""
    scn = ck.scn
    v = ck.v
    st = ck.scn.settings
    n_periods = len(ck.scn.years)
    retired, built = table.retired, table.built
    if st.transition == "build_first":
        lag = st.transition_lag
        for r in scn.regions:
            for k in range(n_periods):
                out = sum(x for (i, f, s, kk), x in retired.items()
                          if f == "production" and kk <= k and scn.sites[s].region == r)
                new = sum(x for (i, f, s, kk), x in built.items()
                          if f == "production" and kk <= k - lag and scn.sites[s].region == r)
                if not ck.le(out, new):
                    v.append(f"先立后破: region {r} has retired {out} units of production up to {scn.years[k]} "
                             f"but built only {new} up to {lag} period(s) earlier")


def _check_regions(ck: _Checker, opened: dict[Key, float]) -> None:
    """regions.csv: production capacity per region and period as in the plan."""
    scn = ck.scn
    v = ck.v
    tol = ck.tol
    production: dict[tuple[str, int], float] = defaultdict(float)
    for (_i, f, s, k), q in opened.items():
        if f == "production":
            production[(scn.sites[s].region, k)] += q
    seen: set[tuple[str, int]] = set()
    for where, row in ck.rows("regions.csv", ["period", "region"]):
        k = ck.period(row["period"], where)
        r = row["region"]
        if k is None or r not in scn.regions:
            if r not in scn.regions:
                v.append(f"{where}: unknown region {r!r}")
            continue
        seen.add((r, k))
        got = _float(_pick(row, REGION_PRODUCTION_COLUMNS))
        if got is None or not ck.close(got, production[(r, k)]):
            v.append(f"{where}: production of {r} in {scn.years[k]} is {got} but the plan gives {production[(r, k)]}")
    for (r, k), p in production.items():
        if p > tol and (r, k) not in seen:
            v.append(f"regions.csv: no row for {r} in {scn.years[k]} (production {p})")


def _check_sites(ck: _Checker, opened: dict[Key, float]) -> None:
    """sites.csv: land used per site and period as in the plan."""
    used: dict[tuple[str, int], float] = defaultdict(float)
    for (i, f, s, k), q in opened.items():
        used[(s, k)] += ck.scn.functions[(i, f)].land_per_unit * q
    for where, row in ck.rows("sites.csv", ["period", "site", "land_used_ha"]):
        k = ck.period(row["period"], where)
        if k is None or row["site"] not in ck.scn.sites:
            continue
        got, want = _float(row["land_used_ha"]), used[(row["site"], k)]
        if got is None or not ck.close(got, want):
            ck.v.append(f"{where}: land used at {row['site']} in {ck.scn.years[k]} is {got} "
                        f"but the plan uses {want} ha")


def _check_objective(ck: _Checker, summary: dict[str, Any], opened: dict[Key, float], flows: dict[Flow2, float],
                     table: TransitionTable) -> None:
    """The discounted objective, summary costs (discounted) and per-period costs (undiscounted) from the plan."""
    scn = ck.scn
    v = ck.v
    n_periods = len(ck.scn.years)
    c_in, built, retired = table.converted_in, table.built, table.retired
    objective = _float(summary.get("objective"))
    if objective is None:
        v.append(f"summary objective is not a number: {summary.get('objective')!r}")
    conv = {(i, s, k): c for (i, f, s, k), c in c_in.items()}
    per = [period_costs(scn, k, opened, built, retired, conv, flows) for k in range(n_periods)]
    totals = {t: sum(scn.discount(k) * c[t] for k, c in enumerate(per)) for t in COST_TERMS_V2}
    total = sum(totals.values())
    if objective is not None and not ck.close(total, objective):
        v.append(f"objective recomputed from the plan is {total}, summary says {objective}")
    costs = summary.get("costs")
    if not isinstance(costs, dict):
        v.append("summary.json has no costs mapping")
    else:
        for term, want in totals.items():
            got = _float(costs.get(term, 0.0))
            if got is None or not ck.close(got, want):
                v.append(f"summary costs[{term}] = {costs.get(term)} but the plan gives {want} (discounted)")
    v.extend(_check_summary_periods(scn, summary.get("periods"), per, ck, opened))


def _check_summary_periods(scn: Scenario, periods: Any, per: list[dict[str, float]], ck: _Checker,
                           opened: dict[Key, float]) -> list[str]:
    """summary.json ``periods``: one entry per period whose ``costs`` (undiscounted) and ``hosts`` match the plan."""
    out: list[str] = []
    if isinstance(periods, dict):
        entries = [periods.get(str(y)) if y is not None else next(iter(periods.values()), None) for y in scn.years]
    elif isinstance(periods, list) and len(periods) == len(scn.years):
        entries = list(periods)
    else:
        return [f"summary.json periods has no entry per period: {type(periods).__name__}"]
    for k, entry in enumerate(entries):
        if not isinstance(entry, dict):
            out.append(f"summary.json periods: no entry for {scn.years[k]}")
            continue
        hosts = entry.get("hosts")
        if isinstance(hosts, dict):
            for i, regions in hosts_v2(scn, opened, k).items():
                if _float(hosts.get(i, 0)) != len(regions):
                    out.append(f"summary.json periods[{scn.years[k]}] hosts[{i}] = {hosts.get(i)} "
                               f"but the plan has {len(regions)}")
        costs = entry.get("costs")
        if not isinstance(costs, dict):
            out.append(f"summary.json periods[{scn.years[k]}] has no costs mapping")
            continue
        for term, want in per[k].items():
            got = _float(costs.get(term, 0.0))
            if got is None or not ck.close(got, want):
                out.append(f"summary.json periods[{scn.years[k]}] costs[{term}] = {costs.get(term)} "
                           f"but the plan gives {want} (undiscounted)")
    return out

