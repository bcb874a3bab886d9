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
}
"""Chinese title of each column of the run folder's tables and of ``inputs/``."""


def column_title(column: str, lang: str = "en") -> str:
    """The title of the table column `column` in `lang` (``en``: the column's own name)."""
    if lang == "zh":
        return COLUMNS_ZH.get(column, column)
    return column
