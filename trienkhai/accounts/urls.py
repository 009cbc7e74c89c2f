from django.contrib.auth import views as auth_views
from django.urls import path

from trienkhai.accounts.views import account, second_factor, users
from trienkhai.accounts.views.account import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("login/verify/", second_factor.verify, name="login-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/me/2fa/", second_factor.setup, name="second-factor"),
    path("accounts/users/<int:pk>/2fa/reset/", second_factor.reset, name="second-factor-reset"),
    path("accounts/me/", account.account, name="account"),
    path("accounts/me/tokens/revoke/", account.revoke_my_tokens, name="account-tokens-revoke"),
    path("accounts/users/", users.user_list, name="user-list"),
    path("accounts/users/<int:pk>/", users.user_detail, name="user-detail"),
    path(
        "accounts/users/<int:pk>/grants/<int:grant_pk>/revoke/",
        users.revoke,
        name="grant-revoke",
    ),
    path("accounts/users/<int:pk>/active/", users.set_active, name="user-set-active"),
    path(
        "accounts/users/<int:pk>/tokens/revoke/",
        users.revoke_tokens,
        name="user-tokens-revoke",
    ),
]
