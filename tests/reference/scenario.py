"""Reading a flat scenario (YAML + four CSV tables) for the reference implementation.

Independent of the ``planner`` package on purpose: it follows ``docs/model.md`` and
``docs/scenario.md`` directly. Only flat scenarios are supported (no ``extends``, no
``overrides``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FUNCTIONS: tuple[str, ...] = ("rd", "pilot", "production")
PRED: dict[str, str] = {"pilot": "rd", "production": "pilot"}
ZONES: tuple[str, ...] = ("center", "inner", "outer")
FOCUS_CATEGORIES: frozenset[str] = frozenset({"future", "emerging"})
COST_TERMS: tuple[str, ...] = ("land", "setup", "operating", "linkage", "duplication")
EARTH_RADIUS_KM = 6371.0088
SELECTOR_KEYS: frozenset[str] = frozenset(
    {"region", "zone", "site", "tier", "industry", "category", "function"}
)

Triple = tuple[str, str, str]
"""(industry, function, site)."""


@dataclass(frozen=True)
class Region:
    """A row of the regions table."""

    id: str
    tier: str
    energy_budget: float | None
    max_new_industries: float | None


@dataclass(frozen=True)
class Site:
    """A row of the sites table."""

    id: str
    region: str
    zone: str
    land_ha: float
    land_price: float
    lon: float
    lat: float
    cost_factor: float
    caps: dict[str, float]


@dataclass(frozen=True)
class Industry:
    """A row of the industries table."""

    id: str
    category: str
    demand: float
    overcapacity: float
    max_hosts: float | None
    min_hosts: float


@dataclass(frozen=True)
class Function:
    """A row of the functions table (industry-function parameters)."""

    industry: str
    function: str
    land_per_unit: float
    setup_cost: float
    unit_cost: float
    min_scale: float
    max_scale: float | None
    support_ratio: float
    energy_per_unit: float
    reqs: dict[str, float]


@dataclass(frozen=True)
class Rule:
    """A ``lock_in`` or ``lock_out`` rule with its selector (key -> allowed values)."""

    kind: str
    selector: dict[str, frozenset[str]]


@dataclass(frozen=True)
class Settings:
    """The ``settings`` block with docs/model.md defaults applied."""

    chain_radius_km: float  # math.inf when absent
    linkage_cost: float
    duplication: str  # "hard" | "soft"
    duplication_penalty: float
    weights: dict[str, float]


@dataclass(frozen=True)
class Scenario:
    """A fully read flat scenario."""

    name: str
    title: str | None
    regions: dict[str, Region]
    sites: dict[str, Site]
    industries: dict[str, Industry]
    functions: dict[tuple[str, str], Function]
    settings: Settings
    rules: tuple[Rule, ...]
    capabilities: tuple[str, ...] = field(default=())

    # ----------------------------------------------------------------- geometry
    def distance(self, s: str, t: str) -> float:
        """Great-circle distance between two sites in km (0 for the same site)."""
        if s == t:
            return 0.0
        a, b = self.sites[s], self.sites[t]
        return haversine_km(a.lon, a.lat, b.lon, b.lat)

    # ------------------------------------------------------------- eligibility
    def matches(self, rule: Rule, triple: Triple) -> bool:
        """Whether ``rule``'s selector matches the triple (i, f, s)."""
        i, f, s = triple
        site = self.sites[s]
        attrs = {
            "region": site.region,
            "zone": site.zone,
            "site": s,
            "tier": self.regions[site.region].tier,
            "industry": i,
            "category": self.industries[i].category,
            "function": f,
        }
        return all(attrs[key] in values for key, values in rule.selector.items())

    def capable(self, triple: Triple) -> bool:
        """C_sk >= Q_ifk for every capability k."""
        i, f, s = triple
        caps = self.sites[s].caps
        reqs = self.functions[(i, f)].reqs
        return all(caps.get(k, 0.0) >= reqs.get(k, 0.0) for k in self.capabilities)

    def locked_out(self, triple: Triple) -> bool:
        """Whether some ``lock_out`` rule matches the triple."""
        return any(r.kind == "lock_out" and self.matches(r, triple) for r in self.rules)

    def locked_in(self, triple: Triple) -> bool:
        """Whether some ``lock_in`` rule matches the triple."""
        return any(r.kind == "lock_in" and self.matches(r, triple) for r in self.rules)

    def all_triples(self) -> list[Triple]:
        """Every (i, f, s), eligible or not, in a fixed order."""
        return [(i, f, s) for i in self.industries for f in FUNCTIONS for s in self.sites]

    def eligible(self, triple: Triple) -> bool:
        """Capable and not locked out."""
        return self.capable(triple) and not self.locked_out(triple)

    def eligible_triples(self) -> list[Triple]:
        """The eligible triples in a fixed order."""
        return [t for t in self.all_triples() if self.eligible(t)]

    def lock_in_triples(self) -> list[Triple]:
        """Triples a ``lock_in`` rule matches; raises ValueError if one is ineligible."""
        locked = [t for t in self.all_triples() if self.locked_in(t)]
        bad = [t for t in locked if not self.eligible(t)]
        if bad:
            raise ValueError(f"lock_in rule matches ineligible triples: {bad}")
        return locked

    def upper(self, triple: Triple) -> float:
        """U_ifs = min(M_if, A_s / a_if)."""
        i, f, s = triple
        fn = self.functions[(i, f)]
        u = self.sites[s].land_ha / fn.land_per_unit
        return u if fn.max_scale is None else min(fn.max_scale, u)

    def links(self, eligible: set[Triple] | None = None) -> list[tuple[str, str, str, str]]:
        """L_if as (i, f, s, s') for f in {pilot, production}, within the chain radius."""
        elig = set(self.eligible_triples()) if eligible is None else eligible
        radius = self.settings.chain_radius_km
        out: list[tuple[str, str, str, str]] = []
        for i in self.industries:
            for f, p in PRED.items():
                for s in self.sites:
                    if (i, p, s) not in elig:
                        continue
                    for t in self.sites:
                        if (i, f, t) in elig and self.distance(s, t) <= radius:
                            out.append((i, f, s, t))
        return out


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance in km with R = 6371.0088."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --------------------------------------------------------------------- parsing
def _cell(row: dict[str, str | None], key: str) -> str | None:
    """A stripped cell value, None when the column is missing or the cell empty."""
    v = row.get(key)
    if v is None:
        return None
    v = v.strip()
    return v or None


