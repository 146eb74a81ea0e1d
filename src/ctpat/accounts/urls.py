from django.urls import path

from ctpat.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("two-factor/setup/", views.totp_setup, name="totp_setup"),
    path("two-factor/verify/", views.verify, name="verify"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("switch/", views.switch_organization, name="switch"),
]
