"""The records a dossier holds, each read in a fixed number of queries whatever their number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch

from bureau.documents.models import Document
from bureau.documents.selectors import documents_for_objects
from bureau.permissions import Actor, has_permission
from enterprises.models import Certification, Enterprise
from programs.models import Application, ApplicationLog, Disbursement
from talent.models import CooperationAgreement, Platform


def dossier_applications(ids: Iterable[int]) -> list[Application]:
    """Applications with what their covers show: facts, timeline (who), disbursements (3 queries)."""
    return list(
        Application.objects.filter(pk__in=ids)
        .select_related("enterprise", "program", "call__program", "handler")
        .prefetch_related(
            Prefetch("logs", queryset=ApplicationLog.objects.select_related("by").order_by("at", "pk")),
            Prefetch("disbursements", queryset=Disbursement.objects.order_by("paid_on", "pk")),
        )
        .order_by("year", "pk")
    )


@dataclass(frozen=True)
class RecordGroup:
    """The records of one type about an enterprise, under the dossier folder ``folder``."""

    label: str
    folder: str
    model: type[models.Model]
    records: list[Any]


def enterprise_record_groups(*, enterprise: Enterprise, actor: Actor, covers: bool = True) -> list[RecordGroup]:
    """The enterprise's own record and those about it that ``actor`` may view (one query per type;
    with ``covers``, the applications' timelines and disbursements too: two more)."""

    def applications():
        if covers:
            return dossier_applications(enterprise.applications.values_list("pk", flat=True))
        return list(enterprise.applications.select_related("program").order_by("year", "pk"))

    groups = [RecordGroup("企业", "企业材料", Enterprise, [enterprise])]
    wanted = (
        ("项目申报", "项目申报", Application, applications),
        (
            "企业资质",
            "企业资质",
            Certification,
            lambda: list(enterprise.certifications.select_related("type").order_by("year", "pk")),
        ),
        (
            "创新平台",
            "创新平台",
            Platform,
            lambda: list(Platform.objects.filter(host_enterprise=enterprise).select_related("type").order_by("pk")),
        ),
        (
            "产学研合作",
            "产学研合作",
            CooperationAgreement,
            lambda: list(CooperationAgreement.objects.filter(enterprises=enterprise).order_by("pk")),
        ),
    )
    for label, folder, model, load in wanted:
        if has_permission(actor, model, "view"):
            groups.append(RecordGroup(label, folder, model, load()))
    return groups


@dataclass(frozen=True)
class DocumentRow:
    group: str
    record: Any
    document: Document


def enterprise_documents(*, enterprise: Enterprise, actor: Actor) -> list[DocumentRow]:
    """Every current document of the enterprise and of its records, grouped as the dossier is."""
    if not has_permission(actor, Document, "view"):
        return []
    groups = enterprise_record_groups(enterprise=enterprise, actor=actor, covers=False)
    found = documents_for_objects([r for g in groups for r in g.records])
    return [DocumentRow(g.label, r, d) for g in groups for r in g.records for d in found[r]]


def dossier_build_for(*, actor: Actor, pk: int):
    """A background dossier, for the one who asked for it (404 for anyone else)."""
    from django.http import Http404

    from .models import DossierBuild

    build = DossierBuild.objects.filter(pk=pk, created_by=actor).first() if actor is not None else None
    if build is None:
        raise Http404("档案导出不存在。")
    return build
