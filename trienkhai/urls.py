"""URL map: one include per app, the API under /api/."""

from django.urls import include, path

from trienkhai.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("", include("trienkhai.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("log/", include("trienkhai.home.urls")),
    path("units/", include("trienkhai.units.urls")),
    path("documents/", include("trienkhai.documents.urls")),
    path("tracking/", include("trienkhai.tracking.urls")),
    path("api/", include("trienkhai.api_urls")),
    path("notifications/", include("trienkhai.notify.urls")),
    path("inspections/", include("trienkhai.inspections.urls")),
    path("conferences/", include("trienkhai.conferences.urls")),
    path("practices/", include("trienkhai.practices.urls")),
    path("evaluations/", include("trienkhai.evaluations.urls")),
    path("indicators/", include("trienkhai.indicators.urls")),
    path("reports/", include("trienkhai.reports.urls")),
    path("webhooks/", include("trienkhai.webhooks.urls")),
    path("", include("trienkhai.ops.urls")),
]

handler400 = "trienkhai.core.views.bad_request"
handler403 = "trienkhai.core.views.permission_denied"
handler404 = "trienkhai.core.views.page_not_found"
handler500 = "trienkhai.core.views.server_error"
