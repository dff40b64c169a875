from __future__ import annotations

app_name = "rights"

urlpatterns: list = []
