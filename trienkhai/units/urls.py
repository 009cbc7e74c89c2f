from django.urls import path

from trienkhai.units import views

urlpatterns = [
    path("", views.tree, name="unit-tree"),
    path("<int:pk>/", views.detail, name="unit-detail"),
    path("import/", views.import_units, name="unit-import"),
]
