"""Write the demo county: 示例县, 2017–2020, whose 2019 figures are those of the seed report.

Everything goes through the apps' services where they exist (they enforce the rules: certificate
expiry, the application workflow, payment limits, platform states), as the demo users, on the
dates the story happened (``context.as_of``). Reference rows without rules are saved after
``full_clean``. ``seed_demo`` runs in one transaction: the county is written whole or not at all.

The story's 2019 figures come from ``demo.figures``; the other years vary around them so
that trends and changes on the previous year mean something. A few records are dated relative to
today (calls closing, certificates expiring, projects due for acceptance, open needs) so that the
home page's reminders are populated whenever the demo is loaded.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from bureau.accounts.roles import user_roles
from bureau.core.models import Activity, AnnualTarget, CountyYear, Policy
from bureau.core.services import (
    annual_target_create,
    annual_target_signed_values,
    annual_target_signoff,
    site_settings_update,
)
from bureau.notifications.services import replaying_history
from bureau.records.versioning import bump_data_version
from demo.users import demo_users_ensure
from enterprises.models import Certification, CertificationType, Enterprise, Industry, Need, Town, YearlyStatistic
from enterprises.pinyin import name_initials
from enterprises.services import add_years, certification_create, certification_fill_dates, need_create, need_update
from enterprises.validators import make_credit_code
from programs.models import (
    Achievement,
    Application,
    ApplicationLog,
    Award,
    Call,
    Disbursement,
    Level,
    Program,
    Reward,
    Track,
)
from programs.services import (
    application_create,
    application_transition,
    application_update,
    change_request_create,
    change_request_decide,
    disbursement_create,
    formal_review_record,
    milestone_add,
    objection_handle,
    objection_record,
    publicity_open,
)
from programs.workflow import TRANSITIONS
from talent.models import (
    Commissioner,
    CooperationAgreement,
    Institution,
    Person,
    Platform,
    PlatformEvaluation,
    PlatformType,
    Secondment,
    TalentSelection,
)
from talent.services import (
    cooperation_agreement_create,
    platform_create,
    platform_evaluation_create,
    talent_selection_create,
)

from . import figures as F
from .context import as_of
from .experts import seed_experts
from .journal import Journal
from .journal import moment as journal_moment
from .names import (
    ACHIEVEMENT_TOPICS,
    BRANDS,
    FLAGSHIP,
    INDUSTRIES,
    INSTITUTIONS,
    NEED_TOPICS,
    POLICIES,
    PROJECT_TOPICS,
    TOWNS,
    VILLAGES,
    person_name,
)
from .texts import BRIEFING_2019, HALF_YEAR_2020, RANKINGS_2019, REPORT_2019, REPORT_2019_AREAS

YEARS = (2017, 2018, 2019, 2020)
Y = F.YEAR
ENTERPRISES = 113
STARTUPS = 13  # the last ones, founded by the talents of 2019 (7) and 2020 (6)
ESTABLISHED = ENTERPRISES - STARTUPS
REGION = "370999"  # a region code no real county uses
FLAGSHIP_CODE = make_credit_code(f"91{REGION}MA3000000")
ZERO = Decimal(0)
CENT = Decimal("0.01")

# The models the demo writes (for the row counts the command prints and the tests compare).
MODELS = (
    Town,
    Industry,
    Enterprise,
    Certification,
    YearlyStatistic,
    Need,
    Program,
    Call,
    Application,
    Disbursement,
    Reward,
    Award,
    Achievement,
    Institution,
    Person,
    TalentSelection,
    Commissioner,
    Secondment,
    Platform,
    CooperationAgreement,
    Policy,
    Activity,
    CountyYear,
    AnnualTarget,
)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def split_int(total: int, weights: list[float]) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainder), summing exactly."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split_money(total: Decimal, weights: list[float]) -> list[Decimal]:
    """``total`` 万元 in parts to the 0.01 proportional to ``weights``, summing exactly."""
    s = Decimal(str(sum(weights)))
    parts = [(total * Decimal(str(w)) / s).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    largest = max(range(len(parts)), key=lambda i: parts[i])
    parts[largest] += total - sum(parts, ZERO)
    return parts


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- the plan of the other years (2019 comes from figures.py) -------------------------------------

# program -> (level, category, authority)
PROGRAMS = {
    F.NATIONAL: (Level.NATIONAL, Program.Category.RESEARCH, "科学技术部"),
    F.INNOVATION: (Level.PROVINCIAL, Program.Category.RESEARCH, "省科学技术厅"),
    F.COMMISSIONER: (Level.PROVINCIAL, Program.Category.RESEARCH, "省科学技术厅"),
    F.YINZHI: (Level.PROVINCIAL, Program.Category.SUBSIDY, "省科学技术厅"),
    F.SHUANGSHI: (Level.CITY, Program.Category.RESEARCH, "市科学技术局"),
    F.QIEKUAI: (Level.CITY, Program.Category.RESEARCH, "市科学技术局"),
    "县科技创新发展计划": (Level.COUNTY, Program.Category.RESEARCH, "县科学技术局"),
    F.MOST_TALENT: (Level.NATIONAL, Program.Category.TALENT, "科学技术部"),
    F.TAISHAN: (Level.PROVINCIAL, Program.Category.TALENT, "省委组织部"),
    F.CITY_TALENT: (Level.CITY, Program.Category.TALENT, "市委组织部"),
    F.CITY_ELITE: (Level.CITY, Program.Category.TALENT, "市委组织部"),
}
COUNTY_PROGRAM = "县科技创新发展计划"
# The county's own program run start to finish in the portal (县级立项 track), in today's records.
COUNTY_TRACK_PROGRAM = "县级科技计划项目"

# program -> (opens, closes, recommended, decided) as (month, day), and project years
SCHEDULE = {
    F.NATIONAL: ((1, 10), (2, 28), (2, 20), (11, 5), 3),
    F.INNOVATION: ((2, 20), (3, 31), (3, 25), (8, 15), 2),
    F.COMMISSIONER: ((3, 1), (4, 10), (4, 5), (7, 10), 1),
    F.QIEKUAI: ((3, 10), (4, 20), (4, 15), (6, 28), 1),
    F.SHUANGSHI: ((4, 1), (5, 15), (5, 10), (9, 20), 2),
    F.YINZHI: ((5, 1), (6, 10), (6, 5), (10, 12), 1),
    COUNTY_PROGRAM: ((4, 1), (4, 30), (4, 28), (6, 15), 1),
}
TALENT_CALLS = {F.TAISHAN: ((4, 1), (5, 15)), F.CITY_TALENT: ((6, 1), (6, 30)), F.CITY_ELITE: ((6, 1), (6, 30))}
TALENT_CALLS[F.MOST_TALENT] = ((3, 1), (3, 31))


def _amounts(*values) -> list[Decimal]:
    return [Decimal(str(v)) for v in values]


# year -> program -> (recommended, approved amounts)
APPLICATIONS: dict[int, dict[str, tuple[int, list[Decimal]]]] = {
    2017: {
        F.INNOVATION: (12, _amounts(600, 500, 450, 400, 350)),
        F.COMMISSIONER: (8, _amounts(*[15] * 6)),
        F.SHUANGSHI: (2, _amounts(250)),
        F.QIEKUAI: (10, _amounts(*[80] * 8)),
        F.YINZHI: (1, _amounts(30)),
    },
    2018: {
        F.INNOVATION: (15, _amounts(700, 650, 600, 500, 450, 400)),
        F.COMMISSIONER: (10, _amounts(*[20] * 7)),
        F.SHUANGSHI: (3, _amounts(300)),
        F.QIEKUAI: (12, _amounts(*[100] * 10)),
        F.YINZHI: (1, []),
    },
    Y: {name: (rec, amounts) for name, (_level, rec, amounts) in F.APPLICATIONS.items()},
    2020: {
        F.INNOVATION: (22, _amounts(950, 880, 800, 760, 700, 650, 600, 520, 480)),
        F.COMMISSIONER: (14, _amounts(*[20] * 10)),
        F.SHUANGSHI: (4, _amounts(300, 300, 250)),
        F.QIEKUAI: (15, _amounts(*[100] * 13)),
        F.YINZHI: (2, _amounts(30, 30)),
        F.NATIONAL: (1, _amounts(350)),
    },
}
COUNTY_PROJECTS = {2017: 4, 2018: 5, 2019: 6, 2020: 6}  # 县级 projects (not 上级, texture only)

# High-tech certificate batches: year -> (issue date, first-time count, renewals of batch, rejected)
HIGH_TECH_ISSUED = {
    2015: d(2015, 11, 30),
    2016: d(2016, 12, 5),
    2017: d(2017, 12, 7),
    2018: d(2018, 11, 30),
    2019: d(2019, 11, 28),
    2020: d(2020, 12, 1),
}
TECH_SMES = {2017: 15, 2018: 19, Y: F.FIGURES["tech_smes"], 2020: 31}

# County base data: GDP (亿元), population (万人), 规上工业总产值 (万元), high-tech output share (%)
COUNTY = {
    2017: (Decimal("135"), Decimal("54.6"), Decimal("2850000"), Decimal("46.5")),
    2018: (Decimal("142"), Decimal("54.8"), Decimal("3020000"), Decimal("49.8")),
    Y: (F.GDP_YI, F.POPULATION_WAN, F.INDUSTRIAL_OUTPUT_WAN, F.FIGURES["high_tech_output_share"]),
    2020: (Decimal("156"), Decimal("55.3"), Decimal("3350000"), Decimal("55.1")),
}
# Enterprise statistics: rows, rows with R&D, R&D total (万元), patents applied/granted/invention/valid
STATISTICS = {
    2017: (80, 74, Decimal("44800"), 610, 372, 41, 286),
    2018: (88, 81, Decimal("52000"), 742, 438, 55, 340),
    Y: (
        95,
        F.FIGURES["rd_enterprises"],
        F.FIGURES["rd_expenditure"],
        F.FIGURES["patents_applied"],
        F.FIGURES["patents_granted"],
        F.FIGURES["invention_patents_granted"],
        int(F.FIGURES["invention_patents_per_10k"] * F.POPULATION_WAN),
    ),
    2020: (100, 95, Decimal("65600"), 980, 596, 83, 468),
}
TRAININGS = {
    # year -> (研发经费统计上报培训班, 高企认定培训, 政策解读, 项目申报, 科技特派员培训)
    2017: (2, 1, 2, 1, 0),
    2018: (3, 2, 2, 1, 0),
    Y: (F.RD_STATISTICS_TRAININGS, 2, 2, 1, 0),
    2020: (5, 2, 2, 2, 1),
}
NEEDS = {
    # year -> collected, resolved that year, resolved next year, still 对接中
    2017: (30, 4, 2, 0),
    2018: (41, 4, 2, 0),
    Y: (F.FIGURES["needs_collected"], F.FIGURES["needs_resolved"] - 2, 8, 0),
    2020: (60, 4, 12, 14),
}
ACHIEVEMENTS = {
    # year -> transformed per mode (转让, 许可, 作价入股, 自行实施, 合作实施)
    2017: (3, 2, 1, 4, 2),
    2018: (4, 2, 1, 6, 3),
    Y: tuple(F.BREAKDOWNS["achievements_transformed"].values()),
    2020: (5, 4, 2, 7, 5),
}
REWARDS = {
    # year -> 研发补贴, 人才奖励 (高企奖励 is 40万元 per first-time certificate of the year before;
    # 平台奖励 follows the platforms of the year before)
    2017: (Decimal("220"), Decimal("120")),
    2018: (Decimal("300"), Decimal("200")),
    Y: (F.REWARDS["研发补贴"], F.TALENT_POLICY_FUNDS),
    2020: (Decimal("450"), Decimal("360")),
}
HIGH_TECH_REWARD = Decimal("40")

# Targets: code -> (2019, 2020)
TARGETS = {
    "applications_recommended": (45, 55),
    "applications_approved": (25, F.PLAN_2020["applications_approved"]),
    "funds_approved": (6000, 7500),
    "county_funds_paid": (900, 1100),
    "high_tech_enterprises": (22, 28),
    "high_tech_applications": (8, 12),
    "high_tech_new": (8, 10),
    "tech_smes": (25, 30),
    "rd_expenditure": (56000, 64000),
    "rd_intensity": ("3.8", "4.1"),
    "high_tech_output_share": (50, 54),
    "patents_applied": (800, 950),
    "patents_granted": (480, 560),
    "invention_patents_granted": (60, 75),
    "invention_patents_per_10k": (7, 8),
    "talent_applications": (12, 15),
    "talent_selections": (10, 12),
    "commissioners": (45, 50),
    "platforms_new": (18, F.PLAN_2020["platforms_new"]),
    "cooperation_agreements": (5, 6),
    "needs_collected": (50, 60),
    "needs_resolved": (8, 10),
    "achievements_transformed": (18, 22),
    "awards": (4, 5),
    "trainings": (10, 12),
    "rd_enterprises": (85, 92),
    "secondments": (13, 13),
}
UNSIGNED_2020 = ("funds_approved", "rd_intensity", "awards")  # still waiting for the reviewer


class DemoCounty:
    def __init__(self, *, today: datetime.date):
        self.today = today
        self.rng = random.Random(2019)
        self.used_names: set[str] = set()
        self.used_titles: set[str] = set()
        self.person_seq = 0
        self.seq = Counter()
        self.users = demo_users_ensure()
        self.staff = self.users["keyuan"]
        self.staff2 = self.users["keyuan2"]
        self.reviewer = self.users["guzhang"]
        self.admin = self.users["admin"]
        self.roles = {user.pk: user_roles(user) for user in self.users.values()}

    # --- helpers -----------------------------------------------------------------------------

    def clerk(self, n: int):
        """The two 科员 share the work."""
        return self.staff if n % 2 == 0 else self.staff2

    def person_name(self) -> str:
        while True:
            self.person_seq += 1
            n = self.person_seq
            name = person_name(n)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def phone(self) -> str:
        self.seq["phone"] += 1
        return f"139{self.seq['phone'] * 7919 % 100000000:08d}"

    def title_for(self, industry: str) -> str:
        topics = PROJECT_TOPICS[industry]
        suffixes = (
            "关键技术研究",
            "及产业化",
            "研发与示范",
            "集成应用",
            "关键技术攻关",
            "中试与推广",
            "技术升级",
            "研发",
        )
        for suffix in suffixes:
            for topic in self.rng.sample(topics, len(topics)):
                title = topic + suffix
                if title not in self.used_titles:
                    self.used_titles.add(title)
                    return title
        self.seq["title"] += 1
        return f"{topics[0]}（{self.seq['title']}）"

    # --- the story ---------------------------------------------------------------------------

    def build(self) -> None:
        self.reference_data()
        self.county_years()
        self.create_enterprises()
        self.certificates()
        self.statistics()
        self.policies_and_activities()
        self.applications()
        self.talent()
        self.platforms()
        self.rewards()
        self.awards_and_achievements()
        self.agreements()
        self.needs()
        self.targets()
        self.report()
        if self.today.year >= 2023:  # today's records must not fall into the story's years
            self.live()
            seed_experts(today=self.today, enterprises=self.enterprises, expert_user=self.users["zhuanjia"])
            self.county_reviews(self.today)
        bump_data_version()  # bulk writes send no signals

    def reference_data(self) -> None:
        with as_of(d(2017, 1, 3), self.admin):
            site_settings_update(actor=None, county_name=F.COUNTY_NAME)
            self.towns = [Town.objects.create(name=name, order=i * 10) for i, name in enumerate(TOWNS)]
            self.industries = {
                name: Industry.objects.update_or_create(name=name, defaults={"order": i * 10})[0]
                for i, name in enumerate(INDUSTRIES)
            }
            self.institutions = {
                name: Institution.objects.create(name=name, kind=kind, order=i * 10)
                for i, (name, kind) in enumerate(INSTITUTIONS)
            }
            self.programs = {
                name: _save(Program(name=name, level=level, category=category, authority=authority))
                for name, (level, category, authority) in PROGRAMS.items()
            }
        self.types, self.platform_types = reference_types()
        self.calls: dict[tuple[str, int], Call] = {}
        for year in YEARS:
            with as_of(d(year, 1, 8), self.admin):
                for name, ((om, od), (cm, cd), *_rest) in {**SCHEDULE, **TALENT_CALLS}.items():
                    if name == F.NATIONAL and year not in (Y, 2020):
                        continue
                    self.calls[name, year] = _save(
                        Call(
                            program=self.programs[name],
                            year=year,
                            title=f"{year}年度{name}申报",
                            opens_on=d(year, om, od),
                            closes_on=d(year, cm, cd),
                        )
                    )

    def county_years(self) -> None:
        for year, (gdp, population, output, _share) in COUNTY.items():
            with as_of(d(year + 1, 3, 1), self.admin):
                _save(CountyYear(year=year, gdp=gdp, population=population, industrial_output_above_scale=output))

    def create_enterprises(self) -> None:
        cycle = [
            "新材料",
            "装备制造",
            "医药健康",
            "新材料",
            "精细化工",
            "电子信息",
            "装备制造",
            "食品加工",
            "现代农业",
            "建材",
        ]
        town_weights = [6, 5, 3, 3, 2, 3, 2, 2, 2, 1, 2, 1]
        journal = Journal(Enterprise)
        self.enterprises: list[Enterprise] = []
        for i in range(ENTERPRISES):
            industry = "新材料" if i == 0 else cycle[i % len(cycle)]
            name = FLAGSHIP if i == 0 else BRANDS[i] + self.rng.choice(INDUSTRIES[industry])
            # The last ones were founded by the talents of 2019–2020 (泰山产业领军人才创业类).
            startup = i >= ESTABLISHED
            if startup:
                year = Y if i - ESTABLISHED < 7 else 2020
                founded, entered = d(year, 2, 10 + i - ESTABLISHED), d(year, 3, 1)
            else:
                founded = d(self.rng.randint(1993, 2015), self.rng.randint(1, 12), 15)
                entered = d(2017, 1, 4) + datetime.timedelta(days=i // 8)
            street = self.rng.choice(["纬一路", "经二路", "创业路", "科技大道"])
            e = Enterprise(
                name=name,
                name_initials=name_initials(name),
                credit_code=FLAGSHIP_CODE if i == 0 else make_credit_code(f"91{REGION}MA3{i:06d}"),
                town=self.towns[0] if i == 0 else self.rng.choices(self.towns, town_weights)[0],
                industry=self.industries[industry],
                scale=Enterprise.Scale.BELOW if startup or i >= 85 else Enterprise.Scale.ABOVE,
                address=f"{F.COUNTY_NAME}工业园区{street}{i + 1}号",
                contact=self.person_name(),
                phone=self.phone(),
                founded_on=founded,
            )
            self.enterprises.append(journal.add(e, entered, self.clerk(i)))
        # Contacts change: a second history entry, by the other clerk.
        for i in range(3, 60, 4):
            journal.change(
                self.enterprises[i],
                d(2019 + i % 2, 3 + i % 9, 11),
                self.clerk(i // 4),
                contact=self.person_name(),
                phone=self.phone(),
            )
        journal.write()
        self.by_industry: dict[str, list[Enterprise]] = {}
        for e in self.enterprises[:ESTABLISHED]:
            self.by_industry.setdefault(e.industry.name, []).append(e)

    # --- certifications ------------------------------------------------------------------------

    def _high_tech(self, journal: Journal, e: Enterprise, year: int, *, first: bool, rejected: bool = False) -> None:
        issued = HIGH_TECH_ISSUED[year]
        self.seq["ht"] += 1
        applied = d(year, 6, 20) + datetime.timedelta(days=self.seq["ht"] % 20)
        clerk = self.clerk(self.seq["ht"])
        cert = Certification(
            enterprise=e,
            type=self.types[CertificationType.HIGH_TECH],
            year=year,
            state=Certification.State.APPLIED,
            applied_on=applied,
            first_time=first,
        )
        journal.add(cert, applied, clerk)
        if rejected:
            journal.change(cert, issued, clerk, state=Certification.State.REJECTED, notes="专家评审未通过")
            return
        cert.state = Certification.State.CERTIFIED
        cert.certified_on = issued
        certification_fill_dates(cert)  # the service's rule: certificate date and expiry
        journal.change(cert, issued, clerk, certificate_no=f"GR{year}37{self.seq['ht']:06d}")

    def certificates(self) -> None:
        E = self.enterprises
        journal = Journal(Certification)
        self.first_time: dict[int, list[Enterprise]] = {}
        plan = {
            # year: (first-time, renewals, rejected)
            2015: (E[0:3], [], []),
            2016: (E[3:8], [], []),
            2017: (E[8:15], [], [E[15]]),
            2018: (E[16:22], E[0:2], []),
            Y: (E[22:29], E[3:5], []),
            2020: (E[29:35], E[8:13], [E[15], E[35]]),
        }
        for year, (first, renewals, rejected) in plan.items():
            self.first_time[year] = list(first)
            for e in first:
                self._high_tech(journal, e, year, first=True)
            for e in renewals:
                self._high_tech(journal, e, year, first=False)
            for e in rejected:
                self._high_tech(journal, e, year, first=True, rejected=True)
        # The cultivation pool (培育库) for the next batch.
        for i, e in enumerate(E[36:41]):
            cert = Certification(
                enterprise=e,
                type=self.types[CertificationType.HIGH_TECH],
                year=2021,
                state=Certification.State.CULTIVATING,
                notes="列入2021年高企培育库",
            )
            journal.add(cert, d(2020, 10, 12), self.clerk(i))
        # 科技型中小企业 (registered yearly), two refused in 2019
        pool = E[20:95]
        for year, count in TECH_SMES.items():
            chosen = self.rng.sample(pool, count + (2 if year == Y else 0))
            for n, e in enumerate(chosen):
                rejected = n >= count
                cert = Certification(
                    enterprise=e,
                    type=self.types[CertificationType.TECH_SME],
                    year=year,
                    state=Certification.State.REJECTED if rejected else Certification.State.CERTIFIED,
                    applied_on=d(year, 3, 15),
                    certified_on=None if rejected else d(year, 5, 20),
                    certificate_no="" if rejected else f"{year}370999A{n + 1:04d}",
                    notes="评价信息不完整，未通过公示" if rejected else "",
                )
                certification_fill_dates(cert)
                journal.add(cert, d(year, 5, 20), self.clerk(n))
        others = [
            ("ip_advantage", 2018, E[0]),
            ("ip_advantage", Y, E[2]),
            ("provincial_innovative", Y, E[8]),
            ("provincial_innovative", 2020, E[22]),
            ("gazelle", 2020, E[1]),
        ]
        for n, (code, year, e) in enumerate(others):
            if code not in self.types:
                continue
            cert = Certification(
                enterprise=e,
                type=self.types[code],
                year=year,
                state=Certification.State.CERTIFIED,
                certified_on=d(year, 9, 16),
            )
            certification_fill_dates(cert)
            journal.add(cert, d(year, 9, 16), self.clerk(n))
        journal.write()

    # --- statistics ----------------------------------------------------------------------------

    def statistics(self) -> None:
        from enterprises.indicators import high_tech_enterprises

        journal = Journal(YearlyStatistic)
        for year, (rows, with_rd, rd_total, applied, granted, invention, valid) in STATISTICS.items():
            _gdp, _population, county_output, share = COUNTY[year]
            enterprises = self.enterprises[:rows]
            high_tech = set(high_tech_enterprises(year).values_list("pk", flat=True))
            weights = [(8 if e.pk in high_tech else 1) * self.rng.uniform(0.4, 1.6) for e in enterprises]
            output = split_money(county_output * Decimal("0.85"), weights)
            ht_rows = [i for i, e in enumerate(enterprises) if e.pk in high_tech]
            ht_total = county_output * share / 100
            ht_output = dict(zip(ht_rows, split_money(ht_total, [float(output[i]) for i in ht_rows]), strict=True))
            rd = split_money(rd_total, [weights[i] * self.rng.uniform(0.6, 1.4) for i in range(with_rd)])
            grant_weights = [w if i < with_rd else w * 0.2 for i, w in enumerate(weights)]
            patents_applied = split_int(applied, grant_weights)
            patents_granted = split_int(granted, grant_weights)
            inventions = split_int(invention, [w if i in ht_output else w * 0.1 for i, w in enumerate(grant_weights)])
            for i in range(rows):  # an invention patent granted is a patent granted
                excess = inventions[i] - patents_granted[i]
                if excess > 0:
                    inventions[i] -= excess
                    j = max(range(rows), key=lambda k: patents_granted[k] - inventions[k])
                    inventions[j] += excess
            valid_patents = split_int(valid, [w if i in ht_output else w * 0.2 for i, w in enumerate(weights)])
            # The year's figures are reported the next spring, a few enterprises a day.
            for i, e in enumerate(enterprises):
                statistic = YearlyStatistic(
                    enterprise=e,
                    year=year,
                    rd_expenditure=rd[i] if i < with_rd else ZERO,
                    revenue=(output[i] * Decimal(str(self.rng.uniform(1.02, 1.15)))).quantize(CENT),
                    industrial_output=output[i],
                    high_tech_output=ht_output.get(i),
                    patents_applied=patents_applied[i],
                    patents_granted=patents_granted[i],
                    invention_patents_granted=inventions[i],
                    valid_invention_patents=valid_patents[i],
                )
                journal.add(statistic, d(year + 1, 3, 10) + datetime.timedelta(days=i // 10), self.clerk(i))
        journal.write()

    def policies_and_activities(self) -> None:
        self.policies: dict[str, Policy] = {}
        for year, rows in POLICIES.items():
            for n, (title, number) in enumerate(rows):
                issued = d(year, 2 + n, 10 + n)
                issuer = "县科学技术局" if "示科发" in number else "县人民政府办公室"
                if number.startswith("示发"):
                    issuer = "中共示例县委 示例县人民政府"
                with as_of(issued, self.clerk(n)):
                    self.policies[title] = _save(
                        Policy(
                            title=title,
                            document_number=number,
                            level=Policy.Level.COUNTY,
                            issuer=issuer,
                            issued_on=issued,
                            summary=f"{title}，明确了支持对象、扶持标准和兑现程序。",
                        )
                    )
        for year, counts in TRAININGS.items():
            rd, high_tech, policy, projects, commissioners = counts
            rows = [
                (f"{F.RD_STATISTICS_TRAINING_TITLE}（第{n + 1}期）", d(year, 3 + n * 3 // max(rd, 1), 12 + n), 45)
                for n in range(rd)
            ]
            rows += [(f"高新技术企业认定培训班（第{n + 1}期）", d(year, 4 + 3 * n, 18), 80) for n in range(high_tech)]
            rows += [(f"科技政策解读培训班（第{n + 1}期）", d(year, 5 + 5 * n, 9), 120) for n in range(policy)]
            rows += [(f"科技项目申报培训班（第{n + 1}期）", d(year, 2 + 8 * n, 22), 90) for n in range(projects)]
            rows += [("科技特派员业务培训班", d(year, 10, 15), 60)] * commissioners
            for n, (title, held, participants) in enumerate(rows):
                with as_of(held, self.clerk(n)):
                    _save(
                        Activity(
                            title=f"{year}年{title}",
                            kind=Activity.Kind.TRAINING,
                            held_on=held,
                            location="县科技局会议室" if participants < 100 else "县行政中心报告厅",
                            participants=participants + n % 7,
                            organizer="县科学技术局",
                        )
                    )
        events = [
            ("2019年全县科技创新奖励兑现大会", Activity.Kind.EVENT, d(2019, 2, 26), 300, "县行政中心报告厅"),
            ("参加全市科技活动周", Activity.Kind.EVENT, d(2019, 5, 20), 40, "市科技馆"),
            ("赴上海交通大学、复旦大学、同济大学开展项目考察对接", Activity.Kind.VISIT, d(2019, 6, 18), 15, "上海"),
            ("新材料产业发展论坛暨校企对接会", Activity.Kind.EVENT, d(2019, 9, 10), 120, "县会展中心"),
            ("赴山东科技大学开展技术项目对接", Activity.Kind.VISIT, d(2019, 9, 26), 12, "青岛"),
            ("科技政策进企业宣传月", Activity.Kind.PUBLICITY, d(2019, 4, 8), 500, "各乡镇（街道）"),
            ("2018年全县科技创新奖励兑现大会", Activity.Kind.EVENT, d(2018, 2, 27), 260, "县行政中心报告厅"),
            ("领导班子成员走访挂包企业", Activity.Kind.VISIT, d(2018, 7, 5), 20, "各挂包企业"),
            ("2020年全县科技创新奖励兑现大会", Activity.Kind.EVENT, d(2020, 3, 3), 320, "县行政中心报告厅"),
            ("全国科技活动周示例县主场活动", Activity.Kind.PUBLICITY, d(2020, 8, 22), 800, "县文化广场"),
        ]
        for n, (title, kind, held, participants, location) in enumerate(events):
            with as_of(held, self.clerk(n)):
                _save(
                    Activity(
                        title=title,
                        kind=kind,
                        held_on=held,
                        location=location,
                        participants=participants,
                        organizer="县科学技术局",
                    )
                )

    # --- applications --------------------------------------------------------------------------

    def _applicants(self, program: str) -> list[Enterprise]:
        if program in (F.COMMISSIONER, COUNTY_PROGRAM):
            return self.by_industry["现代农业"] + self.by_industry["食品加工"] + self.by_industry["医药健康"]
        return self.enterprises[:ESTABLISHED]

    def _new_application(self, *, program: str, year: int, enterprise: Enterprise, requested, call=None) -> Application:
        return Application(
            title=self.title_for(enterprise.industry.name),
            enterprise=enterprise,
            program=self.programs[program],
            call=call,
            year=year,
            amount_requested=requested,
            summary=f"由{enterprise.name}承担，围绕企业主导产品开展技术攻关。",
        )

    def _replay(self, journal: Journal, logs: list, app: Application, action: str, day, user, comment="", **data):
        """One step of the workflow, checked as ``application_transition`` checks it, recorded for bulk writing."""
        t = TRANSITIONS[action]
        if app.status not in t.sources:
            raise ValueError(f"{app}: {action} from {app.status}")
        if not self.roles[user.pk] & set(t.roles):
            raise ValueError(f"{app}: {user} may not {action}")
        if t.comment_required and not comment.strip():
            raise ValueError(f"{app}: {action} needs a comment")
        if set(data) - set(t.fields) or any(data.get(name) in (None, "") for name in t.required):
            raise ValueError(f"{app}: {action} with {sorted(data)}")
        if action == "recommend":
            data["recommended_on"] = day
        source = app.status
        self.seq["move"] += 1
        hour = 9 + self.seq["move"] % 8
        journal.change(app, day, user, hour=hour, status=t.target, **data)
        log = ApplicationLog(application=app, action=action, source=source, target=t.target, by=user, comment=comment)
        log._when = journal_moment(day, hour)
        logs.append(log)

    def applications(self) -> None:
        """Four years of applications, each replayed through the workflow by the clerk who handles
        it and the reviewer, with their comments; approved ones paid and accepted or terminated."""
        journal, payments, logs = Journal(Application), Journal(Disbursement), []
        plans = {year: dict(programs) for year, programs in APPLICATIONS.items()}
        for year, count in COUNTY_PROJECTS.items():
            plans[year][COUNTY_PROGRAM] = (count, _amounts(*[self.rng.choice([10, 15, 20, 30]) for _ in range(count)]))
        n = 0
        for year, programs in plans.items():
            for program, (recommended, amounts) in programs.items():
                (om, od), (cm, cd), (rm, rd), (am, ad), years = SCHEDULE[program]
                pool = self._applicants(program)
                enterprises = self.rng.sample(pool, min(recommended, len(pool)))
                for k in range(recommended):
                    n += 1
                    e = enterprises[k % len(enterprises)]
                    approved = amounts[k] if k < len(amounts) else None
                    requested = (approved or Decimal(self.rng.choice([50, 100, 200, 300]))) * Decimal("1.5")
                    clerk = self.clerk(n)
                    app = self._new_application(
                        program=program,
                        year=year,
                        enterprise=e,
                        requested=requested.quantize(CENT),
                        call=self.calls.get((program, year)),
                    )
                    app.handler = clerk
                    journal.add(app, d(year, om, od) + datetime.timedelta(days=k % 9), clerk)

                    def step(action, day, user, comment="", _app=app, **data):
                        self._replay(journal, logs, _app, action, day, user, comment, **data)

                    closes = d(year, cm, cd)
                    step("submit", closes - datetime.timedelta(days=12), clerk, "材料齐全，提请审核。")
                    if n % 6 == 0:
                        step(
                            "return",
                            closes - datetime.timedelta(days=10),
                            self.reviewer,
                            "预算明细不完整，请补充自筹资金证明。",
                        )
                        step("submit", closes - datetime.timedelta(days=8), clerk, "已补充自筹资金证明。")
                    step("recommend", d(year, rm, rd), self.reviewer, "同意推荐上报。")
                    decided = d(year, am, ad)
                    if approved is None:
                        step("reject", decided, clerk, "上级评审未通过。")
                        continue
                    due = add_years(decided, years)
                    step(
                        "approve", decided, clerk, approved_amount=approved, approved_on=decided, acceptance_due_on=due
                    )
                    first = (approved * Decimal("0.6")).quantize(CENT)
                    paid = decided + datetime.timedelta(days=30)
                    payments.add(
                        Disbursement(application=app, amount=first, paid_on=paid, note="首笔拨付"), paid, clerk
                    )
                    step("start", decided + datetime.timedelta(days=15), clerk, "项目已启动实施。")
                    if n % 23 == 0:
                        step(
                            "terminate",
                            decided + datetime.timedelta(days=240),
                            clerk,
                            "企业经营困难，经申请终止项目，已拨资金按规定处理。",
                        )
                        continue
                    accepted = due - datetime.timedelta(days=20)
                    step(
                        "accept",
                        accepted,
                        clerk,
                        "通过专家验收。",
                        accepted_on=accepted,
                        acceptance_result=Application.AcceptanceResult.PASSED,
                    )
                    rest = Disbursement(
                        application=app, amount=approved - first, paid_on=accepted, note="验收后拨付尾款"
                    )
                    payments.add(rest, accepted, clerk)
        journal.write()
        ApplicationLog.objects.bulk_create(logs, batch_size=500)
        # ApplicationLog.at is stamped on insert: give each step its own time.
        for log in logs:
            log.at = log._when
        ApplicationLog.objects.bulk_update(logs, ["at"], batch_size=500)
        payments.write()

    # --- talent ---------------------------------------------------------------------------------

    def new_person(self, journal: Journal, day, user, **fields) -> Person:
        person = Person(
            name=self.person_name(),
            gender=self.rng.choice([Person.Gender.MALE, Person.Gender.MALE, Person.Gender.FEMALE]),
            birth_year=self.rng.randint(1965, 1988),
            phone=self.phone(),
            **fields,
        )
        return journal.add(person, day, user)

    def talent(self) -> None:
        people, selections, commissions, secondments = (
            Journal(Person),
            Journal(TalentSelection),
            Journal(Commissioner),
            Journal(Secondment),
        )
        # year -> [(program, subcategory, selected, not selected)]
        plan = {
            2017: [(F.TAISHAN, "创新类", 2, 1), (F.TAISHAN, "创业类", 2, 0), (F.CITY_TALENT, "", 1, 2)],
            2018: [(F.TAISHAN, "创新类", 3, 1), (F.TAISHAN, "创业类", 4, 1), (F.CITY_TALENT, "", 1, 0)],
            Y: [
                (F.TAISHAN, "创新类", F.BREAKDOWNS["talent_selections"][f"{F.TAISHAN}创新类"], 2),
                (F.TAISHAN, "创业类", F.BREAKDOWNS["talent_selections"][f"{F.TAISHAN}创业类"], 0),
                (F.CITY_TALENT, "", F.BREAKDOWNS["talent_selections"][F.CITY_TALENT], 0),
                (F.CITY_ELITE, "", F.BREAKDOWNS["talent_selections"][F.CITY_ELITE], 0),
                (F.MOST_TALENT, "", 0, 1),
            ],
            2020: [
                (F.TAISHAN, "创新类", 4, 1),
                (F.TAISHAN, "创业类", 6, 2),
                (F.CITY_TALENT, "", 2, 0),
                (F.CITY_ELITE, "", 1, 0),
                (F.MOST_TALENT, "", 1, 0),
            ],
        }
        startups = iter(self.enterprises[ESTABLISHED:])
        institutions = list(self.institutions.values())
        self.talent_employers: dict[int, list[Enterprise]] = {}
        n = 0
        for year, rows in plan.items():
            for program, subcategory, selected, not_selected in rows:
                for k in range(selected + not_selected):
                    n += 1
                    chosen = k < selected
                    founder = subcategory == "创业类" and chosen and year >= Y
                    employer = next(startups) if founder else self.enterprises[(n * 7) % 60]
                    person = self.new_person(
                        people,
                        d(year, 4, 20),
                        self.clerk(n),
                        degree=Person.Degree.DOCTOR,
                        title=self.rng.choice(["教授", "研究员", "正高级工程师", "高级工程师"]),
                        field=employer.industry.name,
                        employer_enterprise=employer,
                        notes=f"原工作单位：{self.rng.choice(institutions).name}",
                    )
                    selection = TalentSelection(
                        person=person,
                        program=self.programs[program],
                        call=self.calls.get((program, year)),
                        year=year,
                        subcategory=subcategory,
                        mode=TalentSelection.Mode.FULL_TIME if founder else TalentSelection.Mode.FLEXIBLE,
                    )
                    selections.add(selection, d(year, 4, 20), self.clerk(n))
                    selections.change(
                        selection,
                        d(year, 11, 8),
                        self.reviewer,
                        state=TalentSelection.State.SELECTED if chosen else TalentSelection.State.NOT_SELECTED,
                        support_funds=Decimal("100" if program == F.TAISHAN else "50") if chosen else None,
                    )
                    if chosen:
                        self.talent_employers.setdefault(year, []).append(employer)

        # 科技特派员 (start, end, count, of which industrial): 46 serving in 2019, 32 agricultural, 14 industrial
        cohorts = [
            (2016, 2018, 10, 3),
            (2017, Y, 8, 2),
            (2017, None, 12, 4),
            (2018, 2020, 8, 2),
            (Y, None, 12, 4),
            (Y, 2020, 6, 2),
            (2020, None, 14, 4),
        ]
        agri = [self.institutions["山东农业大学"], self.institutions["山东省农业科学院"]]
        industry = [self.institutions[n] for n in ("山东理工大学", "齐鲁工业大学", "青岛科技大学")]
        n = 0
        for start, end, count, industrial in cohorts:
            for k in range(count):
                n += 1
                is_industry = k < industrial
                day, clerk = d(max(start, 2017), 3, 6), self.clerk(n)
                person = self.new_person(
                    people,
                    day,
                    clerk,
                    degree=self.rng.choice([Person.Degree.DOCTOR, Person.Degree.MASTER]),
                    title=self.rng.choice(["副教授", "研究员", "副研究员", "高级农艺师", "高级工程师"]),
                    field="机械工程"
                    if is_industry
                    else self.rng.choice(["果树栽培", "蔬菜学", "植物保护", "畜牧兽医"]),
                    employer_institution=self.rng.choice(industry if is_industry else agri),
                )
                commissioner = Commissioner(
                    person=person,
                    kind=Commissioner.Kind.INDUSTRY if is_industry else Commissioner.Kind.AGRICULTURE,
                    level=self.rng.choice([Level.PROVINCIAL, Level.CITY, Level.COUNTY]),
                    service_area=self.rng.choice(TOWNS),
                    service_enterprise=self.enterprises[n % 60] if is_industry else None,
                    start_year=start,
                    end_year=end,
                )
                commissions.add(commissioner, day, clerk)
        # 挂职: a cohort per year, January to December (2019: 科技副县长1名、科技副镇长12名)
        origins = list(self.institutions.values())
        for year, towns in ((2017, 8), (2018, 10), (Y, F.BREAKDOWNS["secondments"]["科技副镇长"]), (2020, 12)):
            posts = [(Secondment.Post.VICE_COUNTY, "科技副县长")]
            posts += [(Secondment.Post.VICE_TOWN, f"{TOWNS[t]}科技副镇长") for t in range(towns)]
            for k, (post, text) in enumerate(posts):
                origin = origins[(year + k) % len(origins)]
                day, clerk = d(year, 1, 10), self.clerk(k)
                person = self.new_person(
                    people,
                    day,
                    clerk,
                    degree=Person.Degree.DOCTOR,
                    title=self.rng.choice(["教授", "副教授", "研究员", "副研究员"]),
                    employer_institution=origin,
                )
                secondment = Secondment(
                    person=person,
                    post=post,
                    post_text=text,
                    origin_institution=origin,
                    start=d(year, 1, 15),
                    end=d(year, 12, 31),
                )
                secondments.add(secondment, day, clerk)
        people.write()
        selections.write()
        commissions.write()
        secondments.write()

    # --- platforms -------------------------------------------------------------------------------

    def platforms(self) -> None:
        E = self.enterprises
        journal = Journal(Platform)
        farms = self.by_industry["现代农业"] + self.by_industry["食品加工"]
        P, C, X = Level.PROVINCIAL, Level.CITY, Level.COUNTY
        level_word = {P: "省", C: "市", X: "县"}
        self.new_platform_hosts: dict[int, list[tuple[Enterprise, str]]] = {}
        villages = iter(VILLAGES)
        team_towns = iter(TOWNS * 2)

        def platform(name, code, level, *, year, host=None, institution=None, applied=None, established=None):
            """Applied for, then certified (认定) or, for stations and teams, filed (备案)."""
            self.seq["platform"] += 1
            n = self.seq["platform"]
            applied = applied or d(year, 3, 15)
            p = Platform(
                name=name,
                type=self.platform_types[code],
                level=level,
                year=year,
                host_enterprise=host,
                host_institution=institution,
                state=Platform.State.APPLIED,
                applied_on=applied,
            )
            journal.add(p, applied, self.clerk(n))
            if established is not None:
                filed = code in ("agri_station", "poverty_team")
                state = Platform.State.FILED if filed else Platform.State.CERTIFIED
                journal.change(p, established, self.clerk(n + 1), state=state, certified_on=established)
            return p

        def hosted(year: int, e: Enterprise, code: str, level: str, **kw) -> Platform:
            """A platform of an enterprise (a county reward follows the next year)."""
            brand = FLAGSHIP[:4] if e.name == FLAGSHIP else e.name[:2]
            self.new_platform_hosts.setdefault(year, []).append((e, code))
            name = f"{level_word[level]}{brand}{self.platform_types[code].name}"
            return platform(name, code, level, year=year, host=e, **kw)

        def station(year: int, k: int, **kw) -> Platform:
            town, village = next(villages)
            return platform(f"{town}{village}农科驿站", "agri_station", P, year=year, host=farms[k % len(farms)], **kw)

        def team(year: int, institution: Institution, **kw) -> Platform:
            batch = "" if year < Y else f"（{year}年）"
            name = f"省派{next(team_towns)}科技扶贫服务队{batch}"
            return platform(name, "poverty_team", P, year=year, institution=institution, **kw)

        # Before the story: the centres evaluated in 2018–2020.
        center = platform(
            "省先进陶瓷材料工程技术研究中心", "engineering_center", P, year=2016, host=E[2],
            applied=d(2016, 3, 1), established=d(2016, 9, 10),
        )  # fmt: skip
        city_a = platform(
            "市精密铸造工程技术研究中心", "engineering_center", C, year=2015, host=E[6],
            applied=d(2015, 4, 1), established=d(2015, 10, 9),
        )  # fmt: skip
        city_b = platform(
            "市生物医药工程技术研究中心", "engineering_center", C, year=2016, host=E[7],
            applied=d(2016, 4, 1), established=d(2016, 11, 2),
        )  # fmt: skip
        tech_center = platform(
            "省华腾集团企业技术中心", "enterprise_tech_center", P, year=2016, host=E[0],
            applied=d(2016, 2, 1), established=d(2016, 8, 30),
        )  # fmt: skip
        teams = [self.institutions[n] for n in ("山东农业大学", "山东省农业科学院", "青岛科技大学")]
        # 2017: 9
        for k, e in enumerate(E[9:12]):
            hosted(2017, e, "engineering_center", C, established=d(2017, 10, 10 + k))
        for k, e in enumerate(E[12:14]):
            hosted(2017, e, "enterprise_tech_center", C, established=d(2017, 11, 6 + k))
        platform("示例县青年创业众创空间", "maker_space", X, year=2017, host=E[5], established=d(2017, 6, 1))
        for k in range(3):
            station(2017, k, established=d(2017, 8, 1 + k))
        # 2018: 14
        experts = [
            hosted(2018, e, "expert_workstation", C, established=d(2018, 9, 5 + k)) for k, e in enumerate(E[16:18])
        ]
        for k, e in enumerate(E[18:20]):
            hosted(2018, e, "key_lab", C, established=d(2018, 10, 8 + k))
        center_2018 = hosted(2018, E[1], "engineering_center", P, established=d(2018, 12, 10))
        for k in range(6):
            station(2018, 3 + k, established=d(2018, 8, 6 + k))
        for k in range(3):
            team(2018, teams[0], established=d(2018, 5, 10 + k))
        # 2019: 22 (新建院士工作站1家、市重点实验室1家、科技扶贫服务队9家、农科驿站11家)
        academician = hosted(Y, E[0], "academician_workstation", P, applied=d(Y, 3, 5), established=d(Y, 6, 18))
        hosted(Y, E[22], "key_lab", C, applied=d(Y, 4, 10), established=d(Y, 10, 12))
        for k in range(11):
            station(Y, 9 + k, applied=d(Y, 5, 6), established=d(Y, 8, 20 + k % 8))
        for k in range(9):
            team(Y, teams[k % 3], applied=d(Y, 4, 2), established=d(Y, 5, 16 + k))
        # Applied for in 2019 (申报省重点实验室1家、省技术创新中心1家), decided in 2020.
        lab = platform("省高性能陶瓷重点实验室", "key_lab", P, year=Y, host=E[2], applied=d(Y, 9, 5))
        journal.change(
            lab, d(2020, 6, 30), self.staff2, state=Platform.State.REJECTED, notes="2020年省级评审未通过，继续培育。"
        )
        innovation = platform(
            "省先进结构材料技术创新中心", "innovation_center", P, year=Y, host=E[0], applied=d(Y, 10, 10)
        )
        journal.change(
            innovation, d(2020, 8, 15), self.staff, state=Platform.State.CERTIFIED, certified_on=d(2020, 8, 15)
        )
        self.new_platform_hosts.setdefault(2020, []).append((E[0], "innovation_center"))
        # 2020: 12 with the innovation centre
        hosted(2020, E[24], "incubator", C, established=d(2020, 9, 18))
        hosted(2020, E[3], "academician_workstation", P, established=d(2020, 7, 8))
        for k, e in enumerate(E[25:27]):
            hosted(2020, e, "expert_workstation", C, established=d(2020, 10, 12 + k))
        platform("示例县科技创业园众创空间", "maker_space", P, year=2020, host=E[29], established=d(2020, 11, 3))
        for k in range(4):
            station(2020, k + 5, established=d(2020, 8, 3 + k))
        for k in range(2):
            team(2020, teams[k], established=d(2020, 5, 12 + k))
        journal.write()

        # Performance evaluations, through the service (only an established platform is evaluated).
        R = PlatformEvaluation.Result
        evaluations = [
            (city_a, 2018, R.GOOD, None),
            (tech_center, 2018, R.PASS, None),
            (center, Y, R.EXCELLENT, F.EXCELLENT_CENTER_REWARD),  # 绩效评估优秀，获批奖励资金100万元
            (city_b, Y, R.GOOD, None),
            (tech_center, Y, R.GOOD, None),
            (center_2018, 2020, R.EXCELLENT, Decimal("50")),
            (city_a, 2020, R.PASS, None),
            (experts[0], 2020, R.GOOD, None),
            (academician, 2020, R.GOOD, None),
        ]
        for k, (p, year, result, reward) in enumerate(evaluations):
            with as_of(d(year, 12, 5 + k), self.reviewer):
                platform_evaluation_create(
                    actor=None,
                    platform=p,
                    year=year,
                    result=result,
                    reward=reward,
                    notes="省科技厅绩效评估" if p.level == P else "市科技局绩效评估",
                )

    # --- rewards, awards, achievements ---------------------------------------------------------------

    def rewards(self) -> None:
        """County rewards (奖励兑现): R&D subsidies, talent policy funds at the awards meeting, 40万元
        per first-time high-tech enterprise and rewards for new platforms, each a year later."""
        journal = Journal(Reward)

        def reward(e: Enterprise, kind: str, amount: Decimal, paid: datetime.date, policy: str, note: str) -> None:
            row = Reward(enterprise=e, kind=kind, amount=amount, paid_on=paid, policy=self.policies[policy], note=note)
            journal.add(row, paid, self.staff2)

        platform_reward = {
            "engineering_center": Decimal("10"),
            "enterprise_tech_center": Decimal("5"),
            "expert_workstation": Decimal("15"),
            "key_lab": Decimal("10"),
            "academician_workstation": Decimal("50"),
            "incubator": Decimal("20"),
            "innovation_center": Decimal("30"),
        }
        old_policy = "示例县科技创新奖励办法（试行）"
        for year, (rd_total, talent_total) in REWARDS.items():
            rd_policy = "示例县企业研发经费财政补助实施办法" if year >= Y else old_policy
            basis = max(year - 1, 2017)
            rd_rows = list(
                YearlyStatistic.objects.filter(year=basis, rd_expenditure__gt=0)
                .order_by("-rd_expenditure", "pk")
                .select_related("enterprise")[:30]
            )
            amounts = split_money(rd_total, [float(s.rd_expenditure) for s in rd_rows])
            for s, amount in zip(rd_rows, amounts, strict=True):
                reward(
                    s.enterprise, Reward.Kind.RD_SUBSIDY, amount, d(year, 4, 20), rd_policy, f"{basis}年度研发经费补助"
                )
            talent_policy = "示例县关于加强人才和科技创新工作的若干政策意见" if year >= Y else old_policy
            employers = self.talent_employers.get(year - 1) or self.enterprises[:8]
            for e, amount in zip(employers, split_money(talent_total, [1.0] * len(employers)), strict=True):
                reward(e, Reward.Kind.TALENT, amount, d(year, 2, 26), talent_policy, "人才新政配套资金（奖励兑现大会）")
            ht_policy = "示例县高新技术企业培育三年行动方案（2018—2020年）" if year >= 2018 else old_policy
            for e in self.first_time.get(year - 1, []):
                reward(
                    e,
                    Reward.Kind.HIGH_TECH,
                    HIGH_TECH_REWARD,
                    d(year, 3, 20),
                    ht_policy,
                    f"{year - 1}年首次认定高新技术企业奖励",
                )
            platform_policy = "示例县科技创新平台建设奖励办法" if year >= Y else old_policy
            hosts = self.new_platform_hosts.get(year - 1, [])
            if year == 2017:
                hosts = [(self.enterprises[6], "engineering_center"), (self.enterprises[7], "engineering_center")]
            for e, code in hosts:
                if code in platform_reward:
                    reward(
                        e,
                        Reward.Kind.PLATFORM,
                        platform_reward[code],
                        d(year, 5, 28),
                        platform_policy,
                        "新建创新平台奖励",
                    )
        journal.write()

    def awards_and_achievements(self) -> None:
        E = self.enterprises
        G = Award.Grade
        awards = {
            2017: [("市科学技术进步奖", Level.CITY, G.SECOND, E[6]), ("市科学技术进步奖", Level.CITY, G.THIRD, E[13])],
            2018: [
                (F.PROVINCIAL_PROGRESS_AWARD_NAME, Level.PROVINCIAL, G.THIRD, E[1]),
                ("市科学技术进步奖", Level.CITY, G.FIRST, E[9]),
                ("市科学技术进步奖", Level.CITY, G.SECOND, E[17]),
                ("市科学技术进步奖", Level.CITY, G.THIRD, E[20]),
            ],
            Y: [
                (F.PROVINCIAL_PROGRESS_AWARD_NAME, Level.PROVINCIAL, G.SECOND, E[0]),
                ("省中小微企业创新竞技行动（新材料领域第一名）", Level.PROVINCIAL, G.OTHER, E[23]),
                ("市科学技术进步奖", Level.CITY, G.FIRST, E[2]),
                ("市科学技术进步奖", Level.CITY, G.SECOND, E[16]),
                ("市科学技术进步奖", Level.CITY, G.SECOND, E[26]),
            ],
            2020: [
                (F.PROVINCIAL_PROGRESS_AWARD_NAME, Level.PROVINCIAL, G.SECOND, E[8]),
                ("省技术发明奖", Level.PROVINCIAL, G.THIRD, E[22]),
                ("市科学技术进步奖", Level.CITY, G.FIRST, E[3]),
                ("市科学技术进步奖", Level.CITY, G.SECOND, E[12]),
                ("市科学技术进步奖", Level.CITY, G.THIRD, E[28]),
                ("市科学技术进步奖", Level.CITY, G.THIRD, E[30]),
            ],
        }
        journal = Journal(Award)
        for year, rows in awards.items():
            for k, (name, level, grade, e) in enumerate(rows):
                award = Award(
                    enterprise=e,
                    name=name,
                    project=self.title_for(e.industry.name),
                    level=level,
                    grade=grade,
                    year=year,
                )
                journal.add(award, d(year, 12, 12 + k), self.clerk(k))
        journal.write()

        journal = Journal(Achievement)
        modes = [m for m, _label in Achievement.Mode.choices]
        pool = E[:80]
        n = 0
        for year, counts in ACHIEVEMENTS.items():
            rows = [mode for mode, count in zip(modes, counts, strict=True) for _ in range(count)]
            rows += [""] * 3  # registered, not (yet) transformed
            for k, mode in enumerate(rows):
                n += 1
                e = pool[(n * 11) % len(pool)]
                registered = d(year - 1 if mode and k % 3 == 0 else year, 1 + k % 6, 10 + k % 15)
                achievement = Achievement(
                    title=f"{e.name[:2]}{ACHIEVEMENT_TOPICS[n % len(ACHIEVEMENT_TOPICS)]}",
                    enterprise=e,
                    registration_number=f"{year}37099{n:04d}",
                    registered_on=registered,
                )
                journal.add(achievement, registered, self.clerk(n))
                if mode:
                    transformed = d(year, 7 + k % 6, 1 + k % 27)
                    journal.change(
                        achievement, transformed, self.clerk(n + 1), transformed_on=transformed, transform_mode=mode
                    )
        journal.write()

    def agreements(self) -> None:
        I, E = self.institutions, self.enterprises  # noqa: E741
        S = CooperationAgreement.State
        rows = [
            ("新型耐火材料联合研发协议", [E[4]], False, ["青岛科技大学"], S.COMPLETED, d(2017, 5, 12), 60),
            (
                "果品保鲜技术合作协议",
                [self.by_industry["食品加工"][0]],
                False,
                ["山东农业大学"],
                S.COMPLETED,
                d(2017, 9, 3),
                30,
            ),
            ("智能装备校企共建研发中心协议", [E[1]], False, ["山东理工大学"], S.COMPLETED, d(2017, 11, 20), 120),
            ("生物医药中试平台合作协议", [E[7]], False, ["齐鲁工业大学"], S.COMPLETED, d(2018, 4, 16), 80),
            ("特色林果产业技术合作协议", [], True, ["山东省农业科学院"], S.COMPLETED, d(2018, 6, 8), 50),
            ("精密铸造工艺联合攻关协议", [E[6], E[11]], False, ["山东大学"], S.COMPLETED, d(2018, 8, 30), 90),
            ("高分子材料人才联合培养协议", [E[10]], False, ["青岛科技大学"], S.COMPLETED, d(2018, 10, 22), 20),
            ("先进陶瓷材料联合攻关协议", [E[2]], False, ["上海交通大学"], S.EXECUTING, d(Y, 6, 19), 150),
            ("新型制剂工艺合作协议", [E[7]], False, ["复旦大学"], S.COMPLETED, d(Y, 6, 20), 60),
            (
                f"{FLAGSHIP}与山东大学机械工程学院战略合作协议",
                [E[0]],
                False,
                ["山东大学"],
                S.EXECUTING,
                d(Y, 7, 16),
                200,
            ),
            ("共建示例县产业技术研究院战略合作协议", [], True, ["山东理工大学"], S.EXECUTING, d(Y, 8, 29), 300),
            ("技术项目深度融合对接协议", [E[9], E[14]], False, ["山东科技大学"], S.COMPLETED, d(Y, 9, 27), 45),
            (
                "功能食品联合开发协议",
                [self.by_industry["食品加工"][1]],
                False,
                ["江南大学"],
                S.COMPLETED,
                d(Y, 11, 5),
                35,
            ),
            (
                "金属材料表面处理技术合作协议",
                [E[16]],
                False,
                ["中国科学院金属研究所"],
                S.EXECUTING,
                d(2020, 3, 18),
                120,
            ),
            ("校城融合人才驿站共建协议", [], True, ["山东理工大学", "山东大学"], S.EXECUTING, d(2020, 5, 9), 100),
            ("智能制造产学研合作协议", [E[3]], False, ["同济大学"], S.SIGNED, d(2020, 6, 12), 80),
            (
                "设施蔬菜技术服务协议",
                [self.by_industry["现代农业"][0]],
                False,
                ["山东农业大学"],
                S.COMPLETED,
                d(2020, 7, 1),
                15,
            ),
            ("锂电隔膜材料联合研发协议", [E[22], E[28]], False, ["青岛科技大学"], S.EXECUTING, d(2020, 8, 26), 110),
            (
                "中药材种植技术合作协议",
                [self.by_industry["医药健康"][2]],
                False,
                ["山东省农业科学院"],
                S.SIGNED,
                d(2020, 10, 14),
                25,
            ),
            (
                "工业互联网平台合作协议",
                [self.by_industry["电子信息"][0]],
                False,
                ["齐鲁工业大学"],
                S.TERMINATED,
                d(2020, 11, 30),
                40,
            ),
        ]
        for k, (title, enterprises, county, institutions, state, signed, funds) in enumerate(rows):
            with as_of(signed, self.clerk(k)):
                cooperation_agreement_create(
                    actor=None,
                    title=title,
                    institutions=[I[name] for name in institutions],
                    enterprises=enterprises,
                    county_government=county,
                    state=state,
                    signed_on=signed,
                    funds=Decimal(funds),
                    content=f"{title}：围绕关键技术攻关、人才培养和成果转化开展合作。",
                )

    # --- needs -------------------------------------------------------------------------------------

    def needs(self) -> None:
        """The needs ledger (台账): collected, 对接中 ten days later, then 已解决 or 未解决."""
        journal = Journal(Need)
        pool = self.enterprises[:ESTABLISHED]
        n = 0
        for year, (collected, resolved_now, resolved_next, open_) in NEEDS.items():
            for k in range(collected):
                n += 1
                kind = Need.Kind.TALENT if k % 5 == 4 else Need.Kind.TECHNOLOGY
                topic = NEED_TOPICS[kind][k % len(NEED_TOPICS[kind])]
                e = pool[(n * 13) % len(pool)]
                collected_on = d(year, 1 + k * 9 // collected, 5 + k % 20)
                handler = self.clerk(k)
                need = Need(
                    enterprise=e,
                    title=topic,
                    kind=kind,
                    collected_on=collected_on,
                    description=f"{e.name}提出：{topic}。",
                    handler=handler,
                )
                journal.add(need, collected_on, self.staff if k % 3 else self.staff2)
                journal.change(
                    need,
                    collected_on + datetime.timedelta(days=10),
                    handler,
                    state=Need.State.IN_PROGRESS,
                    result="已联系合作院校专家对接。",
                )
                if k < resolved_now:
                    solved = min(collected_on + datetime.timedelta(days=60 + k * 5), d(year, 12, 20))
                elif k < resolved_now + resolved_next:
                    solved = d(year + 1, 1 + k % 10, 18)
                elif k < resolved_now + resolved_next + open_:
                    continue  # still 对接中
                else:
                    journal.change(
                        need,
                        collected_on + datetime.timedelta(days=120),
                        handler,
                        state=Need.State.UNRESOLVED,
                        result="企业暂缓实施，需求关闭。",
                    )
                    continue
                journal.change(
                    need,
                    solved,
                    handler,
                    state=Need.State.RESOLVED,
                    resolved_on=solved,
                    result=f"由{self.rng.choice(INSTITUTIONS)[0]}专家团队协助解决。",
                )
        journal.write()

    # --- targets and the report ------------------------------------------------------------------------

    def targets(self) -> None:
        for index, year in enumerate((Y, 2020)):
            for code, values in TARGETS.items():
                with as_of(d(year, 1, 15), self.admin):
                    target = annual_target_create(
                        actor=None, year=year, indicator=code, target=Decimal(str(values[index]))
                    )
                if year == 2020 and code in UNSIGNED_2020:
                    continue
                with as_of(d(year, 1, 20), self.reviewer):
                    annual_target_signoff(
                        actor=self.reviewer, target_id=target.pk, seen=annual_target_signed_values(target)
                    )

    def report(self) -> None:
        from reports.report_services import annual_report_create, city_ranking_create, report_area_texts_save

        with as_of(d(Y, 12, 20), self.staff):
            report = annual_report_create(actor=None, year=Y, **REPORT_2019)
            texts = {area: (t["lead"], t["highlight"]) for area, t in REPORT_2019_AREAS.items()}
            report_area_texts_save(actor=None, report_id=report.pk, texts=texts)
        for code, subject, rank, out_of, source in RANKINGS_2019:
            with as_of(d(Y + 1, 1, 10), self.staff):
                city_ranking_create(
                    actor=None, indicator=code, year=Y, rank=rank, out_of=out_of, subject=subject, source=source
                )
        # The other kinds: the 2019 briefing to the 县政协常委会 (in January, on the whole year) and
        # the 2020 half-year summary (figures to 30 June, against the first half of 2019).
        with as_of(d(2020, 1, 6), self.staff):
            annual_report_create(actor=None, year=Y, kind="briefing", report_date=d(2020, 1, 9), **BRIEFING_2019)
        with as_of(d(2020, 7, 2), self.staff):
            annual_report_create(actor=None, year=2020, kind="half_year", **HALF_YEAR_2020)

    # --- today's records: reminders on the home page -------------------------------------------------

    def _move(self, app: Application, action: str, day: datetime.date, user, comment: str = "", **data) -> None:
        """One workflow step through the service itself, as ``user`` on ``day``."""
        self.seq["move"] += 1
        with as_of(day, user, hour=9 + self.seq["move"] % 8):
            application_transition(actor=user, application_id=app.pk, action=action, comment=comment, data=data or None)

    def _pay(self, app: Application, amount: Decimal, day: datetime.date, note: str) -> None:
        with as_of(day, app.handler):
            disbursement_create(actor=None, application=app, amount=amount, paid_on=day, note=note)

    def live(self) -> None:
        """Records of the last months, written through the services: every workflow state, calls
        closing, projects due for acceptance, certificates expiring, open needs."""
        today = self.today
        T = today.year

        def ago(days: int) -> datetime.date:
            return today - datetime.timedelta(days=days)

        with as_of(ago(30), self.admin):
            live_calls = {
                F.INNOVATION: _save(
                    Call(
                        program=self.programs[F.INNOVATION],
                        year=T,
                        title=f"{T}年度{F.INNOVATION}第二批申报",
                        opens_on=ago(20),
                        closes_on=today + datetime.timedelta(days=6),
                    )
                ),
                F.SHUANGSHI: _save(
                    Call(
                        program=self.programs[F.SHUANGSHI],
                        year=T,
                        title=f"{T}年度{F.SHUANGSHI}申报",
                        opens_on=ago(10),
                        closes_on=today + datetime.timedelta(days=12),
                    )
                ),
                F.TAISHAN: _save(
                    Call(
                        program=self.programs[F.TAISHAN],
                        year=T,
                        title=f"{T}年度{F.TAISHAN}遴选",
                        opens_on=ago(5),
                        closes_on=today + datetime.timedelta(days=40),
                    )
                ),
                F.QIEKUAI: _save(
                    Call(
                        program=self.programs[F.QIEKUAI],
                        year=T,
                        title=f"{T}年度{F.QIEKUAI}申报",
                        opens_on=ago(70),
                        closes_on=ago(20),
                    )
                ),
            }
        E = self.enterprises

        def app(program, e, created, n):
            call = live_calls.get(program) if created.year == T else None
            clerk = self.clerk(n)
            a = self._new_application(
                program=program, year=created.year, enterprise=e, requested=Decimal(200), call=call
            )
            with as_of(created, clerk):
                return application_create(
                    actor=clerk,
                    title=a.title,
                    enterprise=e,
                    program=a.program,
                    call=call,
                    year=a.year,
                    amount_requested=a.amount_requested,
                    summary=a.summary,
                )

        # every state of the workflow
        app(F.INNOVATION, E[5], ago(3), 0)  # 草稿
        a = app(F.INNOVATION, E[10], ago(25), 1)  # 草稿, returned with a comment
        self._move(a, "submit", ago(20), a.handler, "请审核。")
        self._move(a, "return", ago(18), self.reviewer, "绩效目标不够量化，请补充考核指标后重新提交。")
        a = app(F.INNOVATION, E[17], ago(16), 2)  # 县局审核, waiting 12 days
        self._move(a, "submit", ago(12), a.handler, "材料齐全，提请审核。")
        a = app(F.SHUANGSHI, E[27], ago(4), 3)  # 县局审核
        self._move(a, "submit", ago(2), a.handler, "提请审核。")
        for k, e in enumerate((E[21], E[31])):  # 已推荐上报, waiting for the province
            a = app(F.INNOVATION if k == 0 else F.QIEKUAI, e, ago(40 + k), 4 + k)
            self._move(a, "submit", ago(35), a.handler, "提请审核。")
            self._move(a, "recommend", ago(30), self.reviewer, "同意推荐上报。")
        a = app(F.QIEKUAI, E[33], ago(90), 6)  # 未立项
        self._move(a, "submit", ago(85), a.handler, "提请审核。")
        self._move(a, "recommend", ago(80), self.reviewer, "同意推荐。")
        self._move(a, "reject", ago(45), a.handler, "市级评审未通过。")
        # Approved projects: just approved, running with 验收 coming due / overdue, accepted, terminated.
        projects = [
            (E[2], 60, None, None),  # 已立项
            (E[4], 700, 30, None),  # 实施中, due in 30 days
            (E[9], 740, -6, None),  # 实施中, overdue
            (E[14], 400, 330, None),  # 实施中
            (E[19], 745, None, "accept"),  # 已验收
            (E[23], 380, None, "terminate"),  # 已终止
        ]
        for k, (e, approved_days_ago, due_in, end) in enumerate(projects):
            approved_on = ago(approved_days_ago)
            a = app(F.INNOVATION, e, approved_on - datetime.timedelta(days=150), 7 + k)
            self._move(a, "submit", approved_on - datetime.timedelta(days=140), a.handler, "提请审核。")
            self._move(a, "recommend", approved_on - datetime.timedelta(days=135), self.reviewer, "同意推荐上报。")
            due = today + datetime.timedelta(days=due_in) if due_in is not None else add_years(approved_on, 2)
            amount = Decimal(300 + 50 * k)
            self._move(
                a,
                "approve",
                approved_on,
                a.handler,
                "",
                approved_amount=amount,
                approved_on=approved_on,
                acceptance_due_on=due,
            )
            # The 立项通知's 文号 and the 任务书's number, as the clerk copies them from the papers.
            with as_of(approved_on, a.handler):
                application_update(
                    actor=a.handler,
                    application=Application.objects.get(pk=a.pk),
                    approval_number=f"鲁科字〔{approved_on.year}〕{21 + k}号",
                    contract_number=f"{approved_on.year}ZDYF{101 + k:04d}",
                )
            if approved_days_ago < 90:
                continue
            self._pay(a, amount * Decimal("0.6"), approved_on + datetime.timedelta(days=30), "首笔拨付")
            self._move(a, "start", approved_on + datetime.timedelta(days=15), a.handler, "项目已启动实施。")
            if end == "accept":
                self._move(
                    a,
                    "accept",
                    ago(15),
                    a.handler,
                    "通过专家验收。",
                    accepted_on=ago(15),
                    acceptance_result=Application.AcceptanceResult.PASSED,
                )
            elif end == "terminate":
                self._move(a, "terminate", ago(60), a.handler, "核心技术路线调整，企业申请终止。")
        self.county_track(today, ago)
        # Certificates expiring within 180 days (高企 renewals; a 科小 registration)
        for k, (e, days) in enumerate(((E[29], 24), (E[30], 79), (E[31], 149))):
            issued = add_years(today + datetime.timedelta(days=days + 1), -3)
            with as_of(issued, self.clerk(k)):
                certification_create(
                    actor=None,
                    enterprise=e,
                    type=self.types[CertificationType.HIGH_TECH],
                    year=issued.year,
                    state=Certification.State.CERTIFIED,
                    certified_on=issued,
                    certificate_no=f"GR{issued.year}37{900 + k:06d}",
                    first_time=False,
                )
        issued = add_years(today + datetime.timedelta(days=41), -1)
        with as_of(issued, self.staff2):
            certification_create(
                actor=None,
                enterprise=E[40],
                type=self.types[CertificationType.TECH_SME],
                year=issued.year,
                state=Certification.State.CERTIFIED,
                certified_on=issued,
                certificate_no=f"{issued.year}370999A0901",
            )
        # Open needs, in every state
        for k, (e, days, state) in enumerate(
            (
                (E[6], 5, Need.State.PENDING),
                (E[12], 9, Need.State.PENDING),
                (E[18], 3, Need.State.PENDING),
                (E[26], 25, Need.State.IN_PROGRESS),
                (E[34], 40, Need.State.IN_PROGRESS),
                (E[44], 33, Need.State.IN_PROGRESS),
                (E[50], 60, Need.State.RESOLVED),
                (E[57], 75, Need.State.UNRESOLVED),
            )
        ):
            kind = Need.Kind.TALENT if k % 4 == 3 else Need.Kind.TECHNOLOGY
            topic = NEED_TOPICS[kind][k % len(NEED_TOPICS[kind])]
            with as_of(ago(days), self.staff):
                need = need_create(
                    actor=None, enterprise=e, title=topic, kind=kind, collected_on=ago(days), handler=self.clerk(k)
                )
            if state == Need.State.PENDING:
                continue
            with as_of(ago(days - 2), self.clerk(k)):
                need = need_update(actor=None, need=need, state=Need.State.IN_PROGRESS, result="已对接合作院校。")
            if state == Need.State.RESOLVED:
                with as_of(ago(days - 30), self.clerk(k)):
                    need_update(
                        actor=None, need=need, state=state, resolved_on=ago(days - 30), result="专家现场指导后解决。"
                    )
            elif state == Need.State.UNRESOLVED:
                with as_of(ago(days - 45), self.clerk(k)):
                    need_update(actor=None, need=need, state=state, result="暂无合适的技术方案，需求关闭。")
        # A platform being planned and a talent application this year
        with as_of(ago(20), self.staff):
            platform_create(
                actor=None,
                name="示例县科技企业孵化器（二期）",
                type=self.platform_types["incubator"],
                level=Level.PROVINCIAL,
                year=T,
                host_enterprise=E[24],
                state=Platform.State.PLANNED,
            )
            person = _save(
                Person(name=self.person_name(), degree=Person.Degree.DOCTOR, title="研究员", employer_enterprise=E[0])
            )
            talent_selection_create(
                actor=None,
                person=person,
                program=self.programs[F.TAISHAN],
                call=live_calls[F.TAISHAN] if live_calls[F.TAISHAN].year == T else None,
                year=T,
                subcategory="创新类",
                mode=TalentSelection.Mode.FLEXIBLE,
            )

    def county_track(self, today: datetime.date, ago) -> None:
        """县级立项: one call carried through every step (立项 last year, projects now running, checked,
        extended, accepted, terminated) and this year's call in 形式审查, 补正, 专家评审 and 公示."""
        E = self.enterprises
        with as_of(ago(430), self.admin):
            program = _save(
                Program(
                    name=COUNTY_TRACK_PROGRAM,
                    level=Level.COUNTY,
                    category=Program.Category.RESEARCH,
                    authority="县科学技术局",
                    track=Track.COUNTY,
                )
            )
            self.programs[COUNTY_TRACK_PROGRAM] = program
            done_call = _save(
                Call(
                    program=program,
                    year=ago(420).year,
                    title=f"{ago(420).year}年度县级科技计划项目申报",
                    opens_on=ago(420),
                    closes_on=ago(395),
                    checklist="材料齐全\n单位资格\n承诺书\n预算合理",
                )
            )
        with as_of(ago(100), self.admin):
            second_call = _save(
                Call(
                    program=program,
                    year=today.year,
                    title=f"{today.year}年度县级科技计划项目（第一批）申报",
                    opens_on=ago(100),
                    closes_on=ago(70),
                    checklist="材料齐全\n单位资格\n承诺书",
                )
            )
        with as_of(ago(45), self.admin):
            open_call = _save(
                Call(
                    program=program,
                    year=today.year,
                    title=f"{today.year}年度县级科技计划项目（第二批）申报",
                    opens_on=ago(45),
                    closes_on=ago(15),
                    checklist="材料齐全\n单位资格\n承诺书\n预算合理",
                )
            )

        def new(call, e, created, n):
            clerk = self.clerk(n)
            a = self._new_application(
                program=COUNTY_TRACK_PROGRAM,
                year=call.year,
                enterprise=e,
                requested=Decimal(20 + 10 * (n % 4)),
                call=call,
            )
            with as_of(created, clerk):
                return application_create(
                    actor=clerk,
                    title=a.title,
                    enterprise=e,
                    call=call,
                    amount_requested=a.amount_requested,
                    summary=a.summary,
                )

        def review(a, day, failed=(), comment=""):
            with as_of(day, self.staff):
                formal_review_record(actor=self.staff, application_id=a.pk, failed_items=list(failed), comment=comment)

        # Last year's call: every step up to 验收 and 绩效评价.
        plans = ["approved", "midterm_due", "extended", "reconsider", "accepted", "terminated", "expert_reject"]
        done = []
        for k, plan in enumerate(plans):
            a = new(done_call, E[60 + k], ago(410), 20 + k)
            self._move(a, "submit", ago(400), a.handler, "申报材料已收齐，提请形式审查。")
            if k == 0:
                review(a, ago(398), failed=["承诺书"], comment="承诺书未加盖公章。")
                self._move(a, "resubmit", ago(394), a.handler, "已补交盖章承诺书。")
            review(a, ago(392))
            done.append((a, plan))
        # This year's second call: in 专家评审 (the demo expert's round, seed_experts), in 形式审查, back for 补正.
        now = []
        for k in range(4):
            a = new(open_call, E[70 + k], ago(30 - k), 30 + k)
            self._move(a, "submit", ago(14), a.handler, "提请形式审查。")
            now.append(a)
        for a in now[:2]:
            review(a, ago(12))
        review(now[3], ago(3), failed=["单位资格", "预算合理"], comment="缺营业执照副本，预算表未细化。")
        # This year's first call: through 形式审查 now, in 公示 after its review round (county_reviews).
        first = []
        for k in range(2):
            a = new(second_call, E[76 + k], ago(90), 40 + k)
            self._move(a, "submit", ago(70), a.handler, "提请形式审查。")
            review(a, ago(65))
            first.append(a)
        self._county_later = (second_call, first, done_call, done)

    def county_reviews(self, today: datetime.date) -> None:
        """The review rounds of the 县级 calls (five experts each, from the 专家库 seed_experts wrote),
        then what follows them: 公示, 立项, 任务书, payments, 中期检查, 变更, 验收, 绩效评价."""
        from programs.models import Expert
        from programs.review_services import (
            assignment_declare,
            assignment_score,
            review_assign,
            review_round_close,
            review_round_create,
            score_criterion_add,
        )

        def ago(days: int) -> datetime.date:
            return today - datetime.timedelta(days=days)

        second_call, first, done_call, done = self._county_later
        reviewer = self.reviewer
        experts = list(Expert.objects.filter(employer_enterprise__isnull=True).order_by("pk")[:5])
        criteria_sheet = (("技术先进性", Decimal(40)), ("实施方案可行性", Decimal(30)), ("经济社会效益", Decimal(30)))

        def review_round(call, apps, day):
            with as_of(day, reviewer):
                round_ = review_round_create(actor=None, call=call, note="县级科技计划项目专家评审")
                criteria = [
                    score_criterion_add(actor=None, round_id=round_.pk, name=n, maximum=m) for n, m in criteria_sheet
                ]
                for i, a in enumerate(apps):
                    for j, expert in enumerate(experts):
                        assignment = review_assign(actor=None, round_id=round_.pk, application=a, expert=expert)
                        assignment_declare(actor=None, assignment_id=assignment.pk, conflict=False)
                        low = i == len(apps) - 1  # the last one scores low: not recommended
                        values = (24, 17, 16) if low else (30 + (i + j) % 8, 22 + j % 5, 21 + (i * j) % 6)
                        assignment_score(
                            actor=None,
                            assignment_id=assignment.pk,
                            values={c.pk: Decimal(v) for c, v in zip(criteria, values, strict=True)},
                            comment="创新性一般，实施方案欠具体。" if low else "技术路线清晰，建议支持。",
                        )
                review_round_close(actor=None, round_id=round_.pk)

        rejected = done.pop()[0]  # the low-scoring one
        review_round(done_call, [*(a for a, _ in done), rejected], ago(375))
        self._move(rejected, "expert_reject", ago(360), reviewer, "专家评审平均分低于推荐分数线。")
        review_round(second_call, first, ago(40))
        with as_of(ago(2), reviewer):
            publicity_open(
                actor=reviewer,
                call=second_call,
                starts_on=ago(2),
                application_ids=[a.pk for a in first],
                comment="经专家评审，拟立项项目予以公示。",
            )
        with as_of(ago(1), self.staff):
            objection_record(
                actor=self.staff,
                application_id=first[1].pk,
                content="反映申报单位曾有项目逾期未验收。",
                received_on=ago(1),
                raised_by="书面来信",
            )
        with as_of(ago(350), reviewer):
            publicity_open(
                actor=reviewer,
                call=done_call,
                starts_on=ago(350),
                application_ids=[a.pk for a, _ in done],
                comment="经专家评审，拟立项项目予以公示。",
            )
        with as_of(ago(348), self.staff):
            objection = objection_record(
                actor=self.staff,
                application_id=done[1][0].pk,
                content="反映合作单位研发人员不足。",
                received_on=ago(348),
                raised_by="来电",
            )
        with as_of(ago(345), reviewer):
            objection_handle(
                actor=reviewer, objection_id=objection.pk, handling="经核实，合作单位已补充3名研发人员，异议不成立。"
            )
        approved_on = ago(330)
        for k, (a, plan) in enumerate(done):
            amount = Decimal(20 + 10 * (k % 3))
            self._move(
                a,
                "approve",
                approved_on,
                reviewer,
                "公示无异议，同意立项。",
                approved_amount=amount,
                approved_on=approved_on,
                approval_number=f"{F.COUNTY_NAME[:2]}科发〔{approved_on.year}〕{10 + k}号",
            )
            if plan == "approved":
                continue
            signed = ago(320)
            self._move(
                a,
                "sign",
                signed,
                a.handler,
                "任务书已签订。",
                contract_number=f"XJKJ-{approved_on.year}-{k + 1:03d}",
                contract_signed_on=signed,
                midterm_due_on=today + datetime.timedelta(days=20) if plan == "midterm_due" else ago(150),
                acceptance_due_on=today + datetime.timedelta(days=200) if plan != "accepted" else ago(20),
                first_payment_percent=60,
                midterm_payment_percent=30,
            )
            with as_of(signed, a.handler):
                milestone_add(
                    actor=a.handler,
                    application_id=a.pk,
                    content="完成关键技术攻关",
                    due_on=ago(150),
                    deliverable="中期报告",
                )
                milestone_add(
                    actor=a.handler,
                    application_id=a.pk,
                    content="完成中试及示范应用",
                    due_on=today + datetime.timedelta(days=150),
                    deliverable="验收报告",
                )
            self._pay(a, amount * Decimal("0.6"), ago(310), "任务书签订后首笔拨付（60%）")
            if plan == "midterm_due":
                continue
            result = Application.MidtermResult.FAILED if plan == "terminated" else Application.MidtermResult.PASSED
            self._move(
                a,
                "midterm",
                ago(150),
                a.handler,
                "组织专家中期检查。" if result == "passed" else "关键设备未到位，进度严重滞后。",
                midterm_checked_on=ago(150),
                midterm_result=result,
            )
            if plan == "terminated":
                self._move(a, "terminate", ago(140), reviewer, "中期检查不合格，经研究终止项目。")
                continue
            self._pay(a, amount * Decimal("0.3"), ago(140), "中期检查合格后拨付（30%）")
            if plan == "extended":
                with as_of(ago(60), a.handler):
                    request = change_request_create(
                        actor=a.handler,
                        application_id=a.pk,
                        kind="extension",
                        reason="示范基地受天气影响推迟建设。",
                        new_end_on=today + datetime.timedelta(days=380),
                    )
                with as_of(ago(55), reviewer):
                    change_request_decide(actor=reviewer, request_id=request.pk, approve=True, comment="同意延期半年。")
            elif plan == "reconsider":
                self._move(a, "reconsider", ago(10), reviewer, "财务决算报告需补充审计意见后复议。")
            elif plan == "accepted":
                self._move(
                    a,
                    "accept",
                    ago(15),
                    reviewer,
                    "完成任务书约定指标，验收通过。",
                    accepted_on=ago(15),
                    acceptance_result=Application.AcceptanceResult.PASSED,
                )
                self._pay(a, amount - amount * Decimal("0.9"), ago(8), "验收通过后拨付余款（10%）")
                self._move(
                    a,
                    "evaluate",
                    ago(5),
                    reviewer,
                    "",
                    performance_score=Decimal("88"),
                    performance_grade=Application.PerformanceGrade.GOOD,
                )


