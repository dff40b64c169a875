from __future__ import annotations

from django.urls import path

from openuhc.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.regions, name="regions"),
    path("province/<str:code>/", views.province, name="province"),
    path("district/<str:code>/", views.district, name="district"),
]
