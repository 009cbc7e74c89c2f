"""What the change log says of this app's actions, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext_lazy as _l

ACTIONS = {
    "practices.record": _l("Ghi nhận cách làm hay"),
    "practices.update": _l("Sửa cách làm hay"),
    "practices.attach": _l("Đính kèm minh chứng"),
    "practices.adopt": _l("Ghi nhận đơn vị áp dụng"),
    "practices.remove_adoption": _l("Bỏ đơn vị áp dụng"),
}


def _adoptions(ids, known) -> dict[str, str]:
    from trienkhai.practices.models import Adoption

    rows = Adoption.objects.filter(known("unit"), known("practice__unit"), pk__in=ids)
    rows = rows.values_list("pk", "practice__title", "unit__name")
    return {str(pk): f"{title[:90]} — {unit}" for pk, title, unit in rows}


NAMES = {
    "practices.adoption": (_l("áp dụng, nhân rộng"), _adoptions),
    "practices.practiceevidence": (_l("minh chứng"), None),
}
