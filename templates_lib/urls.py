from django.urls import path

from templates_lib import views

app_name = "playbook"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.moments, name="moments"),
    path("<slug:slug>/training/", views.training, name="training"),
    path("<slug:slug>/sending/", views.sending_rules, name="sending"),
    path("<slug:slug>/preview/", views.preview, name="preview"),
    path("<slug:slug>/moments/<slug:key>/", views.moment_detail, name="moment"),
    path("<slug:slug>/moments/<slug:key>/update/", views.moment_update, name="moment-update"),
    path(
        "<slug:slug>/moments/<slug:key>/channels/<slug:channel>/",
        views.channel_rule_update,
        name="channel-rule-update",
    ),
    path(
        "<slug:slug>/moments/<slug:key>/templates/",
        views.moment_templates,
        name="moment-templates",
    ),
    path("<slug:slug>/moments/<slug:key>/templates/new/", views.template_new, name="template-new"),
    path(
        "<slug:slug>/moments/<slug:key>/templates/create/",
        views.template_create,
        name="template-create",
    ),
    path("<slug:slug>/templates/<uuid:code>/", views.template_detail, name="template"),
    path("<slug:slug>/templates/<uuid:code>/save/", views.template_save, name="template-save"),
    path(
        "<slug:slug>/templates/<uuid:code>/new-draft/",
        views.template_new_draft,
        name="template-new-draft",
    ),
    path(
        "<slug:slug>/templates/<uuid:code>/approve/",
        views.template_approve,
        name="template-approve",
    ),
    path(
        "<slug:slug>/templates/<uuid:code>/retire/", views.template_retire, name="template-retire"
    ),
    path("<slug:slug>/templates/<uuid:code>/diff/", views.template_diff, name="template-diff"),
]