def _opt(row: dict[str, str | None], key: str) -> float | None:
    """An optional numeric cell, None when not set."""
    v = _cell(row, key)
    return None if v is None else float(v)


def _num(row: dict[str, str | None], key: str, default: float) -> float:
    """A numeric cell, ``default`` when not set."""
    v = _opt(row, key)
    return default if v is None else v


def _req(row: dict[str, str | None], key: str) -> float:
    """A required numeric cell."""
    v = _opt(row, key)
    if v is None:
        raise ValueError(f"missing value for column {key!r} in row {row}")
    return v


def _str(row: dict[str, str | None], key: str) -> str:
    """A required text cell."""
    v = _cell(row, key)
    if v is None:
        raise ValueError(f"missing value for column {key!r} in row {row}")
    return v


def _read_csv(path: Path) -> list[dict[str, str | None]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _prefixed(row: dict[str, str | None], prefix: str) -> dict[str, float]:
    """Columns ``<prefix><k>`` as k -> value (empty cell = 0)."""
    return {
        key[len(prefix):]: _num(row, key, 0.0)
        for key in row
        if key is not None and key.startswith(prefix)
    }


def _selector(raw: Any) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"rule selector must be a mapping, got {raw!r}")
    out: dict[str, frozenset[str]] = {}
    for key, value in raw.items():
        if key not in SELECTOR_KEYS:
            raise ValueError(f"unknown rule selector key {key!r}")
        values = value if isinstance(value, list) else [value]
        out[str(key)] = frozenset(str(v) for v in values)
    return out


