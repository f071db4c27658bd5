from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from messaging import email_webhooks, portal_views
from queue_app import account_views, sign_in_again

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/again/", sign_in_again.sign_in_again, name="sign-in-again"),
    path("account/2fa/setup/", account_views.two_factor_setup, name="account-2fa-setup"),
    path("account/2fa/verify/", account_views.two_factor_verify, name="account-2fa-verify"),
    path("admin/", admin.site.urls),
    path("twilio/", include("messaging.urls")),
    path("delivery/", include("messaging.failed_urls")),
    path("portal/messages/", portal_views.portal_message, name="portal-message"),
    path("email/inbound/", email_webhooks.inbound, name="email-inbound"),
    path("email/events/", email_webhooks.events, name="email-events"),
    path("escalations/", include("escalation.urls")),
    path("notes/", include("notes.urls")),
    path("reports/", include("reports.urls")),
    path("playbook/", include("templates_lib.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("imports/", include("integrations.urls")),
    path("patients/", include("patients.urls")),
    path("", include("queue_app.urls")),
]
