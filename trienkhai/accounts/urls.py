from django.contrib.auth import views as auth_views
from django.urls import path

from trienkhai.accounts import views, views_users
from trienkhai.accounts.views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/me/", views.account, name="account"),
    path("accounts/me/tokens/revoke/", views.revoke_my_tokens, name="account-tokens-revoke"),
    path("accounts/users/", views_users.user_list, name="user-list"),
    path("accounts/users/<int:pk>/", views_users.user_detail, name="user-detail"),
    path(
        "accounts/users/<int:pk>/grants/<int:grant_pk>/revoke/",
        views_users.revoke,
        name="grant-revoke",
    ),
    path("accounts/users/<int:pk>/active/", views_users.set_active, name="user-set-active"),
    path(
        "accounts/users/<int:pk>/tokens/revoke/",
        views_users.revoke_tokens,
        name="user-tokens-revoke",
    ),
]
