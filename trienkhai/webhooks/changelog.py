"""What the change log says of webhook subscriptions (registered in the app's `ready()`)."""

from django.utils.translation import gettext_lazy as _l

JOBS = {
    "webhooks.events.fan_out": _l("Chọn webhook nhận sự kiện"),
    "webhooks.events.send": _l("Gửi webhook"),
}

ACTIONS = {
    "webhooks.subscribe": _l("Đăng ký webhook"),
    "webhooks.set_active": _l("Bật/tắt webhook"),
}
