from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from openuhc.accounts import views as account_views
from openuhc.api import api

urlpatterns = [
    path("", account_views.start, name="start"),
    path("accounts/", include("openuhc.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("openuhc.registry.urls")),
    path("units/", include("openuhc.providers.urls")),
    path("geo/", include("openuhc.geo.urls")),
    path("claims/", include("openuhc.claims.urls")),
    path("drg/", include("openuhc.drg.urls")),
    path("payment/", include("openuhc.payment.urls")),
    path("funds/", include("openuhc.localfund.urls")),
    path("rights/", include("openuhc.rights.urls")),
    path("governance/", include("openuhc.governance.urls")),
    path("budget/", include("openuhc.budget.urls")),
    path("monitoring/", include("openuhc.monitoring.urls")),
    path("engine/", include("openuhc.engine.urls")),
    path("", include("openuhc.core.urls")),
    path("api/", api.urls),
    path("fhir/", include("openuhc.fhir.urls")),
    path("compat/nhso/", include("openuhc.fhir.compat_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "openuhc.core.errorpages.not_found"
handler500 = "openuhc.core.errorpages.server_error"
