"""The change log of one record (the site-wide log, scoped to the reader, is `home.queries`)."""

from django.contrib.contenttypes.models import ContentType

from trienkhai.core.models import ChangeLogEntry


def history_for(obj):
    """Every log entry about one object. The caller has already checked the object is visible."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return ChangeLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by(
        "-time", "-id"
    )
