from __future__ import annotations

from django.urls import path

from openuhc.providers import views

app_name = "providers"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/transfer/", views.transfer, name="transfer"),
]
