from __future__ import annotations

from django.urls import path

from openuhc.claims import list_views, review_views, views

app_name = "claims"

urlpatterns = [
    path("", views.submissions, name="submissions"),
    path("list/", list_views.claim_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("submissions/<id:pk>/", views.submission_detail, name="submission"),
    path("submissions/<id:pk>/problems.csv", views.report_csv, name="report_csv"),
    path("submissions/<id:pk>/problems.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<id:pk>/", views.claim_detail, name="claim"),
    path("review/", review_views.review_list, name="review"),
    path("<id:pk>/review/", review_views.review_claim, name="review_claim"),
]
