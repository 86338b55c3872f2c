"""Answers checked against an instrument's items: each answer's stored form, or a message naming the item.

Answers are a dict keyed by item code:
- yes_no "yes" | "no"; scale an integer within the item's min..max; number a number within min..max;
  choice one of the item's option values; text a string;
- icf_qualifier: {"qualifier": 0–4|8|9} for b and s codes, {"performance": q, "capacity": q} for d codes,
  {"qualifier": q, "sign": "barrier"|"facilitator"} for e codes, each with an optional user-entered "title"
  (WHO does not allow redistributing the titles). The "icf_profile" rule accepts any ICF code as a key.

Pure functions: items are any objects with the attributes of `InstrumentItem`.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tirek.assessments.choices import AnswerType, IcfSign, ScoringRule

ICF_CODE = re.compile(r"^[bsde]\d{3,5}$")
ICF_QUALIFIERS = frozenset({0, 1, 2, 3, 4, 8, 9})
TEXT_MAX = 2000
TITLE_MAX = 200


def item_label(item) -> str:
    """The item's prompt in the active language, or "Item 7" for items shipped without text."""
    language = (get_language() or "kk")[:2]
    for code in (language, "kk", "ru", "en"):
        value = getattr(item, f"prompt_{code}", "")
        if value:
            return value
    return _("Item %(number)s") % {"number": item.number}


def option_label(option: dict) -> str:
    language = (get_language() or "kk")[:2]
    for code in (language, "kk", "ru", "en"):
        if option.get(f"label_{code}"):
            return str(option[f"label_{code}"])
    return str(option.get("value", ""))


def item_options(item) -> list[dict]:
    return [o for o in (item.choices or []) if isinstance(o, dict)]


def item_problems(item) -> dict[str, list[str]]:
    """Why an item's definition cannot work (for InstrumentItem.clean), field by field."""
    errors: dict[str, list[str]] = {}
    kind = item.answer_type
    if kind == AnswerType.CHOICE:
        options = item.choices if isinstance(item.choices, list) else None
        values = [o.get("value") for o in options or [] if isinstance(o, dict)]
        if not options or len(values) != len(options) or not all(isinstance(v, str) and v for v in values):
            errors["choices"] = [_('Give a list of options, each with a "value" and its labels.')]
        elif len(set(values)) != len(values):
            errors["choices"] = [_("Two options have the same value.")]
    if kind == AnswerType.SCALE:
        if item.min_value is None or item.max_value is None:
            errors["max_value"] = [_("A scale needs its lowest and highest points.")]
        elif item.min_value != int(item.min_value) or item.max_value != int(item.max_value):
            errors["max_value"] = [_("The points of a scale are whole numbers.")]
    if item.min_value is not None and item.max_value is not None and item.min_value > item.max_value:
        errors["max_value"] = [_("The maximum is lower than the minimum.")]
    if kind == AnswerType.ICF_QUALIFIER and not ICF_CODE.match(item.code or ""):
        errors["code"] = [_("The code of an ICF item is the ICF code itself, e.g. d310.")]
    return errors


# ---------------------------------------------------------------------------------------------- validation


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | decimal.Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = decimal.Decimal(value.strip().replace(",", "."))
        except decimal.InvalidOperation:
            return None
    else:
        return None
    number = float(number)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number) if number == int(number) else number


def _qualifier(value: Any) -> int | None:
    number = as_number(value)
    return number if isinstance(number, int) and number in ICF_QUALIFIERS else None


def clean_icf_value(code: str, value: Any) -> tuple[dict, list[str]]:
    """The ICF qualifiers of one code, checked by component; returns (clean value, messages)."""
    if not isinstance(value, dict):
        return {}, [_("%(code)s: give the qualifiers as an object.") % {"code": code}]
    component = code[0]
    messages: list[str] = []
    clean: dict[str, Any] = {}

    def qualifier(name: str, missing_message: str) -> None:
        raw = value.get(name)
        if _missing(raw):
            if missing_message not in messages:
                messages.append(missing_message)
            return
        number = _qualifier(raw)
        if number is None:
            message = _("%(code)s: a qualifier is 0, 1, 2, 3, 4, 8 or 9.") % {"code": code}
            if message not in messages:
                messages.append(message)
            return
        clean[name] = number

    if component == "d":
        needs_both = _("%(code)s: a d code needs both its performance and capacity qualifiers.") % {
            "code": code
        }
        qualifier("performance", needs_both)
        qualifier("capacity", needs_both)
    else:
        qualifier("qualifier", _("%(code)s: give the qualifier.") % {"code": code})
    if component == "e":
        sign = value.get("sign")
        if sign not in IcfSign.values:
            messages.append(
                _("%(code)s: say whether the factor is a barrier or a facilitator.") % {"code": code}
            )
        else:
            clean["sign"] = sign
    title = value.get("title")
    if not _missing(title):
        if not isinstance(title, str) or len(title) > TITLE_MAX:
            messages.append(_("%(code)s: the title is text of at most 200 characters.") % {"code": code})
        else:
            clean["title"] = title.strip()
    return clean, messages


