from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("board/", views.board, name="board"),
    path("export.xlsx", views.project_export, name="export"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("lock/", views.lock, name="lock"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/stage/", views.project_stage, name="stage"),
    path("<int:pk>/stats/", views.project_stats, name="stats"),
    path("<int:pk>/plan/", views.year_plan, name="plan"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/approvals/new/", views.approval, name="approval_new"),
    path("<int:pk>/approvals/<int:step_pk>/", views.approval, name="approval"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_thumb, name="photo_thumb"),
]
