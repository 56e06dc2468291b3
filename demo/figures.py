"""The 2019 figures of the demo county: the seed report's figures, with its blanks filled in.

One module holds them; the seeder builds its 2019 records from these figures and the tests check
that the registered indicators compute exactly these values from those records (and that the
2019 report built from them states them). Where the seed report left a blank (研发经费总额实现
亿元, 产值占比达到%), the figure chosen here fills it.
"""

from __future__ import annotations

from decimal import Decimal

YEAR = 2019
COUNTY_NAME = "示例县"

# County base data of 2019: R&D 60000万元 over GDP 150亿元 is an intensity of exactly 4%.
GDP_YI = Decimal("150")  # 地区生产总值(亿元)
POPULATION_WAN = Decimal("55")  # 常住人口(万人)
INDUSTRIAL_OUTPUT_WAN = Decimal("3200000")  # 规上工业总产值(万元) = 320亿元

# Program names (the catalogue the seeder creates): the breakdown labels below are built from them.
INNOVATION = "省重点研发计划(科技创新类)"
COMMISSIONER = "省重点研发计划(科技特派员类)"
SHUANGSHI = '市"双十"计划'
QIEKUAI = "区县切块项目"
YINZHI = "省引智成果示范推广项目"
NATIONAL = "国家重点研发计划"
TAISHAN = "泰山产业领军人才"
CITY_TALENT = "市英才计划"
CITY_ELITE = "市杰出精英人才"
MOST_TALENT = "科技部创新人才推进计划"


def program_label(name: str, level: str) -> str:
    """A per-program breakdown label: 省重点研发计划(科技创新类)（省级）."""
    return f"{name}（{level}）"


# Upper-level applications of 2019 per program: (level, recommended, approved amounts in 万元).
# 获批资金合计 7012.5万元 (“累计争取上级扶持资金7000余万元”).
APPLICATIONS: dict[str, tuple[str, int, list[Decimal]]] = {
    INNOVATION: (
        "省级",
        19,
        [Decimal(v) for v in ("900", "800", "700", "650", "600", "520", "452.5", "350")],
    ),
    COMMISSIONER: ("省级", 12, [Decimal("20")] * 9),
    SHUANGSHI: ("市级", 4, [Decimal("300")] * 2),
    QIEKUAI: ("市级", 14, [Decimal("100")] * 12),
    YINZHI: ("省级", 3, [Decimal("30")] * 2),
    NATIONAL: ("国家级", 1, []),
}

# County rewards paid in 2019 by kind (奖励兑现): 研发补贴380万元, 人才新政配套资金320万元,
# 首次认定高企奖励 6家×40万元, 平台奖励60万元.
REWARDS: dict[str, Decimal] = {
    "研发补贴": Decimal("380"),
    "高企奖励": Decimal("240"),
    "平台奖励": Decimal("60"),
    "人才奖励": Decimal("320"),
}

# Indicator code -> the 2019 value the demo data must give.
FIGURES: dict[str, Decimal | int] = {
    # 项目与资金
    "applications_recommended": sum(rec for _level, rec, _amounts in APPLICATIONS.values()),  # 53
    "applications_approved": sum(len(amounts) for _level, _rec, amounts in APPLICATIONS.values()),  # 33
    "funds_approved": sum((sum(a, Decimal(0)) for _l, _r, a in APPLICATIONS.values()), Decimal(0)),  # 7012.5
    "county_funds_paid": sum(REWARDS.values(), Decimal(0)),  # 1000
    "awards": 5,  # 省科技进步奖1项、省中小微企业创新竞技第一名1项、市科技进步奖3项
    "achievements_transformed": 20,
    # 人才与平台
    "talent_applications": 15,
    "talent_selections": 12,
    "commissioners": 46,
    "secondments": 13,  # 科技副县长1名、科技副镇长12名
    "platforms_new": 22,
    "platform_evaluations_excellent": 1,
    "platform_evaluation_rewards": Decimal("100"),
    "cooperation_agreements": 6,
    # 企业创新
    "high_tech_enterprises": 24,
    "high_tech_applications": 9,
    "high_tech_new": 9,
    "tech_smes": 26,
    "rd_expenditure": Decimal("60000"),  # 6亿元
    "rd_enterprises": 89,
    "rd_intensity": Decimal("4"),  # %
    "high_tech_output_share": Decimal("52.4"),  # %
    # 知识产权
    "patents_applied": 865,
    "patents_granted": 512,
    "invention_patents_granted": 68,
    "invention_patents_per_10k": Decimal("7.2"),  # 396件 ÷ 55万人
    # 服务
    "needs_collected": 53,
    "needs_resolved": 8,
    "trainings": 11,  # 研发经费统计上报培训班6期 + 高企认定培训2期 + 政策解读2期 + 项目申报1期
    "policies_issued": 8,  # 配套制定完善了……等8项科技政策 (POLICIES_ISSUED)
}

