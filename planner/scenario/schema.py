"""Typed scenario models: the YAML file and one row of each CSV table.

Every field has a docstring; `planner schema` exports them as a JSON Schema. Symbols
(A_s, P_s, ...) refer to docs/model.md.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from planner.scenario.values import not_yes_no, number_as_written, plain_id, whole_number_as_written

Zone = Literal["center", "inner", "outer"]
Category = Literal["future", "emerging", "traditional"]
Tier = Literal["I", "II", "III", "IV"]
FunctionName = Literal["rd", "pilot", "production"]
TableName = Literal["regions", "sites", "industries", "functions", "stock"]
SolverName = Literal["highs", "cbc", "glpk", "scip"]
"""The solvers planner can drive (planner.solve.SOLVERS has one adapter for each); the first is the default."""

ZONES: tuple[str, ...] = ("center", "inner", "outer")
FUNCTIONS: tuple[str, ...] = ("rd", "pilot", "production")
PREDECESSOR: dict[str, str] = {"pilot": "rd", "production": "pilot"}
SOLVER_NAMES: tuple[str, ...] = get_args(SolverName)
"""The names of SolverName, in order: the one list of solvers, read by the schema and the solver registry."""

Number = Annotated[float, BeforeValidator(number_as_written)]
"""A number as written: not true/false, not `6_6`."""
Whole = Annotated[int, BeforeValidator(whole_number_as_written)]
"""A whole number as written: not true/false, not `6_6`."""
NonNegative = Annotated[float, Field(ge=0), BeforeValidator(number_as_written)]
Positive = Annotated[float, Field(gt=0), BeforeValidator(number_as_written)]
Share = Annotated[float, Field(ge=0, le=1), BeforeValidator(number_as_written)]
Id = Annotated[str, Field(min_length=1), AfterValidator(plain_id)]
Adcode = Annotated[str, Field(pattern=r"^\d{6}$")]
OneOrMany = Annotated[str | int | float | list[str | int | float], BeforeValidator(not_yes_no)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
    )


class _WithVersion2(_Model):
    """A model with version 2 fields (docs/model.md "Version 2"), left out of its dump while they hold their default.

    So a scenario that uses none of them dumps (manifest, inputs/, digests) exactly as in version 1.
    """

    _VERSION2: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _without_unused_version2(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for name in self._VERSION2:
            if (name in data
                    and getattr(self, name) == type(self).model_fields[name].get_default(call_default_factory=True)):
                del data[name]
        return data


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
    lon: Number = Field(ge=-180, le=180)
    """Longitude of a representative point (WGS84 degrees)."""
    lat: Number = Field(ge=-90, le=90)
    """Latitude of a representative point (WGS84 degrees)."""
    adcode: Adcode | None = None
    """6-digit administrative division code; joins the region to the boundary geodata."""
    energy_budget: NonNegative | None = None
    """E_r: energy budget of the region (energy units); not set = no budget."""
    max_new_industries: Whole | None = Field(default=None, ge=0)
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
    lon: Number = Field(ge=-180, le=180)
    """Longitude of the site point (WGS84 degrees); distances are haversine between site points."""
    lat: Number = Field(ge=-90, le=90)
    """Latitude of the site point (WGS84 degrees)."""
    cost_factor: NonNegative = 1.0
    """w_s: operating cost factor (1 = national average)."""
    adcode: Adcode | None = None
    """6-digit administrative code of the district the site stands for, if any."""
    capabilities: dict[str, Share] = {}
    """C_sk: the `cap_<k>` columns, capability scores in [0, 1]; a missing column is 0."""


class Industry(_WithVersion2):
    """A row of the `industries` table."""

    _VERSION2 = ("growth", "upgrades", "upgrade_cost")  # not the demand_<year> bucket: inputs/ unpacks it

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
    max_hosts: Whole | None = Field(default=None, ge=1)
    """H_i: most regions that may host the industry (防止重复建设); not set = no limit."""
    min_hosts: Whole = Field(default=0, ge=0)
    """N_i: fewest regions that must host the industry."""
    growth: Number = Field(default=0.0, gt=-1)
    """γ_i: annual growth of demand over the periods (0.05 = 5 % a year; negative for a shrinking industry):
    D_it = D_i (1 + γ_i)^(t - t_1), unless a `demand_<year>` column gives the period's value."""
    upgrades: Id | None = None
    """up(i): id of the traditional industry whose production capacity this one can convert at the same site
    (用新技术改造提升传统产业, 老树发新枝); not set = none."""
    upgrade_cost: NonNegative = 0.0
    """κ_i: cost of converting one unit of `upgrades`' production into this industry's production, 10k yuan."""
    demands: dict[str, Positive] = {}
    """D_it: the `demand_<year>` columns, the demand in the period of that year (a year of settings.periods)."""


