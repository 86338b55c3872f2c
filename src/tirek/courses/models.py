"""Courses such as the school for adoptive and foster parents."""

from __future__ import annotations
