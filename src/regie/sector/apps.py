from django.apps import AppConfig


class SectorConfig(AppConfig):
    name = "regie.sector"
    label = "sector"
    verbose_name = "Sector"
    default_auto_field = "django.db.models.BigAutoField"
