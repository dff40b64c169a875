from __future__ import annotations

from django.urls import path

from openuhc.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpi/<str:code>/", views.kpi_page, name="kpi"),
    path("open/", views.open_data, name="open"),
    path("store/", views.store_page, name="store"),
    path("store/refresh/", views.refresh, name="refresh"),
]
