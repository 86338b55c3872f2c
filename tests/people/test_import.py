"""Importing a journal of children and families: every broken file is refused with its exact problem and
writes nothing; a good file imports once, and again adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from tirek.audit.models import AuditEvent
from tirek.cases.models import Case
from tirek.core.errors import NotAllowed
from tirek.core.iin import check_digit
from tirek.people import importing
from tirek.people.models import ExternalReference, Family, FamilyMember, Person

API_PATH = "/api/v1/people/import/"


# ---------------------------------------------------------------------------------------------------------
# Building journals


def make_iin(birth: dt.date, sex: str = "female", serial: int = 1) -> str:
    """A valid IIN for a birth date and sex (the serial is bumped past prefixes with no check digit)."""
    digit = {18: "12", 19: "34", 20: "56"}[birth.year // 100][0 if sex == "male" else 1]
    while True:
        head = f"{birth:%y%m%d}{digit}{serial:04d}"
        check = check_digit(head)
        if check is not None:
            return f"{head}{check}"
        serial += 1


def born(days_ago: int = 400) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def wrong_check_digit(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def child(number: int = 1, **values) -> dict:
    birth = values.pop("birth", born())
    sex = values.pop("sex_code", "female")
    row = {
        "external_id": f"J-{number}",
        "iin": make_iin(birth, sex, serial=number),
        "surname": "Омарова",
        "given_name": f"Айгерім {number}",
        "birth_date": birth.strftime("%d.%m.%Y"),
        "sex": "әйел" if sex == "female" else "ер",
    }
    row.update(values)
    return row


def headers_for(rows: list[dict]) -> list[str]:
    keys = [column.key for column in importing.COLUMNS if any(column.key in row for row in rows)]
    keys += [key for row in rows for key in row if key not in importing.COLUMNS_BY_KEY and key not in keys]
    return keys


def header(key: str, language: str) -> str:
    column = importing.COLUMNS_BY_KEY.get(key)
    return column.header(language) if column else key


def csv_bytes(rows: list[dict], *, language="kk", encoding="utf-8", delimiter=",", keys=None) -> bytes:
    keys = keys or headers_for(rows)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow([header(key, language) for key in keys])
    for row in rows:
        writer.writerow([row.get(key, "") for key in keys])
    return output.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, language="kk", keys=None) -> bytes:
    keys = keys or headers_for(rows)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([header(key, language) for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def run(cast, file_bytes: bytes, filename: str = "journal.csv", actor=None, **options):
    return importing.import_persons(
        actor=actor or cast.coordinator_a,
        organisation=cast.almaty,
        file_bytes=file_bytes,
        filename=filename,
        **options,
    )


def found(result, row, column, code) -> bool:
    return any((p["row"], p["column"], p["code"]) == (row, column, code) for p in result.problems)


# ---------------------------------------------------------------------------------------------------------
# Broken files: the exact problem, and nothing written


def _formula_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    row = child()
    sheet.append([header(key, "kk") for key in row])
    sheet.append(list(row.values()))
    sheet.cell(row=2, column=4, value='=CONCATENATE("Ом","арова")')
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


BROKEN = {
    "an unknown column": (
        lambda: csv_bytes([{**child(), "Шешесінің жұмысы": "x"}]),
        "journal.csv",
        (1, "Шешесінің жұмысы", "unknown_column"),
    ),
    "a missing required column": (
        lambda: csv_bytes([{k: v for k, v in child().items() if k != "birth_date"}]),
        "journal.csv",
        (1, "birth_date", "missing_column"),
    ),
    "the same column twice": (
        lambda: csv_bytes([child()], keys=["iin", "surname", "given_name", "birth_date", "sex", "Аты"]),
        "journal.csv",
        (1, "given_name", "duplicate_column"),
    ),
    "an empty file": (lambda: b"", "journal.csv", (None, "", "empty")),
    "a file of blank lines": (lambda: b"\r\n\r\n", "journal.csv", (1, "", "no_header")),
    "a header only": (lambda: csv_bytes([], keys=list(child())), "journal.csv", (2, "", "no_rows")),
    "an unknown extension": (lambda: csv_bytes([child()]), "journal.xls", (None, "", "extension")),
    "a file over the size limit": (
        lambda: csv_bytes([child()]) + b" " * importing.MAX_BYTES,
        "journal.csv",
        (None, "", "too_large"),
    ),
    "bytes that are neither UTF-8 nor Windows-1251": (
        lambda: csv_bytes([child()]) + b"\x98\r\n",
        "journal.csv",
        (3, "", "encoding"),
    ),
    "text with control characters": (
        lambda: csv_bytes([child(surname="Ом\x01арова")]),
        "journal.csv",
        (2, "surname", "control_characters"),
    ),
    "a formula in a CSV cell": (
        lambda: csv_bytes([child(), child(2, given_name='=HYPERLINK("http://x","y")')]),
        "journal.csv",
        (3, "given_name", "formula"),
    ),
    "a formula behind a plus sign": (
        lambda: csv_bytes([child(locality="+SUM(1,2)")]),
        "journal.csv",
        (2, "locality", "formula"),
    ),
    "a formula in an XLSX cell": (_formula_xlsx, "journal.xlsx", (2, "given_name", "formula")),
    "a file that is not a workbook": (lambda: b"PK\x03\x04 not a zip", "journal.xlsx", (None, "", "xlsx")),
    "a wrong IIN check digit": (
        lambda: csv_bytes([child(iin=wrong_check_digit(child()["iin"]))]),
        "journal.csv",
        (2, "iin", "iin_checksum"),
    ),
    "an IIN that is not 12 digits": (
        lambda: csv_bytes([child(iin="12345")]),
        "journal.csv",
        (2, "iin", "iin_format"),
    ),
    "an IIN whose date disagrees": (
        lambda: csv_bytes([child(birth_date=born(500).strftime("%d.%m.%Y"))]),
        "journal.csv",
        (2, "birth_date", "iin_mismatch"),
    ),
    "an IIN whose sex disagrees": (
        lambda: csv_bytes([child(sex="ер")]),
        "journal.csv",
        (2, "sex", "iin_mismatch"),
    ),
    "an impossible date": (
        lambda: csv_bytes([child(birth_date="31.02.2024")]),
        "journal.csv",
        (2, "birth_date", "date"),
    ),
    "a date of birth in the future": (
        lambda: csv_bytes([child(birth=timezone.localdate() + dt.timedelta(days=3))]),
        "journal.csv",
        (2, "birth_date", "future_date"),
    ),
    "a missing surname": (lambda: csv_bytes([child(surname="")]), "journal.csv", (2, "surname", "required")),
    "the same IIN on two rows": (
        lambda: csv_bytes([child(1), child(2), child(3, iin=child(1)["iin"])]),
        "journal.csv",
        (4, "iin", "duplicate"),
    ),
    "the same journal number on two rows": (
        lambda: csv_bytes([child(1), child(2, external_id="J-1")]),
        "journal.csv",
        (3, "external_id", "duplicate"),
    ),
    "an unknown programme": (
        lambda: csv_bytes([child(programme="Жүзу үйірмесі")]),
        "journal.csv",
        (2, "programme", "programme"),
    ),
    "another organisation's programme": (
        lambda: csv_bytes([child(programme="Ерте араласу Шымкент")]),
        "journal.csv",
        (2, "programme", "programme"),
    ),
    "a child too old for the programme": (
        lambda: csv_bytes([child(birth=born(4 * 365), programme="Ерте араласу")]),
        "journal.csv",
        (2, "programme", "not_eligible"),
    ),
    "a bad phone": (lambda: csv_bytes([child(phone="701 123")]), "journal.csv", (2, "phone", "phone")),
    "a bad sex": (lambda: csv_bytes([child(sex="x")]), "journal.csv", (2, "sex", "sex")),
    "an unknown region": (lambda: csv_bytes([child(region="Марс")]), "journal.csv", (2, "region", "region")),
    "no IIN and no reason": (lambda: csv_bytes([child(iin="")]), "journal.csv", (2, "iin", "iin_required")),
    "no IIN and no journal number": (
        lambda: csv_bytes([child(iin="", iin_missing_reason="жаңа туған", external_id="")]),
        "journal.csv",
        (2, "external_id", "key_required"),
    ),
    "a parent with no role": (
        lambda: csv_bytes([child(parent_surname="Омарова", parent_given_name="Сәуле")]),
        "journal.csv",
        (2, "parent_role", "required"),
    ),
    "a guardian whose sex is unknown": (
        lambda: csv_bytes([child(parent_surname="Омаров", parent_given_name="Ерлан", parent_role="опекун")]),
        "journal.csv",
        (2, "parent_role", "parent_sex"),
    ),
    "a surname too long": (
        lambda: csv_bytes([child(surname="А" * 101)]),
        "journal.csv",
        (2, "surname", "too_long"),
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_it_refuses_a_broken_file_with_the_exact_problem_and_writes_nothing(cast, case):
    build, filename, (row, column, code) = BROKEN[case]
    persons, events = Person.objects.count(), AuditEvent.objects.count()
    result = run(cast, build(), filename)
    assert not result.ok
    assert found(result, row, column, code), result.problems
    assert all(set(p) == {"row", "column", "header", "value", "code", "message"} for p in result.problems)
    assert Person.objects.count() == persons
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_file_over_the_row_limit(cast, monkeypatch):
    monkeypatch.setattr(importing.reading, "MAX_ROWS", 3)
    result = run(cast, csv_bytes([child(n) for n in range(1, 5)]))
    assert [(p["code"], p["row"]) for p in result.problems] == [("too_many_rows", None)]
    assert not Person.objects.exists()


def test_it_reports_the_value_and_the_header_as_written_in_the_file(cast):
    result = run(cast, csv_bytes([child(phone="701 123")], language="ru"))
    (problem,) = result.problems
    assert problem == {
        "row": 2,
        "column": "phone",
        "header": "Телефон",
        "value": "701 123",
        "code": "phone",
        "message": problem["message"],
    }
    assert "+7" in problem["message"]


def test_a_service_error_on_a_late_row_rolls_back_the_rows_before_it(cast, monkeypatch):
    from django.core.exceptions import ValidationError

    real = importing.writing.case_open

    def refuse_the_second(**kwargs):
        if kwargs["person"].given_name.endswith("2"):
            raise ValidationError({"programme": "refused"})
        return real(**kwargs)

    monkeypatch.setattr(importing.writing, "case_open", refuse_the_second)
    result = run(cast, csv_bytes([child(1, programme="Ерте араласу"), child(2, programme="Ерте араласу")]))
    assert [(p["row"], p["column"], p["message"]) for p in result.problems] == [(3, "programme", "refused")]
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert not AuditEvent.objects.exists()


# ---------------------------------------------------------------------------------------------------------
# Good files


def thousand_rows() -> list[dict]:
    rows = []
    for number in range(1, 1001):
        sex = "male" if number % 2 else "female"
        rows.append(child(number, birth=born(30 + number % 900), sex_code=sex, phone=f"8701{number:07d}"))
    return rows


def test_a_thousand_rows_import_once_and_again_add_nothing(cast):
    journal = csv_bytes(thousand_rows())
    first = run(cast, journal)
    assert first.ok, first.problems[:5]
    assert (first.rows, first.created, first.matched) == (1000, 1000, 0)
    assert Person.objects.count() == 1000
    assert ExternalReference.objects.filter(organisation=cast.almaty).count() == 1000
    assert Person.objects.get(external_references__external_id="J-7").phone == "+77010000007"

    again = run(cast, journal)
    assert again.ok
    assert (again.created, again.matched) == (0, 1000)
    assert Person.objects.count() == 1000
    assert ExternalReference.objects.count() == 1000
    summaries = AuditEvent.objects.filter(object_type="people.import")
    assert summaries.count() == 2
    assert sorted(event.note.split()[1] for event in summaries) == ["created=0", "created=1000"]


def test_a_russian_journal_in_windows_1251_imports_with_family_and_case(cast):
    birth = born(300)
    mother_birth = dt.date(1994, 5, 20)
    row = child(
        1,
        birth=birth,
        sex="жен",
        region="город Алматы",
        locality="Алматы",
        street="ул. Абая, 1",
        phone="8 (701) 123-45-67",
        programme="Ранняя помощь",
        opened_on=timezone.localdate().strftime("%Y-%m-%d"),
        referral_source="Поликлиника",
        parent_surname="Омарова",
        parent_given_name="Светлана",
        parent_iin=make_iin(mother_birth, "female"),
        parent_role="Мать",
        parent_phone="+7 701 765 43 21",
    )
    journal = csv_bytes([row], language="ru", encoding="cp1251", delimiter=";")
    result = run(cast, journal)
    assert result.ok, result.problems
    assert (result.created, result.cases_opened, result.parents_created, result.families_created) == (
        1,
        1,
        1,
        1,
    )
    person = Person.objects.get(iin=row["iin"])
    assert person.phone == "+77011234567"
    assert person.region.kato == "750000000"
    case = Case.objects.get(person=person)
    assert (case.programme, case.referral_source, case.organisation) == (
        cast.programme_a,
        "polyclinic",
        cast.almaty,
    )
    mother = FamilyMember.objects.get(person__iin=row["parent_iin"])
    assert (mother.role, mother.is_legal_representative) == ("mother", True)
    assert mother.person.sex == "female" and mother.person.birth_date == mother_birth
    assert FamilyMember.objects.filter(family=mother.family, person=person, role="child").exists()

    again = run(cast, journal)
    assert again.ok
    assert (again.created, again.cases_opened, again.parents_created) == (0, 0, 0)
    assert Case.objects.count() == 1 and Family.objects.count() == 1 and Person.objects.count() == 2


def test_siblings_with_one_mother_share_one_family(cast):
    mother = {
        "parent_surname": "Омарова",
        "parent_given_name": "Сәуле",
        "parent_iin": make_iin(dt.date(1990, 1, 2), "female"),
        "parent_role": "анасы",
    }
    result = run(cast, csv_bytes([child(1, **mother), child(2, **mother)]))
    assert result.ok, result.problems
    assert (result.created, result.parents_created, result.families_created) == (2, 1, 1)
    family = Family.objects.get()
    assert family.members.count() == 3


def test_a_child_without_an_iin_is_matched_by_the_journal_number(cast):
    row = child(iin="", iin_missing_reason="новорожденный", external_id="№ 15")
    assert run(cast, csv_bytes([row])).created == 1
    again = run(cast, csv_bytes([row]))
    assert (again.created, again.matched) == (0, 1)
    assert Person.objects.get().iin_missing_reason == "newborn"


def test_a_person_registered_elsewhere_is_matched_and_enrolled(cast):
    first = child(1)
    importing.import_persons(
        actor=cast.coordinator_b,
        organisation=cast.shymkent,
        file_bytes=csv_bytes([first]),
        filename="j.csv",
    )
    result = run(cast, csv_bytes([{**first, "programme": "Ерте араласу"}]))
    assert result.ok, result.problems
    assert (result.created, result.matched, result.cases_opened) == (0, 1, 1)
    assert Case.objects.get().organisation == cast.almaty


def test_an_xlsx_with_real_dates_and_numeric_iins_imports(cast):
    birth = dt.date(2005, 3, 1)
    iin = make_iin(birth, "male")
    assert iin.startswith("0")
    row = child(iin=int(iin), birth_date=dt.datetime(2005, 3, 1), sex="М", phone=87011234567)
    result = run(cast, xlsx_bytes([row]), "JOURNAL.XLSX")
    assert result.ok, result.problems
    person = Person.objects.get()
    assert (person.iin, person.birth_date, person.sex, person.phone) == (iin, birth, "male", "+77011234567")


def test_headers_are_recognised_in_either_language_or_english_whatever_the_case(cast):
    row = child()
    keys = list(row)
    names = ["  журналдағы НӨМІРІ ", "иин", "SURNAME", "Имя", "дата   рождения", "Жынысы"]
    journal = csv_bytes([row], keys=keys).split(b"\r\n", 1)[1]
    result = run(cast, (",".join(names) + "\r\n").encode() + journal)
    assert result.ok, result.problems


def test_the_templates_import_as_they_are_with_a_programme_of_the_organisation(cast):
    cast.programme_a.name_kk, cast.programme_a.name_ru = "Ерте араласу (0–3 жас)", "Ранняя помощь (0–3 года)"
    cast.programme_a.save()
    client = cast.client(cast.coordinator_a)
    for language, file_format in (("kk", "xlsx"), ("ru", "csv")):
        url = reverse("people:import_template")
        template = client.get(url, {"language": language, "format": file_format}).content
        result = run(cast, template, f"template.{file_format}")
        assert result.ok, result.problems
    assert Person.objects.filter(surname="Омарова").count() == 2  # the example child and its mother
    assert Case.objects.filter(programme=cast.programme_a).count() == 1


def test_a_dry_run_checks_everything_and_writes_nothing(cast):
    result = run(cast, csv_bytes([child(programme="Ерте араласу")]), dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.cases_opened) == (1, 1)
    assert not Person.objects.exists() and not Case.objects.exists() and not AuditEvent.objects.exists()


def test_the_import_leaves_a_summary_audit_event_beside_the_services_own(cast):
    run(cast, csv_bytes([child()]))
    summary = AuditEvent.objects.get(object_type="people.import")
    assert (summary.action, summary.organisation_id) == ("create", cast.almaty.pk)
    assert "created=1" in summary.note and "matched=0" in summary.note
    assert AuditEvent.objects.filter(object_type="people.person").count() == 1


def test_messages_come_in_the_users_language(cast):
    bad = child(iin=wrong_check_digit(child()["iin"]), surname="")
    with translation.override("kk"):
        result = run(cast, csv_bytes([bad]))
        required = translation.gettext("This field is required.")
    messages = {p["code"]: p["message"] for p in result.problems}
    assert messages["iin_checksum"] == "ЖСН-нің бақылау цифры қате: нөмірді тексеріңіз."
    assert messages["required"] == required != "This field is required."


# ---------------------------------------------------------------------------------------------------------
# Who may import


def test_a_specialist_may_not_import(cast):
    with pytest.raises(NotAllowed):
        run(cast, csv_bytes([child()]), actor=cast.specialist_a)
    assert cast.client(cast.specialist_a).get(reverse("people:import")).status_code == 403
    assert cast.client(cast.specialist_a).get(reverse("people:import_template")).status_code == 403
    response = cast.client(cast.specialist_a).post(
        API_PATH, {"file": SimpleUploadedFile("j.csv", csv_bytes([child()]))}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Person.objects.exists()


def test_a_user_without_an_organisation_finds_no_import_page(cast):
    assert cast.client(cast.outsider).get(reverse("people:import")).status_code == 404


def test_a_manager_may_import_and_another_organisations_user_imports_only_into_their_own(cast):
    assert run(cast, csv_bytes([child(1)]), actor=cast.manager_a).ok
    with pytest.raises(NotAllowed):
        run(cast, csv_bytes([child(2)]), actor=cast.coordinator_b)


# ---------------------------------------------------------------------------------------------------------
# The page


def test_the_page_offers_the_templates_in_kazakh_and_russian(cast):
    response = cast.client(cast.coordinator_a).get(reverse("people:import"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    for language in ("kk", "ru"):
        for file_format in ("xlsx", "csv"):
            assert f'data-testid="template-{language}-{file_format}"' in content


def test_the_template_downloads_with_the_column_names_of_its_language(cast):
    client = cast.client(cast.coordinator_a)
    response = client.get(reverse("people:import_template"), {"language": "ru", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tirek-import-ru.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [column.ru for column in importing.COLUMNS]
    response = client.get(reverse("people:import_template"), {"language": "kk", "format": "csv"})
    assert response.content.startswith(b"\xef\xbb\xbf" + "Журналдағы нөмірі".encode())
    assert client.get(reverse("people:import_template"), {"language": "de"}).status_code == 404


def test_the_page_imports_a_good_file_and_says_how_many(cast):
    client = cast.client(cast.coordinator_a)
    upload = SimpleUploadedFile("journal.csv", csv_bytes([child(1), child(2)]))
    response = client.post(reverse("people:import"), {"file": upload}, follow=True)
    assert response.redirect_chain == [(reverse("people:import"), 302)]
    assert Person.objects.count() == 2
    (message,) = response.context["messages"]
    assert message.level_tag == "success"


def test_the_page_shows_the_problems_of_a_bad_file_and_imports_nothing(cast):
    client = cast.client(cast.coordinator_a)
    upload = SimpleUploadedFile("journal.csv", csv_bytes([child(1), child(2, phone="12")]))
    response = client.post(reverse("people:import"), {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="import-problems"' in content
    assert "<code>12</code>" in content
    assert not Person.objects.exists()


def test_the_page_refuses_an_empty_upload_with_the_import_report(cast):
    upload = SimpleUploadedFile("journal.csv", b"")
    response = cast.client(cast.coordinator_a).post(reverse("people:import"), {"file": upload})
    assert response.status_code == 200
    assert [p["code"] for p in response.context["result"].problems] == ["empty"]


# ---------------------------------------------------------------------------------------------------------
# The API


def test_the_api_imports_and_answers_the_counts(cast):
    client = cast.client(cast.coordinator_a)
    response = client.post(API_PATH, {"file": SimpleUploadedFile("j.csv", csv_bytes([child()]))})
    assert response.status_code == 201, response.content
    assert response.json() == {
        "rows": 1,
        "created": 1,
        "matched": 0,
        "cases_opened": 0,
        "parents_created": 0,
        "families_created": 0,
        "dry_run": False,
    }


def test_the_api_dry_run_writes_nothing(cast):
    client = cast.client(cast.coordinator_a)
    response = client.post(
        API_PATH, {"file": SimpleUploadedFile("j.csv", csv_bytes([child()])), "dry_run": "true"}
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert not Person.objects.exists()


def test_the_api_answers_a_bad_file_with_the_problems_in_the_one_error_shape(cast):
    client = cast.client(cast.coordinator_a)
    upload = SimpleUploadedFile("j.csv", csv_bytes([child(sex="?")]))
    response = client.post(API_PATH, {"file": upload})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["fields"]) == ("invalid_import", {})
    assert [(p["row"], p["column"], p["code"]) for p in error["problems"]] == [(2, "sex", "sex")]
    assert not Person.objects.exists()


def test_the_api_without_a_file_is_an_invalid_request(cast):
    response = cast.client(cast.coordinator_a).post(API_PATH, {})
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", ["file"])


def test_the_import_is_documented_in_a_valid_schema(cast):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    operation = schema["paths"][API_PATH]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "201", "400", "403"} <= set(operation["responses"])


# ---------------------------------------------------------------------------------------------------------
# The command


def test_the_command_imports_a_file(cast, tmp_path):
    journal = tmp_path / "journal.csv"
    journal.write_bytes(csv_bytes([child(1), child(2)]))
    output = io.StringIO()
    call_command(
        "import", "persons", str(journal), organisation=cast.almaty.bin, user="aigerim", stdout=output
    )
    assert Person.objects.count() == 2
    assert "2" in output.getvalue()


def test_the_command_reports_a_broken_file_and_fails(cast, tmp_path):
    journal = tmp_path / "journal.csv"
    journal.write_bytes(csv_bytes([child(1), child(2, birth_date="30.02.2024")]))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "persons",
            str(journal),
            organisation=str(cast.almaty.pk),
            user="aigerim",
            language="en",
            stderr=errors,
        )
    assert errors.getvalue().startswith(
        "journal.csv:3, Туған күні, '30.02.2024': Enter the date as dd.mm.yyyy"
    )
    assert not Person.objects.exists()


def test_the_command_refuses_a_user_without_the_right(cast, tmp_path):
    journal = tmp_path / "journal.csv"
    journal.write_bytes(csv_bytes([child()]))
    with pytest.raises(CommandError, match="may not import"):
        call_command("import", "persons", str(journal), organisation=cast.almaty.bin, user="alice")


def test_the_api_serves_the_template_that_imports_as_it_stands(cast):
    client = cast.client(cast.manager_a)
    response = client.get("/api/v1/people/import/template/", {"language": "ru", "file_format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    imported = client.post(
        API_PATH, {"file": SimpleUploadedFile("template.csv", response.content), "dry_run": "true"}
    )
    assert imported.status_code == 200, imported.content
    assert cast.client(cast.specialist_a).get("/api/v1/people/import/template/").status_code == 403
    assert client.get("/api/v1/people/import/template/", {"language": "de"}).status_code == 400
