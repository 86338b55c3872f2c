"""The fixed cast of DESIGN.md §4: two organisations in two regions, a specialist, a coordinator and a manager
in each, an analyst, an administrator, and an outsider with no membership."""

from __future__ import annotations

import base64
import datetime as dt
import time
from dataclasses import dataclass
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django_otp.oath import TOTP

from tirek.accounts.models import Membership, User
from tirek.accounts.sessions import PASSED, SECOND_STEP
from tirek.accounts.tokens import api_token_build
from tirek.cases.services import case_open
from tirek.catalog.models import Profession
from tirek.directory.models import Organisation, Programme, Region
from tirek.people.services import person_register

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Cast:
    almaty: Organisation
    shymkent: Organisation
    ministry: Organisation
    programme_a: Programme
    programme_b: Programme
    specialist_a: User
    coordinator_a: User
    manager_a: User
    specialist_b: User
    coordinator_b: User
    manager_b: User
    analyst: User
    admin: User
    outsider: User

    def client(self, user: User | None) -> Client:
        """A client signed in as `user`, past the second step of signing in where their role requires one."""
        client = Client()
        if user is not None:
            client.force_login(user)
            session = client.session
            if session.get(SECOND_STEP):
                session[SECOND_STEP] = PASSED
                session.save()
        return client

    def token(self, user: User, **fields) -> str:
        """An API key of `user`, issued (as `client` signs in) past the second step where one is owed;
        `fields` set on the token (`two_factor_passed=False`, timestamps)."""
        issued = api_token_build(user=user, two_factor_passed=True)
        for name, value in fields.items():
            setattr(issued.token, name, value)
        issued.token.save()
        return issued.key


IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run at once in tests; a test that needs the queue sets settings.TASKS itself."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request's middleware leaves its language active in the
    thread (as every next request sets its own), and a test calling services directly must not inherit it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def database_worker(settings):
    """Queue background tasks in the database and return a function running `tirek worker --batch` over
    them. The worker closes connections it thinks stale between tasks; inside the test's transaction on
    PostgreSQL that would close the test's own, so here it leaves them to the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    def run():
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)

    return run


def region(kato: str, kk: str, ru: str, en: str) -> Region:
    # get_or_create: transactional (browser) tests flush what the data migrations loaded.
    return Region.objects.get_or_create(kato=kato, defaults={"name_kk": kk, "name_ru": ru, "name_en": en})[0]


def member(
    username: str, organisation: Organisation, role: str, profession: Profession | None = None
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), active_organisation=organisation
    )
    Membership.objects.create(user=user, organisation=organisation, role=role, profession=profession)
    return user


@pytest.fixture
def authenticator_code():
    """authenticator_code(device or base32 key, steps_ahead=0): the code an authenticator app shows now (or
    that many 30-second steps later: the server accepts one step either way, and each code only once)."""

    def code(device_or_secret, steps_ahead: int = 0) -> str:
        if isinstance(device_or_secret, str):
            secret = device_or_secret.replace(" ", "")
            totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
        else:
            device = device_or_secret
            device.refresh_from_db()
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + steps_ahead * totp.step
        return f"{totp.token():0{totp.digits}d}"

    return code


@pytest.fixture
def password() -> str:
    """Every cast member's password."""
    return PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db) -> Cast:
    almaty_city = region("750000000", "Алматы қаласы", "город Алматы", "Almaty city")
    shymkent_city = region("790000000", "Шымкент қаласы", "город Шымкент", "Shymkent city")
    astana_city = region("710000000", "Астана қаласы", "город Астана", "Astana city")
    speech = Profession.objects.get_or_create(
        code="speech_therapist",
        defaults={"name_kk": "Логопед", "name_ru": "Логопед", "name_en": "Speech therapist"},
    )[0]
    almaty = Organisation.objects.create(
        name_kk="«Кеңес» орталығы",
        name_ru="Центр «Кеңес»",
        name_en="Kenes centre",
        kind="early_intervention",
        region=almaty_city,
        bin="791028302728",
    )
    shymkent = Organisation.objects.create(
        name_kk="«Қамқорлық» бөлімі",
        name_ru="Отделение «Қамқорлық»",
        name_en="Kamkorlyk unit",
        kind="early_intervention",
        region=shymkent_city,
    )
    ministry = Organisation.objects.create(
        name_kk="Министрлік",
        name_ru="Министерство",
        name_en="Ministry",
        kind="state_body",
        region=astana_city,
    )
    programme_a = Programme.objects.create(
        organisation=almaty,
        name_kk="Ерте араласу",
        name_ru="Ранняя помощь",
        kind="early_intervention",
        min_age_months=0,
        max_age_months=36,
        yearly_capacity=140,
    )
    programme_b = Programme.objects.create(
        organisation=shymkent,
        name_kk="Ерте араласу Шымкент",
        name_ru="Ранняя помощь Шымкент",
        kind="early_intervention",
        min_age_months=3,
        max_age_months=36,
        yearly_capacity=600,
    )
    return Cast(
        almaty=almaty,
        shymkent=shymkent,
        ministry=ministry,
        programme_a=programme_a,
        programme_b=programme_b,
        specialist_a=member("alice", almaty, "specialist", speech),
        coordinator_a=member("aigerim", almaty, "coordinator"),
        manager_a=member("asel", almaty, "manager"),
        specialist_b=member("bolat", shymkent, "specialist", speech),
        coordinator_b=member("bakyt", shymkent, "coordinator"),
        manager_b=member("bota", shymkent, "manager"),
        analyst=member("erlan", ministry, "analyst"),
        admin=member("gulnar", ministry, "administrator"),
        outsider=User.objects.create_user(username="charlie", password=PASSWORD),
    )


@pytest.fixture
def almaty_member(cast):
    """A user with `role` in the Almaty centre (intake operators and analysts do not read plans)."""

    def make(role: str) -> User:
        user = User.objects.create_user(username=f"{role}-almaty", active_organisation=cast.almaty)
        Membership.objects.create(user=user, organisation=cast.almaty, role=role)
        return user

    return make


def _open_case(
    cast, *, surname: str = "Омаров", given_name: str = "Әли", organisation=None, opened_days_ago=30
):
    organisation = organisation or cast.almaty
    shymkent = organisation == cast.shymkent
    actor = cast.coordinator_b if shymkent else cast.coordinator_a
    person = person_register(
        actor=actor,
        organisation=organisation,
        surname=surname,
        given_name=given_name,
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=610),
        iin_missing_reason="newborn",
    )
    return case_open(
        actor=actor,
        organisation=organisation,
        person=person,
        programme=cast.programme_b if shymkent else cast.programme_a,
        referral_source="polyclinic",
        opened_on=timezone.localdate() - dt.timedelta(days=opened_days_ago),
    )


@pytest.fixture
def make_case(cast):
    """make_case(surname=…, given_name=…, organisation=…, opened_days_ago=…): a child of the organisation
    (the Almaty centre unless given), 20 months old, with an intake case in its programme."""
    return lambda **kwargs: _open_case(cast, **kwargs)
