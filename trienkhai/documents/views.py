"""The document registry's pages: list and search, detail, register/edit, relations, attachments
and the cascade of a directive.

Reads go through `documents.queries` (scoped in SQL); writes through `documents.actions`. A
document outside the user's reach is a 404; one they may know of but not read (classified above
their clearance) shows only that a classified document exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts.classified import readable_log
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import document_access, is_global, reaches, reaches_unit
from trienkhai.core.actions import ActionError
from trienkhai.core.files import download
from trienkhai.core.forms import form_error
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.documents import actions, edxml, queries
from trienkhai.documents.downloads import edxml_response
from trienkhai.documents.forms import (
    AttachForm,
    EditForm,
    EdxmlImportForm,
    FilterForm,
    RegisterForm,
    RelationForm,
)
from trienkhai.documents.models import Attachment, DocumentRelation
from trienkhai.units.queries import default_unit

CASCADE_PER_LEVEL = 200


def _document_or_404(user, pk):
    doc = queries.get_visible_document(user, pk)
    if doc is None:
        raise Http404
    return doc


def _classified(request, doc):
    """The whole page for a document the user may know of but not read."""
    return render(request, "documents/classified.html", {"doc": doc})


def _can_register(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.COORDINATOR))


def _can_edit(user, doc) -> bool:
    return reaches_unit(user, doc.issuing_unit, Role.COORDINATOR)


@login_required
@require_GET
def document_list(request):
    form = FilterForm(request.GET or None)
    qs = queries.visible_documents(request.user)
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        if query:
            qs = queries.search(request.user, query)
        qs = queries.filter_documents(
            qs,
            doc_type=data["doc_type"],
            system=data["system"],
            issuer_code=data["unit"].strip(),
            year=data["year"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif form.is_bound:
        qs = qs.none()
    # A search puts the document its query names first, then the newest.
    order = ("rank", "-date", "-id") if query else ("-date", "-id")
    page = paginate(request, qs.order_by(*order))
    return render(
        request,
        "documents/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_register": _can_register(request.user),
        },
    )


def _detail_context(request, doc, **extra):
    user = request.user
    tab = "history" if request.GET.get("tab") == "history" else "info"
    can_edit = _can_edit(user, doc)
    context = {
        "doc": doc,
        "tab": tab,
        "can_edit": can_edit,
        # Any coordinator may issue a plan carrying out a document they can read.
        "can_issue_plan": getattr(doc, "readable", True)
        and (is_global(user) or bool(reaches(user, Role.COORDINATOR))),
        # Only co-issuers the user may know of, as in the API (never a name from elsewhere).
        "co_issuers": queries.known_units(user).filter(co_issued_documents=doc).order_by("path"),
        "attachments": doc.attachments.order_by("uploaded_at", "pk"),
        "groups": queries.relation_groups(user, doc),
        "relation_form": None,
        "attach_form": None,
    }
    if tab == "history":
        context["page"] = paginate(request, history_for(doc))
        context["history"] = readable_log(request.user, context["page"])
    if can_edit:
        context["relation_form"] = RelationForm(prefix="rel")
        context["attach_form"] = AttachForm(prefix="att")
    context.update(extra)
    return context


@login_required
@require_GET
def document_detail(request, pk):
    doc = _document_or_404(request.user, pk)
    if not doc.readable:
        return _classified(request, doc)
    return render(request, "documents/detail.html", _detail_context(request, doc))


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    user = request.user
    if not _can_register(user):
        raise PermissionDenied
    form = RegisterForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        initial={"issuing_unit": default_unit(user, Role.COORDINATOR)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = actions.register_with_attachments(
                user,
                files=data["attachments"],
                symbol=data["symbol"],
                issuing_unit=data["issuing_unit"],
                co_issuers=data["co_issuers"],
                **form.action_fields(),
            )
        except ActionError as exc:
            form_error(form, exc, {"file": "attachments"})
        else:
            messages.success(request, _("Đã vào sổ văn bản %(symbol)s.") % {"symbol": doc.symbol})
            return redirect("document-detail", pk=doc.pk)
    return render(request, "documents/form.html", {"form": form, "doc": None})


def _initial(doc) -> dict:
    return {
        "symbol": doc.symbol,
        "doc_type": doc.doc_type,
        "term": doc.term,
        "date": doc.date,
        "place": doc.place,
        "subject": doc.subject,
        "signer": doc.signer,
        "signer_position": doc.signer_position,
        "authority": doc.authority,
        "classification": doc.classification,
        "urgency": doc.urgency,
        "updated_at": doc.updated_at.isoformat(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    user = request.user
    doc = _document_or_404(user, pk)
    if not doc.readable:
        return _classified(request, doc)
    if not _can_edit(user, doc):
        raise PermissionDenied
    conflict = None
    if request.method == "POST":
        form = EditForm(request.POST, user=user)
        if form.is_valid():
            try:
                doc = actions.update_document(
                    user,
                    doc,
                    expected_updated_at=form.cleaned_data["updated_at"],
                    symbol=form.cleaned_data["symbol"],
                    **form.action_fields(),
                )
            except ActionError as exc:
                current = queries.get_visible_document(user, pk)
                if current is not None and current.updated_at != form.cleaned_data["updated_at"]:
                    # Someone saved first: show their values, keep this person's input, and let
                    # a second save (from the current version) be a deliberate choice.
                    conflict = current
                    data = request.POST.copy()
                    data["updated_at"] = current.updated_at.isoformat()
                    form = EditForm(data, user=user)
                    form.is_valid()
                form_error(form, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("document-detail", pk=doc.pk)
    else:
        form = EditForm(initial=_initial(doc), user=user)
    # Someone saved first: 409, with their values shown beside this person's input.
    return render(
        request,
        "documents/form.html",
        {"form": form, "doc": doc, "conflict": conflict},
        status=409 if conflict is not None else 200,
    )


@login_required
@require_POST
def document_relate(request, pk):
    user = request.user
    doc = _document_or_404(user, pk)
    if not doc.readable:
        raise Http404
    if not _can_edit(user, doc):
        raise PermissionDenied
    form = RelationForm(request.POST, prefix="rel")
    if form.is_valid():
        data = form.cleaned_data
        targets = list(queries.find_by_symbol(user, data["symbol"], data["date"])[:2])
        if not targets:
            form.add_error("symbol", _("Không tìm thấy văn bản này trong phạm vi của bạn."))
        elif len(targets) > 1:
            form.add_error(
                "date", _("Có nhiều văn bản mang số này; hãy nhập ngày ban hành để chọn.")
            )
        else:
            try:
                actions.relate(user, doc, targets[0], data["kind"])
            except ActionError as exc:
                form_error(form, exc, {"target": "symbol"})
            else:
                messages.success(request, _("Đã thêm quan hệ."))
                return redirect("document-detail", pk=doc.pk)
    context = _detail_context(request, doc, relation_form=form)
    return render(request, "documents/detail.html", context, status=400)


@login_required
@require_POST
def relation_delete(request, pk):
    """Remove a relation from its source document's page."""
    user = request.user
    visible, readable = document_access(user, "source")
    relation = (
        DocumentRelation.objects.filter(visible & readable)
        .filter(pk=pk)
        .select_related("source", "source__issuing_unit")
        .first()
    )
    if relation is None:
        raise Http404
    source = relation.source
    try:
        actions.unrelate(user, relation)
    except ActionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã xóa quan hệ."))
    return redirect("document-detail", pk=source.pk)