class FunctionSpec(_WithVersion2):
    """A row of the `functions` table: one function of one industry."""

    _VERSION2 = ("retire_cost",)

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
    retire_cost: NonNegative = 0.0
    """ψ_if: cost of retiring one unit of capacity (existing or built in an earlier period), 10k yuan."""


class StockRow(_Model):
    """A row of the `stock` table: capacity standing at a site before the first period (产业基础)."""

    industry: Id
    """The industry (an `id` of `industries`)."""
    function: FunctionName
    """`rd` 研发, `pilot` 中试 or `production` 量产."""
    site: Id
    """The site it stands at (an `id` of `sites`); it need not meet the requirements of new capacity."""
    capacity: Positive
    """E_ifs: capacity standing before the first period, capacity units."""
    source: str | None = None
    """Where the figure comes from (free text, kept in the run folder)."""


TABLE_MODELS: dict[str, type[_Model]] = {
    "regions": Region,
    "sites": Site,
    "industries": Industry,
    "functions": FunctionSpec,
    "stock": StockRow,
}
"""The row model of each table."""

OPTIONAL_TABLES: tuple[str, ...] = ("stock",)
"""Tables a scenario may leave out (version 2)."""

PREFIXED_COLUMNS: dict[str, tuple[str, str]] = {
    "sites": ("cap_", "capabilities"),
    "industries": ("demand_", "demands"),
    "functions": ("req_", "requirements"),
}
"""Tables with open column families: prefix and the field that collects them."""


def is_number_column(table: str, column: str) -> bool:
    """Whether `column` of `table` holds numbers (its open column family included: `cap_<k>`, `req_<k>`, ...)."""
    prefix = PREFIXED_COLUMNS.get(table, ("\0", ""))[0]
    return column in _number_columns(table) or (column.startswith(prefix) and len(column) > len(prefix))


@cache
def _number_columns(table: str) -> frozenset[str]:
    """The fixed columns of `table` whose values are numbers, as its row schema says."""
    numeric = {"number", "integer"}
    return frozenset(column for column, field in row_schema(table)["properties"].items()
                     if field.get("type") in numeric or any(k.get("type") in numeric for k in field.get("anyOf", [])))


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


class Tables(_WithVersion2):
    """Where the tables are, relative to the YAML file that names them: a CSV file, or a sheet of an Excel workbook
    (`book.xlsx#sites`; `book.xlsx` alone: the sheet of the table's name)."""

    _VERSION2 = ("stock",)

    regions: str
    """The `regions` table."""
    sites: str
    """The `sites` table."""
    industries: str
    """The `industries` table."""
    functions: str
    """The `functions` table."""
    stock: str | None = None
    """The `stock` table: capacity standing before the first period (version 2); not set = none."""


def _or_one_workbook(schema: dict[str, Any]) -> None:
    """The JSON Schema of `tables`: the mapping, or the name of one workbook (`tables: book.xlsx`)."""
    schema["anyOf"] = [{"$ref": schema.pop("$ref")},
                       {"type": "string", "pattern": r"\.[xX][lL][sS][xXmM]$",
                        "description": "One Excel workbook (.xlsx, .xlsm) holding every table in the sheet of its "
                                       "name: regions, sites, industries, functions (and stock when it has one)."}]


class Weights(_WithVersion2):
    """Weights of the objective terms."""

    _VERSION2 = ("retire", "upgrade")

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
    retire: NonNegative = 1.0
    """w_retire: weight of the retirement cost term (version 2)."""
    upgrade: NonNegative = 1.0
    """w_upgrade: weight of the upgrade (conversion) cost term (version 2)."""


Year = Annotated[int, Field(ge=1900, le=2200), BeforeValidator(whole_number_as_written)]
"""A calendar year of a period (assumption: plans fall between 1900 and 2200; a two-digit year is a slip)."""


