from __future__ import annotations

from django.urls import path

from openuhc.budget import designer_views, views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("designer/", designer_views.designer, name="designer"),
    path("designer/compare/", designer_views.compare, name="compare"),
    path("designer/<id:pk>/", designer_views.scenario, name="scenario"),
    path("<str:scheme>/<fy:fy>/", views.year, name="year"),
    path("<str:scheme>/<fy:fy>/edit/", views.edit, name="edit"),
    path("<str:scheme>/<fy:fy>/export.xlsx", views.export, name="export"),
    path("<str:scheme>/<fy:fy>/import/", views.import_file, name="import"),
]
