from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/<int:pk>/", views.org_detail, name="org"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:parent_pk>/new/", views.org_create, name="org_create"),
    path("orgs/<int:org_pk>/units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("orgs/<int:org_pk>/teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("users/", views.users, name="users"),
    path("users/export.xlsx", views.users_export, name="users_export"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/roles/", views.user_grant, name="user_grant"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", views.user_revoke, name="user_revoke"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/totp/off/", views.user_totp_off, name="user_totp_off"),
]
