"""An intake journey in Kazakh: register a child and a parent, record the consent, enrol, find her again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tirek.core.iin import check_digit

# serialized_rollback for every browser test: a flush without it recreates the content types, which the next
# test restoring its serialized data would then insert twice.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def synthetic_iin(birth: dt.date, century_sex: int) -> str:
    serial = 1
    while True:
        prefix = f"{birth:%y%m%d}{century_sex}{serial:04d}"
        if check_digit(prefix) is not None:
            return f"{prefix}{check_digit(prefix)}"
        serial += 1


def test_register_a_child_and_parent_with_consent_enrol_and_find_by_latin_spelling(
    page: Page, live_server, cast, password, sign_in
):
    from tirek.catalog.models import ClosureReason  # noqa: F401  (catalog data present after flushes)

    today = timezone.localdate()
    child_birth = today.replace(day=1) - dt.timedelta(days=600)
    child_iin = synthetic_iin(child_birth, 6)
    mother_iin = synthetic_iin(dt.date(1994, 4, 12), 4)
    sign_in(page, live_server, "aigerim", password)

    # The child: the IIN fills the date of birth and sex.
    page.goto(f"{live_server.url}/people/register/")
    page.fill("#id_iin", child_iin)
    page.fill("#id_surname", "Сәрсенова")
    page.fill("#id_given_name", "Аружан")
    page.get_by_test_id("save-person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сәрсенова Аружан")

    # Her family, and her mother registered straight into it as the legal representative.
    page.get_by_test_id("new-family").click()
    page.fill("#id_name", "Сәрсеновтер")
    page.get_by_role("button", name="Сақтау").click()
    page.get_by_test_id("register-member").click()
    page.select_option("#id_link-family_role", "mother")
    page.check("#id_link-family_legal_representative")
    page.fill("#id_iin", mother_iin)
    page.fill("#id_surname", "Сәрсенова")
    page.fill("#id_given_name", "Гүлмира")
    page.get_by_test_id("save-person").click()
    expect(page.get_by_role("cell", name="Сәрсенова Гүлмира")).to_be_visible()

    # The mother's consent for her daughter, then the enrolment.
    page.get_by_role("link", name="Сәрсенова Аружан").click()
    page.get_by_test_id("add-consent").click()
    page.select_option("#id_given_by", label="Сәрсенова Гүлмира")
    page.get_by_role("button", name="Сақтау").click()
    expect(page.get_by_test_id("consent-active")).to_be_visible()
    page.get_by_test_id("open-case").click()
    page.select_option("#id_programme", label="Ерте араласу")
    page.select_option("#id_referral_source", "polyclinic")
    page.select_option("#id_status", "active")
    page.get_by_test_id("save-case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("-00001")

    # Found again by the passport spelling.
    page.goto(f"{live_server.url}/people/")
    page.get_by_test_id("person-search").fill("ARUZHAN SARSENOVA")
    page.get_by_test_id("person-search").press("Enter")
    expect(page.get_by_role("link", name="Сәрсенова Аружан")).to_be_visible()
