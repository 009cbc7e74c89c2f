from django.urls import path

from trienkhai.notify import views

urlpatterns = [
    path("", views.notification_list, name="notify-list"),
    path("<int:pk>/read/", views.mark_read, name="notify-read"),
    path("read-all/", views.mark_all_read, name="notify-read-all"),
]
