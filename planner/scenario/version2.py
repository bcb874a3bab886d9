"""Checks of the version 2 inputs (docs/scenario.md "Version 2"): stock, periods, demand per period, upgrades,
phase-out.

Each check returns the problems it finds, in the words and places of every other scenario problem; the
loader calls them beside its own, so every problem is reported at once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.scenario.errors import InputErrors, Problem, display_path
from planner.scenario.scenario import Scenario
from planner.scenario.schema import FunctionSpec, Override, ScenarioFile, Site, StockRow
from planner.scenario.tables import RawTable

Typed = list[tuple[int, Any]]


def check_stock_references(raw: dict[str, RawTable]) -> list[Problem]:
    """Stock rows name known industries, sites and functions the industry has, once each (cells as written)."""
    stock = raw.get("stock")
    if stock is None:
        return []
    shown = stock.shown
    industries = {row["id"].strip() for row in raw["industries"].rows if "id" in row}
    sites = {row["id"].strip() for row in raw["sites"].rows if "id" in row}
    pairs = {(row["industry"].strip(), row["function"].strip()) for row in raw["functions"].rows
             if "industry" in row and "function" in row}
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in zip(stock.row_numbers, stock.rows, strict=False):
        i, f, s = (row.get(c, "").strip() for c in ("industry", "function", "site"))
        if i and i not in industries:
            problems.append(Problem(shown, f"row {line}", "industry",
                                    f"{i!r} is not an industry id of {raw['industries'].shown}"))
        elif i and f and (i, f) not in pairs and _is_function(f):
            problems.append(Problem(shown, f"row {line}", "function",
                                    f"industry {i!r} has no {f} row in {raw['functions'].shown}"))
        if s and s not in sites:
            problems.append(Problem(shown, f"row {line}", "site", f"{s!r} is not a site id of {raw['sites'].shown}"))
        if i and f and s:
            if (i, f, s) in seen:
                problems.append(Problem(shown, f"row {line}", "site",
                                        f"stock of {i} {f} at {s} is already given in row {seen[i, f, s]}"))
            seen.setdefault((i, f, s), line)
    return problems


def _is_function(name: str) -> bool:
    return name in ("rd", "pilot", "production")


def check_stock_land(stock: Typed, shown: str, sites: dict[str, tuple[int, Site]], sites_shown: str,
                     functions: dict[tuple[str, str], FunctionSpec]) -> list[Problem]:
    """Stock whose land Σ a_if E_ifs exceeds a site's land A_s is bad input: it could not stand there."""
    used: dict[str, float] = defaultdict(float)
    rows: dict[str, list[int]] = defaultdict(list)
    for line, row in stock:
        spec = functions.get((row.industry, row.function))
        if spec is None or row.site not in sites:
            continue
        used[row.site] += spec.land_per_unit * row.capacity
        rows[row.site].append(line)
    problems = []
    for site, land in used.items():
        site_line, site_row = sites[site]
        if land > site_row.land_ha * (1 + 1e-9):
            lines = rows[site]
            place = f"row {lines[0]}" if len(lines) == 1 else "rows " + ", ".join(map(str, lines))
            problems.append(Problem(shown, place, "capacity",
                                    f"the stock at {site} needs {land:g} ha of land (land_per_unit x capacity), "
                                    f"more than the site's {site_row.land_ha:g} ha "
                                    f"(land_ha in {sites_shown} row {site_line})"))
    return problems


def check_demand_years(table: RawTable, periods: list[int] | None, yaml_file: str) -> list[Problem]:
    """Every `demand_<year>` column names a year of settings.periods."""
    problems = []
    for column in table.columns:
        if not column.startswith("demand_") or column == "demand":
            continue
        year = column[len("demand_"):]
        if not year.isdigit():
            problems.append(Problem(table.shown, "row 1", column,
                                    f"{year!r} is not a year; a demand_<year> column names a year of settings.periods"))
        elif periods is None:
            problems.append(Problem(table.shown, "row 1", column,
                                    f"a demand for {year}, but {yaml_file} sets no settings.periods (one period)"))
        elif int(year) not in periods:
            problems.append(Problem(table.shown, "row 1", column,
                                    f"{year} is not a year of settings.periods ({', '.join(map(str, periods))})"))
    return problems


def check_upgrades(industries: Typed, shown: str) -> list[Problem]:
    """`upgrades` names another, traditional industry that upgrades none itself."""
    by_id = {row.id: (line, row) for line, row in industries}
    problems = []
    for line, row in industries:
        target = row.upgrades
        if target is None:
            continue
        if target == row.id:
            problems.append(Problem(shown, f"row {line}", "upgrades", f"industry {row.id!r} cannot upgrade itself"))
        elif target not in by_id:
            problems.append(Problem(shown, f"row {line}", "upgrades", f"{target!r} is not an industry id of {shown}"))
        else:
            target_line, other = by_id[target]
            if other.category != "traditional":
                problems.append(Problem(shown, f"row {line}", "upgrades",
                                        f"{target!r} is a {other.category} industry (row {target_line}); an upgrade "
                                        "converts the production of a traditional industry"))
            elif other.upgrades is not None:
                problems.append(Problem(shown, f"row {line}", "upgrades",
                                        f"{target!r} upgrades {other.upgrades!r} in turn (row {target_line}); the "
                                        "industry upgraded must not upgrade another"))
    return problems


def check_stock_overrides(spec: ScenarioFile | None, overrides: list[Override] | None, yaml_file: str) -> list[Problem]:
    """An override of the stock table in a scenario without one would change nothing: it is reported, not ignored."""
    if spec is None or spec.tables.stock is not None:
        return []
    return [Problem(yaml_file, f"key overrides[{n}].table", None,
                    "the scenario has no stock table (tables.stock) to change")
            for n, override in enumerate(overrides or []) if override.table == "stock"]


def check_phase_out_years(spec: ScenarioFile, yaml_file: str) -> list[Problem]:
    """A phase-out needs periods, and its year must fall within them."""
    periods = spec.settings.periods
    problems = []
    for n, rule in enumerate(spec.rules):
        if rule.phase_out is None:
            continue
        place, by = f"key rules[{n}].phase_out.by", rule.phase_out.by
        if periods is None:
            problems.append(Problem(yaml_file, place, None,
                                    f"a phase-out by {by} needs settings.periods (the scenario has one period)"))
        elif by > periods[-1]:
            problems.append(Problem(yaml_file, place, None, f"{by} is after the last period, {periods[-1]}"))
        elif by < periods[0]:
            problems.append(Problem(yaml_file, place, None,
                                    f"{by} is before the first period, {periods[0]}; phase out by {periods[0]} at the "
                                    "earliest"))
    return problems


def stock_by_triple(typed: Typed) -> dict[tuple[str, str, str], StockRow]:
    """The typed stock rows by (industry, function, site)."""
    return {(row.industry, row.function, row.site): row for _, row in typed}


def require_version1(scenario: Scenario, command: str) -> None:
    """Raise InputErrors (exit 2) when `command` does not handle the version 2 scenario `scenario` yet.

    Periods, stock and phase-outs are never silently ignored: a command that would plan without them refuses.
    """
    if not scenario.is_version2:
        return
    used = [name for name, present in (("settings.periods", bool(scenario.settings.periods)),
                                       ("tables.stock", bool(scenario.stock)),
                                       ("phase_out rules", any(r.phase_out is not None for r in scenario.rules)))
            if present]
    raise InputErrors([Problem(display_path(scenario.path), "", None,
                               f"uses {', '.join(used)} (version 2); `planner {command}` does not support them yet")])
