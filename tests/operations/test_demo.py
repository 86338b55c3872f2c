from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client

from tirek.accounts.models import Membership, User
from tirek.core.iin import is_valid_number
from tirek.directory.models import Organisation, Programme
from tirek.operations.demo.organisations import DEMO_PASSWORD, ORGANISATIONS, USERS


def test_demo_loads_the_seed_organisations_and_is_idempotent(db):
    call_command("demo", stdout=StringIO())
    counts = (Organisation.objects.count(), Programme.objects.count(), Membership.objects.count())
    output = StringIO()
    call_command("demo", stdout=output)
    assert (Organisation.objects.count(), Programme.objects.count(), Membership.objects.count()) == counts
    assert counts[0] == len(ORGANISATIONS)
    kenes = Organisation.objects.get(name_ru__contains="Кеңес")
    assert kenes.region.kato == "750000000"
    kamkorlyk = Organisation.objects.get(name_kk__contains="Қамқорлық")
    assert kamkorlyk.parent.name_ru == "Реабилитационный центр №2"
    assert all(is_valid_number(o.bin) for o in Organisation.objects.all())
    assert DEMO_PASSWORD in output.getvalue()


def test_every_printed_demo_login_works(db):
    output = StringIO()
    call_command("demo", stdout=output)
    roles = set()
    for username, *_rest in USERS:
        assert username in output.getvalue()
        client = Client()
        signed_in = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        roles |= User.objects.get(username=username).roles()
    assert roles == {"specialist", "coordinator", "intake", "manager", "analyst", "administrator"}
