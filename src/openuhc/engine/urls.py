from __future__ import annotations

from django.urls import path

from openuhc.engine import views

app_name = "engine"

urlpatterns = [
    path("runs/", views.runs, name="runs"),
    path("runs/<uuid:pk>/", views.run_detail, name="run"),
]
