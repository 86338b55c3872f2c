"""`tirek demo`: the organisations of the seed articles, their programmes, one user per role, and fictional
persons with their casework (see tirek.operations.demo).

Idempotent: running it again updates nothing that exists and resets the demo passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from tirek.operations.demo import load_demo
from tirek.operations.demo.organisations import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo organisations, programmes and users (safe to run again)."

    def handle(self, *args, **options):
        loaded = load_demo()
        counts, casework, interagency = loaded["people"], loaded["casework"], loaded["interagency"]
        self.stdout.write(self.style.SUCCESS("Tirek demo data is ready. Demo logins (password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for username, role, organisation in loaded["logins"]:
            self.stdout.write(f"  {username:<12} {role:<14} {organisation}")
        self.stdout.write(
            "Demo people: {persons} persons ({new} new), {families} families, {consents} consents, "
            "{diagnoses} diagnoses, {cases} cases ({cases_active} active, {cases_intake} intake, "
            "{cases_closed} closed); other centres' managers: {managers}".format(
                new=counts["created"].get("persons", 0), managers=", ".join(counts["new_managers"]), **counts
            )
        )
        self.stdout.write(
            "Casework: {assessments} assessments, {plans} plans, {visits} sessions, "
            "{group_activities} group activities; specialists: kenes.defectologist, kenes.psychologist, "
            "kamkorlyk.defectologist, kamkorlyk.psychologist, kamkorlyk.physio, kamkorlyk.ot".format(
                **casework
            )
        )
        self.stdout.write(
            "Interagency work: {partnerships} memoranda, {referrals} referrals ({external} from outside), "
            "{appeals} appeals ({appeals_overdue} overdue), {aid_distributions} aid distributions to "
            "{aid_families} families, {outcomes} outcomes, {courses} courses ({completed} completed), "
            "{residents} residents in {facilities} youth-house facilities; care leavers' association: "
            "graduates.intake, graduates.social, graduates.lawyer".format(**interagency)
        )
        if settings.TIREK_TWO_FACTOR_ROLES:
            self.stdout.write(
                "Two-step sign-in is required for: {roles}. At the first sign-in such a user scans a QR code "
                "with an authenticator app (set TIREK_TWO_FACTOR_ROLES= to make it optional).".format(
                    roles=", ".join(settings.TIREK_TWO_FACTOR_ROLES)
                )
            )
        else:
            self.stdout.write(
                "Two-step sign-in is optional here (TIREK_TWO_FACTOR_ROLES is empty); any user can turn it "
                "on in their profile. In production it is required for managers, analysts and administrators."
            )
        self.stdout.write("Open http://127.0.0.1:8000 and sign in.")
