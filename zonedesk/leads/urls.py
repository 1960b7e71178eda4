from django.urls import path

from . import views

app_name = "leads"
urlpatterns = [
    path("", views.lead_list, name="list"),
    path("export.xlsx", views.lead_export, name="export"),
    path("new/", views.lead_create, name="create"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("leaderboard/export.xlsx", views.leaderboard_export, name="leaderboard_export"),
    path("funnel/", views.funnel, name="funnel"),
    path("funnel/export.xlsx", views.funnel_export, name="funnel_export"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/edit/", views.lead_edit, name="edit"),
    path("<int:pk>/advance/", views.lead_advance, name="advance"),
    path("<int:pk>/sign/", views.lead_sign, name="sign"),
    path("<int:pk>/drop/", views.lead_drop, name="drop"),
]
