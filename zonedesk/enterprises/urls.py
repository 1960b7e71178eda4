from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/remove/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("<int:pk>/designations/new/", views.designation_create, name="designation_create"),
    path("designations/", views.designation_list, name="designations"),
    path("designations/export.xlsx", views.designation_export, name="designation_export"),
    path("designations/<int:pk>/", views.designation_edit, name="designation_edit"),
    path("designations/<int:pk>/remove/", views.designation_remove, name="designation_remove"),
    path("funds/", views.fund_list, name="funds"),
    path("funds/export.xlsx", views.fund_export, name="fund_export"),
    path("funds/new/", views.fund_create, name="fund_create"),
    path("funds/<int:pk>/", views.fund_edit, name="fund_edit"),
]
