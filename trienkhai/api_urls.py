"""The REST API: one router for every app's viewsets, plus the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from trienkhai.accounts.api import MeView, TokenView
from trienkhai.documents.api import DocumentViewSet, RelationViewSet
from trienkhai.units.api import UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="api-unit")
router.register("documents", DocumentViewSet, basename="api-document")
router.register("relations", RelationViewSet, basename="api-relation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
