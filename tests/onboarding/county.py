"""A small county of the tests' own (not the demo): 白杨县, its eight Excel ledgers written to the exact
headers of DOMAIN.md, for the new-county onboarding tests. Towns and industries exist only in the
ledgers; 2019's applications are past-year history in their final states.

The data is declared once here; the tests derive the figures they expect from it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tests.ledgers.xlsx import code, write_xlsx

COUNTY = "白杨县"
YEAR = 2020  # the report year


@dataclass(frozen=True)
class Firm:
    n: int
    name: str
    town: str
    industry: str
    scale: str

    @property
    def code(self) -> str:
        return code(70000 + self.n)


FIRMS = [
    Firm(1, "白杨县恒远新材料有限公司", "白杨镇", "新材料", "规上"),
    Firm(2, "白杨县青石精密机械有限公司", "青石镇", "高端装备", "规上"),
    Firm(3, "白杨县绿源果品加工有限公司", "白杨镇", "果品加工", "规下"),
    Firm(4, "白杨县城关电子科技有限公司", "城关街道", "新一代信息技术", "规上"),
    Firm(5, "白杨县润田生物科技有限公司", "青石镇", "生物医药", "规下"),
    Firm(6, "白杨县北辰智能装备有限公司", "城关街道", "高端装备", "规上"),
]

# (firm, type, year, state, certificate, certified_on, expires_on)
CERTIFICATIONS = [
    (1, "国家高新技术企业", 2019, "已认定", "GR201937000701", datetime.date(2019, 11, 28), datetime.date(2022, 11, 27)),
    (2, "国家高新技术企业", 2020, "已认定", "GR202037000702", datetime.date(2020, 12, 8), datetime.date(2023, 12, 7)),
    (4, "国家高新技术企业", 2020, "已认定", "GR202037000704", datetime.date(2020, 12, 8), datetime.date(2023, 12, 7)),
    (6, "国家高新技术企业", 2020, "已申报", "", None, None),
    (3, "科技型中小企业", 2020, "已认定", "202037030300003", datetime.date(2020, 6, 1), None),
    (5, "科技型中小企业", 2020, "已认定", "202037030300005", datetime.date(2020, 6, 1), None),
]

# (firm, year, rd, revenue, output, high_tech_output, applied, granted, invention_granted, valid_invention)
STATISTICS = [
    (1, 2019, "420.5", "15800", "16200", "12000", 10, 6, 2, 5),
    (2, 2019, "310", "9800", "10100", "6000", 8, 5, 1, 3),
    (4, 2019, "180", "5200", "5400", "3000", 4, 3, 0, 1),
    (1, 2020, "468.25", "17600", "18000", "13500", 12, 9, 3, 8),
    (2, 2020, "355.5", "11200", "11600", "7200", 9, 6, 2, 5),
    (3, 2020, "36", "1800", "1900", "", 2, 1, 0, 0),
    (4, 2020, "210", "6100", "6300", "3900", 6, 4, 1, 2),
    (5, 2020, "58.75", "2300", "2350", "1200", 3, 2, 1, 1),
    (6, 2020, "265", "8900", "9100", "5100", 7, 5, 2, 4),
]

# (title, firm, program, level, year, requested, status, approved, approved_on)
APPLICATIONS = [
    (
        "高强度改性聚丙烯材料研发",
        1,
        "省重点研发计划(科技创新类)",
        "省级",
        2019,
        "200",
        "已立项",
        "80",
        datetime.date(2019, 9, 20),
    ),
    (
        "数控精密主轴关键技术研究",
        2,
        "市科技创新发展计划",
        "市级",
        2019,
        "60",
        "已立项",
        "30",
        datetime.date(2019, 10, 15),
    ),
    ("果品冷链保鲜技术示范", 3, "市科技创新发展计划", "市级", 2019, "40", "未立项", "", None),
    (
        "高导热复合材料产业化",
        1,
        "省重点研发计划(科技创新类)",
        "省级",
        2020,
        "300",
        "已立项",
        "120",
        datetime.date(2020, 9, 18),
    ),
    ("智能装配生产线研发", 6, "市科技创新发展计划", "市级", 2020, "80", "已立项", "40", datetime.date(2020, 10, 12)),
    ("车载电子模组可靠性研究", 4, "市科技创新发展计划", "市级", 2020, "50", "未立项", "", None),
]

# (name, program, year, state, mode, firm)
TALENTS = [
    ("王建国", "泰山产业领军人才（创新类）", 2020, "已入选", "全职", 1),
    ("李晓梅", "泰山产业领军人才（创新类）", 2020, "已申报", "柔性", 2),
    ("赵海涛", "淄博英才计划", 2020, "已入选", "柔性", 4),
]

# (name, type, level, firm, state, year, evaluation)
PLATFORMS = [
    ("白杨县恒远新材料院士工作站", "院士工作站", "省级", 1, "已认定", 2020, ""),
    ("白杨县青石精密机械工程技术研究中心", "工程技术研究中心", "市级", 2, "已认定", 2020, ""),
]

# year -> (gdp 亿元, population 万人, industrial output above scale 万元)
COUNTY_YEARS = {
    2019: ("118.6", "36.2", "2150000"),
    2020: ("124.3", "36.0", "2286000"),
    2021: ("", "", ""),
}

# (year, indicator, target)
TARGETS = [
    (2020, "国家高新技术企业数", 3),
    (2020, "研发经费支出", 1300),
    (2020, "获批上级科技计划项目数", 2),
    (2020, "专利授权量", 25),
    (2021, "国家高新技术企业数", 5),
    (2021, "研发经费支出", 1500),
    (2021, "新建创新平台数", 3),
]

LEDGER_ORDER = ["企业名录", "企业资质", "企业年度统计", "项目申报", "人才", "创新平台", "县域基础数据", "年度目标"]

FIRM = {f.n: f for f in FIRMS}


def _blank(value):
    return None if value in ("", None) else value


def write_ledgers(folder: Path) -> dict[str, Path]:
    """The county's eight ledgers as .xlsx files named by ledger, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "企业名录": (
            ["企业名称*", "统一社会信用代码*", "所属乡镇", "行业", "企业规模", "联系人", "联系电话"],
            [[f.name, f.code, f.town, f.industry, f.scale, "联系人", f"0533-66{f.n:05d}"] for f in FIRMS],
        ),
        "企业资质": (
            ["统一社会信用代码*", "资质类型*", "年度*", "状态*", "证书编号", "认定日期", "有效期至"],
            [[FIRM[n].code, t, y, s, _blank(c), on, exp] for n, t, y, s, c, on, exp in CERTIFICATIONS],
        ),
        "企业年度统计": (
            [
                "统一社会信用代码*",
                "年度*",
                "研发经费支出(万元)",
                "营业收入(万元)",
                "工业总产值(万元)",
                "高新技术产业产值(万元)",
                "专利申请量",
                "专利授权量",
                "发明专利授权量",
                "有效发明专利数",
            ],
            [[FIRM[n].code, y, *(_blank(v) for v in rest)] for n, y, *rest in STATISTICS],
        ),
        "项目申报": (
            [
                "项目名称*",
                "承担单位信用代码*",
                "计划名称*",
                "计划级别*",
                "年度*",
                "申请资金(万元)",
                "状态*",
                "获批资金(万元)",
                "立项日期",
            ],
            [[t, FIRM[n].code, p, lv, y, req, st, _blank(ap), on] for t, n, p, lv, y, req, st, ap, on in APPLICATIONS],
        ),
        "人才": (
            ["姓名*", "人才工程*", "年度*", "状态*", "引进方式", "工作单位信用代码"],
            [[name, p, y, st, mode, FIRM[n].code] for name, p, y, st, mode, n in TALENTS],
        ),
        "创新平台": (
            ["平台名称*", "平台类型*", "级别*", "依托单位信用代码", "状态*", "年度*", "评估结果"],
            [[name, t, lv, FIRM[n].code, st, y, _blank(ev)] for name, t, lv, n, st, y, ev in PLATFORMS],
        ),
        "县域基础数据": (
            ["年度*", "地区生产总值(亿元)", "常住人口(万人)", "规上工业总产值(万元)"],
            [[y, *(_blank(v) for v in vals)] for y, vals in COUNTY_YEARS.items() if any(vals)],
        ),
        "年度目标": (["年度*", "指标*", "目标值*"], [list(t) for t in TARGETS]),
    }
    return {name: write_xlsx(folder / f"{i:02d}_{name}.xlsx", *files[name]) for i, name in enumerate(LEDGER_ORDER, 1)}


def expected_figures(year: int = YEAR) -> dict[str, object]:
    """The figures the report of ``year`` must state, worked out from the data above."""
    stats = [s for s in STATISTICS if s[1] == year]
    rd = sum(Decimal(s[2]) for s in stats)
    valid_high_tech = {
        n
        for n, t, _y, s, _c, on, exp in CERTIFICATIONS
        if t == "国家高新技术企业" and s == "已认定" and on <= datetime.date(year, 12, 31) <= exp
    }
    approved = [a for a in APPLICATIONS if a[4] == year and a[6] == "已立项"]
    return {
        "研发经费支出": rd,
        "国家高新技术企业数": len(valid_high_tech),
        "获批上级科技计划项目数": len(approved),
        "争取上级科技资金": sum(Decimal(a[7]) for a in approved),
        "专利授权量": sum(s[7] for s in stats),
    }
