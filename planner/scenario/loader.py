"""Loading a scenario: YAML chain, tables, overrides, validation, cross-references, rules."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from planner.scenario.eligibility import capability_shortfall, rule_matches
from planner.scenario.errors import InputErrors, Problem, display_path, quoted
from planner.scenario.messages import describe, key_path
from planner.scenario.overrides import apply_overrides
from planner.scenario.scenario import Scenario, frozen
from planner.scenario.schema import (
    FUNCTIONS,
    OPTIONAL_TABLES,
    PREDECESSOR,
    TABLE_MODELS,
    Override,
    ScenarioFile,
    Selector,
    Tables,
)
from planner.scenario.tables import RawTable, read_table, typed_rows
from planner.scenario.version2 import (
    check_demand_years,
    check_phase_out_years,
    check_stock_land,
    check_stock_overrides,
    check_stock_references,
    check_upgrades,
    stock_by_triple,
)
from planner.scenario.workbook import Workbooks, is_workbook, split_sheet
from planner.scenario.yamlfile import MergedYaml, read_scenario_yaml

REQUIRED_TABLES: tuple[str, ...] = tuple(n for n in TABLE_MODELS if n not in OPTIONAL_TABLES)
"""The tables every scenario has."""


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate a scenario file and its tables.

    Raises `InputErrors` listing every problem found (file, row or key, column).
    """
    path = Path(path)
    merged = read_scenario_yaml(path)
    if merged.problems:
        raise InputErrors(merged.problems)
    books = Workbooks()
    expand_workbook(merged, books)
    spec, problems = _validate_yaml(merged)
    problems = [_tables_not_a_mapping(merged) if p.place == "key tables" else p for p in problems]
    top = display_path(merged.files[0])
    tables = spec.tables if spec else _tables_alone(merged)
    raw: dict[str, RawTable] = {}
    for name in [n for n in TABLE_MODELS if getattr(tables, n) is not None] if tables else ():
        table, found = read_table(name, Path(getattr(tables, name)), merged.file_of(("tables", name)), books)
        problems += found
        if table is not None:
            raw[name] = table
    overrides = spec.overrides if spec is not None else _overrides_alone(merged)
    if overrides:
        problems += apply_overrides(raw, overrides, merged.file_of(("overrides",)))
    typed: dict[str, list[tuple[int, Any]]] = {}
    for name, table in raw.items():
        typed[name], found = typed_rows(table)
        problems += found
    problems += check_stock_overrides(spec, overrides, merged.file_of(("overrides",)))
    if all(name in typed for name in REQUIRED_TABLES):
        problems += _cross_check(raw, typed)
        problems += _check_version2(raw, typed, spec, merged)
    if problems or spec is None:
        raise InputErrors(problems)

    sites = {row.id: row for _, row in typed["sites"]}
    scenario = Scenario(
        spec=spec,
        path=path,
        files=(*merged.files, *(t.path for t in raw.values())),
        regions=frozen({row.id: row for _, row in typed["regions"]}),
        sites=frozen(sites),
        industries=frozen({row.id: row for _, row in typed["industries"]}),
        functions=frozen({(row.industry, row.function): row for _, row in typed["functions"]}),
        capabilities=tuple(sorted({k for s in sites.values() for k in s.capabilities})),
        stock=frozen(stock_by_triple(typed.get("stock", []))),
    )
    problems += _check_rules(scenario, merged.file_of(("rules",)) or top)
    if problems:
        raise InputErrors(problems)
    return scenario


def tables_as_written(path: Path | str) -> dict[str, RawTable]:
    """The tables of a valid scenario as its files hold them, before overrides (for `planner export --xlsx`).

    Raises `InputErrors` as `load_scenario` does; the tables are read once more after it checked everything.
    """
    load_scenario(path)
    merged = read_scenario_yaml(Path(path))
    books = Workbooks()
    expand_workbook(merged, books)
    tables = Tables.model_validate(merged.data["tables"])
    out = {}
    for name in TABLE_MODELS:
        location = getattr(tables, name)
        table = read_table(name, Path(location), "", books)[0] if location is not None else None
        if table is not None:
            out[name] = table
    return out


def expand_workbook(merged: MergedYaml, books: Workbooks) -> None:
    """`tables: book.xlsx`: every table from the workbook's sheet of its name (`stock` when it has that sheet)."""
    book = merged.data.get("tables")
    if not (isinstance(book, str) and is_workbook(split_sheet(book)[0])):
        return
    file = split_sheet(book)[0]
    sheets = {name.casefold() for name in books.sheets_in(Path(file))}
    merged.data["tables"] = {name: f"{file}#{name}" for name in TABLE_MODELS
                             if name not in OPTIONAL_TABLES or name in sheets}


