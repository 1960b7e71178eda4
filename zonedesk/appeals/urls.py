from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("export.xlsx", views.appeal_export, name="export"),
    path("inbox/", views.inbox, name="inbox"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.appeal_raise, name="raise"),
    path("log/", views.appeal_log, name="log"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.docx", views.report_docx, name="report_docx"),
    path("categories/", views.category_list, name="categories"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/seed/", views.category_seed, name="category_seed"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/attach/", views.appeal_attach, name="attach"),
    path("<int:pk>/blocker/", views.appeal_blocker, name="blocker"),
    path("<int:pk>/<slug:step>/", views.appeal_step, name="step"),
]
