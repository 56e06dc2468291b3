"""What goes into a dossier: covers, attachments in folders by kind, and the index (zipfiles.py).

Reads only; the rights are the services' (services.py), checked before anything here runs.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from bureau.accounts.display import user_display
from bureau.core.selectors import site_settings
from bureau.documents.selectors import documents_for_objects
from bureau.permissions import Actor
from bureau.records.views import detail_fields
from bureau.registry import registry
from enterprises.models import Enterprise
from enterprises.selectors import certificate_badges, current_certificates
from programs.models import Application
from programs.workflow import TRANSITIONS

from .pdf import pdf_page, pdf_pages
from .selectors import dossier_applications, enterprise_documents, enterprise_record_groups
from .zipfiles import COVER_NAME, Entry, Paths, document_entries, safe_name

Progress = Callable[[int, int], None]  # (covers done, covers in all)

APPLICATION_COVER = "dossiers/pdf/application_cover.html"
ENTERPRISE_PDF = "dossiers/pdf/enterprise.html"


def _record_label(obj) -> str:
    return f"{obj._meta.verbose_name}：{obj}"


def application_folder(application: Application) -> str:
    return safe_name(f"{application.year}_{application.title}", limit=60)


def application_cover_context(application: Application, documents: list, *, generated_by: Actor) -> dict:
    record = registry["records"][Application._meta.label_lower]
    disbursements = list(application.disbursements.all())
    return {
        "application": application,
        "fields": detail_fields(record, application),
        "timeline": [
            {
                "at": timezone.localtime(log.at),
                "action": TRANSITIONS[log.action].label if log.action in TRANSITIONS else log.action,
                "source": log.get_source_display(),
                "target": log.get_target_display(),
                "by": user_display(log.by) if log.by_id else "系统",
                "comment": log.comment,
            }
            for log in application.logs.all()
        ],
        "disbursements": disbursements,
        "disbursed": sum((d.amount for d in disbursements), Decimal("0")),
        "documents": documents,
        "site": site_settings(),
        "generated_at": timezone.localtime(),
        "generated_by": user_display(generated_by) if generated_by else "系统",
    }


def application_entries(
    applications: list[Application],
    *,
    documents: dict,
    paths: Paths,
    folder: Callable[[Application], str],
    generated_by: Actor,
    progress: Progress | None = None,
) -> list[Entry]:
    """Each application's cover and its attachments under ``folder(application)``."""
    contexts = [application_cover_context(a, documents.get(a, []), generated_by=generated_by) for a in applications]
    covers = pdf_pages(APPLICATION_COVER, contexts, progress=progress)
    entries = []
    for application, cover in zip(applications, covers, strict=True):
        prefix = folder(application)
        label = _record_label(application)
        entries.append(
            Entry.made(
                path=paths.unique(prefix, COVER_NAME),
                kind="封面",
                title=f"{application.title}（档案封面）",
                record=label,
                content=cover,
                date=timezone.localdate(),
            )
        )
        entries += document_entries(documents.get(application, []), folder=prefix, record=label, paths=paths)
    return entries


def applications_dossier(ids, *, actor: Actor, progress: Progress | None = None, single: bool = False) -> list[Entry]:
    """One application (files at the root) or a list (a folder per application)."""
    applications = dossier_applications(ids)
    documents = documents_for_objects(applications)
    paths = Paths()
    folder = (lambda a: "") if single else (lambda a: application_folder(a) + "/")
    return application_entries(
        applications, documents=documents, paths=paths, folder=folder, generated_by=actor, progress=progress
    )


def enterprise_pdf_context(enterprise: Enterprise, *, user: Actor) -> dict:
    """What the enterprise page shows, for the PDF: facts, badges, every section the user may see."""
    today = timezone.localdate()
    sections = []
    for section_class in registry["profile_sections"]:
        section = section_class()
        if (user is not None and not section.can_view(user)) or not section.should_render(enterprise):
            continue
        context = section.get_context(enterprise)
        sections.append(
            {
                "section": section,
                "title": section.title,
                "anchor": section.anchor(),
                "template_name": section.template_name,
                "context": context,
                "bars": rd_bars(context.get("rd_chart")),
            }
        )
    record = registry["records"][Enterprise._meta.label_lower]
    return {
        "object": enterprise,
        "fields": detail_fields(record, enterprise),
        "badges": certificate_badges(current_certificates(enterprise=enterprise, today=today), today=today),
        "sections": sections,
        "site": site_settings(),
        "generated_at": timezone.localtime(),
        "generated_by": user_display(user) if user else "系统",
        "pdf": True,
        "user": user,
    }


CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 600, 150, 18


def rd_bars(chart: dict | None) -> dict | None:
    """The screen's R&D line chart (ECharts, drawn by JavaScript) as SVG bars for the PDF."""
    if not chart:
        return None
    values = [None if v is None else Decimal(v) for v in chart["rd"]]
    top = max((v for v in values if v is not None), default=Decimal("0"))
    if top <= 0:
        return None
    slot = CHART_WIDTH / len(values)
    bars = []
    for i, (year, value) in enumerate(zip(chart["years"], values, strict=True)):
        height = 0 if value is None else float(value / top) * (CHART_HEIGHT - CHART_TOP)
        bars.append(
            {
                "x": i * slot + slot * 0.2,
                "width": slot * 0.6,
                "y": CHART_HEIGHT - height,
                "height": height,
                "centre": i * slot + slot / 2,
                "year": year,
                "label": "缺失" if value is None else f"{value.normalize():,f}",
            }
        )
    return {"bars": bars, "width": CHART_WIDTH, "height": CHART_HEIGHT, "baseline": CHART_HEIGHT}


def enterprise_pdf(enterprise: Enterprise, *, user: Actor) -> bytes:
    return pdf_page(ENTERPRISE_PDF, enterprise_pdf_context(enterprise, user=user))


def enterprise_dossier(enterprise: Enterprise, *, actor: Actor, progress: Progress | None = None) -> list[Entry]:
    """封面 (the enterprise PDF), the enterprise's own attachments, then a folder per record type."""
    paths = Paths()
    entries = [
        Entry.made(
            path=paths.unique("", COVER_NAME),
            kind="封面",
            title=f"{enterprise.name}（一企一档）",
            record=_record_label(enterprise),
            content=enterprise_pdf(enterprise, user=actor),
            date=timezone.localdate(),
        )
    ]
    groups = enterprise_record_groups(enterprise=enterprise, actor=actor)
    documents = documents_for_objects([r for g in groups for r in g.records])
    for group in groups:
        if group.model is Enterprise:
            entries += document_entries(
                documents[enterprise], folder=f"{group.folder}/", record=_record_label(enterprise), paths=paths
            )
        elif group.model is Application:
            entries += application_entries(
                group.records,
                documents=documents,
                paths=paths,
                folder=lambda a, g=group: f"{g.folder}/{application_folder(a)}/",
                generated_by=actor,
            )
        else:
            for record in group.records:
                folder = f"{group.folder}/{safe_name(str(record), limit=60)}/"
                entries += document_entries(documents[record], folder=folder, record=_record_label(record), paths=paths)
    return entries


__all__ = ["applications_dossier", "enterprise_dossier", "enterprise_documents", "enterprise_pdf"]
