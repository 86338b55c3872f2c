from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.cases.services import case_open
from tirek.people.services import person_register


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_case_page_costs_the_same_queries_however_long_the_history(cast, django_assert_max_num_queries):
    child = person_register(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        surname="Омаров",
        given_name="Әли",
        sex="male",
        birth_date=timezone.localdate() - dt.timedelta(days=500),
        iin_missing_reason="newborn",
    )
    case = case_open(
        actor=cast.coordinator_a,
        organisation=cast.almaty,
        person=child,
        programme=cast.programme_a,
        referral_source="polyclinic",
        coordinator=cast.coordinator_a,
        team=[cast.specialist_a],
    )
    client = cast.client(cast.manager_a)
    url = reverse("cases:case_detail", args=[case.pk])
    short = _queries(client, url)
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, kind="visit_logged", actor=cast.specialist_a, data={"n": n}) for n in range(40)]
    )
    assert _queries(client, url) == short
    with django_assert_max_num_queries(40):
        page = client.get(url)
    content = page.content.decode()
    assert 'data-testid="case-work"' in content
    assert page.context["age_months"] == child.age_in_months(timezone.localdate())
