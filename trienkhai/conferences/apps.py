from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "trienkhai.conferences"
    label = "conferences"
    verbose_name = "Conferences"

    def ready(self):
        from trienkhai.conferences import hooks  # noqa: F401  (registers the path hook)