def _tables_not_a_mapping(merged: MergedYaml) -> Problem:
    """`tables` given as something other than a mapping or a workbook, in words."""
    value = merged.data.get("tables")
    shown = quoted(display_path(value)) if isinstance(value, str) else quoted(value)
    return Problem(merged.file_of(("tables",)), "key tables", None,
                   f"expected a mapping of tables to files (regions: tables/regions.csv, ...) or one Excel workbook "
                   f"(tables: book.xlsx), got {shown}")


def _check_version2(raw: dict[str, RawTable], typed: dict[str, list[tuple[int, Any]]], spec: ScenarioFile | None,
                    merged: MergedYaml) -> list[Problem]:
    """The version 2 checks that need the tables (docs/scenario.md "Version 2 additions")."""
    top = display_path(merged.files[0])
    problems = check_stock_references(raw)
    problems += check_upgrades(typed["industries"], raw["industries"].shown)
    if spec is not None:
        problems += check_demand_years(raw["industries"], spec.settings.periods,
                                       merged.file_of(("settings", "periods")) or top)
        problems += check_phase_out_years(spec, merged.file_of(("rules",)) or top)
    if "stock" in typed:
        functions = {(row.industry, row.function): row for _, row in typed["functions"]}
        sites = {row.id: (line, row) for line, row in typed["sites"]}
        problems += check_stock_land(typed["stock"], raw["stock"].shown, sites, raw["sites"].shown, functions)
    return problems


def _tables_alone(merged: MergedYaml) -> Tables | None:
    """The `tables` section when it is valid on its own, so table problems are reported too."""
    try:
        return Tables.model_validate(merged.data.get("tables"))
    except ValidationError:
        return None


def _overrides_alone(merged: MergedYaml) -> list[Override] | None:
    """The `overrides` section when it is valid on its own, so what they do to the tables is reported too."""
    try:
        return TypeAdapter(list[Override]).validate_python(merged.data.get("overrides") or [])
    except ValidationError:
        return None


def _validate_yaml(merged: MergedYaml) -> tuple[ScenarioFile | None, list[Problem]]:
    """Validate the merged YAML mapping; every error names the file and the key path."""
    try:
        return ScenarioFile.model_validate(merged.data), []
    except ValidationError as exc:
        problems, seen = [], set()
        for error in exc.errors():
            place = key_path(error["loc"], merged.data)
            message = describe(error, ScenarioFile)
            if (place, message) in seen:
                continue
            seen.add((place, message))
            problems.append(Problem(merged.file_of(error["loc"]), f"key {place}" if place else "", None, message))
        return None, _union_summary(problems)


def _union_summary(problems: list[Problem]) -> list[Problem]:
    """Collapse the several messages pydantic gives for a value that fits no member of a union."""
    by_place = Counter(p.place for p in problems)
    out, done = [], set()
    for p in problems:
        if by_place[p.place] > 1 and p.place not in done and "unknown key" not in p.message:
            done.add(p.place)
            out.append(Problem(p.file, p.place, None, "expected a value or a list of values"))
        elif by_place[p.place] == 1 or "unknown key" in p.message:
            out.append(p)
    return out


