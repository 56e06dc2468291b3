"""The documents panel's endpoints. Each calls one service or selector, which checks the rights;
the views only read the request and answer (a refusal becomes a Chinese message on the record page)."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from bureau.documents import services
from bureau.documents.forms import DocumentUploadForm
from bureau.documents.kinds import declared_kinds
from bureau.documents.selectors import document_by_token, version_for_download
from bureau.documents.storage import documents_storage, is_filesystem


def _back(record) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{record.get_absolute_url()}#documents")


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def upload(request, content_type_id: int, object_id: int):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or not declared_kinds(model):
        raise Http404
    record = model._default_manager.filter(pk=object_id).first()
    if record is None:
        raise Http404
    form = DocumentUploadForm(request.POST, kinds=declared_kinds(model))
    files = request.FILES.getlist("files")
    if len(files) > settings.DOCUMENT_MAX_FILES:
        messages.error(request, f"一次最多上传 {settings.DOCUMENT_MAX_FILES} 个文件。")
        return _back(record)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[name].label}：{message}" if name in form.fields else message)
        return _back(record)
    try:
        documents = services.documents_upload(
            actor=request.user,
            record=record,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            date=form.cleaned_data["date"],
            files=files,
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, f"已上传 {len(documents)} 个附件：{'、'.join(d.current.original_name for d in documents)}"
        )
    return _back(record)


def _on_document(request, token, act) -> HttpResponseRedirect:
    """A write on one document from its record's panel: ``act(document)`` calls the service and
    returns the success message, or raises ValidationError (shown); back to the record either way."""
    document = document_by_token(actor=request.user, token=token)
    record = document.record
    if record is None:
        raise Http404
    try:
        messages.success(request, act(document))
    except ValidationError as error:
        _report(request, error)
    return _back(record)


@require_POST
def replace(request, token):
    def act(document):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError("请选择用来替换的文件。")
        version = services.document_replace(actor=request.user, document=document, file=upload)
        return f"「{document.title}」已替换为 {version.original_name}（第{version.number}版），旧版本仍可下载。"

    return _on_document(request, token, act)


@require_POST
def delete(request, token):
    def act(document):
        services.document_delete(actor=request.user, document=document)
        return f"附件「{document.title}」已删除（股室负责人可恢复）。"

    return _on_document(request, token, act)


@require_POST
def restore(request, token):
    def act(document):
        services.document_restore(actor=request.user, document=document)
        return f"附件「{document.title}」已恢复。"

    return _on_document(request, token, act)


@require_GET
@csp_exempt()
@xframe_options_sameorigin
def file(request, token):
    """The bytes of one version, to users who may view its record: as a download with the original
    (Chinese) name (RFC 5987 ``filename*``), or inline (``?inline=1``) for a PDF or an image."""
    wants_inline = request.GET.get("inline") == "1"
    version = services.document_version_fetch(actor=request.user, token=token, inline=wants_inline)
    inline = wants_inline and version.previewable
    storage = documents_storage()
    prefix = settings.DOCUMENTS_X_ACCEL_REDIRECT
    if prefix and is_filesystem(storage):
        response = HttpResponse(content_type=version.content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{version.storage_name}"
        response["Content-Disposition"] = content_disposition_header(not inline, version.original_name)
    else:
        response = FileResponse(
            version.open(),
            as_attachment=not inline,
            filename=version.original_name,
            content_type=version.content_type,
        )
        response["Content-Length"] = str(version.size)
    response["X-Content-Type-Options"] = "nosniff"
    # Our own policy instead of the site's: the PDF viewer must render inside the preview page.
    response["Content-Security-Policy"] = (
        "frame-ancestors 'self'" if inline else "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    return response


@require_GET
def preview(request, token):
    version = version_for_download(actor=request.user, token=token)
    document = version.document
    return render(
        request,
        "documents/preview.html",
        {"version": version, "document": document, "record": document.record},
    )
