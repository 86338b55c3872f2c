"""Referrals between organisations and from outside the system."""

from __future__ import annotations
