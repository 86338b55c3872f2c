"""Youth houses and similar facilities: places and residents."""

from __future__ import annotations