@login_required
@require_POST
def document_attach(request, pk):
    user = request.user
    doc = _document_or_404(user, pk)
    if not doc.readable:
        raise Http404
    if not _can_edit(user, doc):
        raise PermissionDenied
    form = AttachForm(request.POST, request.FILES, prefix="att")
    if form.is_valid():
        try:
            actions.attach_many(user, doc, form.cleaned_data["files"])
        except ActionError as exc:
            form_error(form, exc, {"file": "files"})
        else:
            messages.success(request, _("Đã đính kèm tệp."))
            return redirect("document-detail", pk=doc.pk)
    context = _detail_context(request, doc, attach_form=form)
    return render(request, "documents/detail.html", context, status=400)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """Always a download, with the stored type and nosniff: never rendered by the browser."""
    doc = _document_or_404(request.user, pk)
    if not doc.readable:
        raise Http404
    att = Attachment.objects.filter(document=doc, pk=attachment_pk).first()
    if att is None:
        raise Http404
    return download(att.file, filename=att.original_name, content_type=att.content_type)


@login_required
@require_GET
def document_cascade(request, pk):
    doc = _document_or_404(request.user, pk)
    if not doc.readable:
        return _classified(request, doc)
    levels = queries.cascade_levels(request.user, doc, per_level=CASCADE_PER_LEVEL)
    return render(
        request,
        "documents/cascade.html",
        {"doc": doc, "levels": levels, "total": sum(level.count for level in levels)},
    )


@login_required
def document_import_edxml(request):
    """Register a document that arrived from an e-office system as an edXML message."""
    user = request.user
    if not _can_register(user):
        raise PermissionDenied
    form = EdxmlImportForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                incoming = edxml.read(data["file"].read())
                doc = actions.register_with_attachments(
                    user,
                    files=incoming.files,
                    symbol=incoming.symbol,
                    doc_type=incoming.doc_type,
                    issuing_unit=data["issuing_unit"],
                    term=data["term"],
                    date=incoming.date,
                    subject=incoming.subject,
                    place=incoming.place,
                    signer=incoming.signer,
                    signer_position=incoming.signer_position,
                    authority=incoming.authority,
                    urgency=incoming.urgency,
                )
            except ActionError as exc:
                form_error(form, exc, {"symbol": "file", "subject": "file", "date": "file"})
            else:
                messages.success(
                    request,
                    _("Đã vào sổ văn bản %(symbol)s từ tệp edXML.") % {"symbol": doc.symbol},
                )
                return redirect("document-detail", pk=doc.pk)
        status = 400
    return render(request, "documents/import_edxml.html", {"form": form}, status=status)


@login_required
@require_GET
def document_edxml(request, pk):
    """The document as an edXML message, with its attachments, to send to an e-office system."""
    doc = _document_or_404(request.user, pk)
    if not doc.readable:
        raise Http404
    files = []
    for att in doc.attachments.all():
        with att.file.open("rb") as fh:
            files.append((att.original_name, att.content_type, fh.read()))
    to = [doc.issuing_unit.parent] if doc.issuing_unit.parent_id else []
    stem = slugify(doc.symbol.replace("/", "-")) or "van-ban"
    return edxml_response(edxml.write(doc, to=to, files=files), stem)
