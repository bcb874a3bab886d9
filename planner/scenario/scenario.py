"""The loaded scenario: typed, validated and immutable, ready for the model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

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