class Settings(_WithVersion2):
    """Model settings (docs/model.md, "Parameters: Settings" and "Version 2")."""

    _VERSION2 = ("periods", "discount_rate", "transition", "transition_lag")

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
    periods: list[Year] | None = None
    """T: the years of the plan's periods, strictly increasing (for example [2025, 2030, 2035], the steps of the
    five-year plans); not set = one period (version 1)."""
    discount_rate: Share = 0.0
    """ρ: annual discount rate as a fraction (0.05 = 5 % a year; at most 1: a larger value is a percentage written as
    a number); the costs of period t count δ_t = (1 + ρ)^-(t - t_1)."""
    transition: Literal["free", "build_first"] = "free"
    """`free`: capacity may be retired at any time; `build_first` (先立后破): production retired in a region, up to
    a period, never exceeds the new production the region has built up to `transition_lag` periods earlier."""
    transition_lag: Whole = Field(default=0, ge=0)
    """Λ: periods new production must stand before the production it replaces may be retired (build_first)."""

    @field_validator("duplication_penalty")
    @classmethod
    def _penalty_when_soft(cls, value: float | None, info: ValidationInfo) -> float | None:
        # a field validator, not a model validator, so it is reported with the other fields' problems
        if value is None and info.data.get("duplication") == "soft":
            raise ValueError("required when duplication is soft")
        return value

    @field_validator("periods")
    @classmethod
    def _increasing(cls, value: list[int] | None) -> list[int] | None:
        if value is not None:
            if not value:
                raise ValueError("give at least one year, or leave periods out for one period")
            for before, after in zip(value, value[1:], strict=False):
                if after <= before:
                    raise ValueError(f"periods must be strictly increasing years: {after} follows {before}")
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


class PhaseOut(Selector):
    """A phase-out (退城入园, 疏解): the triples matched hold no capacity from the period of year `by` on."""

    by: Year
    """The year from which the matched triples hold no capacity: every period t >= by."""

    def given(self) -> dict[str, frozenset[str]]:
        """The selector keys this rule sets (not `by`), each with its accepted values as strings."""
        out = super().given()
        out.pop("by", None)
        return out


RULE_KINDS: tuple[str, ...] = ("lock_in", "lock_out", "phase_out")
"""The kinds of rule, one key each."""


class Rule(_WithVersion2):
    """A rule: exactly one of `lock_in` (open every matched triple), `lock_out` (forbid them) or `phase_out`."""

    _VERSION2 = ("phase_out",)

    lock_in: Selector | None = None
    """Fix x = 1 on every triple matched (in every period)."""
    lock_out: Selector | None = None
    """Remove every triple matched from the model (no new capacity; existing stock may stand)."""
    phase_out: PhaseOut | None = None
    """Version 2: the triples matched hold no capacity in every period from year `by` on (a selector plus `by`)."""

    @property
    def kind(self) -> str:
        """lock_in, lock_out or phase_out: the key this rule gives."""
        return next(k for k in RULE_KINDS if getattr(self, k) is not None)

    @model_validator(mode="after")
    def _exactly_one(self) -> Rule:
        if sum(getattr(self, k) is not None for k in RULE_KINDS) != 1:
            raise ValueError("a rule needs exactly one of lock_in, lock_out or phase_out")
        return self


Scalar = Annotated[str | int | float, BeforeValidator(not_yes_no)]
"""A table cell or a value to match in YAML: text or a number, never true/false."""


