from __future__ import annotations

app_name = "residence"
urlpatterns: list = []
