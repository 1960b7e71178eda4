from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("export.xlsx", views.meeting_export, name="export"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/print.docx", views.meeting_docx, name="docx"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/agenda/rebuild/", views.agenda_rebuild, name="rebuild"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/", views.agenda_item, name="agenda_item"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/blocker/", views.decision_blocker, name="decision_blocker"),
]
