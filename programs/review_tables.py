import django_tables2 as tables

from bureau.records.tables import RecordTable

from .review_models import Expert, IntegrityRecord, ReviewRound


class ExpertTable(RecordTable):
    name = tables.Column(linkify=True)
    employer_name = tables.Column(verbose_name="工作单位", accessor="employer_name", orderable=False, empty_values=())

    class Meta(RecordTable.Meta):
        model = Expert
        fields = ("selection", "name", "employer_name", "field", "title", "phone", "active")


class IntegrityRecordTable(RecordTable):
    subject = tables.Column(
        verbose_name="失信主体", accessor="subject_name", orderable=False, linkify=True, empty_values=()
    )

    class Meta(RecordTable.Meta):
        model = IntegrityRecord
        fields = ("selection", "subject", "source_document", "starts_on", "ends_on")

    def render_ends_on(self, value):
        return value or "长期"


class ReviewRoundTable(RecordTable):
    name = tables.Column(verbose_name="评审", accessor="pk", linkify=True, orderable=False)
    closed_at = tables.Column(verbose_name="状态", empty_values=())

    class Meta(RecordTable.Meta):
        model = ReviewRound
        fields = ("selection", "name", "recommend_score", "closed_at")

    def render_name(self, record):
        return str(record)

    def render_closed_at(self, value):
        return "已结束" if value else "进行中"
