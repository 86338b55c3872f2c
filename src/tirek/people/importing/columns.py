"""The journal's columns, the words accepted in them, and the shape of a reported problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import ngettext

from tirek.cases.choices import ReferralSource
from tirek.people.choices import FamilyRole, IinMissingReason, Sex

MAX_BYTES = settings.TIREK_IMPORT_MAX_BYTES  # README "Configuration"
MAX_ROWS = 20_000
# An XLSX is a zip: its unpacked XML is bounded too, so that a small file cannot unpack into gigabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PROBLEMS = 1_000
EXTENSIONS = (".xlsx", ".csv")


@dataclass(frozen=True)
class Column:
    """One column of the journal: its key (also accepted as a header) and its header in Kazakh and Russian."""

    key: str
    kk: str
    ru: str
    required: bool = False
    max_length: int | None = None

    def header(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "kk")[:2]
        return {"kk": self.kk, "ru": self.ru}.get(language, self.key)


COLUMNS = (
    Column("external_id", "Журналдағы нөмірі", "Номер в журнале", max_length=64),
    Column("iin", "ЖСН", "ИИН", required=True),
    Column("iin_missing_reason", "ЖСН жоқ болу себебі", "Причина отсутствия ИИН"),
    Column("surname", "Тегі", "Фамилия", required=True, max_length=100),
    Column("given_name", "Аты", "Имя", required=True, max_length=100),
    Column("patronymic", "Әкесінің аты", "Отчество", max_length=100),
    Column("birth_date", "Туған күні", "Дата рождения", required=True),
    Column("sex", "Жынысы", "Пол", required=True),
    Column("region", "Өңір", "Регион"),
    Column("locality", "Елді мекен", "Населённый пункт", max_length=150),
    Column("street", "Көше, үй", "Улица, дом", max_length=200),
    Column("phone", "Телефон", "Телефон"),
    Column("programme", "Бағдарлама", "Программа"),
    Column("opened_on", "Қабылданған күні", "Дата зачисления"),
    Column("referral_source", "Кім жіберді", "Кем направлен"),
    Column("parent_surname", "Ата-анасының тегі", "Фамилия родителя", max_length=100),
    Column("parent_given_name", "Ата-анасының аты", "Имя родителя", max_length=100),
    Column("parent_iin", "Ата-анасының ЖСН", "ИИН родителя"),
    Column("parent_role", "Балаға кім болады", "Кем приходится ребёнку"),
    Column("parent_phone", "Ата-анасының телефоны", "Телефон родителя"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
_COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}
DATE_COLUMNS = frozenset({"birth_date", "opened_on"})
IIN_COLUMNS = frozenset({"iin", "parent_iin"})
PARENT_COLUMNS = ("parent_surname", "parent_given_name", "parent_iin", "parent_role", "parent_phone")
PARENT_ROLES = frozenset(FamilyRole.values) - {FamilyRole.CHILD, FamilyRole.SIBLING}


def _norm(text: Any) -> str:
    """A header or a value as compared: case, spacing, ё and a final full stop do not matter."""
    return " ".join(str(text).split()).casefold().replace("ё", "е").rstrip(".").strip()


HEADER_KEYS = {
    _norm(name): column.key
    for column in COLUMNS
    for name in (column.key, column.key.replace("_", " "), column.kk, column.ru)
}

# Words journals use for coded values, beside the codes and their translated labels.
SEX_WORDS = {
    Sex.MALE: ("m", "м", "муж", "мужской", "ер", "еркек", "ұл", "ұл бала", "мальчик"),
    Sex.FEMALE: ("f", "ж", "жен", "женский", "әйел", "қыз", "қыз бала", "девочка"),
}
ROLE_WORDS = {
    FamilyRole.MOTHER: ("мать", "мама", "ана", "анасы"),
    FamilyRole.FATHER: ("отец", "папа", "әке", "әкесі"),
    FamilyRole.GUARDIAN: ("опекун", "қорғаншы"),
    FamilyRole.TRUSTEE: ("попечитель", "қамқоршы"),
    FamilyRole.FOSTER_PARENT: ("приемный родитель", "патронатный воспитатель", "қабылдаушы ата-ана"),
    FamilyRole.ADOPTIVE_PARENT: ("усыновитель", "удочеритель", "асырап алушы"),
    FamilyRole.GRANDPARENT: ("бабушка", "дедушка", "әже", "ата", "әжесі", "атасы"),
    FamilyRole.OTHER: ("другой", "другое", "басқа"),
}
REFERRAL_WORDS = {
    ReferralSource.MATERNITY: ("роддом", "родильный дом", "перинатальный центр", "перзентхана"),
    ReferralSource.POLYCLINIC: ("поликлиника", "емхана"),
    ReferralSource.PMPK: ("пмпк", "пмпк консультациясы"),
    ReferralSource.HOTLINE_150: ("150", "телефон доверия 150"),
    ReferralSource.HOTLINE_111: ("111", "телефон 111"),
    ReferralSource.SELF: ("самообращение", "семья", "сам", "өзі", "отбасы", "өз бетімен"),
    ReferralSource.ORGANISATION: ("другая организация", "басқа ұйым"),
    ReferralSource.OTHER: ("другое", "басқа"),
}
IIN_MISSING_WORDS = {
    IinMissingReason.NEWBORN: ("новорожденный", "жаңа туған"),
    IinMissingReason.FOREIGN: ("иностранец", "иностранный гражданин", "шетел азаматы"),
    IinMissingReason.UNKNOWN: ("неизвестно", "белгісіз"),
}


def _choice_table(choices: type[TextChoices], words: dict[str, Iterable[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, label in choices.choices:
        table[_norm(code)] = code
        for language in ("en", "ru", "kk"):
            with translation.override(language):
                table[_norm(label)] = code
    for code, names in words.items():
        table.update({_norm(name): code for name in names})
    return table


# ---------------------------------------------------------------------------------------------------------
# Problems


def _problem(
    row: int | None, column: str, code: str, message: str, value: Any = "", header: str = ""
) -> dict[str, Any]:
    """One line of the report: where (row as numbered in the spreadsheet, column key), what and why."""
    if not header and column in COLUMNS_BY_KEY:
        header = COLUMNS_BY_KEY[column].header()
    return {
        "row": row,
        "column": column,
        "header": header,
        "value": _display(value),
        "code": code,
        "message": str(message),
    }


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)[:200]


def _capped(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    more = ngettext(
        "…and %(count)s more problem. Correct these and import the file again.",
        "…and %(count)s more problems. Correct these and import the file again.",
        rest,
    ) % {"count": rest}
    return [*problems[:MAX_PROBLEMS], _problem(None, "", "too_many_problems", more)]
