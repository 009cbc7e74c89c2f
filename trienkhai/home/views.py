"""The home page and the site-wide change log: the top floor, which may read every app."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from trienkhai.core.dates import today
from trienkhai.core.pagination import paginate
from trienkhai.home.forms import LogFilterForm
from trienkhai.home.queries import log_entries, rows_shown_to
from trienkhai.home.todo import remember_count, summary, work_list
from trienkhai.units import queries as unit_queries
from trienkhai.units.areas import cached_for


@login_required
def home(request):
    """Việc cần làm: what my units must do and what waits for me, most urgent first."""
    day = today()
    user = request.user
    groups, band = cached_for(
        user, "home", (day,), lambda: (work_list(user, day), summary(user, day))
    )
    remember_count(request.session, sum(g.count for g in groups))
    return render(
        request,
        "home/home.html",
        {
            "groups": groups,
            "total": sum(g.count for g in groups),
            "summary": band,
            "today": day,
        },
    )


@login_required
def change_log(request):
    form = LogFilterForm(request.GET or None)
    unit = None
    entries = log_entries(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            unit = (
                unit_queries.visible_units(request.user)
                .filter(Q(code=data["unit"]) | Q(name__iexact=data["unit"]))
                .first()
            )
            if unit is None:
                form.add_error("unit", _("Không tìm thấy đơn vị trong phạm vi của bạn."))
        if form.is_valid():
            entries = log_entries(
                request.user,
                username=data["user"],
                unit=unit,
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
    page = paginate(request, entries)
    rows = rows_shown_to(request.user, page.object_list)
    return render(request, "home/log.html", {"form": form, "page": page, "rows": rows})
