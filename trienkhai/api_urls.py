"""The REST API: one router for every app's viewsets, plus the OpenAPI schema."""

from importlib import import_module

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from trienkhai.accounts.api import LogoutAllView, LogoutView, MeView, PasswordView, TokenView
from trienkhai.documents.api import DocumentViewSet, RelationViewSet
from trienkhai.tracking import api as tracking_api
from trienkhai.units.api import UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="api-unit")
router.register("documents", DocumentViewSet, basename="api-document")
router.register("relations", RelationViewSet, basename="api-relation")
router.register("plans", tracking_api.PlanViewSet, basename="api-plan")
router.register("tasks", tracking_api.TaskViewSet, basename="api-task")
router.register("assignments", tracking_api.AssignmentViewSet, basename="api-assignment")
router.register("reports", tracking_api.ReportViewSet, basename="api-report")

# Apps that declare their endpoints as data (`ROUTES` for viewsets, `PATHS` for plain views).
DECLARING_APPS = ("inspections", "conferences", "practices", "evaluations")
extra_paths = []
for app in DECLARING_APPS:
    module = import_module(f"trienkhai.{app}.api")
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)
    extra_paths.extend(module.PATHS)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path("auth/password/", PasswordView.as_view(), name="api-password"),
    path("me/", MeView.as_view(), name="api-me"),
    path("rollup/", tracking_api.RollupView.as_view(), name="api-rollup"),
    path("coverage/", tracking_api.CoverageView.as_view(), name="api-coverage"),
    path("overdue/", tracking_api.OverdueView.as_view(), name="api-overdue"),
    *extra_paths,
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404 like the API's own, not the HTML page (a path
    # without its final slash still gets the usual redirect to the one with it first).
    re_path(r"^.*/$", csrf_exempt(lambda request, *args, **kwargs: api_not_found(request))),
]


def api_not_found(request):
    """Any method: there is nothing here to protect from cross-site requests, nor to find."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
