"""Home page, the site-wide change log, and friendly error pages."""

import sys

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from trienkhai.core.forms import LogFilterForm
from trienkhai.core.middleware import is_database_busy
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import log_entries, shown_to
from trienkhai.units import queries as unit_queries


@login_required
def home(request):
    roots = unit_queries.children(request.user, None)
    return render(request, "core/home.html", {"roots": roots[:20]})


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
    page.object_list = shown_to(request.user, page.object_list)
    return render(request, "core/log.html", {"form": form, "page": page})


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"title": _("Yêu cầu không hợp lệ")}, status=400)


def permission_denied(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": _("Bạn không có quyền truy cập trang này")},
        status=403,
    )


def page_not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": _("Không tìm thấy trang hoặc bạn không có quyền xem")},
        status=404,
    )


def database_busy(request):
    """503 with a Retry-After: the database was busy writing for someone else (SQLite)."""
    message = _("Hệ thống đang bận ghi dữ liệu khác. Vui lòng thử lại sau giây lát.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "core/error.html", {"title": message}, status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    if is_database_busy(sys.exc_info()[1]):  # escaped outside a view (e.g. a session save)
        return database_busy(request)
    return render(
        request,
        "core/error.html",
        {"title": _("Đã có lỗi xảy ra. Vui lòng thử lại sau.")},
        status=500,
    )
