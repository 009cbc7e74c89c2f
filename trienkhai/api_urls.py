"""The REST API: one router for every app's viewsets, plus the OpenAPI schema."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from trienkhai.core import registry

# Every app registers its viewsets and views in its AppConfig.ready() (core.registry).
router = DefaultRouter()
for _prefix, (prefix, viewset, basename) in registry.entries("api.routes"):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The schema read in the browser; its script is a separate file, so the page keeps the
    # Content Security Policy without inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *(entry for _name, entry in registry.entries("api.paths")),
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404 like the API's own, not the HTML page (a path
    # without its final slash still gets the usual redirect to the one with it first).
    re_path(r"^.*/$", csrf_exempt(lambda request, *args, **kwargs: api_not_found(request))),
]


def api_not_found(request):
    """Any method: there is nothing here to protect from cross-site requests, nor to find."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
