"""The words of planner's reports in each language: one catalogue (dict) per language, :func:`text` to look one up.

``en`` (the default) is planner's bilingual wording (English with the Chinese term); ``zh`` is Chinese only,
for a report to a Chinese planning bureau. Column names of the run folder's tables (``capacity``,
``land_ha``, ...) stay the same in the CSV files; :func:`column_title` gives their title in a language (the
workbook and the report's tables).
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
"""Languages of the reports, maps and workbook (``--lang``)."""

COLUMNS_ZH: dict[str, str] = {
    "id": "编号", "name": "名称（英文）", "name_zh": "名称", "industry": "产业", "function": "环节", "site": "园区",
    "region": "地区", "zone": "区位", "capacity": "产能", "land_ha": "用地（公顷）", "land_cost": "土地成本（万元）",
    "setup_cost": "设立成本（万元）", "operating_cost": "运营成本（万元）", "from_site": "支撑园区",
    "to_site": "受支撑园区", "amount": "支撑量", "distance_km": "距离（公里）", "land_used_ha": "已用地（公顷）",
    "share_used": "用地比例", "tier": "等级", "lon": "经度", "lat": "纬度", "adcode": "行政区划代码",
    "energy_budget": "能耗预算", "max_new_industries": "新增产业上限", "land_price": "地价（万元/公顷）",
    "cost_factor": "成本系数", "cap_research": "科研能力", "category": "产业类别", "demand": "需求",
    "overcapacity": "产能过剩上限", "max_hosts": "承接地区上限", "min_hosts": "承接地区下限",
    "land_per_unit": "单位产能用地", "unit_cost": "单位成本", "min_scale": "最小规模", "max_scale": "最大规模",
    "support_ratio": "支撑比例", "energy_per_unit": "单位能耗", "req_research": "科研要求",
    "term": "成本项", "weighted": "加权", "unweighted": "未加权", "weight": "权重",
    "period": "分期", "previous": "期初", "stock_kept": "保留存量", "built": "新建", "retired": "退出",
    "converted_in": "改造转入", "converted_out": "改造转出", "production": "量产产能",
    "growth": "年增长率", "upgrades": "可改造产业", "upgrade_cost": "改造成本", "retire_cost": "退出成本",
    "source": "来源",
}
"""Chinese title of each column of the run folder's tables and of ``inputs/``."""


SHEETS_ZH: dict[str, str] = {
    "assignments": "布局方案", "links": "产业链联系", "sites": "园区用地", "inputs_regions": "输入-地区",
    "inputs_sites": "输入-园区", "inputs_industries": "输入-产业", "inputs_functions": "输入-环节",
    "transition": "分期变化", "regions": "各地区量产产能", "inputs_stock": "输入-存量",
}
"""Chinese name of each sheet of ``plan.xlsx`` (``en``: the table's name, as the run folder's file)."""


def sheet_title(sheet: str, lang: str = "en") -> str:
    """The name of the workbook's sheet `sheet` in `lang` (``en``: `sheet` itself)."""
    return SHEETS_ZH.get(sheet, sheet) if lang == "zh" else sheet


def column_title(column: str, lang: str = "en") -> str:
    """The title of the table column `column` in `lang` (``en``: the column's own name)."""
    if lang == "zh":
        year = column.removeprefix("demand_")
        return f"需求（{year}年）" if year != column and year.isdigit() else COLUMNS_ZH.get(column, column)
    return column


