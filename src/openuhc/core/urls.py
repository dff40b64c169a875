from __future__ import annotations

from django.urls import path

from openuhc.core import views

app_name = "core"

urlpatterns = [
    path("imports/", views.import_start, name="import"),
    path("jobs/<uuid:pk>/", views.job_page, name="job"),
    path("jobs/<uuid:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/errors.csv", views.job_errors, name="job_errors"),
]
