"""Reading a flat scenario (YAML + CSV tables) for the reference implementation.

Independent of the ``planner`` package on purpose: it follows ``docs/model.md`` and
``docs/scenario.md`` directly, version 1 and version 2 (the ``stock`` table, periods, growth,
``demand_<year>``, upgrade paths, retirement costs, ``phase_out`` rules, the transition
settings). Only flat scenarios are supported (no ``extends``, no ``overrides``).
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

FUNCTIONS: tuple[str, ...] = ("rd", "pilot", "production")
PRED: dict[str, str] = {"pilot": "rd", "production": "pilot"}
ZONES: tuple[str, ...] = ("center", "inner", "outer")
FOCUS_CATEGORIES: frozenset[str] = frozenset({"future", "emerging"})
COST_TERMS: tuple[str, ...] = ("land", "setup", "operating", "linkage", "duplication")
COST_TERMS_V2: tuple[str, ...] = COST_TERMS + ("retire", "upgrade")
"""Cost terms of MODEL.md version 2 (retirement and upgrade added)."""
TRANSITIONS: tuple[str, ...] = ("free", "build_first")
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
    growth: float = 0.0
    demands: dict[int, float] = field(default_factory=dict)  # demand_<year> cells given
    upgrades: str | None = None  # up(i)
    upgrade_cost: float = 0.0  # κ_i


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
    retire_cost: float = 0.0  # ψ_if


@dataclass(frozen=True)
class Rule:
    """A ``lock_in``, ``lock_out`` or ``phase_out`` rule with its selector (key -> allowed values)."""

    kind: str
    selector: dict[str, frozenset[str]]
    by: int | None = None  # phase_out only: the year from which matched triples hold nothing


@dataclass(frozen=True)
class Settings:
    """The ``settings`` block with docs/model.md defaults applied."""

    chain_radius_km: float  # math.inf when absent
    linkage_cost: float
    duplication: str  # "hard" | "soft"
    duplication_penalty: float
    weights: dict[str, float]
    periods: tuple[int, ...] = ()  # empty = one period (version 1)
    discount_rate: float = 0.0
    transition: str = "free"
    transition_lag: int = 0


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
    stock: dict[Triple, float] = field(default_factory=dict)  # E_ifs > 0

    # ------------------------------------------------------------- version 2
    @property
    def years(self) -> tuple[int | None, ...]:
        """The period years; ``(None,)`` for a scenario without periods (one period)."""
        return self.settings.periods or (None,)

    def discount(self, k: int) -> float:
        """δ_t = (1 + ρ)^-(t - t_1) for the period at position ``k``."""
        years = self.settings.periods
        if not years:
            return 1.0
        return (1.0 + self.settings.discount_rate) ** -(years[k] - years[0])

    def demand_at(self, i: str, k: int) -> float:
        """D_it: the ``demand_<year>`` cell if given, else D_i (1 + γ_i)^(t - t_1)."""
        ind = self.industries[i]
        years = self.settings.periods
        if not years:
            return ind.demand
        if years[k] in ind.demands:
            return ind.demands[years[k]]
        return ind.demand * (1.0 + ind.growth) ** (years[k] - years[0])

    def phased_out(self, triple: Triple, k: int) -> bool:
        """Whether a ``phase_out`` rule empties the triple in the period at position ``k``."""
        years = self.settings.periods
        if not years:
            return False
        return any(
            r.kind == "phase_out" and r.by is not None and years[k] >= r.by and self.matches(r, triple)
            for r in self.rules
        )

    @cached_property
    def _capacity_triples(self) -> tuple[Triple, ...]:
        return tuple(t for t in self.all_triples() if self.eligible(t) or self.stock.get(t, 0.0) > 0)

    def capacity_triples(self) -> list[Triple]:
        """Triples that can hold capacity: eligible or with stock, in a fixed order."""
        return list(self._capacity_triples)

    def upper_v2(self, triple: Triple) -> float:
        """max(U_ifs, E_ifs): stock may stand above max scale."""
        return max(self.upper(triple), self.stock.get(triple, 0.0))

    def stock_regions(self, i: str) -> set[str]:
        """Regions holding any stock of industry i."""
        return {self.sites[s].region for (j, _, s), e in self.stock.items() if j == i and e > 0}

    def max_hosts_v2(self, i: str) -> float | None:
        """H'_i = max(H_i, K_i), None when H_i is not set."""
        h = self.industries[i].max_hosts
        return None if h is None else max(h, float(len(self.stock_regions(i))))

    def max_focus_v2(self, r: str) -> float | None:
        """L'_r = max(L_r, future+emerging industries with stock in r), None when L_r is not set."""
        cap = self.regions[r].max_new_industries
        if cap is None:
            return None
        held = {
            i for i, ind in self.industries.items()
            if ind.category in FOCUS_CATEGORIES and r in self.stock_regions(i)
        }
        return max(cap, float(len(held)))

    def conversion_sites(self, i: str) -> list[str]:
        """Sites where production of up(i) may be converted into production of i."""
        j = self.industries[i].upgrades
        if j is None:
            return []
        capacity = set(self.capacity_triples())
        return [
            s for s in self.sites
            if (j, "production", s) in capacity and self.eligible((i, "production", s))
        ]

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

    def links_v2(self) -> list[tuple[str, str, str, str]]:
        """L_if over every triple with capacity (eligible or stock)."""
        return self.links(set(self.capacity_triples()))

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


