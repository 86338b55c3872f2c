from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "tirek.services"
    label = "services"
    verbose_name = _("Sessions and group activities")
