from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "trienkhai.conferences"
    label = "conferences"
    verbose_name = "Conferences"
