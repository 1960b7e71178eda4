from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:pk>/", views.open_message, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("settings/", views.preferences, name="preferences"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/edit/", views.webhook_edit, name="webhook_edit"),
    path("deliveries/<int:pk>/retry/", views.retry, name="retry"),
]