def _clean_answer(item, value: Any) -> tuple[Any, str | None]:
    """One answer in its stored form, or a message naming the item."""
    label = item_label(item)
    kind = item.answer_type
    if kind == AnswerType.YES_NO:
        if value is True or value == "yes":
            return "yes", None
        if value is False or value == "no":
            return "no", None
        return None, _("%(item)s: answer yes or no.") % {"item": label}
    if kind in (AnswerType.SCALE, AnswerType.NUMBER):
        number = as_number(value)
        if number is None or (kind == AnswerType.SCALE and not isinstance(number, int)):
            message = (
                _("%(item)s: enter a whole number.")
                if kind == AnswerType.SCALE
                else _("%(item)s: enter a number.")
            )
            return None, message % {"item": label}
        low, high = item.min_value, item.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            return None, _("%(item)s: the answer must be between %(min)s and %(max)s.") % {
                "item": label,
                "min": _plain_number(low) if low is not None else "…",
                "max": _plain_number(high) if high is not None else "…",
            }
        return number, None
    if kind == AnswerType.CHOICE:
        values = [o.get("value") for o in item_options(item)]
        if value not in values:
            return None, _("%(item)s: choose one of the listed answers.") % {"item": label}
        return value, None
    if kind == AnswerType.TEXT:
        if not isinstance(value, str) or len(value) > TEXT_MAX:
            return None, _("%(item)s: the answer is text of at most 2000 characters.") % {"item": label}
        return value.strip(), None
    if kind == AnswerType.ICF_QUALIFIER:
        clean, messages = clean_icf_value(item.code, value)
        return (None, " ".join(messages)) if messages else (clean, None)
    return None, _("%(item)s: this kind of answer is not known.") % {"item": label}


def _plain_number(value) -> str:
    number = as_number(value)
    return str(number) if number is not None else str(value)


def validate_answers(*, rule: str, items: Sequence, answers: Any) -> dict:
    """The answers in their stored form; a ValidationError with one message per item ("answers.<code>")."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("The answers are an object keyed by item code.")})
    by_code = {item.code: item for item in items}
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for item in items:
        value = answers.get(item.code)
        if _missing(value) or (item.answer_type == AnswerType.ICF_QUALIFIER and value == {}):
            if item.required:
                errors[f"answers.{item.code}"] = [
                    _("%(item)s: answer this item.") % {"item": item_label(item)}
                ]
            continue
        stored, message = _clean_answer(item, value)
        if message:
            errors[f"answers.{item.code}"] = [message]
        else:
            clean[item.code] = stored
    free_icf = rule == ScoringRule.ICF_PROFILE
    for key, value in answers.items():
        if key in by_code:
            continue
        code = str(key).strip().lower()
        if not free_icf:
            errors[f"answers.{key}"] = [_("%(code)s: the instrument has no such item.") % {"code": key}]
        elif not ICF_CODE.match(code):
            errors[f"answers.{key}"] = [
                _("“%(code)s” is not an ICF code: b, s, d or e followed by 3 to 5 digits, e.g. d310.")
                % {"code": key}
            ]
        elif code in clean:
            errors[f"answers.{key}"] = [_("%(code)s is entered twice.") % {"code": code}]
        else:
            stored, messages = clean_icf_value(code, value)
            if messages:
                errors[f"answers.{key}"] = messages
            else:
                clean[code] = stored
    if free_icf and not errors and not any(ICF_CODE.match(code) for code in clean):
        errors["answers"] = [_("Enter at least one ICF code with its qualifiers.")]
    if errors:
        raise ValidationError(errors)
    return clean