def _settings(raw: dict[str, Any] | None) -> Settings:
    raw = raw or {}
    radius = raw.get("chain_radius_km")
    weights = {t: 1.0 for t in COST_TERMS}
    for key, value in (raw.get("weights") or {}).items():
        if key not in weights:
            raise ValueError(f"unknown weight {key!r}")
        weights[key] = float(value)
    mode = str(raw.get("duplication", "hard"))
    if mode not in ("hard", "soft"):
        raise ValueError(f"duplication must be hard or soft, got {mode!r}")
    return Settings(
        chain_radius_km=math.inf if radius is None else float(radius),
        linkage_cost=float(raw.get("linkage_cost") or 0.0),
        duplication=mode,
        duplication_penalty=float(raw.get("duplication_penalty") or 0.0),
        weights=weights,
    )


def load_scenario(path: Path) -> Scenario:
    """Read a flat scenario YAML and its tables (paths relative to the YAML)."""
    path = Path(path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("extends", "overrides"):
        if doc.get(key):
            raise NotImplementedError(f"reference reads flat scenarios only; found {key!r}")
    tables = doc["tables"]
    base = path.parent

    regions = {
        _str(r, "id"): Region(
            id=_str(r, "id"),
            tier=_str(r, "tier"),
            energy_budget=_opt(r, "energy_budget"),
            max_new_industries=_opt(r, "max_new_industries"),
        )
        for r in _read_csv(base / tables["regions"])
    }
    sites = {
        _str(r, "id"): Site(
            id=_str(r, "id"),
            region=_str(r, "region"),
            zone=_str(r, "zone"),
            land_ha=_req(r, "land_ha"),
            land_price=_req(r, "land_price"),
            lon=_req(r, "lon"),
            lat=_req(r, "lat"),
            cost_factor=_num(r, "cost_factor", 1.0),
            caps=_prefixed(r, "cap_"),
        )
        for r in _read_csv(base / tables["sites"])
    }
    industries = {
        _str(r, "id"): Industry(
            id=_str(r, "id"),
            category=_str(r, "category"),
            demand=_req(r, "demand"),
            overcapacity=_num(r, "overcapacity", 0.1),
            max_hosts=_opt(r, "max_hosts"),
            min_hosts=_num(r, "min_hosts", 0.0),
        )
        for r in _read_csv(base / tables["industries"])
    }
    functions: dict[tuple[str, str], Function] = {}
    for r in _read_csv(base / tables["functions"]):
        f = _str(r, "function")
        functions[(_str(r, "industry"), f)] = Function(
            industry=_str(r, "industry"),
            function=f,
            land_per_unit=_req(r, "land_per_unit"),
            setup_cost=_req(r, "setup_cost"),
            unit_cost=_req(r, "unit_cost"),
            min_scale=_num(r, "min_scale", 0.0),
            max_scale=_opt(r, "max_scale"),
            support_ratio=0.0 if f == "rd" else _req(r, "support_ratio"),
            energy_per_unit=_num(r, "energy_per_unit", 0.0),
            reqs=_prefixed(r, "req_"),
        )
    for i in industries:
        for f in FUNCTIONS:
            if (i, f) not in functions:
                raise ValueError(f"functions table lacks a row for ({i}, {f})")
    for s in sites.values():
        if s.region not in regions:
            raise ValueError(f"site {s.id} names unknown region {s.region}")
        if s.zone not in ZONES:
            raise ValueError(f"site {s.id} has unknown zone {s.zone}")

    rules: list[Rule] = []
    for raw in doc.get("rules") or []:
        for kind in ("lock_in", "lock_out"):
            if kind in raw:
                rules.append(Rule(kind=kind, selector=_selector(raw[kind])))

    caps = {k for s in sites.values() for k in s.caps}
    caps |= {k for fn in functions.values() for k in fn.reqs}
    return Scenario(
        name=str(doc.get("name", path.stem)),
        title=doc.get("title"),
        regions=regions,
        sites=sites,
        industries=industries,
        functions=functions,
        settings=_settings(doc.get("settings")),
        rules=tuple(rules),
        capabilities=tuple(sorted(caps)),
    )
