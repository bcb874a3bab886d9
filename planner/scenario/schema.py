"""Typed scenario models: the YAML file and one row of each CSV table.

Every field has a docstring; `planner schema` exports them as a JSON Schema. Symbols
(A_s, P_s, ...) refer to docs/model.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Zone = Literal["center", "inner", "outer"]
Category = Literal["future", "emerging", "traditional"]
Tier = Literal["I", "II", "III", "IV"]
FunctionName = Literal["rd", "pilot", "production"]
TableName = Literal["regions", "sites", "industries", "functions"]
SolverName = Literal["highs", "cbc", "glpk", "scip"]
"""The solvers planner can drive (planner.solve.SOLVERS has one adapter for each); the first is the default."""

ZONES: tuple[str, ...] = ("center", "inner", "outer")
FUNCTIONS: tuple[str, ...] = ("rd", "pilot", "production")
PREDECESSOR: dict[str, str] = {"pilot": "rd", "production": "pilot"}
SOLVER_NAMES: tuple[str, ...] = get_args(SolverName)
"""The names of SolverName, in order: the one list of solvers, read by the schema and the solver registry."""

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]
Id = Annotated[str, Field(min_length=1)]
Adcode = Annotated[str, Field(pattern=r"^\d{6}$")]
OneOrMany = str | int | float | list[str | int | float]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
    )


# ---------------------------------------------------------------- tables


class Region(_Model):
    """A row of the `regions` table: a province, or a district in a metro scenario."""

    id: Id
    """Identifier used by the `region` column of `sites` and by rule selectors."""
    name: str
    """English name."""
    name_zh: str
    """Chinese name (中文名)."""
    tier: Tier
    """Technology tier I-IV (rule selector key `tier`)."""
    lon: float = Field(ge=-180, le=180)
    """Longitude of a representative point (WGS84 degrees)."""
    lat: float = Field(ge=-90, le=90)
    """Latitude of a representative point (WGS84 degrees)."""
    adcode: Adcode | None = None
    """6-digit administrative division code; joins the region to the boundary geodata."""
    energy_budget: NonNegative | None = None
    """E_r: energy budget of the region (energy units); not set = no budget."""
    max_new_industries: int | None = Field(default=None, ge=0)
    """L_r: most future + emerging industries the region may host (不求大而全); not set = no limit."""


class Site(_Model):
    """A row of the `sites` table: one zone of one region where functions can be placed."""

    id: Id
    """Identifier of the site, for example `BJ-center`."""
    region: Id
    """The region the site lies in (an `id` of `regions`)."""
    zone: Zone
    """Zone type: `center` 中心城区, `inner` 近郊, `outer` 外围."""
    land_ha: Positive
    """A_s: industrial land available, hectares."""
    land_price: NonNegative
    """P_s: industrial land price, yuan per m2."""
    lon: float = Field(ge=-180, le=180)
    """Longitude of the site point (WGS84 degrees); distances are haversine between site points."""
    lat: float = Field(ge=-90, le=90)
    """Latitude of the site point (WGS84 degrees)."""
    cost_factor: NonNegative = 1.0
    """w_s: operating cost factor (1 = national average)."""
    adcode: Adcode | None = None
    """6-digit administrative code of the district the site stands for, if any."""
    capabilities: dict[str, Share] = {}
    """C_sk: the `cap_<k>` columns, capability scores in [0, 1]; a missing column is 0."""


class Industry(_Model):
    """A row of the `industries` table."""

    id: Id
    """Identifier of the industry, for example `ai`."""
    name: str
    """English name."""
    name_zh: str
    """Chinese name (中文名)."""
    category: Category
    """`future` 未来产业, `emerging` 战略性新兴产业 or `traditional` 传统产业."""
    demand: Positive
    """D_i: production capacity to be placed, capacity units."""
    overcapacity: NonNegative = 0.1
    """θ_i: production may exceed demand by at most this fraction (产能不过剩)."""
    max_hosts: int | None = Field(default=None, ge=1)
    """H_i: most regions that may host the industry (防止重复建设); not set = no limit."""
    min_hosts: int = Field(default=0, ge=0)
    """N_i: fewest regions that must host the industry."""


class FunctionSpec(_Model):
    """A row of the `functions` table: one function of one industry."""

    industry: Id
    """The industry (an `id` of `industries`)."""
    function: FunctionName
    """`rd` 研发, `pilot` 中试 or `production` 量产."""
    land_per_unit: Positive
    """a_if: hectares of land per capacity unit."""
    setup_cost: NonNegative
    """φ_if: cost of opening the function at a site, 10k yuan."""
    unit_cost: NonNegative
    """ν_if: operating cost per capacity unit, 10k yuan."""
    min_scale: NonNegative
    """m_if: smallest capacity of an opened site."""
    max_scale: Positive | None = None
    """M_if: largest capacity of one site; not set = limited by land only."""
    support_ratio: NonNegative | None = None
    """ρ_if: units of the preceding function's capacity needed per unit (pilot and production; ignored for rd)."""
    energy_per_unit: NonNegative = 0.0
    """e_if: energy used per capacity unit."""
    requirements: dict[str, Share] = {}
    """Q_ifk: the `req_<k>` columns, least capability a site needs; a missing column is 0."""


