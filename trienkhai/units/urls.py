from django.urls import path

from trienkhai.units import views

urlpatterns = [
    path("", views.tree, name="unit-tree"),
    path("<int:pk>/", views.detail, name="unit-detail"),
    path("<int:pk>/children/", views.children, name="unit-children"),
    path("<int:pk>/<slug:op>/", views.reorganise, name="unit-reorganise"),
    path("pick/", views.pick, name="unit-pick"),
    path("import/", views.import_view, name="unit-import"),
    path("import/<int:pk>/", views.import_detail, name="unit-import-detail"),
    path("import/<int:pk>/status/", views.import_status, name="unit-import-status"),
    path(
        "import/template.csv",
        views.import_template,
        {"fmt": "csv"},
        name="unit-import-template-csv",
    ),
    path(
        "import/template.xlsx",
        views.import_template,
        {"fmt": "xlsx"},
        name="unit-import-template-xlsx",
    ),
]
