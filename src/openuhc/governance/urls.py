from __future__ import annotations

from django.urls import path

from openuhc.governance import views, views_assembly, views_plans, views_public

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("setup/", views.setup, name="setup"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<str:code>/", views.body, name="body"),
    path("bodies/<str:code>/meetings/<id:pk>/", views.meeting, name="meeting"),
    path("bodies/<str:code>/meetings/<id:pk>/minutes", views.minutes, name="minutes"),
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_new, name="plan_new"),
    path("plans/<id:pk>/", views_plans.plan, name="plan"),
    path("plans/<id:pk>/round/", views_plans.round_new, name="round_new"),
    path("cycles/", views_assembly.cycle_list, name="cycles"),
    path("cycles/new/", views_assembly.cycle_new, name="cycle_new"),
    path("cycles/<str:code>/", views_assembly.cycle, name="cycle"),
    path("proposals/<id:pk>/", views_assembly.proposal, name="proposal"),
    path("drafts/<id:pk>/", views_assembly.draft, name="draft"),
    path("resolutions/<id:pk>/", views_assembly.resolution, name="resolution"),
    path("agencies/", views_assembly.agencies, name="agencies"),
    # public, no login
    path("public/", views_public.index, name="public"),
    path("public/bodies/<str:code>/", views_public.body, name="public_body"),
    path("public/bodies/<str:code>/meetings.<str:fmt>", views_public.body_data, name="public_body_data"),
    path("public/bodies/<str:code>/meetings/<id:pk>/minutes", views_public.minutes, name="public_minutes"),
    path("public/plans/<id:pk>/", views_public.plan, name="public_plan"),
    path("public/plans/<id:pk>/indicators.<str:fmt>", views_public.plan_data, name="public_plan_data"),
    path("public/register/", views_public.register, name="public_register"),
    path("public/register.<str:fmt>", views_public.register_data, name="public_register_data"),
    path("public/resolutions/<id:pk>/", views_public.resolution, name="public_resolution"),
    path("public/cycles/<str:code>/", views_public.cycle, name="public_cycle"),
    path("public/transfers/", views_public.transfer_view, name="public_transfers"),
    path("public/transfers.<str:fmt>", views_public.transfer_data, name="public_transfers_data"),
    path("public/propose/", views_public.propose, name="public_propose"),
    path("public/propose/sent/", views_public.proposed, name="public_proposed"),
]