def _year(value: Any, what: str) -> int:
    """A year: an integer (a float with decimals is an error)."""
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a year, got {value!r}")
    if not number.is_integer():
        raise ValueError(f"{what} must be a whole year, got {value!r}")
    return int(number)


def _settings(raw: dict[str, Any] | None) -> Settings:
    raw = raw or {}
    radius = raw.get("chain_radius_km")
    weights = {t: 1.0 for t in COST_TERMS_V2}
    for key, value in (raw.get("weights") or {}).items():
        if key not in weights:
            raise ValueError(f"unknown weight {key!r}")
        weights[key] = float(value)
    mode = str(raw.get("duplication", "hard"))
    if mode not in ("hard", "soft"):
        raise ValueError(f"duplication must be hard or soft, got {mode!r}")
    periods = tuple(_year(y, "settings.periods") for y in (raw.get("periods") or []))
    if any(b <= a for a, b in itertools.pairwise(periods)):
        raise ValueError(f"settings.periods must be strictly increasing, got {list(periods)}")
    transition = str(raw.get("transition", "free"))
    if transition not in TRANSITIONS:
        raise ValueError(f"transition must be free or build_first, got {transition!r}")
    lag = raw.get("transition_lag", 0)
    if isinstance(lag, bool) or not float(lag).is_integer() or float(lag) < 0:
        raise ValueError(f"transition_lag must be a whole number of periods >= 0, got {lag!r}")
    rate = float(raw.get("discount_rate") or 0.0)
    if rate < 0:
        raise ValueError(f"discount_rate must be >= 0, got {rate}")
    return Settings(
        chain_radius_km=math.inf if radius is None else float(radius),
        linkage_cost=float(raw.get("linkage_cost") or 0.0),
        duplication=mode,
        duplication_penalty=float(raw.get("duplication_penalty") or 0.0),
        weights=weights,
        periods=periods,
        discount_rate=rate,
        transition=transition,
        transition_lag=int(float(lag)),
    )


def _demands(row: dict[str, str | None], periods: tuple[int, ...]) -> dict[int, float]:
    """The ``demand_<year>`` cells given in an industries row."""
    out: dict[int, float] = {}
    for key in row:
        if key is None or not key.startswith("demand_"):
            continue
        value = _opt(row, key)
        if value is None:
            continue
        year = _year(key[len("demand_"):], f"column {key}")
        if year not in periods:
            raise ValueError(f"column {key}: {year} is not one of the periods {list(periods)}")
        out[year] = value
    return out


