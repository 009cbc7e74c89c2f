from django.urls import path

from trienkhai.home import views

urlpatterns = [path("", views.change_log, name="change-log")]
