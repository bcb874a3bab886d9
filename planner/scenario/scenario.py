"""The loaded scenario: typed, validated and immutable, ready for the model."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.scenario.schema import FunctionSpec, Industry, Region, Rule, ScenarioFile, Settings, Site, SolverOptions

MODEL_EXCLUDE = ("name", "title", "description", "overrides", "solver")
"""Keys of the scenario file the model is not built from (overrides are in the tables by then)."""
COST_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "sites": ("land_price", "cost_factor"),
    "functions": ("setup_cost", "unit_cost"),
    "settings": ("linkage_cost", "duplication_penalty", "weights"),
})
"""The inputs that enter only the objective's coefficients (models/layout.py `set_costs`), by table or `settings`."""


@dataclass(frozen=True)
class Scenario:
    """Everything the model needs, after `extends`, `overrides` and validation."""

    spec: ScenarioFile
    """The merged scenario file."""
    path: Path
    """The scenario file that was loaded."""
    files: tuple[Path, ...]
    """Every input file read: the YAML chain, then the four tables."""
    regions: Mapping[str, Region]
    sites: Mapping[str, Site]
    industries: Mapping[str, Industry]
    functions: Mapping[tuple[str, str], FunctionSpec]
    """Keyed by (industry, function)."""
    capabilities: tuple[str, ...]
    """K: the capability dimensions named by `cap_<k>` columns."""

    @property
    def name(self) -> str:
        """The scenario's short name."""
        return self.spec.name

    @property
    def title(self) -> str:
        """The title, or the name when there is none."""
        return self.spec.title or self.spec.name

    @property
    def settings(self) -> Settings:
        """Model settings."""
        return self.spec.settings

    @property
    def rules(self) -> list[Rule]:
        """lock_in / lock_out rules."""
        return self.spec.rules

    @property
    def solver(self) -> SolverOptions:
        """Solver options from the file."""
        return self.spec.solver

    def digest(self, exclude: Iterable[str] = (), fields: Mapping[str, Iterable[str]] = MappingProxyType({})) -> str:
        """SHA-256 of the merged scenario and its tables after overrides, without file paths.

        `exclude` names keys of the scenario file to leave out; `fields` the fields to leave out of
        `settings` or of each row of a table (regions, sites, industries, functions).
        """
        leave = {key: set(names) for key, names in fields.items()}
        drop: dict[str, Any] = {"tables": True, "extends": True, **dict.fromkeys(exclude, True)}
        if "settings" in leave:
            drop["settings"] = leave["settings"]
        spec = self.spec.model_dump(mode="json", exclude=drop)
        tables = {name: [row.model_dump(mode="json", exclude=leave.get(name)) for row in rows.values()]
                  for name, rows in (("regions", self.regions), ("sites", self.sites), ("industries", self.industries),
                                     ("functions", self.functions))}
        text = json.dumps({"scenario": spec, "tables": tables}, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def model_digest(self) -> str:
        """`digest` of what the index sets and the model are built from: not the name, title or solver."""
        return self.digest(MODEL_EXCLUDE)

    def structure_digest(self) -> str:
        """`model_digest` without the costs (COST_FIELDS): equal for scenarios whose models differ only in the
        objective."""
        return self.digest(MODEL_EXCLUDE, COST_FIELDS)

    def triple_attributes(self, industry: str, function: str, site: str) -> dict[str, Any]:
        """The attributes a rule selector can match for (industry, function, site)."""
        s = self.sites[site]
        return {
            "region": s.region,
            "zone": s.zone,
            "site": site,
            "tier": self.regions[s.region].tier,
            "industry": industry,
            "category": self.industries[industry].category,
            "function": function,
        }


def frozen(mapping: dict[Any, Any]) -> Mapping[Any, Any]:
    """A read-only view of a dict."""
    return MappingProxyType(mapping)