TEXT: dict[str, dict[str, str]] = {
    "en": {
        "costs": "Cost terms 成本构成 (10k yuan)",
        "division": "Division of labour 分工 (function × zone)",
        "division_shares": "Share of each function's capacity by zone (%):",
        "division_capacity": "Capacity placed by function and zone:",
        "hosts": "Hosts per industry 各产业承接地区",
        "land": "Land use per site 各园区用地 (ha)",
        "last_period": "{heading}: last period, {year} 末期",
        "costs_periods": "Cost terms 成本构成 (10k yuan, discounted totals over the periods 各期折现合计)",
        "interactive": "Interactive map 交互地图",
        "static": "Map 地图",
        "outcome": "Outcome 求解结果",
        "why": "Why there is no plan 不可行原因",
        "notes": "Notes 说明",
        "scenario": "scenario",
        "run_folder": "run folder",
        "no_description": "No description in the scenario.",
        "status_line": "Status <b>{status}</b>, objective <b>{objective}</b> (10k yuan).",
        "no_plan_line": "Status <b>{status}</b>: no plan.",
        "solver_line": "solver {solver}; bound {bound}, gap {gap}; solved in {seconds} s",
        "footer": "Written by planner {version} on {when}.",
        "function_zone": "function 环节 \\ zone 区位",
        "map_alt": "map of the plan",
        "unknown": "unknown",
        "no_plan_infeasible": "The scenario has no feasible plan: its constraints cannot all hold at once (below, as "
                              "diagnosed in infeasibility.txt). There are no costs, division of labour or map to "
                              "report.",
        "no_plan_no_solution": "No plan was found within the solver's limits. There are no costs, division of labour "
                               "or map to report; a longer time limit (--time-limit) may find one.",
        "no_plan_interrupted": "The solve was stopped (Ctrl-C) before a plan was found. There are no costs, division "
                               "of labour or map to report.",
        "no_plan_other": "The run has no plan (status {status}).",
        "not_run": "{solver} (not run: the checks before solving found the conflict)",
        "no_limit": "none",
        "solver_default": "solver default",
        "solver": "solver",
        "as_recorded": "",
    },
    "zh": {
        "costs": "成本构成（万元）",
        "division": "分工（环节 × 区位）",
        "division_shares": "各环节产能的区位分布（%）：",
        "division_capacity": "各环节、各区位布局的产能：",
        "hosts": "各产业承接地区",
        "land": "各园区用地（公顷）",
        "last_period": "{heading}（末期：{year} 年）",
        "costs_periods": "成本构成（万元，各期折现合计）",
        "interactive": "交互地图",
        "static": "地图",
        "outcome": "求解结果",
        "why": "不可行原因",
        "notes": "说明",
        "scenario": "情景",
        "run_folder": "运行文件夹",
        "no_description": "情景未附说明。",
        "status_line": "状态 <b>{status}</b>，目标值 <b>{objective}</b>（万元）。",
        "no_plan_line": "状态 <b>{status}</b>：无方案。",
        "solver_line": "求解器 {solver}；下界 {bound}，间隙 {gap}；求解用时 {seconds} 秒",
        "footer": "由 planner {version} 于 {when} 生成。",
        "function_zone": "环节 \\ 区位",
        "map_alt": "方案地图",
        "unknown": "未知",
        "no_plan_infeasible": "情景没有可行方案：其约束无法同时满足（诊断见下文）。因此没有成本、分工或地图可报告。",
        "no_plan_no_solution": ("在求解器的限制内未找到方案。因此没有成本、分工或地图可报告；"
                                "延长求解时间上限或可找到方案。"),
        "no_plan_interrupted": "求解在找到方案之前被手动中止。因此没有成本、分工或地图可报告。",
        "no_plan_other": "该运行没有方案（状态：{status}）。",
        "not_run": "{solver}（未运行：求解前的检查已发现冲突）",
        "no_limit": "无",
        "solver_default": "求解器默认",
        "solver": "求解器",
        "as_recorded": "以下为 planner 记录的原文（英文）：",
    },
}
"""The words of the report (and the pages built like it) per language."""

