from django.urls import path

from trienkhai.notify import views

urlpatterns = [
    path("", views.notification_list, name="notify-list"),
    path("<int:pk>/read/", views.mark_read, name="notify-read"),
    path("read-all/", views.mark_all_read, name="notify-read-all"),
    path("preferences/", views.preferences, name="notify-preferences"),
    path("jobs/failed/", views.failed_jobs, name="jobs-failed"),
    path("jobs/<str:pk>/retry/", views.job_retry, name="jobs-retry"),
    path("jobs/<str:pk>/discard/", views.job_discard, name="jobs-discard"),
]
