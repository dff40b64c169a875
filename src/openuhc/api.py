"""The JSON API (django-ninja): /api/v1/..., OpenAPI at /api/openapi.json, docs at /api/docs.

Errors are always {"code": ..., "message": ...} in the caller's language (Accept-Language).
"""

from __future__ import annotations

from ninja import NinjaAPI

from openuhc.accounts.api_auth import API_AUTH
from openuhc.budget.api import router as budget_router
from openuhc.claims.api import router as claims_router
from openuhc.core.api import document_errors, install_error_handlers
from openuhc.drg.api import router as drg_router
from openuhc.engine.api import router as engine_router
from openuhc.geo.api import router as geo_router
from openuhc.localfund.api import router as localfund_router
from openuhc.monitoring.api import router as monitoring_router
from openuhc.payment.api import router as payment_router
from openuhc.providers.api import router as providers_router
from openuhc.registry.api import router as registry_router
from openuhc.rights.api import router as rights_router

api = NinjaAPI(title="OpenUHC API", version="1", urls_namespace="api", auth=API_AUTH)
install_error_handlers(api)
api.add_router("/v1/", registry_router)
api.add_router("/v1/units/", providers_router)
api.add_router("/v1/geo/", geo_router)
api.add_router("/v1/claims/", claims_router)
api.add_router("/v1/drg/", drg_router)
api.add_router("/v1/payment/", payment_router)
api.add_router("/v1/funds/", localfund_router)
api.add_router("/v1/rights/", rights_router)
api.add_router("/v1/budget/", budget_router)
api.add_router("/v1/monitoring/", monitoring_router)
api.add_router("/v1/engine/", engine_router)
document_errors(api)
