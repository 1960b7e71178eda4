from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/report.docx", views.download, {"fmt": "docx"}, name="docx"),
    path("<int:pk>/report.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
]
