from django.urls import path

from trienkhai.webhooks import views

urlpatterns = [
    path("", views.subscription_list, name="webhook-list"),
    path("<int:pk>/", views.subscription_detail, name="webhook-detail"),
    path("<int:pk>/action/", views.subscription_action, name="webhook-action"),
]