REPORT_COLUMNS_ZH: dict[str, str] = {
    "term": "成本项", "weighted": "加权值", "unweighted": "未加权值", "share %": "占比（%）", "industry": "产业编号",
    "产业": "产业", "name": "英文名称", "hosts": "承接地区数", "host regions": "承接地区", "max_hosts": "承接地区上限",
    "extra hosts": "超出上限", "site": "园区", "region": "地区", "zone": "区位", "land ha": "用地（公顷）",
    "used ha": "已用（公顷）", "share used %": "使用率（%）", "functions": "环节数", "cost (10k yuan)": "成本（万元）",
    "cost in the period (10k yuan, undiscounted)": "本期成本（万元，未折现）",
}
"""Chinese headers of the report's tables (planner.maps.metrics)."""

VALUES_ZH: dict[str, str] = {
    "land": "土地", "setup": "设立", "operating": "运营", "linkage": "联系", "duplication": "重复建设",
    "retire": "退出", "upgrade": "改造",
    "center": "中心", "inner": "近郊", "outer": "外围", "rd": "研发", "pilot": "中试", "production": "量产",
    "optimal": "最优", "feasible": "可行", "infeasible": "不可行", "no_solution": "无解", "error": "出错",
    "agree": "一致", "disagree": "不一致", "unknown": "未定",
    "opened": "新增", "closed": "撤出", "resized": "调整规模", "True": "是", "False": "否", "overall": "总体",
}
"""Chinese words for the run folder's codes (cost terms, zones, functions, statuses)."""

FACTS_ZH: dict[str, str] = {
    "status": "状态", "solver": "求解器", "time limit (s)": "时间上限（秒）", "MIP gap": "相对间隙上限",
    "threads": "线程数", "seed": "随机种子", "started": "开始时间", "finished": "结束时间", "build (s)": "建模（秒）",
    "hand-over (s)": "移交（秒）", "solve (s)": "求解（秒）", "variables": "变量数", "binaries": "二元变量数",
    "constraints": "约束数",
}
"""Chinese names of the facts of a run (the report of a run without a plan)."""


def text(key: str, lang: str = "en", **values: object) -> str:
    """The words `key` of the catalogue in `lang`, with `values` filled in."""
    words = TEXT[lang][key]
    return words.format(**values) if values else words


def header(column: str, lang: str = "en") -> str:
    """A header of the report's tables in `lang` (``en``: as the table names it)."""
    return REPORT_COLUMNS_ZH.get(column, column) if lang == "zh" else column


def value(code: str, lang: str = "en") -> str:
    """A code of the run folder (cost term, zone, function, status) in `lang` (``en``: the code itself)."""
    return VALUES_ZH.get(code, code) if lang == "zh" else code


FIGURE_ZH: dict[str, str] = {
    "站点 Sites": "站点", "center 中心": "中心", "inner 近郊": "近郊", "outer 外围": "外围",
    "not opened 未启用": "未启用",
    "联系 Links": "联系", "R&D → pilot 研发→中试": "研发→中试", "pilot → production 中试→量产": "中试→量产",
    "same site 同址 (ring)": "同址（环）", "区域 Regions hosting": "承接产业的区域",
    "outside the scenario 情景外": "情景外", "圈层 Rings": "圈层", "not classified 未分类": "未分类",
    "未来产业 Future": "未来产业", "新兴产业 Emerging": "新兴产业", "传统产业 Traditional": "传统产业",
    "其他 Other": "其他", "产业 Industries": "产业", "区域分工 Regions and chain links": "区域分工与产业链联系",
    "都市圈层 Metro districts by ring": "都市圈层", "longitude 经度 (°E, WGS84)": "经度（°E，WGS84）",
    "latitude 纬度 (°N, WGS84)": "纬度（°N，WGS84）", "{n} 产业 industries": "{n} 个产业",
    "status {status}, objective {objective} (10k yuan)": "状态 {status}，目标值 {objective}（万元）",
}
"""The static image's bilingual words (keys, as ``en`` shows them) in Chinese."""


def figure_text(words: str, lang: str = "en", **values: object) -> str:
    """The static image's `words` (as ``en`` shows them) in `lang`, with `values` filled in."""
    shown = FIGURE_ZH.get(words, words) if lang == "zh" else words
    return shown.format(**values) if values else shown


