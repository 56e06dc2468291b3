"""The report with the indicators the apps register (no stand-ins): real codes, real inputs."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest

from bureau.core.models import Activity, AnnualTarget, CountyYear, Policy
from bureau.indicators import NAMES
from bureau.registry import registry
from programs.models import Level, Reward
from reports.models import ReportBuild
from reports.report_selectors import report_completeness, report_snapshot
from reports.report_services import report_build_start
from reports.sections import build_document, report_codes
from talent.models import Secondment
from tests.core.factories import ActivityFactory, PolicyFactory
from tests.programs.factories import AwardFactory, RewardFactory
from tests.reports.factories import AnnualReportFactory
from tests.talent.factories import SecondmentFactory

pytestmark = pytest.mark.django_db
YEAR = 2019


def test_every_standard_indicator_of_the_domain_is_stated_somewhere_in_the_report():
    assert set(NAMES) <= set(report_codes())


def test_sentences_of_unregistered_indicators_are_left_out_not_blank():
    missing = [code for code in report_codes() if code not in registry["indicators"]]
    snapshot = report_snapshot(AnnualReportFactory(year=YEAR))
    assert not set(missing) & set(snapshot["figures"])


def test_missing_county_data_blocks_the_ratios_until_entered_then_the_report_builds(
    staff, django_capture_on_commit_callbacks
):
    report = AnnualReportFactory(year=YEAR, plan_intro="", plan_talent="")
    check = report_completeness(report_snapshot(report))
    blocked = {p.item for p in check.blocking}
    assert {"rd_intensity", "invention_patents_per_10k", "plan_targets"} <= blocked
    rd = next(p for p in check.blocking if p.item == "rd_intensity")
    assert rd.links and "countyyear" in rd.links[0][1]

    for year in (YEAR - 1, YEAR):
        CountyYear.objects.create(
            year=year, gdp=Decimal("125.5"), population=Decimal("55.2"), industrial_output_above_scale=Decimal("3e6")
        )
    AnnualTarget.objects.create(year=YEAR + 1, indicator="platforms_new", target=Decimal("3"))
    assert report_completeness(report_snapshot(report)).ok
    with django_capture_on_commit_callbacks(execute=True):
        build = report_build_start(actor=staff, report_id=report.pk)
    build.refresh_from_db()
    assert build.state == ReportBuild.State.SUCCEEDED
    text = subprocess.run(["pdftotext", build.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    # Zero R&D over a known GDP is a figure: in 附表1, but the prose does not write 研发投入强度达到0%.
    body, appendix = text.split("附表1")
    assert "研发投入强度" not in body
    assert re.search(r"研发投入强度%[^研]*?0", appendix)
    assert f"{YEAR + 1}年，力争新建各类创新平台3个" in text


def body(report) -> str:
    doc = build_document(report_snapshot(report))
    return "\n".join(block.text if hasattr(block, "runs") else block.number + block.text for block in doc.blocks)


def test_policies_issued_and_training_participants_are_registered_over_core_records():
    indicators = registry["indicators"]
    assert (indicators["policies_issued"].name, indicators["policies_issued"].unit) == ("出台科技政策数", "项")
    assert (indicators["training_participants"].name, indicators["training_participants"].unit) == ("培训人次", "人次")
    first = PolicyFactory(title="示例县关于加强人才和科技创新工作的若干政策意见", issued_on=datetime.date(YEAR, 2, 10))
    PolicyFactory.create_batch(2, issued_on=datetime.date(YEAR, 6, 1))
    PolicyFactory(issued_on=datetime.date(YEAR, 7, 1), level=Policy.Level.PROVINCIAL)  # not the county's
    PolicyFactory(issued_on=datetime.date(YEAR - 1, 12, 31))
    ActivityFactory(
        title=f"{YEAR}年研发经费统计上报培训班（第1期）", held_on=datetime.date(YEAR, 3, 12), participants=45
    )
    ActivityFactory(
        title=f"{YEAR}年研发经费统计上报培训班（第2期）", held_on=datetime.date(YEAR, 4, 12), participants=50
    )
    ActivityFactory(title="高新技术企业认定培训班", held_on=datetime.date(YEAR, 5, 18), participants=80)
    ActivityFactory(kind=Activity.Kind.EVENT, held_on=datetime.date(YEAR, 5, 20), participants=300)  # not a training
    assert indicators["policies_issued"].value(YEAR) == 3
    assert indicators["training_participants"].value(YEAR) == 175
    courses = [(b.label, b.value, b.records.count()) for b in indicators["trainings"].breakdown(YEAR)]
    assert courses == [("研发经费统计上报培训班", 2, 2), ("高新技术企业认定培训班", 1, 1)]

    text = body(AnnualReportFactory(year=YEAR))
    assert f"配套制定完善了《{first.title}》等3项科技政策" in text
    assert "举办各类培训班3期（研发经费统计上报培训班2期、高新技术企业认定培训班1期）" in text
    assert "累计培训175人次" in text


def test_awards_rewards_and_secondments_are_worded_from_their_breakdowns():
    AwardFactory(year=YEAR, name="省科学技术进步奖", level=Level.PROVINCIAL)
    AwardFactory.create_batch(3, year=YEAR, name="市科学技术进步奖", level=Level.CITY)
    RewardFactory(kind=Reward.Kind.RD_SUBSIDY, amount=Decimal("380"), paid_on=datetime.date(YEAR, 4, 20))
    RewardFactory(kind=Reward.Kind.TALENT, amount=Decimal("320"), paid_on=datetime.date(YEAR, 2, 26))
    SecondmentFactory(post=Secondment.Post.VICE_COUNTY)
    SecondmentFactory.create_batch(2, post=Secondment.Post.VICE_TOWN)

    text = body(AnnualReportFactory(year=YEAR))
    assert "全年获得省科学技术进步奖1项、市科学技术进步奖3项，共计4项" in text  # not 省级1项、市级3项
    assert "发放县级研发经费财政补贴380万元、人才新政配套资金320万元，兑现县级科技奖励和补助资金共计700万元" in text
    assert "挂职科技副县长1名、科技副镇长2名，共计3名" in text