# Indicator code -> {breakdown label: 2019 value}: the parts the seed report names.
BREAKDOWNS: dict[str, dict[str, Decimal | int]] = {
    "applications_recommended": {
        program_label(name, level): rec for name, (level, rec, _amounts) in APPLICATIONS.items()
    },
    "applications_approved": {
        program_label(name, level): len(amounts) for name, (level, _rec, amounts) in APPLICATIONS.items() if amounts
    },
    "funds_approved": {
        program_label(name, level): sum(amounts, Decimal(0))
        for name, (level, _rec, amounts) in APPLICATIONS.items()
        if amounts
    },
    "county_funds_paid": REWARDS,
    "talent_selections": {
        f"{TAISHAN}创新类": 3,
        f"{TAISHAN}创业类": 7,
        CITY_TALENT: 1,
        CITY_ELITE: 1,
    },
    "secondments": {"科技副县长": 1, "科技副镇长": 12},
    "commissioners": {"农业科技特派员": 32, "工业科技特派员": 14},
    "platforms_new": {
        "省级院士工作站": 1,
        "市级重点实验室": 1,
        "省级农科驿站": 11,
        "省级科技扶贫服务队": 9,
    },
    "platform_evaluations_excellent": {"省级工程技术研究中心": 1},
    "awards": {
        "省科学技术进步奖": 1,  # 省科技进步奖1项 (PROVINCIAL_PROGRESS_AWARD_NAME)
        "省中小微企业创新竞技行动（新材料领域第一名）": 1,
        "市科学技术进步奖": 3,
    },
    "achievements_transformed": {"转让": 5, "许可": 3, "作价入股": 2, "自行实施": 6, "合作实施": 4},
    "trainings": {  # 上半年举办研发经费统计上报培训班6期; 先后两次组织参加高新技术企业认定培训班
        "研发经费统计上报培训班": 6,
        "高新技术企业认定培训班": 2,
        "科技政策解读培训班": 2,
        "科技项目申报培训班": 1,
    },
}

# Seed-report figures that are not indicators, read from the records directly.
POLICIES_ISSUED = 8  # 配套制定完善了……等8项科技政策 (县级政策文件, 2019年发布)
RD_STATISTICS_TRAININGS = 6  # 上半年举办研发经费统计上报培训班6期
RD_STATISTICS_TRAINING_TITLE = "研发经费统计上报培训班"
PROVINCIAL_PROGRESS_AWARDS = 1  # 省科技进步奖1项
PROVINCIAL_PROGRESS_AWARD_NAME = "省科学技术进步奖"
TALENT_POLICY_FUNDS = Decimal("320")  # 人才新政配套资金320万元
EXCELLENT_CENTER_REWARD = Decimal("100")  # 省级工程技术研究中心绩效评估优秀，奖励100万元

# 2020 targets the plan section quotes (三、2020年工作计划).
PLAN_2020: dict[str, Decimal] = {
    "applications_approved": Decimal("30"),  # 力争年内市级以上计划项目立项30余项
    "platforms_new": Decimal("10"),  # 孵化器1家、省技术创新中心1家、院士工作站1家、专家工作站2家、众创空间1家……
}
