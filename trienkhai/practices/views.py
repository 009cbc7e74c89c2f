"""The good-practice register: list (filters, XLSX), a practice with its adoptions and evidence,
record and edit forms, the adopt form, removing an adoption, evidence downloads.

Reads come from `practices.queries` (scoped in SQL; outside the scope is a 404); writes go
through `practices.actions`, whose refusals are shown on the field they name.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts.classified import readable_log
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches, reaches_unit, unit_scope
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError
from trienkhai.core.files import MAX_UPLOAD_BYTES, download
from trienkhai.core.forms import answer_status, form_error
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.documents import queries as doc_queries
from trienkhai.practices import actions, exports, queries
from trienkhai.practices.forms import AdoptForm, ListFilterForm, PracticeForm
from trienkhai.practices.models import GoodPractice, PracticeEvidence
from trienkhai.units.forms import unit_by_code
from trienkhai.units.picker import picked_unit
from trienkhai.units.queries import default_unit

EXPORT_LIMIT = 20_000


def can_record(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.REPORTER))


def _with_adoption_counts(user, qs):
    condition = unit_scope(user, "adoptions__unit")
    if condition:
        return qs.annotate(adoption_count=Count("adoptions", filter=condition, distinct=True))
    return qs.annotate(adoption_count=Count("adoptions", distinct=True))


@login_required
@require_GET
def practice_list(request):
    user = request.user
    directives = list(queries.related_directives(user))
    form = ListFilterForm(request.GET or None, directives=directives)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = picked_unit(user, data["unit"])
        if unit is None:
            raise Http404
    directive = None
    if data.get("directive"):
        directive = next((d for d in directives if d.pk == data["directive"]), None)
        if directive is None:
            raise Http404
    qs = queries.filter_practices(
        queries.visible_practices(user),
        unit=unit,
        directive=directive,
        year=data.get("year"),
        q=data.get("q") or "",
    )
    # Each practice's documents the user may know of, flagged `readable`: a classified one
    # shows as "Văn bản mật" (no symbol), one outside the user's reach not at all.
    directives_known = Prefetch(
        "directives", queryset=doc_queries.visible_documents(user).order_by("date", "id")
    )
    qs = _with_adoption_counts(user, qs).prefetch_related(directives_known).order_by("-year", "-id")
    if request.GET.get("export") == "xlsx":
        caption = _("Mô hình, cách làm hay — %(scope)s") % {
            "scope": unit.name if unit else _("toàn bộ phạm vi được xem")
        }
        return xlsx.response(
            exports.practice_list(qs[:EXPORT_LIMIT], caption), "mo-hinh-cach-lam-hay.xlsx"
        )
    return render(
        request,
        "practices/list.html",
        {"form": form, "page": paginate(request, qs), "can_record": can_record(user)},
    )


def practice_or_404(user, pk) -> GoodPractice:
    practice = queries.get_practice(user, pk)
    if practice is None:
        raise Http404
    return practice


@login_required
@require_GET
def practice_detail(request, pk):
    user = request.user
    practice = practice_or_404(user, pk)
    directives = doc_queries.visible_documents(user).filter(good_practices=practice)
    adoptions = list(queries.visible_adoptions(user, practice))
    for a in adoptions:
        # The rule of actions.remove_adoption: a reporter of the adopting unit (or above it).
        a.can_remove = reaches_unit(user, a.unit, Role.REPORTER)
    return render(
        request,
        "practices/detail.html",
        {
            "p": practice,
            "directives": directives.order_by("date", "id"),
            "adoptions": adoptions,
            "can_remove_any": any(a.can_remove for a in adoptions),
            "evidence": practice.evidence.order_by("uploaded_at", "id"),
            "can_edit": reaches_unit(user, practice.unit, Role.REPORTER),
            "can_adopt": can_record(user),
            "history": readable_log(request.user, history_for(practice)[:50]),
        },
    )


def _directives(user, form, unit) -> list:
    docs = []
    for symbol in form.cleaned_data["directives"]:
        found = list(doc_queries.find_by_symbol(user, symbol)[:2])
        if len(found) != 1:
            form.add_error(
                "directives",
                _("Không tìm thấy văn bản %(symbol)s trong phạm vi của bạn.") % {"symbol": symbol}
                if not found
                else _("Có nhiều văn bản mang số %(symbol)s.") % {"symbol": symbol},
            )
        else:
            docs.append(found[0])
    return docs


def _edit(request, practice: GoodPractice | None):
    user = request.user
    if practice is None:
        unit = default_unit(user, Role.REPORTER)
        initial = {"unit": unit or ""}
    else:
        initial = {
            "unit": practice.unit,
            "title": practice.title,
            "description": practice.description,
            "year": practice.year,
            "source": practice.source,
            # Only what the user may read; the action keeps the others linked.
            "directives": "\n".join(
                d.symbol
                for d in doc_queries.readable_documents(user)
                .filter(good_practices=practice)
                .order_by("date", "id")
            ),
            "version": practice.version,
        }
    form = PracticeForm(
        request.POST or None, request.FILES or None, initial=initial, editing=practice is not None
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = unit_by_code(user, form, "unit", data["unit"])
        docs = _directives(user, form, unit)
        if not form.errors:
            values = {
                "unit": unit,
                "title": data["title"],
                "description": data["description"],
                "year": data["year"],
                "source": data["source"],
                "directives": docs,
                # One byte past the cap: enough for the action to refuse an oversize file
                # without holding all of it in memory.
                "files": [(f.name, f.read(MAX_UPLOAD_BYTES + 1)) for f in data["files"]],
            }
            try:
                if practice is None:
                    saved = actions.record_practice(user, **values)
                else:
                    saved = actions.update_practice(
                        user, practice, expected_version=data["version"], **values
                    )
            except actions.StaleEdit as exc:
                conflict = [
                    (_("Tên mô hình, cách làm"), exc.current.get("title")),
                    (_("Năm"), exc.current.get("year")),
                    (_("Nội dung"), exc.current.get("description")),
                ]
                form.add_error(None, str(exc.message))
                posted = request.POST.copy()
                posted["version"] = exc.current["version"]
                form.data = posted
            except ActionError as exc:
                form_error(form, exc, {"file": "files"})
            else:
                messages.success(request, _("Đã lưu mô hình, cách làm hay."))
                return redirect("practice-detail", pk=saved.pk)
    return render(
        request,
        "practices/form.html",
        {"form": form, "practice": practice, "conflict": conflict},
        status=answer_status(request, conflict),
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_create(request):
    if not can_record(request.user):
        raise PermissionDenied
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk):
    practice = practice_or_404(request.user, pk)
    if not reaches_unit(request.user, practice.unit, Role.REPORTER):
        raise PermissionDenied
    return _edit(request, practice)


@login_required
@require_http_methods(["GET", "POST"])
def practice_adopt(request, pk):
    user = request.user
    practice = practice_or_404(user, pk)
    if not can_record(user):
        raise PermissionDenied
    unit = default_unit(user, Role.REPORTER)
    form = AdoptForm(request.POST or None, initial={"unit": unit or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adopter = unit_by_code(user, form, "unit", data["unit"])
        if adopter is not None:
            try:
                actions.adopt(
                    user, practice, unit=adopter, adopted_on=data["adopted_on"], note=data["note"]
                )
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận đơn vị áp dụng."))
                return redirect("practice-detail", pk=practice.pk)
    return render(
        request,
        "practices/adopt.html",
        {"form": form, "p": practice},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def adoption_remove(request, pk, adoption_pk):
    """Remove one adoption; outside the user's reach it does not exist (404)."""
    user = request.user
    practice = practice_or_404(user, pk)
    adoption = queries.visible_adoptions(user, practice).filter(pk=adoption_pk).first()
    if adoption is None:
        raise Http404
    try:
        actions.remove_adoption(user, adoption)
    except ActionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Đã gỡ ghi nhận áp dụng của %(unit)s.") % {"unit": adoption.unit.name}
        )
    return redirect("practice-detail", pk=practice.pk)


@login_required
@require_GET
def evidence_download(request, pk):
    """Always a download with its stored type and nosniff: never rendered by the browser."""
    evidence = PracticeEvidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    practice_or_404(request.user, evidence.practice_id)
    return download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
