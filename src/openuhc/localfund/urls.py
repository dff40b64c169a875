from __future__ import annotations

from django.urls import path

from openuhc.localfund import views

app_name = "localfund"

urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("public/", views.public_list, name="public_list"),
    path("public/<str:code>/", views.public_fund, name="public_fund"),
    path("<str:code>/", views.fund_detail, name="fund"),
    path("<str:code>/income/", views.income_add, name="income_add"),
    path("<str:code>/close-year/", views.year_close, name="year_close"),
    path("<str:code>/ledger/", views.ledger, name="ledger"),
    path("<str:code>/committee/", views.committee, name="committee"),
    path("<str:code>/plan/", views.plan, name="plan"),
    path("<str:code>/projects/new/", views.project_new, name="project_new"),
    path("<str:code>/projects/<id:pk>/", views.project_detail, name="project"),
    path("<str:code>/projects/<id:pk>/<str:action>/", views.project_action, name="project_action"),
    path("<str:code>/statement/<fy:year>.pdf", views.statement_pdf, name="statement_pdf"),
    path("<str:code>/statement/<fy:year>.xlsx", views.statement_xlsx, name="statement_xlsx"),
]
