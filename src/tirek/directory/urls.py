from __future__ import annotations

app_name = "directory"
urlpatterns = []
