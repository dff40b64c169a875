from __future__ import annotations

from django.urls import path

from openuhc.payment import views

app_name = "payment"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("runs/<id:pk>/", views.run_detail, name="run"),
    path("runs/<id:pk>/compute/", views.compute, name="compute"),
    path("runs/<id:pk>/advance/", views.advance, name="advance"),
    path("runs/<id:pk>/statements/<str:code>/", views.round_statement, name="round_statement"),
    path("statements/", views.statements, name="statements"),
    path("statements/<str:code>/<str:month>/", views.statement, name="statement"),
    path("charts/", views.charts, name="charts"),
]