TABLE_MODELS: dict[str, type[_Model]] = {
    "regions": Region,
    "sites": Site,
    "industries": Industry,
    "functions": FunctionSpec,
}
"""The row model of each table."""

PREFIXED_COLUMNS: dict[str, tuple[str, str]] = {
    "sites": ("cap_", "capabilities"),
    "functions": ("req_", "requirements"),
}
"""Tables with open column families: prefix and the field that collects them."""


def row_schema(table: str) -> dict[str, Any]:
    """The JSON Schema of one row of `table` as its CSV file has it (`planner schema --table`).

    A row is an object with one key per column; the open column family (`cap_<k>`, `req_<k>`) is a pattern of
    column names (`patternProperties`) with the value constraints of the field that collects it, not that field.
    """
    model = TABLE_MODELS[table]
    schema = model.model_json_schema()
    if table in PREFIXED_COLUMNS:
        prefix, bucket = PREFIXED_COLUMNS[table]
        collected = schema["properties"].pop(bucket)
        column = collected["additionalProperties"] | {"description": collected["description"]}
        schema["patternProperties"] = {f"^{re.escape(prefix)}.+$": column}  # as RawTable.known_column: a name after it
    return schema


# ---------------------------------------------------------------- the YAML file


class Tables(_Model):
    """Paths of the four CSV tables, relative to the YAML file that names them."""

    regions: str
    """The `regions` table."""
    sites: str
    """The `sites` table."""
    industries: str
    """The `industries` table."""
    functions: str
    """The `functions` table."""


class Weights(_Model):
    """Weights of the objective terms."""

    land: NonNegative = 1.0
    """w_land: weight of the land cost term."""
    setup: NonNegative = 1.0
    """w_setup: weight of the setup cost term."""
    operating: NonNegative = 1.0
    """w_operating: weight of the operating cost term."""
    linkage: NonNegative = 1.0
    """w_linkage: weight of the chain linkage cost term."""
    duplication: NonNegative = 1.0
    """w_duplication: weight of the duplication penalty term (soft mode)."""


class Settings(_Model):
    """Model settings (docs/model.md, "Parameters: Settings")."""

    chain_radius_km: Positive | None = None
    """ρmax: longest distance (km) over which a function can support the next one; not set = no limit."""
    linkage_cost: NonNegative = 0.0
    """τ: cost (10k yuan) per unit of support per km."""
    duplication: Literal["hard", "soft"] = "hard"
    """`hard`: max_hosts may not be exceeded; `soft`: it may, at duplication_penalty per extra host."""
    duplication_penalty: NonNegative | None = Field(default=None, validate_default=True)
    """λ: cost (10k yuan) per host region beyond max_hosts; required when duplication is soft."""
    weights: Weights = Weights()
    """Weights of the objective terms (default 1 each)."""

    @field_validator("duplication_penalty")
    @classmethod
    def _penalty_when_soft(cls, value: float | None, info: ValidationInfo) -> float | None:
        # a field validator, not a model validator, so it is reported with the other fields' problems
        if value is None and info.data.get("duplication") == "soft":
            raise ValueError("required when duplication is soft")
        return value


