from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.blocker_list, name="list"),
    path("export.xlsx", views.blocker_export, name="export"),
    path("inbox/", views.inbox, name="inbox"),
    path("today/", views.today_page, name="today"),
    path("new/", views.blocker_create, name="create"),
    path("project/<int:pk>/", views.project_rows, name="project"),
    path("<int:pk>/", views.blocker_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.blocker_action, name="action"),
]
