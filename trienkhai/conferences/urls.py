from django.urls import path

from trienkhai.conferences import views

urlpatterns = [
    path("", views.conference_list, name="conferences-list"),
    path("rollup/", views.rollup, name="conferences-rollup"),
    path("new/", views.conference_create, name="conference-create"),
    path("<int:pk>/", views.conference_detail, name="conference-detail"),
    path("<int:pk>/edit/", views.conference_edit, name="conference-edit"),
]