class Override(_Model):
    """A change to a table applied after reading it, before validation of its rows."""

    table: TableName
    """The table to change."""
    where: dict[str, Annotated[Scalar | list[Scalar], BeforeValidator(not_yes_no)]] | None = None
    """Rows whose columns equal these values (one value or a list); not set = every row."""
    set: dict[str, Scalar | None] | None = None
    """Columns to set to a value."""
    scale: dict[str, Number] | None = None
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
DEFAULT_THREADS = 1
"""Solver threads of a run whose scenario and command line set none. One: on a 2-core machine HiGHS 1.16's
parallel MIP on two threads found the same plans and bounds in the same time as one thread, using 10 to 44 %
more processor time, while two one-thread solves side by side (two sweep members) did 1.8 to 2.1 times the work
of one alone in the same time (benchmarks/RESULTS.md, "Two threads")."""


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
    threads: Whole | None = Field(default=DEFAULT_THREADS, ge=1, le=MAX_THREADS)
    """Threads the solver may use; not set = DEFAULT_THREADS (1); `null` = the solver's own choice (HiGHS 1.16
    took 2 on a 2-core machine). At most 1024: HiGHS starts every thread it is given (a larger count only
    exhausts memory)."""
    seed: Whole = Field(default=0, ge=0, le=INT32_MAX)
    """Random seed of the solver, at most 2147483647 (the solvers' integer range: HiGHS ignores a larger one)."""
    heuristic: bool = True
    """HiGHS only: before branch and bound, strengthen the relaxation with knapsack cover cuts on the land
    rows and find a start with RENS (fix the openings and hosting decisions the relaxation sets to whole
    values, solve the small MIP left; if it has no plan, or one more than 1 % above the relaxation's bound, fix
    the hosting alone and solve again from that plan); at most 20 % of the time limit per step, the relaxation's
    first solve up to half of it. The cuts stay in the main solve. A solve that already has a start
    (`period_start`, a sweep's `--reuse`) gets the cuts only, unless `memory_limit` leaves the MIP of the whole
    model out: the start is then RENS's first neighbourhood (its values fixed, the rest solved)."""
    alongside: bool | None = None
    """HiGHS only, with `heuristic`: when RENS's plan is not yet within 0.1 % of the relaxation's bound, run the
    swaps after RENS (industries that share a full site re-solved together) on a second core beside the MIP
    instead of before it, handing each better plan to HiGHS and taking up HiGHS's; the run keeps the better plan.
    Not set = on when `threads` is 1, the machine has a second core and the model at least 200k nonzeros (Linux;
    smaller models solve in seconds, where it costs more than it gains); sweeps set it off, their members taking
    every core already."""
    memory_limit: NonNegative = 4.0
    """HiGHS only, with `heuristic`: GB (10^9 bytes) for planner's processes, against what a MIP is estimated to
    need beside what they hold already (about 1.3 kB per nonzero of its matrix: 4.8 GB for the 300 x 100 benchmark's
    3.7 M nonzeros); 0 = no limit. HiGHS's MIP of the whole model that would pass it is left out: the plan is then
    RENS's, improved by the swaps for at most the rest of the time limit, the bound the relaxation's with its cover
    cuts, and the relaxation of a model without periods is solved without presolve, which holds less. Those swaps
    keep within the limit too: a small MIP of theirs that would pass it is left out, and one solved apart (Linux,
    from 200k nonzeros) that passes it is stopped with its best plan. Not a cap on the build, the relaxation or
    RENS's own small MIP, nor on a run that keeps the whole MIP (its estimate decided that it fits; the swaps beside
    it add their own copy: `alongside`); it applies only where RENS runs (time enough for RENS), and a MIP start
    (`reuse`, `period_start`) of a MIP left out is RENS's first neighbourhood, its values fixed. The
    default, 4 GB, keeps a run within reach of an 8 GB laptop beside its other work (an assumption about planners'
    machines; CPLEX's working memory, WorkMem, likewise defaults to 2,048 MB). The benchmarks up to 300 x 40, 100 x
    100 and brownfield 100 x 40 x 3 keep their MIP under it; at 300 x 100 the MIP is left out, and the run peaks at
    3.5 to 3.8 GB (benchmarks/RESULTS.md, "The memory limit on the swaps"). On a large machine, 0 gives the largest
    models HiGHS's bound too."""
    period_start: bool = False
    """Runs with periods only: before the MIP, build a start period by period (relax-and-fix: every later period's
    integer variables relaxed, each period's MIP solved and its openings fixed in turn) within at most 20 % of the
    time limit, and offer its plan to the MIP as a start (HiGHS). It pays where the solver finds no first plan of
    the whole model by itself (the 河北 scenario); where it does, it only costs time (docs/model.md)."""


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
    tables: Tables = Field(json_schema_extra=lambda schema: _or_one_workbook(schema))
    """The tables: a path per table (a CSV file, `book.xlsx#sheet` or `book.xlsx` for the sheet of the table's
    name), or one Excel workbook (`tables: book.xlsx`) holding every table in the sheet of its name."""
    settings: Settings = Settings()
    """Model settings."""
    rules: list[Rule] = []
    """lock_in / lock_out / phase_out rules, see docs/model.md "Rule selectors"."""
    overrides: list[Override] = []
    """Changes to the tables, applied in order after they are read."""
    solver: SolverOptions = SolverOptions()
    """Solver and limits."""
