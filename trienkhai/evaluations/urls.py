from django.urls import path

from trienkhai.evaluations.views import periods, steps

urlpatterns = [
    path("", periods.period_list, name="evaluations-list"),
    path("distribution/", periods.distribution, name="evaluations-distribution"),
    path("periods/new/", periods.period_create, name="evaluations-period-create"),
    path("periods/<int:pk>/", periods.period_detail, name="evaluations-period"),
    path("periods/<int:pk>/edit/", periods.period_edit, name="evaluations-period-edit"),
    path(
        "periods/<int:pk>/units/<int:unit_id>/",
        periods.classification,
        name="evaluations-classification",
    ),
    path(
        "periods/<int:pk>/units/<int:unit_id>/open/",
        periods.open_evaluations,
        name="evaluations-open",
    ),
    path("<int:pk>/", steps.detail, name="evaluations-detail"),
    path("<int:pk>/self-rating/", steps.self_rating, name="evaluations-self-rating"),
    path("<int:pk>/review/", steps.review, name="evaluations-review"),
    path("<int:pk>/decide/", steps.decide, name="evaluations-decide"),
    path("<int:pk>/notify/", steps.notify, name="evaluations-notify"),
    path(
        "<int:pk>/return/",
        steps.return_to_organisation,
        name="evaluations-return",
    ),
]
