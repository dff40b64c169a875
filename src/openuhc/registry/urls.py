from __future__ import annotations

from django.urls import path

from openuhc.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("access-log/", views.access_log, name="access_log"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/reveal-id/", views.reveal_id, name="reveal_id"),
    path("<id:pk>/registration/", views.change_registration, name="change_registration"),
    path("<id:pk>/death/", views.record_death, name="record_death"),
]
