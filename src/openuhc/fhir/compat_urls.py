"""/compat/nhso/...: the national API shapes hospital systems already call (docs/api.md)."""

from __future__ import annotations

from django.urls import path, re_path

from openuhc.fhir import compat

app_name = "compat"

urlpatterns = [
    path("nhsoendpoint/api/v2/right-search", compat.right_search, name="right-search"),
    path("FMU/ecimp/v1/send", compat.send, name="eclaim-send"),
    path("FMU/ecimp/v1/track", compat.track, name="eclaim-track-query"),
    path("FMU/ecimp/v1/track/<str:transaction>", compat.track, name="eclaim-track"),
    re_path(r"^.*$", compat.unknown),
]