COMPARE_ZH: dict[str, str] = {
    "Comparison of runs 方案比较": "方案比较", "Verdict": "结论",
    "Two runs agree on the optimum within their gaps when their intervals [best bound, objective] overlap. 'model' "
    "is a fingerprint of the input tables, settings and rules.":
        "两次运行的区间［最优界，目标值］相交时，即认为二者在各自间隙内对最优值一致。“模型”为输入表、设置与规则的指纹。",
    "Runs": "各次运行", "Runs: solver and model size": "求解器与模型规模", "Agreement, pair by pair": "两两一致性",
    "Agreement: the numbers": "一致性：数值", "Functions that moved (against {base})": "迁移的环节（相对 {base}）",
    "Capacity changes (against {base})": "产能变化（相对 {base}）",
    "KPI and cost-term differences (against {base}; unchanged ones omitted)":
        "指标与成本项差异（相对 {base}；未变者从略）",
    "Side-by-side map": "对照地图", "(none)": "（无）",
    "run": "运行", "scenario": "情景", "model": "模型", "status": "状态", "objective (10k yuan)": "目标值（万元）",
    "best bound (10k yuan)": "最优界（万元）", "gap (%)": "间隙（%）", "build (s)": "建模（秒）",
    "hand-over (s)": "移交（秒）", "solve (s)": "求解（秒）", "n opened": "启用数", "violations": "违反约束数",
    "solver": "求解器", "solver version": "求解器版本", "time limit (s)": "时间上限（秒）", "gap option": "间隙设置",
    "threads": "线程数", "seed": "随机种子", "n variables": "变量数", "n binaries": "二元变量数",
    "n constraints": "约束数", "interrupted": "中断", "run a": "运行 A", "run b": "运行 B", "same model": "同一模型",
    "status a": "状态 A", "status b": "状态 B", "verdict": "结论", "reason": "理由", "objective a": "目标值 A",
    "objective b": "目标值 B", "bound a": "界 A", "bound b": "界 B", "difference": "差值",
    "relative difference (%)": "相对差（%）", "slack": "容差", "base": "基准", "industry": "产业", "function": "环节",
    "sites base": "基准园区", "sites run": "对比园区", "left": "迁出", "arrived": "迁入", "site": "园区",
    "region": "地区", "zone": "区位", "capacity base": "基准产能", "capacity run": "对比产能", "delta": "变化",
    "change": "变化类型", "kpi": "指标", "value base": "基准值", "value run": "对比值",
}
"""compare.html's headings, notes and table headers (as ``en`` shows them) in Chinese."""

