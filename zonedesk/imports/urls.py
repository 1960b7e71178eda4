from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.job, name="job"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("mine/", views.mine, name="mine"),
]
