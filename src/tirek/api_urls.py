"""The REST API, version 1: every capability of the UI through the same services and selectors."""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from tirek.accounts.api import ApiTokenViewSet, MembershipViewSet, MeViewSet, TokenView, TwoFactorViewSet
from tirek.assessments import api as assessments_api
from tirek.audit.api import AuditEventViewSet
from tirek.cases.api import CaseDocumentViewSet, CaseViewSet, DeadlineViewSet
from tirek.catalog.api import DiagnosisViewSet, ProfessionViewSet, ServiceTypeViewSet, ServiceViewSet
from tirek.courses import api as courses_api
from tirek.directory.api import OrganisationViewSet, PartnershipViewSet, ProgrammeViewSet, RegionViewSet
from tirek.emergency.api import EmergencyAccessViewSet
from tirek.exports import api as exports_api
from tirek.notifications import api as notifications_api
from tirek.operations.retention.api import RetentionViewSet
from tirek.people.api import ConsentViewSet, FamilyViewSet, PersonViewSet
from tirek.people.duplicate_api import PersonDuplicateViewSet
from tirek.people.import_api import PersonImportTemplateView, PersonImportView
from tirek.plans import api as plans_api
from tirek.referrals import api as referrals_api
from tirek.reports import api as reports_api
from tirek.residence import api as residence_api
from tirek.services import api as services_api
from tirek.support import api as support_api


class Router(SimpleRouter):
    """Routes without PUT: updates are partial (PATCH) everywhere."""

    def get_method_map(self, viewset, method_map):
        return {m: a for m, a in super().get_method_map(viewset, method_map).items() if m != "put"}


router = Router()
router.register("regions", RegionViewSet, basename="region")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("emergency-access", EmergencyAccessViewSet, basename="emergency-access")
router.register("catalog/service-types", ServiceTypeViewSet, basename="service-type")
router.register("catalog/services", ServiceViewSet, basename="service")
router.register("catalog/professions", ProfessionViewSet, basename="profession")
router.register("catalog/diagnoses", DiagnosisViewSet, basename="diagnosis")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("persons", PersonViewSet, basename="person")
router.register("families", FamilyViewSet, basename="family")
router.register("consents", ConsentViewSet, basename="consent")
router.register("cases", CaseViewSet, basename="case")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("case-documents", CaseDocumentViewSet, basename="case-document")

APP_APIS = (
    assessments_api,
    plans_api,
    services_api,
    referrals_api,
    support_api,
    courses_api,
    residence_api,
    notifications_api,
    reports_api,
    exports_api,
)
for module in APP_APIS:
    module.register(router)

me = MeViewSet.as_view({"get": "retrieve", "patch": "partial_update"})
me_active = MeViewSet.as_view({"post": "active_organisation"})
me_logout_everywhere = MeViewSet.as_view({"post": "logout_everywhere"})
two_step = TwoFactorViewSet.as_view({"get": "retrieve"})
two_step_start = TwoFactorViewSet.as_view({"post": "start"})
two_step_confirm = TwoFactorViewSet.as_view({"post": "confirm"})
two_step_recovery = TwoFactorViewSet.as_view({"post": "recovery_codes"})
two_step_disable = TwoFactorViewSet.as_view({"post": "disable"})
me_tokens = ApiTokenViewSet.as_view({"get": "list"})
me_token = ApiTokenViewSet.as_view({"delete": "destroy"})

app_name = "api"
SWAGGER = SpectacularSwaggerSplitView.as_view(url_name="api:schema")

urlpatterns = [
    path("me/", me, name="me"),
    path("me/active-organisation/", me_active, name="me-active-organisation"),
    path("me/logout-everywhere/", me_logout_everywhere, name="me-logout-everywhere"),
    path("me/two-step/", two_step, name="me-two-step"),
    path("me/two-step/start/", two_step_start, name="me-two-step-start"),
    path("me/two-step/confirm/", two_step_confirm, name="me-two-step-confirm"),
    path("me/two-step/recovery-codes/", two_step_recovery, name="me-two-step-recovery-codes"),
    path("me/two-step/disable/", two_step_disable, name="me-two-step-disable"),
    path("me/tokens/", me_tokens, name="me-tokens"),
    path("me/tokens/<uuid:pk>/", me_token, name="me-token"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("people/import/", PersonImportView.as_view(), name="person-import"),
    path("people/import/template/", PersonImportTemplateView.as_view(), name="person-import-template"),
    # Before the router: otherwise persons/<pk>/ would take "duplicates" and "merge" for ids.
    path("persons/duplicates/", PersonDuplicateViewSet.as_view({"get": "list"}), name="person-duplicates"),
    path(
        "persons/duplicates/dismiss/",
        PersonDuplicateViewSet.as_view({"post": "dismiss"}),
        name="person-duplicates-dismiss",
    ),
    path("persons/merge/", PersonDuplicateViewSet.as_view({"post": "merge"}), name="person-merge"),
    path("retention/", RetentionViewSet.as_view({"get": "report"}), name="retention"),
    path("retention/run/", RetentionViewSet.as_view({"post": "run"}), name="retention-run"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (the CSP allows no inline script); its
    # page keeps a <style> block, allowed on this page alone.
    path("docs/", csp_update({"style-src": ["'unsafe-inline'"]})(SWAGGER), name="docs"),
    *[pattern for module in APP_APIS for pattern in module.extra_urlpatterns],
    path("", include(router.urls)),
]
