from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks: the product's events sent, signed, to the systems around it."""

    name = "trienkhai.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from trienkhai.core import registry
        from trienkhai.webhooks import changelog, events

        registry.add_log_words(changelog)
        registry.add("core.recorded", "webhooks.events", events.recorded)
