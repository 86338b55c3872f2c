"""Cursor pagination for lists that grow: stable under inserts, no expensive COUNT."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class TirekCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-created_at"
