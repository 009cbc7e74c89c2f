from django.urls import path

from trienkhai.practices import views

urlpatterns = [
    path("", views.practice_list, name="practices-list"),
    path("new/", views.practice_create, name="practice-create"),
    path("<int:pk>/", views.practice_detail, name="practice-detail"),
    path("<int:pk>/edit/", views.practice_edit, name="practice-edit"),
    path("<int:pk>/adopt/", views.practice_adopt, name="practice-adopt"),
    path(
        "<int:pk>/adoptions/<int:adoption_pk>/remove/",
        views.adoption_remove,
        name="practice-adoption-remove",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="practice-evidence"),
]