COMPARE_ZH.update({
    # the reasons of the agreement table and the verdict lines (planner.research.compare)
    "neither run reports a bound: nothing contradicts, but nothing is proven":
        "两次运行均未给出界：没有矛盾，但也未得到证明",
    "{run} reports no bound; its plan costs no less than the other's bound, so the optimum lies in [{low}, {high}] "
    "for both": "{run} 未给出界；其方案成本不低于另一运行的界，故二者的最优值均在 [{low}, {high}] 内",
    "the optimum lies in [{low}, {high}] for both": "二者的最优值均在 [{low}, {high}] 内",
    "{worse} found {objective} with bound {bound}, but {better} has a plan costing {cost}":
        "{worse} 得到 {objective}，其界为 {bound}，但 {better} 有成本为 {cost} 的方案",
    "the intervals [bound, objective] do not overlap (gap {gap})": "区间［界，目标值］不相交（相差 {gap}）",
    "both infeasible": "二者均不可行", "one is infeasible, the other has a plan": "一个不可行，另一个有方案",
    "statuses {a} and {b}: no optimum to compare": "状态为{a}与{b}：无最优值可比",
    "model {model}: one run, {solvers}": "模型 {model}：仅一次运行，{solvers}",
    "the optimum is in [{low}, {high}]": "最优值在 [{low}, {high}] 内", "all infeasible": "均不可行",
    "model {model}: the {n} runs AGREE on the optimum within their gaps ({where}): {solvers}":
        "模型 {model}：{n} 次运行在各自间隙内对最优值一致（{where}）：{solvers}",
    "{a} vs {b}: {why}": "{a} 对 {b}：{why}", "; ": "；", ", ": "，",
    "model {model}: the runs DISAGREE on the optimum ({details}): {solvers}":
        "模型 {model}：各次运行对最优值不一致（{details}）：{solvers}",
    "model {model}: agreement unknown (not every run has an optimum): {solvers}":
        "模型 {model}：一致性未定（并非每次运行都有最优值）：{solvers}",
    "the runs are of {n} different models; {agree} of {pairs} pairs across models happen to agree, {disagree} "
    "DISAGREE": "各次运行属于 {n} 个不同模型；跨模型的 {pairs} 对中 {agree} 对恰好一致，{disagree} 对不一致",
    # the note on the side-by-side map
    "fewer than two runs have a plan: no map.": "有方案的运行不足两次：无地图。",
    "left: {a}, right: {b} (panning and zooming together)": "左：{a}，右：{b}（同步平移缩放）",
    "planner.maps is not available: a simple fallback map (opened sites only) is shown.":
        "planner.maps 不可用：显示简易地图（仅启用园区）。",
    "planner compare": "方案比较",
    # runs with periods (planner.research.compare: comparability, the periods section)
    "{periodic} {verb} over periods ({plans}) and {once} {verb_once} once: their objectives are not comparable (a "
    "discounted total over the periods against the cost of one plan); their plans are compared on the last period "
    "of the runs with periods":
        "{periodic} 分期规划（{plans}），{once} 为单期规划：目标值不可比（多期折现总成本与单期方案成本）；"
        "方案按分期运行的末期比较",
    "the runs with periods plan over different periods: their plans and figures are compared for the periods they "
    "share ({common}) and overall": "各分期运行的规划期不同：方案与指标按共有分期（{common}）及总体比较",
    "none": "无", "Periods": "分期",
    "period": "分期", "discount factor": "折现系数", "cost": "成本（万元）", "cost discounted": "折现成本（万元）",
    "in use": "在用", "stock kept": "保留存量", "built": "新建", "retired": "退出", "converted in": "改造转入",
    "converted out": "改造转出",
    "Per period: the cost of the period (undiscounted), the same discounted to the first period, and the capacity "
    "in use, kept from stock, built, retired and converted; overall: the discounted total (the objective).":
        "分期：各期成本（未折现）、折现至首期的成本，以及在用、保留存量、新建、退出与改造的产能；总体：折现总成本（目标值）。",
})


def compare_text(words: str, lang: str = "en", **values: object) -> str:
    """compare.html's `words` (as ``en`` shows them) in `lang`, with `values` filled in."""
    shown = COMPARE_ZH.get(words, words) if lang == "zh" else words
    return shown.format(**values) if values else shown


