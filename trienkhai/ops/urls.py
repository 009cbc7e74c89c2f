from django.urls import path

from trienkhai.ops import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.prometheus, name="metrics"),
    path("csp-report/", views.csp_report, name="csp-report"),
]
