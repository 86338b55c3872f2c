from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """The top floor: the demo, the national data generator, backup and restore, retention, the worker.

    What reaches into every app lives here, so that no app below has to import another floor's code.
    """

    name = "tirek.operations"
    label = "operations"
    verbose_name = _("Operations")
