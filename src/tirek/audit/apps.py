from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tirek.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # The ground floor notes refused accesses without knowing the trail; the trail records them.
        from tirek.audit.services import record_refused_access
        from tirek.core.refusals import access_refused

        access_refused.connect(record_refused_access, dispatch_uid="tirek.audit.refusals")
