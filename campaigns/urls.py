from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.campaign_list, name="list"),
    path("<slug:slug>/new/", views.new, name="new"),
    path("<slug:slug>/<uuid:code>/", views.campaign, name="campaign"),
    path("<slug:slug>/<uuid:code>/edit/", views.edit, name="edit"),
    path("<slug:slug>/<uuid:code>/approve/", views.approve, name="approve"),
    path("<slug:slug>/<uuid:code>/send/", views.send, name="send"),
    path("<slug:slug>/<uuid:code>/pause/", views.pause, name="pause"),
    path("<slug:slug>/<uuid:code>/resume/", views.resume, name="resume"),
    path("<slug:slug>/<uuid:code>/report/", views.campaign_report, name="report"),
]