def reference_types() -> tuple[dict[str, CertificationType], dict[str, PlatformType]]:
    """The certification and platform types by code, as the data migrations seed them.

    A database that lacks them was not migrated (or was flushed by a transactional test, which
    restores them with ``serialized_rollback``): the demo refuses rather than invent its own."""
    types = {t.code: t for t in CertificationType.objects.all()}
    platform_types = {t.code: t for t in PlatformType.objects.all()}
    if not types or not platform_types:
        raise CommandError("数据库中没有资质类型或平台类型：请先运行 manage.py migrate。")
    return types, platform_types


def row_counts() -> dict[str, int]:
    return {str(model._meta.verbose_name): model.objects.count() for model in MODELS}


def database_state() -> str:
    """``"demo"`` when the demo county is loaded, ``"empty"`` when there are no records, else ``"data"``."""
    if Enterprise.objects.filter(credit_code=FLAGSHIP_CODE).exists():
        return "demo"
    checked: Iterable = (Enterprise, Application, Person, Platform, Policy, Activity, Program, CountyYear, AnnualTarget)
    if any(model.objects.exists() for model in checked):
        return "data"
    return "empty"


def seed_demo(*, today: datetime.date | None = None) -> dict[str, int]:
    """Write the demo county in one transaction; returns the row counts per record type."""
    with transaction.atomic(), replaying_history():  # its notifications are history: read, never mailed
        DemoCounty(today=today or timezone.localdate()).build()
    bump_data_version()  # again after the commit: nothing cached from the data before it is served
    return row_counts()
