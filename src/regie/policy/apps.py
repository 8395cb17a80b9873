from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "regie.policy"
    label = "policy"
    verbose_name = _("Strategic framework")

    def ready(self) -> None:
        from regie.register.hooks import register_post_change

        from .hooks import refresh_after_change

        register_post_change(refresh_after_change)
