from django.urls import path

from escalation import views

app_name = "escalation"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<uuid:code>/seen/", views.alert_seen, name="alert-seen"),
    path("routes/", views.routes, name="routes"),
    path("routes/<slug:practice>/<slug:kind>/", views.route_edit, name="route-edit"),
    path("items/<uuid:code>/", views.item_panel, name="item-panel"),
    path("items/<uuid:code>/escalate/", views.item_escalate, name="item-escalate"),
    path("items/<uuid:code>/triage/", views.item_confirm_triage, name="item-confirm-triage"),
    path("items/<uuid:code>/recovery/", views.item_recovery, name="item-recovery"),
    path("recoveries/<uuid:code>/close/", views.recovery_close, name="recovery-close"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:code>/resolve/", views.resolve, name="resolve"),
    path("<uuid:code>/return/", views.send_back, name="return"),
    path("<uuid:code>/judge/", views.judge, name="judge"),
]
