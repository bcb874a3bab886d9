"""The loaded scenario: typed, validated and immutable, ready for the model."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from planner.scenario.schema import FunctionSpec, Industry, Region, Rule, ScenarioFile, Settings, Site, SolverOptions


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

    def digest(self, exclude: Iterable[str] = ()) -> str:
        """SHA-256 of the merged scenario (without file paths and the `exclude` fields) and its tables after overrides."""
        spec = self.spec.model_dump(mode="json", exclude={"tables", "extends", *exclude})
        tables = {
            "regions": [r.model_dump(mode="json") for r in self.regions.values()],
            "sites": [s.model_dump(mode="json") for s in self.sites.values()],
            "industries": [i.model_dump(mode="json") for i in self.industries.values()],
            "functions": [f.model_dump(mode="json") for f in self.functions.values()],
        }
        text = json.dumps({"scenario": spec, "tables": tables}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def model_digest(self) -> str:
        """`digest` of what the index sets and the model are built from: not the name, title or solver."""
        return self.digest({"name", "title", "description", "overrides", "solver"})

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
