from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.years, name="calendar"),
    path("<int:year>/", views.year_detail, name="calendar_year"),
    path("<int:year>/day/", views.set_day, name="calendar_day"),
    path("<int:year>/import/", views.import_schedule, name="calendar_import"),
    path("<int:year>/publish/", views.set_published, name="calendar_publish"),
]
