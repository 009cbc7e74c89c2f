from django.urls import path

from trienkhai.core import views

urlpatterns = [path("", views.change_log, name="change-log")]
