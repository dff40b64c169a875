from __future__ import annotations

from django.urls import path

from openuhc.drg import views

app_name = "drg"

urlpatterns = [path("", views.index, name="index")]