MAP_ZH: dict[str, str] = {
    # layers and the sections of the layer control (planner.maps.layers)
    "Regions: industries hosted 承接产业数": "各地区承接产业数", "Opened sites 园区": "启用园区",
    "Metro districts by ring 圈层": "都市圈层", "Function: {name}": "环节：{name}", "Industry: {name}": "产业：{name}",
    "Plan 规划": "规划", "Functions 环节": "环节", "Industries 产业": "产业",
    "R&D 研发": "研发", "Pilot 中试": "中试", "Production 量产": "量产",
    # legend and title (planner.maps.controls)
    "Legend 图例": "图例", "Sites by zone 区位": "园区（按区位）", "Functions 环节 (rings)": "环节（圆环）",
    "Chain links 链接 (width ∝ amount)": "产业链联系（线宽 ∝ 支撑量）",
    "industries at a site 园区产业数 (zoomed in)": "园区产业数（放大后显示）",
    "Industries 产业 (links) ({n})": "产业（联系线）（{n}）",
    "status <b>{status}</b>, objective <b>{objective}</b> (10k yuan) · {sites} sites opened, {functions} functions "
    "placed, {links} links":
        "状态 <b>{status}</b>，目标值 <b>{objective}</b>（万元）· 启用园区 {sites} 个，"
        "布局环节 {functions} 项，联系 {links} 条",
    "the plan of the last period, <b>{last}</b> 末期规划 (periods {periods}; every period in transition.csv and "
    "regions.csv)": "末期规划：<b>{last}</b>（规划期 {periods}；各期结果见运行文件夹）",
    # tooltips and popups (planner.maps.text)
    "site": "园区", "industry 产业": "产业", "function 环节": "环节", "capacity": "产能", "land ha": "用地（公顷）",
    "cost": "成本（万元）", "cost {total} (10k yuan: {parts})": "成本 {total}（万元：{parts}）", ", ": "，",
    " · zone {zone}": " · 区位 {zone}", "previous period": "上一期", "next period": "下一期",
    "land used {used} of {land} ha ({share} %), land price {price} yuan/m²":
        "已用地 {used} / {land} 公顷（{share} %），地价 {price} 元/平方米",
    "{site}: {n} industries 产业 (click for the list)": "{site}：{n} 个产业（点击查看列表）",
    "{what} ({land} ha)": "{what}（{land} 公顷）",
    "{industry}: {kind} {a} → {b}, amount {amount}, {km} km, linkage cost {cost} (10k yuan)":
        "{industry}：{kind} {a} → {b}，支撑量 {amount}，{km} 公里，联系成本 {cost}（万元）",
    "{name} ({region}, tier {tier}): hosts {n} industries 产业": "{name}（{region}，等级 {tier}）：承接 {n} 个产业",
    "hosts {n} industries 产业, land used {land} ha, ": "承接 {n} 个产业，用地 {land} 公顷，",
    "nothing placed": "未布局", "not classified": "未分类", "none": "无",
    "{name} · ring {ring} · {placed}": "{name} · 圈层 {ring} · {placed}", " · ring {ring}": " · 圈层 {ring}",
    "sites: {sites}": "园区：{sites}",
}
"""The interactive map's words (keys, as ``en`` shows them) in Chinese; the static image's (:data:`FIGURE_ZH`)
serve it too."""


def map_text(words: str, lang: str = "en", **values: object) -> str:
    """The interactive map's `words` (as ``en`` shows them) in `lang`, with `values` filled in."""
    shown = MAP_ZH.get(words, FIGURE_ZH.get(words, words)) if lang == "zh" else words
    return shown.format(**values) if values else shown


KPI_ZH: dict[str, str] = {
    "objective": "目标值", "best_bound": "最优界", "mip_gap": "间隙", "costs": "成本", "costs_unweighted": "未加权成本",
    "periods": "分期", "retire": "退出", "upgrade": "改造", "discount_factor": "折现系数", "capacity": "产能",
    "in_use": "在用", "stock_kept": "保留存量", "built": "新建", "retired": "退出", "converted_in": "改造转入",
    "converted_out": "改造转出",
    "division_of_labour": "分工", "hosts": "承接地区数", "extra_hosts": "超出上限的承接地区数",
    "flow_radius_km": "联系半径（公里）", "opened_functions": "布局环节数", "opened_sites": "启用园区数",
    "land_used_ha": "已用地（公顷）", "rd->pilot": "研发→中试", "pilot->production": "中试→量产",
}
"""Chinese names of the parts of a KPI's name (``costs.land``: 成本 · 土地; codes from :data:`VALUES_ZH`)."""


def kpi_label(name: str, lang: str = "en") -> str:
    """A KPI's name (``group.key[.key]``, as compare's kpi_deltas.csv has it) in `lang`; industry ids stay."""
    if lang != "zh":
        return name
    return " · ".join(KPI_ZH.get(part, VALUES_ZH.get(part, part)) for part in name.split("."))
