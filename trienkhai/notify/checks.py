"""Start-up checks of the e-mail settings: links in mail must be absolute, so a site that sends
real mail needs its public address (`TRIENKHAI_SITE_URL`)."""

from django.conf import settings
from django.core import checks


def site_url(app_configs=None, **kwargs):
    url = getattr(settings, "TRIENKHAI_SITE_URL", "")
    if url and not url.startswith(("http://", "https://")):
        return [
            checks.Error(
                f"TRIENKHAI_SITE_URL={url!r} is not an absolute address.",
                hint="Give the site's public address, e.g. https://trienkhai.example.vn",
                id="notify.E001",
            )
        ]
    if not url and settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return [
            checks.Warning(
                "E-mail is sent by SMTP but TRIENKHAI_SITE_URL is empty: links in e-mails "
                "would be relative and open nowhere.",
                hint="Set TRIENKHAI_SITE_URL to the site's public address.",
                id="notify.W001",
            )
        ]
    return []
