"""Writes of social support: appeals, material aid and outcomes."""

from __future__ import annotations

from tirek.support.services.aid import aid_distribute, aid_distribute_batch
from tirek.support.services.appeals import (
    appeal_assign,
    appeal_deadline_set,
    appeal_forward,
    appeal_link_case,
    appeal_register,
    appeal_register_helpline,
    appeal_reject,
    appeal_resolve,
    appeal_start,
    appeal_update,
    appeal_withdraw,
    deadline_days,
)
from tirek.support.services.outcomes import outcome_record

__all__ = [
    "aid_distribute",
    "aid_distribute_batch",
    "appeal_assign",
    "appeal_deadline_set",
    "appeal_forward",
    "appeal_link_case",
    "appeal_register",
    "appeal_register_helpline",
    "appeal_reject",
    "appeal_resolve",
    "appeal_start",
    "appeal_update",
    "appeal_withdraw",
    "deadline_days",
    "outcome_record",
]
