"""The review queue: reports waiting for my decision, accepted or returned in place, or many
accepted with one confirmation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches
from trienkhai.core.actions import ActionError
from trienkhai.core.pagination import paginate
from trienkhai.documents.queries import readable_documents
from trienkhai.tracking.actions import review as review_actions
from trienkhai.tracking.forms import ReviewForm
from trienkhai.tracking.review_queue import (
    KINDS,
    page_of_waiting,
    waiting_count,
    waiting_page,
    waiting_reports,
)
from trienkhai.tracking.risk import at_risk_ids
from trienkhai.tracking.views.dashboard import directives_for
from trienkhai.units.models import Unit
from trienkhai.units.queries import visible_units

PAGE = 50


def _unit_choices(user):
    """The units a coordinator filters by: the units of their reach and the units just below."""
    roots = reaches(user, Role.COORDINATOR)
    if is_global(user):
        qs = Unit.objects.filter(depth__lte=1)
    else:
        ids = [r.unit_id for r in roots]
        qs = Unit.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    return [("", _("Mọi đơn vị"))] + [
        (str(pk), name)
        for pk, name in visible_units(user)
        .filter(pk__in=qs.values("pk"))
        .order_by("path")
        .values_list("pk", "name")[:300]
    ]


class QueueFilter(forms.Form):
    directive = forms.ChoiceField(label=gettext_lazy("Văn bản chỉ đạo"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Đơn vị báo cáo"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại báo cáo"),
        required=False,
        choices=(
            ("", gettext_lazy("Mọi báo cáo")),
            ("done", gettext_lazy("Báo cáo hoàn thành")),
            ("progress", gettext_lazy("Báo cáo tiến độ")),
        ),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directive"].choices = [("", _("Mọi văn bản"))] + [
            (str(pk), symbol) for pk, symbol in directives_for(user).values_list("pk", "symbol")
        ]
        self.fields["unit"].choices = _unit_choices(user)


@login_required
@require_GET
def review_queue(request):
    user = request.user
    form = QueueFilter(user, request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request, "tracking/review_queue.html", {"form": form, "page": None}, status=400
        )
    data = form.cleaned_data if form.is_bound else {}
    directive = unit = None
    if data.get("directive"):
        directive = readable_documents(user).filter(pk=data["directive"]).first()
    if data.get("unit"):
        unit = visible_units(user).filter(pk=data["unit"]).first()
    chosen = {"directive": directive, "unit": unit, "kind": data.get("kind") or ""}
    page = paginate(request, [], PAGE, count=waiting_count(user, **chosen))
    offset = page.start_index() - 1 if page.paginator.count else 0
    rows = list(
        waiting_page(user, offset=offset, limit=PAGE, **chosen).select_related(
            "assignment__unit", "assignment__task__plan__document", "assignment__directive"
        )
    )
    risky = at_risk_ids([r.assignment for r in rows])
    for r in rows:
        r.assignment.readable = r.readable
        r.at_risk = r.assignment_id in risky
    page.object_list = rows
    return render(
        request,
        "tracking/review_queue.html",
        {
            "form": form,
            "page": page,
            "listed": True,
            "rows": rows,
            "kinds": KINDS,
            "query": request.GET.urlencode(),
            "review_form": ReviewForm(),
        },
    )


def _filtered_ids(user, query: str) -> list[int] | None:
    """Every waiting report the queue's filter `query` lists (at most MAX_BATCH), or None when
    the filter is not one the queue page gives."""
    from django.http import QueryDict

    form = QueueFilter(user, QueryDict(query))
    if not form.is_valid():
        return None
    data = form.cleaned_data
    chosen = {
        "directive": readable_documents(user).filter(pk=data["directive"]).first()
        if data.get("directive")
        else None,
        "unit": visible_units(user).filter(pk=data["unit"]).first() if data.get("unit") else None,
        "kind": data.get("kind") or "",
    }
    return page_of_waiting(user, offset=0, limit=review_actions.MAX_BATCH, **chosen)


def _posted_ids(request) -> list[int] | None:
    """The reports a POST names: ticked boxes (`reports`) or the confirmation's one `ids` field
    (a thousand boxes would pass Django's limit on the number of fields)."""
    raw = request.POST.getlist("reports") or [
        x for x in request.POST.get("ids", "").split(",") if x
    ]
    if len(raw) > review_actions.MAX_BATCH:
        return None
    try:
        return sorted({int(x) for x in raw})
    except ValueError:
        return None


@login_required
@require_http_methods(["POST"])
def review_bulk(request):
    """Step 1 (no `confirm`): show what will be accepted — the ticked reports, or with
    `every=1` all the filter lists. Step 2 (`confirm`): accept exactly those, all or nothing."""
    user = request.user
    query = request.POST.get("query", "")[:2000]
    back = reverse("tracking-review-queue") + (f"?{query}" if query else "")
    if request.POST.get("every") == "1" and request.POST.get("confirm") != "1":
        ids = _filtered_ids(user, query)
    else:
        ids = _posted_ids(request)
    if ids is None:
        return HttpResponseBadRequest(_("Danh sách báo cáo không hợp lệ."))
    if not ids:
        messages.error(request, _("Hãy chọn ít nhất một báo cáo."))
        return redirect(back)
    if request.POST.get("confirm") != "1":
        chosen = list(
            waiting_reports(user)
            .filter(pk__in=ids[:200])
            .select_related("assignment__unit", "assignment__task__plan__document")
        )
        for r in chosen:
            r.assignment.readable = r.readable
        return render(
            request,
            "tracking/review_confirm.html",
            {
                "ids": ",".join(str(i) for i in ids),
                "count": len(ids),
                "shown": chosen,
                "query": query,
            },
        )
    try:
        n = review_actions.accept_reports(user, ids)
    except ActionError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(
        request,
        ngettext("Đã chấp nhận %(n)s báo cáo.", "Đã chấp nhận %(n)s báo cáo.", n) % {"n": n},
    )
    return redirect(back)
