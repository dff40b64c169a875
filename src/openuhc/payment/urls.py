from __future__ import annotations

from django.urls import path

from openuhc.payment import views

app_name = "payment"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/compute/", views.compute, name="compute"),
    path("runs/<int:pk>/advance/", views.advance, name="advance"),
    path("runs/<int:pk>/statements/<str:code>/", views.round_statement, name="round_statement"),
    path("statements/", views.statements, name="statements"),
    path("statements/<str:code>/<str:month>/", views.statement, name="statement"),
    path("charts/", views.charts, name="charts"),
]
