"""Where a webhook may post: http or https to an address that is not this machine's own.

Offline deployments post to e-office systems on private networks, so private addresses are
allowed; loopback, link-local (cloud metadata), multicast and unspecified ones are not (the
application's own /metrics, a database, a local admin port), unless
TRIENKHAI_WEBHOOK_ALLOW_LOOPBACK=1 (a receiver on the same machine, tests).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class RefusedAddress(ValueError):
    """The URL may not receive webhooks; the message says why."""


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress(_("Địa chỉ nhận phải bắt đầu bằng http:// hoặc https://."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddress(
            _("Không tìm thấy máy chủ “%(host)s”.") % {"host": parts.hostname}
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        loopback = address.is_loopback
        if (loopback and not settings.TRIENKHAI_WEBHOOK_ALLOW_LOOPBACK) or (
            address.is_link_local or address.is_multicast or address.is_unspecified
        ):
            raise RefusedAddress(
                _("Không được gửi webhook tới địa chỉ %(address)s.") % {"address": address}
            )