class Selector(_Model):
    """Which (industry, function, site) triples a rule matches: every key given must match."""

    region: OneOrMany | None = None
    """Region id(s) of the site."""
    zone: OneOrMany | None = None
    """Zone type(s) of the site: center, inner, outer."""
    site: OneOrMany | None = None
    """Site id(s)."""
    tier: OneOrMany | None = None
    """Tier(s) of the site's region: I, II, III, IV."""
    industry: OneOrMany | None = None
    """Industry id(s)."""
    category: OneOrMany | None = None
    """Industry category(ies): future, emerging, traditional."""
    function: OneOrMany | None = None
    """Function(s): rd, pilot, production."""

    def given(self) -> dict[str, frozenset[str]]:
        """The keys this selector sets, each with the set of accepted values as strings."""
        out = {}
        for key in type(self).model_fields:
            value = getattr(self, key)
            if value is not None:
                values = value if isinstance(value, list) else [value]
                out[key] = frozenset(str(v) for v in values)
        return out


class Rule(_Model):
    """A rule: exactly one of `lock_in` (open every matched triple) or `lock_out` (forbid them)."""

    lock_in: Selector | None = None
    """Fix x = 1 on every triple matched."""
    lock_out: Selector | None = None
    """Remove every triple matched from the model."""

    @model_validator(mode="after")
    def _exactly_one(self) -> Rule:
        if (self.lock_in is None) == (self.lock_out is None):
            raise ValueError("a rule needs exactly one of lock_in or lock_out")
        return self


Scalar = str | int | float


class Override(_Model):
    """A change to a table applied after reading it, before validation of its rows."""

    table: TableName
    """The table to change."""
    where: dict[str, Scalar | list[Scalar]] | None = None
    """Rows whose columns equal these values (one value or a list); not set = every row."""
    set: dict[str, Scalar | None] | None = None
    """Columns to set to a value."""
    scale: dict[str, float] | None = None
    """Numeric columns to multiply by a factor."""

    @model_validator(mode="after")
    def _something_to_do(self) -> Override:
        if not self.set and not self.scale:
            raise ValueError("an override needs `set` or `scale`")
        return self


INT32_MAX = 2**31 - 1
"""The largest integer option value the solvers take (a C int)."""
MAX_THREADS = 1024
"""The most solver threads a scenario may ask for (assumption: far above the cores of the machines planner runs on;
HiGHS starts as many threads as it is given)."""


class SolverOptions(_Model):
    """Solver choice and limits; the command line wins over these."""

    name: SolverName = "highs"
    """Solver: `highs` (HiGHS through highspy, the default), `cbc`, `glpk` or `scip`. Whether it is installed
    here is checked when solving (`planner solvers` lists what is)."""
    time_limit: Positive | None = None
    """Seconds before the solve stops with the best plan found; not set = no limit. The limit covers the MIP
    (90 %) and the polish of its plan (what the MIP leaves, at least 10 %)."""
    mip_gap: NonNegative = 1e-4
    """Relative optimality gap at which the solve stops."""
    threads: int | None = Field(default=None, ge=1, le=MAX_THREADS)
    """Threads the solver may use; not set = the solver's default. At most 1024: HiGHS starts every thread it is
    given (a larger count only exhausts memory)."""
    seed: int = Field(default=0, ge=0, le=INT32_MAX)
    """Random seed of the solver, at most 2147483647 (the solvers' integer range: HiGHS ignores a larger one)."""
    heuristic: bool = True
    """HiGHS only: before branch and bound, strengthen the relaxation with knapsack cover cuts on the land
    rows and find a start with RENS (fix the integer variables the relaxation sets to whole values, solve the
    small MIP left); at most 20 % of the time limit per step. The cuts stay in the main solve."""


class ScenarioFile(_Model):
    """A scenario file after `extends` has been merged."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    """Short name: letters, digits, '-', '_'; names run folders."""
    title: str | None = None
    """Free-text title (Chinese welcome)."""
    description: str | None = None
    """Longer free-text description, shown in reports."""
    extends: str | None = None
    """Path of a scenario this file is deep-merged over (relative to this file)."""
    tables: Tables
    """Paths of the CSV tables."""
    settings: Settings = Settings()
    """Model settings."""
    rules: list[Rule] = []
    """lock_in / lock_out rules, see docs/model.md "Rule selectors"."""
    overrides: list[Override] = []
    """Changes to the tables, applied in order after they are read."""
    solver: SolverOptions = SolverOptions()
    """Solver and limits."""
