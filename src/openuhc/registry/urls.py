from __future__ import annotations

from django.urls import path

from openuhc.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("access-log/", views.access_log, name="access_log"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reveal-id/", views.reveal_id, name="reveal_id"),
    path("<int:pk>/registration/", views.change_registration, name="change_registration"),
    path("<int:pk>/death/", views.record_death, name="record_death"),
]
