from django.urls import path

from trienkhai.evaluations import views, views_steps

urlpatterns = [
    path("", views.period_list, name="evaluations-list"),
    path("distribution/", views.distribution, name="evaluations-distribution"),
    path("periods/new/", views.period_create, name="evaluations-period-create"),
    path("periods/<int:pk>/", views.period_detail, name="evaluations-period"),
    path("periods/<int:pk>/edit/", views.period_edit, name="evaluations-period-edit"),
    path(
        "periods/<int:pk>/units/<int:unit_id>/",
        views.classification,
        name="evaluations-classification",
    ),
    path(
        "periods/<int:pk>/units/<int:unit_id>/open/",
        views.open_evaluations,
        name="evaluations-open",
    ),
    path("<int:pk>/", views_steps.detail, name="evaluations-detail"),
    path("<int:pk>/self-rating/", views_steps.self_rating, name="evaluations-self-rating"),
    path("<int:pk>/review/", views_steps.review, name="evaluations-review"),
    path("<int:pk>/decide/", views_steps.decide, name="evaluations-decide"),
    path("<int:pk>/notify/", views_steps.notify, name="evaluations-notify"),
    path(
        "<int:pk>/return/",
        views_steps.return_to_organisation,
        name="evaluations-return",
    ),
]