def _cross_check(raw: dict[str, RawTable], typed: dict[str, list[tuple[int, Any]]]) -> list[Problem]:
    """Duplicate ids, unknown references and the one-row-per-function rule.

    Works on the cells as written, so a row with another problem still counts as present.
    """
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for name in ("regions", "sites", "industries"):
        seen: dict[str, int] = {}
        folded: dict[str, tuple[str, int]] = {}
        for line, row in _cells(raw[name], "id"):
            if row["id"] in seen:
                problems.append(Problem(raw[name].shown, f"row {line}", "id",
                                        f"{quoted(row['id'])} is already used in row {seen[row['id']]}"))
            elif row["id"].casefold() in folded:
                other, first = folded[row["id"].casefold()]
                problems.append(Problem(raw[name].shown, f"row {line}", "id",
                                        f"{quoted(row['id'])} differs from {quoted(other)} "
                                        f"(row {first}) only in letter case; ids must differ in more than case"))
            seen.setdefault(row["id"], line)
            folded.setdefault(row["id"].casefold(), (row["id"], line))
        ids[name] = set(seen)
    for line, row in _cells(raw["sites"], "region"):
        if row["region"] not in ids["regions"]:
            problems.append(Problem(raw["sites"].shown, f"row {line}", "region",
                                    f"{quoted(row['region'])} is not a region id of {raw['regions'].shown}"))
    shown = raw["functions"].shown
    seen_pairs: dict[tuple[str, str], int] = {}
    for line, row in _cells(raw["functions"], "industry", "function"):
        if row["industry"] not in ids["industries"]:
            problems.append(Problem(shown, f"row {line}", "industry",
                                    f"{quoted(row['industry'])} is not an industry id of {raw['industries'].shown}"))
        pair = (row["industry"], row["function"])
        if pair in seen_pairs:
            problems.append(Problem(shown, f"row {line}", "function",
                                    f"{pair[0]} {pair[1]} is already given in row {seen_pairs[pair]}"))
        seen_pairs.setdefault(pair, line)
    for line, spec in typed["functions"]:
        if spec.function in PREDECESSOR and spec.support_ratio is None:
            problems.append(Problem(shown, f"row {line}", "support_ratio", f"a value is required for {spec.function}"))
        if spec.max_scale is not None and spec.min_scale > spec.max_scale:
            problems.append(Problem(shown, f"row {line}", "min_scale",
                                    f"{spec.min_scale:g} is above max_scale {spec.max_scale:g}: no site could open it"))
    for line, row in _cells(raw["industries"], "id"):
        missing = [f for f in FUNCTIONS if (row["id"], f) not in seen_pairs]
        if missing:
            problems.append(Problem(shown, "", "function",
                                    f"industry {quoted(row['id'])} ({raw['industries'].shown} row {line}) "
                                    f"has no row for {', '.join(missing)}"))
    return problems


def _cells(table: RawTable, *columns: str) -> list[tuple[int, dict[str, str]]]:
    """Rows with a non-empty value in each of `columns` (stripped), with their row numbers."""
    if any(c not in table.columns for c in columns):
        return []
    out = []
    for line, row in zip(table.row_numbers, table.rows, strict=False):
        values = {c: row[c].strip() for c in columns}
        if all(values.values()):
            out.append((line, values))
    return out


def _check_rules(scenario: Scenario, yaml_file: str) -> list[Problem]:
    """Rule values must name existing things; every rule must match a triple, a lock_in only eligible ones."""
    known = {
        "region": set(scenario.regions),
        "site": set(scenario.sites),
        "industry": set(scenario.industries),
        "zone": {"center", "inner", "outer"},
        "tier": {"I", "II", "III", "IV"},
        "category": {"future", "emerging", "traditional"},
        "function": set(FUNCTIONS),
    }
    problems = []
    for n, rule in enumerate(scenario.rules):
        kind = rule.kind
        selector: Selector = getattr(rule, kind)
        for key, values in selector.given().items():
            for value in sorted(values - known[key]):
                problems.append(Problem(yaml_file, f"key rules[{n}].{kind}.{key}", None,
                                        f"{quoted(value)} is not a known {key}"))
    if problems:
        return problems
    locked_out = set()
    for n, hits in rule_matches(scenario, "lock_out"):
        if not hits:  # a selector that contradicts itself or the data, as for lock_in and override `where`
            problems.append(Problem(yaml_file, f"key rules[{n}].lock_out", None,
                                    "matches no (industry, function, site)"))
        locked_out.update(hits)
    for n, hits in rule_matches(scenario, "lock_in"):
        if not hits:
            problems.append(Problem(yaml_file, f"key rules[{n}].lock_in", None,
                                    "matches no (industry, function, site)"))
        for i, f, s in hits:
            reasons = (capability_shortfall(scenario, i, f, s)
                       + (["a lock_out rule removes it"] if (i, f, s) in locked_out else []))
            if reasons:
                problems.append(Problem(yaml_file, f"key rules[{n}].lock_in", None,
                                        f"locks in {i} {f} at {s}, which is not eligible: {'; '.join(reasons)}"))
    return problems + _check_phase_outs(scenario, yaml_file)


def _check_phase_outs(scenario: Scenario, yaml_file: str) -> list[Problem]:
    """Every phase_out matches a triple, and none phases out what a lock_in opens in every period."""
    problems = []
    locked_in = {t: n for n, hits in rule_matches(scenario, "lock_in") for t in hits}
    for n, hits in rule_matches(scenario, "phase_out"):
        if not hits:
            problems.append(Problem(yaml_file, f"key rules[{n}].phase_out", None,
                                    "matches no (industry, function, site)"))
        by = scenario.rules[n].phase_out.by  # type: ignore[union-attr]
        for i, f, s in hits:
            if (i, f, s) in locked_in:
                problems.append(Problem(yaml_file, f"key rules[{n}].phase_out", None,
                                        f"phases out {i} {f} at {s} by {by}, but rules[{locked_in[i, f, s]}].lock_in "
                                        "keeps it open in every period"))
    return problems
