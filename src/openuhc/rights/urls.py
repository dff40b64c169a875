from __future__ import annotations

from django.urls import path

from openuhc.rights import views, views_participation, views_s41

app_name = "rights"

urlpatterns = [
    path("", views_participation.overview, name="overview"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/<str:action>/", views.case_action, name="case_action"),
    # public: no account needed
    path("complain/", views.public_form, name="public_form"),
    path("complain/filed/", views.public_filed, name="public_filed"),
    path("follow/", views.follow, name="follow"),
    path("follow/case/", views.follow_case, name="follow_case"),
    path("follow/case/<str:action>/", views.follow_action, name="follow_action"),
    path("follow/end/", views.follow_end, name="follow_end"),
    # Section 41
    path("assistance/", views_s41.request_list, name="assistance_list"),
    path("assistance/new/", views_s41.request_new, name="assistance_new"),
    path("assistance/reserve/", views_s41.reserve_page, name="reserve"),
    path("assistance/<str:number>/", views_s41.request_detail, name="assistance"),
    path("assistance/<str:number>/<str:action>/", views_s41.request_action, name="assistance_action"),
    # participation
    path("participation/", views_participation.participation_page, name="participation"),
    path("activities/<id:pk>/", views_participation.activity_page, name="activity"),
    path("activities/<id:pk>/<str:action>/", views_participation.activity_action, name="activity_action"),
    path("hearings/new/", views_participation.hearing_new, name="hearing_new"),
    path("hearings/<id:pk>/", views_participation.hearing_page, name="hearing"),
    path("hearings/<id:pk>/<str:action>/", views_participation.hearing_action, name="hearing_action"),
]