def _check_upgrades(industries: dict[str, Industry]) -> None:
    for i, ind in industries.items():
        j = ind.upgrades
        if j is None:
            continue
        if j == i:
            raise ValueError(f"industry {i} upgrades itself")
        if j not in industries:
            raise ValueError(f"industry {i} upgrades unknown industry {j}")
        if industries[j].category != "traditional":
            raise ValueError(f"industry {i} upgrades {j}, which is not traditional")
        if industries[j].upgrades is not None:
            raise ValueError(f"industry {i} upgrades {j}, which upgrades in turn")


def _read_stock(
    path: Path, sites: dict[str, Site], industries: dict[str, Industry],
    functions: dict[tuple[str, str], Function],
) -> dict[Triple, float]:
    stock: dict[Triple, float] = {}
    for r in _read_csv(path):
        t = (_str(r, "industry"), _str(r, "function"), _str(r, "site"))
        if t[0] not in industries or t[2] not in sites or (t[0], t[1]) not in functions:
            raise ValueError(f"stock row {t} names an unknown industry, function or site")
        if t in stock:
            raise ValueError(f"stock row {t} is given twice")
        e = _req(r, "capacity")
        if e <= 0:
            raise ValueError(f"stock row {t}: capacity must be > 0, got {e}")
        stock[t] = e
    land: dict[str, float] = {}
    for (i, f, s), e in stock.items():
        land[s] = land.get(s, 0.0) + functions[(i, f)].land_per_unit * e
    for s, used in land.items():
        if used > sites[s].land_ha * (1 + 1e-9):
            raise ValueError(f"stock at site {s} uses {used} ha, more than its {sites[s].land_ha} ha")
    return stock


def load_scenario(path: Path) -> Scenario:
    """Read a flat scenario YAML and its tables (paths relative to the YAML)."""
    path = Path(path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("extends", "overrides"):
        if doc.get(key):
            raise NotImplementedError(f"reference reads flat scenarios only; found {key!r}")
    tables = doc["tables"]
    base = path.parent
    settings = _settings(doc.get("settings"))

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
            growth=_num(r, "growth", 0.0),
            demands=_demands(r, settings.periods),
            upgrades=_cell(r, "upgrades"),
            upgrade_cost=_num(r, "upgrade_cost", 0.0),
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
            retire_cost=_num(r, "retire_cost", 0.0),
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

    _check_upgrades(industries)
    stock = _read_stock(base / tables["stock"], sites, industries, functions) if tables.get("stock") else {}

    rules: list[Rule] = []
    for raw in doc.get("rules") or []:
        for kind in ("lock_in", "lock_out"):
            if kind in raw:
                rules.append(Rule(kind=kind, selector=_selector(raw[kind])))
        if "phase_out" in raw:
            sel = dict(raw["phase_out"] or {})
            if "by" not in sel:
                raise ValueError("phase_out rule lacks 'by'")
            by = _year(sel.pop("by"), "phase_out.by")
            if not settings.periods:
                raise ValueError("phase_out rule in a scenario without periods")
            if by > settings.periods[-1]:
                raise ValueError(f"phase_out year {by} is after the last period {settings.periods[-1]}")
            rules.append(Rule(kind="phase_out", selector=_selector(sel), by=by))

    caps = {k for s in sites.values() for k in s.caps}
    caps |= {k for fn in functions.values() for k in fn.reqs}
    return Scenario(
        name=str(doc.get("name", path.stem)),
        title=doc.get("title"),
        regions=regions,
        sites=sites,
        industries=industries,
        functions=functions,
        settings=settings,
        rules=tuple(rules),
        capabilities=tuple(sorted(caps)),
        stock=stock,
    )
