"""Independent checker of a run folder against docs/model.md, and a writer of run folders.

``check_run_folder`` re-reads the scenario with the reference reader and verifies every
constraint of docs/model.md on the plan in ``assignments.csv`` / ``links.csv``, then recomputes
the objective. ``write_run_folder`` writes a (minimal) run folder from a reference result,
so the checker can be tested on known-good plans.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from .model import Link, ReferenceResult
from .scenario import (
    COST_TERMS,
    FOCUS_CATEGORIES,
    FUNCTIONS,
    PRED,
    Scenario,
    Triple,
    load_scenario,
)

ASSIGNMENT_COLUMNS = [
    "industry",
    "function",
    "site",
    "region",
    "zone",
    "capacity",
    "land_ha",
    "land_cost",
    "setup_cost",
    "operating_cost",
]
LINK_COLUMNS = ["industry", "function", "from_site", "to_site", "amount", "distance_km"]
LINK_TYPES = {"pilot": "rd->pilot", "production": "pilot->production"}


# ------------------------------------------------------------------ plan costs
def plan_hosts(scn: Scenario, opened: dict[Triple, float]) -> dict[str, set[str]]:
    """Industry -> regions hosting any of its opened functions."""
    hosts: dict[str, set[str]] = {i: set() for i in scn.industries}
    for i, _, s in opened:
        hosts.setdefault(i, set()).add(scn.sites[s].region)
    return hosts


def extra_hosts(scn: Scenario, opened: dict[Triple, float]) -> dict[str, int]:
    """Industry -> max(0, hosts - H_i) (0 where H_i is not set)."""
    out: dict[str, int] = {}
    for i, regions in plan_hosts(scn, opened).items():
        h = scn.industries[i].max_hosts
        out[i] = 0 if h is None else max(0, math.ceil(len(regions) - h))
    return out


def plan_costs(
    scn: Scenario, opened: dict[Triple, float], flows: dict[Link, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """(unweighted, weighted) cost terms of a plan, in 10k yuan."""
    st = scn.settings
    raw = {t: 0.0 for t in COST_TERMS}
    for (i, f, s), q in opened.items():
        fn = scn.functions[(i, f)]
        site = scn.sites[s]
        raw["land"] += site.land_price * fn.land_per_unit * q
        raw["setup"] += fn.setup_cost
        raw["operating"] += site.cost_factor * fn.unit_cost * q
    raw["linkage"] = st.linkage_cost * sum(
        scn.distance(s, t) * amount for (_, _, s, t), amount in flows.items()
    )
    if st.duplication == "soft":
        raw["duplication"] = st.duplication_penalty * sum(extra_hosts(scn, opened).values())
    weighted = {t: st.weights[t] * raw[t] for t in COST_TERMS}
    return raw, weighted


# ---------------------------------------------------------------- writing
def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def write_run_folder(result: ReferenceResult, scenario_yaml: Path, run_dir: Path) -> None:
    """Write summary.json, assignments.csv, links.csv and sites.csv for a reference result.

    Only the parts of docs/run-folder.md that the checker reads (plus sites.csv) are
    written; no plan tables are written without a plan.
    """
    scn = load_scenario(Path(scenario_yaml))
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    has_plan = result.objective is not None
    summary: dict[str, Any] = {
        "scenario": scn.name,
        "title": scn.title,
        "status": {"optimal": "optimal", "infeasible": "infeasible"}.get(
            result.status, "feasible" if has_plan else "no_solution"
        ),
        "objective": result.objective,
        "best_bound": result.objective if result.status == "optimal" else None,
        "mip_gap": 0.0 if result.status == "optimal" else None,
        "violations": [],
    }
    if has_plan:
        raw, weighted = plan_costs(scn, result.open, result.flows)
        summary["costs"] = weighted
        summary["costs_unweighted"] = raw
        summary["hosts"] = {i: len(r) for i, r in plan_hosts(scn, result.open).items()}
        summary["extra_hosts"] = extra_hosts(scn, result.open)
    (run_dir / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    if not has_plan:
        return

    rows: list[list[Any]] = []
    used: dict[str, float] = defaultdict(float)
    for (i, f, s), q in sorted(result.open.items()):
        fn = scn.functions[(i, f)]
        site = scn.sites[s]
        land = fn.land_per_unit * q
        used[s] += land
        rows.append(
            [i, f, s, site.region, site.zone, q, land, site.land_price * land,
             fn.setup_cost, site.cost_factor * fn.unit_cost * q]
        )
    _write_csv(run_dir / "assignments.csv", ASSIGNMENT_COLUMNS, rows)
    _write_csv(
        run_dir / "links.csv",
        LINK_COLUMNS,
        [[i, f, s, t, g, scn.distance(s, t)] for (i, f, s, t), g in sorted(result.flows.items())],
    )
    _write_csv(
        run_dir / "sites.csv",
        ["site", "region", "zone", "land_ha", "land_used_ha", "share_used"],
        [
            [s, site.region, site.zone, site.land_ha, used[s], used[s] / site.land_ha]
            for s, site in scn.sites.items()
        ],
    )


# ---------------------------------------------------------------- checking
def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _float(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def check_run_folder(run_dir: Path, scenario_yaml: Path, tol: float = 1e-6) -> list[str]:
    """Violations of docs/model.md by the plan in ``run_dir`` (empty list = plan is correct).

    Tolerances are relative: a bound b is violated by more than ``tol * max(1, |b|)``.
    """
    run_dir = Path(run_dir)
    scn = load_scenario(Path(scenario_yaml))
    v: list[str] = []

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= tol * max(1.0, abs(b))

    def le(a: float, b: float) -> bool:
        return a <= b + tol * max(1.0, abs(b))

    # ------------------------------------------------------------ summary
    try:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"summary.json unreadable: {exc}"]
    status = summary.get("status")
    if status not in ("optimal", "feasible"):
        return [f"no plan to check: summary status is {status!r}"]
    objective = _float(summary.get("objective"))
    if objective is None:
        v.append(f"summary objective is not a number: {summary.get('objective')!r}")
    if summary.get("violations"):
        v.append(f"summary.json reports violations: {summary['violations']}")

    # ---------------------------------------------------------- assignments
    opened: dict[Triple, float] = {}
    try:
        arows = _read_rows(run_dir / "assignments.csv")
    except OSError as exc:
        return v + [f"assignments.csv unreadable: {exc}"]
    for n, row in enumerate(arows, start=2):
        where = f"assignments.csv line {n}"
        missing = [c for c in ASSIGNMENT_COLUMNS if c not in row]
        if missing:
            v.append(f"{where}: missing columns {missing}")
            continue
        i, f, s = row["industry"], row["function"], row["site"]
        if i not in scn.industries or f not in FUNCTIONS or s not in scn.sites:
            v.append(f"{where}: unknown industry/function/site ({i}, {f}, {s})")
            continue
        t = (i, f, s)
        q = _float(row["capacity"])
        if q is None:
            v.append(f"{where}: capacity is not a number: {row['capacity']!r}")
            continue
        if t in opened:
            v.append(f"{where}: {t} listed twice")
            continue
        opened[t] = q
        site, fn = scn.sites[s], scn.functions[(i, f)]
        if row["region"] != site.region or row["zone"] != site.zone:
            v.append(f"{where}: region/zone {row['region']}/{row['zone']} "
                     f"but site {s} is {site.region}/{site.zone}")
        if not scn.capable(t):
            v.append(f"{where}: {t} opened but site lacks the required capabilities")
        if scn.locked_out(t):
            v.append(f"{where}: {t} opened but a lock_out rule removes it")
        if not le(fn.min_scale, q):
            v.append(f"{where}: {t} capacity {q} below min scale {fn.min_scale}")
        if not le(q, scn.upper(t)):
            v.append(f"{where}: {t} capacity {q} above upper bound U = {scn.upper(t)}")
        expected = {
            "land_ha": fn.land_per_unit * q,
            "land_cost": site.land_price * fn.land_per_unit * q,
            "setup_cost": fn.setup_cost,
            "operating_cost": site.cost_factor * fn.unit_cost * q,
        }
        for col, want in expected.items():
            got = _float(row[col])
            if got is None or not close(got, want):
                v.append(f"{where}: {col} = {row[col]} but {want} expected")

    # lock_in
    try:
        for t in scn.lock_in_triples():
            if t not in opened:
                v.append(f"lock_in triple {t} is not opened")
    except ValueError as exc:
        v.append(f"scenario error: {exc}")

    # land per site
    used: dict[str, float] = defaultdict(float)
    for (i, f, s), q in opened.items():
        used[s] += scn.functions[(i, f)].land_per_unit * q
    for s, land in used.items():
        if not le(land, scn.sites[s].land_ha):
            v.append(f"site {s}: land used {land} ha exceeds available {scn.sites[s].land_ha} ha")

    # demand and overcapacity
    for i, ind in scn.industries.items():
        prod = sum(q for (j, f, _), q in opened.items() if j == i and f == "production")
        if not le(ind.demand, prod):
            v.append(f"industry {i}: production {prod} below demand {ind.demand}")
        cap = (1.0 + ind.overcapacity) * ind.demand
        if not le(prod, cap):
            v.append(f"industry {i}: production {prod} above (1 + θ) D = {cap}")

    # ---------------------------------------------------------------- links
    flows: dict[Link, float] = {}
    try:
        lrows = _read_rows(run_dir / "links.csv")
    except OSError as exc:
        lrows = []
        v.append(f"links.csv unreadable: {exc}")
    radius = scn.settings.chain_radius_km
    for n, row in enumerate(lrows, start=2):
        where = f"links.csv line {n}"
        missing = [c for c in LINK_COLUMNS if c not in row]
        if missing:
            v.append(f"{where}: missing columns {missing}")
            continue
        i, f, s, t = row["industry"], row["function"], row["from_site"], row["to_site"]
        if i not in scn.industries or f not in PRED or s not in scn.sites or t not in scn.sites:
            v.append(f"{where}: unknown industry/function/site ({i}, {f}, {s}, {t})")
            continue
        g = _float(row["amount"])
        if g is None or g < -tol:
            v.append(f"{where}: amount {row['amount']!r} is not a non-negative number")
            continue
        lk = (i, f, s, t)
        if lk in flows:
            v.append(f"{where}: link {lk} listed twice")
            continue
        flows[lk] = g
        if not scn.eligible((i, PRED[f], s)):
            v.append(f"{where}: from ({i}, {PRED[f]}, {s}) is not eligible")
        if not scn.eligible((i, f, t)):
            v.append(f"{where}: to ({i}, {f}, {t}) is not eligible")
        d = scn.distance(s, t)
        if math.isfinite(radius) and d > radius + tol * max(1.0, radius):
            v.append(f"{where}: distance {d} km exceeds the chain radius {radius} km")
        dk = _float(row["distance_km"])
        if dk is None or not close(dk, d):
            v.append(f"{where}: distance_km = {row['distance_km']} but haversine gives {d}")

    inflow: dict[Triple, float] = defaultdict(float)
    outflow: dict[Triple, float] = defaultdict(float)
    for (i, f, s, t), g in flows.items():
        inflow[(i, f, t)] += g
        outflow[(i, PRED[f], s)] += g
    # support received (equality), on opened triples and on any triple receiving flow
    for t in set(inflow) | {u for u in opened if u[1] in PRED}:
        i, f, _ = t
        need = scn.functions[(i, f)].support_ratio * opened.get(t, 0.0)
        if not close(inflow.get(t, 0.0), need):
            v.append(f"support received by {t}: {inflow.get(t, 0.0)} but ρ q = {need}")
    # support given
    for t, out in outflow.items():
        q = opened.get(t, 0.0)
        if not le(out, q):
            v.append(f"support given by {t}: {out} exceeds its capacity {q}")

    # ------------------------------------------------------- hosts and budgets
    hosts = plan_hosts(scn, opened)
    hard = scn.settings.duplication == "hard"
    for i, ind in scn.industries.items():
        n_hosts = len(hosts[i])
        if hard and ind.max_hosts is not None and n_hosts > ind.max_hosts + tol:
            v.append(f"industry {i}: {n_hosts} host regions exceed max_hosts {ind.max_hosts}")
        if n_hosts < ind.min_hosts - tol:
            v.append(f"industry {i}: {n_hosts} host regions below min_hosts {ind.min_hosts}")
    for r, reg in scn.regions.items():
        if reg.max_new_industries is not None:
            focus = [
                i for i, ind in scn.industries.items()
                if ind.category in FOCUS_CATEGORIES and r in hosts[i]
            ]
            if len(focus) > reg.max_new_industries + tol:
                v.append(f"region {r}: hosts {len(focus)} future/emerging industries {focus}, "
                         f"more than max_new_industries {reg.max_new_industries}")
        if reg.energy_budget is not None:
            energy = sum(
                scn.functions[(i, f)].energy_per_unit * q
                for (i, f, s), q in opened.items()
                if scn.sites[s].region == r
            )
            if not le(energy, reg.energy_budget):
                v.append(f"region {r}: energy {energy} exceeds budget {reg.energy_budget}")

    reported_hosts = summary.get("hosts")
    if isinstance(reported_hosts, dict):
        for i in scn.industries:
            if reported_hosts.get(i) != len(hosts[i]):
                v.append(f"summary hosts[{i}] = {reported_hosts.get(i)} but plan has {len(hosts[i])}")
    reported_extra = summary.get("extra_hosts")
    if isinstance(reported_extra, dict):
        for i, e in extra_hosts(scn, opened).items():
            if _float(reported_extra.get(i, 0)) != e:
                v.append(f"summary extra_hosts[{i}] = {reported_extra.get(i)} but plan has {e}")

    # ------------------------------------------------------------ objective
    raw, weighted = plan_costs(scn, opened, flows)
    total = sum(weighted.values())
    if objective is not None and not close(total, objective):
        v.append(f"objective recomputed from the plan is {total}, summary says {objective}")
    costs = summary.get("costs")
    if not isinstance(costs, dict):
        v.append("summary.json has no costs mapping")
    else:
        values = {k: _float(costs.get(k)) for k in COST_TERMS}
        bad = [k for k, x in values.items() if x is None]
        if bad:
            v.append(f"summary costs lack numeric terms {bad}")
        else:
            s = sum(x for x in values.values() if x is not None)
            if objective is not None and not close(s, objective):
                v.append(f"summary costs add up to {s}, not to the objective {objective}")
            for k in COST_TERMS:
                if not close(values[k] or 0.0, weighted[k]):
                    v.append(f"summary costs[{k}] = {values[k]} but the plan gives {weighted[k]}")
    unweighted = summary.get("costs_unweighted")
    if isinstance(unweighted, dict):
        for k in COST_TERMS:
            got = _float(unweighted.get(k))
            if got is None or not close(got, raw[k]):
                v.append(f"summary costs_unweighted[{k}] = {unweighted.get(k)} "
                         f"but the plan gives {raw[k]}")
    return v
