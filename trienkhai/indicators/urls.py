from django.urls import path

from trienkhai.indicators import views

urlpatterns = [
    path("", views.set_list, name="indicators-list"),
    path("import/", views.import_set, name="indicators-import"),
    path("import/template.xlsx", views.import_template, name="indicators-import-template"),
    path("<int:pk>/", views.set_panel, name="indicators-set"),
    path("<int:pk>/report/", views.report, name="indicators-report"),
    path("<int:pk>/cascade/", views.cascade, name="indicators-cascade"),
    path("<int:pk>/explain/", views.request_explanation, name="indicators-explain"),
    path(
        "explanations/<int:pk>/answer/",
        views.answer_explanation,
        name="indicators-explanation-answer",
    ),
]
