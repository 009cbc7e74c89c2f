"""Friendly error pages, and the answer while the database is busy."""

import sys

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from trienkhai.core.middleware import is_database_busy, is_database_unreachable


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


def database_busy(request, exc=None):
    """503 with a Retry-After: the database was busy writing for someone else (SQLite)."""
    message = (
        _("Hệ thống tạm thời gián đoạn. Vui lòng thử lại sau giây lát.")
        if is_database_unreachable(exc)
        else _("Hệ thống đang bận ghi dữ liệu khác. Vui lòng thử lại sau giây lát.")
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "core/error.html", {"title": message}, status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    exc = sys.exc_info()[1]
    if is_database_busy(exc):  # escaped outside a view (e.g. a session save)
        return database_busy(request, exc)
    return render(
        request,
        "core/error.html",
        {"title": _("Đã có lỗi xảy ra. Vui lòng thử lại sau.")},
        status=500,
    )
