from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/export.xlsx", views.ranking_export, name="ranking_export"),
    path("entry/", views.entry, name="entry"),
    path("entry/<str:action>/", views.period_action, name="period_action"),
    path("targets/", views.targets, name="targets"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.catalogue_edit, name="catalogue_edit"),
]
