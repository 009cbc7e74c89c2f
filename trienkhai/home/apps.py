from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top floor: the pages that gather from every app (home page, change log)."""

    name = "trienkhai.home"
    label = "home"
