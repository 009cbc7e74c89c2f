"""API error handling and shared pieces: refusals carry their message, never a traceback."""

import django_filters
from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import (
    APIException,
    NotFound,
    PermissionDenied,
    Throttled,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.dates import validate_date


class Conflict(APIException):
    """Someone else saved first: the client must reload before editing again (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Dữ liệu đã được người khác thay đổi.")
    default_code = "conflict"

    def __init__(self, detail=None, current=None):
        super().__init__(detail)
        self.current = current


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        exc = Conflict(exc.message, current=exc.current)
    if isinstance(exc, ActionError):
        body = {"detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        code = (
            status.HTTP_403_FORBIDDEN
            if isinstance(exc, PermissionRefused)
            else status.HTTP_400_BAD_REQUEST
        )
        return Response(body, status=code)
    if isinstance(exc, Conflict):
        body = {"detail": str(exc.detail)}
        if exc.current is not None:
            body["current"] = exc.current
        return Response(body, status=exc.status_code)
    if isinstance(exc, ValidationError) and not isinstance(exc.detail, dict):
        # A bare message (not a serializer's field dictionary) still answers as documented.
        exc = ValidationError({"non_field_errors": exc.detail})
    exc = _in_users_words(exc)
    return drf_exception_handler(exc, context)


def _in_users_words(exc):
    """The refusals DRF words in English whatever the language (its catalogues translate the
    rest: see `api_locale`), in the request's language."""
    if isinstance(exc, Http404):
        # get_object_or_404's "No Unit matches the given query.": English, and names the model
        return NotFound()
    if isinstance(exc, Throttled):
        detail = str(_("Quá nhiều yêu cầu trong thời gian ngắn."))
        if exc.wait is not None:  # whole seconds already (DRF rounds up)
            wait = int(exc.wait)
            detail += " " + ngettext(
                "Hãy thử lại sau %(wait)d giây.", "Hãy thử lại sau %(wait)d giây.", wait
            ) % {"wait": wait}
        throttled = Throttled(detail=detail, code="throttled")
        throttled.wait = exc.wait  # the Retry-After header
        return throttled
    if isinstance(exc, PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return PermissionDenied(
            _(
                "Yêu cầu bị từ chối vì thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang "
                "rồi thử lại, hoặc dùng khóa truy cập API."
            ),
            code="csrf",
        )
    return exc


def _text_only(to_internal_value):
    """DRF's CharField takes a JSON number as its text (`"title": 0`); the API's text fields
    take text, as the schema says (`type: string`), and refuse anything else with a 400."""

    def strict(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return to_internal_value(self, data)

    return strict


serializers.CharField.to_internal_value = _text_only(serializers.CharField.to_internal_value)


# Dates: ISO (2025-07-01) as the API's own format, dd/mm/yyyy accepted as people type it.
DATE_INPUT_FORMATS = ["iso-8601", "%d/%m/%Y"]


def DateField(**kwargs):  # noqa: N802 - a field factory reads like a field class
    """A date field of a request body or query, refused (400) outside `core.dates.bounds()`."""
    kwargs["validators"] = [validate_date, *kwargs.get("validators", ())]
    return serializers.DateField(input_formats=DATE_INPUT_FORMATS, **kwargs)


class ErrorSerializer(serializers.Serializer):
    """What every refusal looks like (for the schema)."""

    detail = serializers.CharField()
    field = serializers.CharField(required=False)


class ConflictSerializer(ErrorSerializer):
    """A 409: someone saved first; `current` holds the values now stored, `version` among them."""

    current = serializers.DictField(required=False)


def bad_request(refusal=ErrorSerializer, name: str = "BadRequest"):
    """A serializer standing for a 400 in the schema: either a refusal by a rule (`refusal`:
    `detail`, `field` …), or the payload's or query's field errors: field name → list of
    messages (nested objects for nested fields, index → messages for list items,
    `non_field_errors` for the payload as a whole)."""
    serializer = type(
        f"{name}Serializer", (serializers.Serializer,), {"__doc__": bad_request.__doc__}
    )

    class Schema(OpenApiSerializerExtension):
        target_class = serializer

        def get_name(self, auto_schema, direction):
            return name

        def map_serializer(self, auto_schema, direction):
            messages = {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "object"}]},
            }
            field_errors = {
                "type": "object",
                "description": "Field name → its messages.",
                "minProperties": 1,
                "additionalProperties": {"anyOf": [messages, {"type": "object"}]},
            }
            rule = auto_schema.resolve_serializer(refusal, direction).ref
            return {
                "description": "A refusal by a rule, or the field errors of the request.",
                "anyOf": [rule, field_errors],
            }

    return serializer


BadRequestSerializer = bad_request()


# Documented error answers, for `extend_schema(responses={..., **WRITE_ERRORS})`. Every
# operation also gets the answers it may give by its shape (core.schema.AutoSchema).
ERRORS = {400: BadRequestSerializer, 404: ErrorSerializer}
WRITE_ERRORS = {400: BadRequestSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
VERSIONED_ERRORS = {**WRITE_ERRORS, 409: ConflictSerializer}


def VersionField(**kwargs):  # noqa: N802 - a field factory reads like a field class
    """The `version` the edit started from: required, so that no write silently overwrites
    someone else's (a newer version on the server is a 409 with the values now stored)."""
    kwargs.setdefault(
        "help_text", "The `version` you loaded; a newer one on the server answers 409."
    )
    return serializers.IntegerField(min_value=1, max_value=2**31 - 1, **kwargs)


def validated(request, serializer_class, context) -> dict:
    """The request body through `serializer_class`, or a 400 with the field errors."""
    ser = serializer_class(data=request.data, context=context)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def inline_choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField documented as an inline enum, so that two choice sets sharing a field name
    ("kind" of a unit and of a relation) do not collide as schema components (the enum hook
    names only enums found directly on a property; this one sits inside allOf)."""

    values = [str(value) for value, _label in choices]
    if kwargs.get("allow_blank") and "" not in values:
        values.append("")
    enum = {"type": "string", "enum": values}
    if kwargs.get("allow_null"):
        enum["nullable"] = True

    labels = "; ".join(f"{value}: {label}" for value, label in choices)

    @extend_schema_field({"allOf": [enum], "description": labels})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def scoped_pk_field(cls):
    """Mark a scoped primary-key field as a record id (a positive integer) in the schema."""
    return extend_schema_field({"type": "integer", "minimum": 1})(cls)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file part of a multipart request, documented as binary (not a URL)."""


MAX_ID = 2**63 - 1


def IdParam(**kwargs):  # noqa: N802 - a field factory reads like a field class
    """A record id in a payload or query: a positive 64-bit integer, else a 400 (not a database
    overflow error on an id no column can hold)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class IdField(forms.IntegerField):
    """A record id in a query string: a positive 64-bit integer, else a 400 (not a database
    overflow error on an id no column can hold)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class DateFilter(django_filters.DateFilter):
    """A date in a query string (ISO or dd/mm/yyyy), a 400 outside `core.dates.bounds()`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs["validators"] = [validate_date, *kwargs.get("validators", ())]
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """Filter on a foreign key id (`field_name="unit_id"`), validated as `IdField` and
    documented with the same bounds."""

    field_class = IdField


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(**kwargs)


def strict_bool(value) -> bool | None:
    """A yes/no query value: None when absent or empty, else true/false/1/0 or a 400."""
    if value in (None, ""):
        return None
    text = str(value).lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise forms.ValidationError(
        str(serializers.BooleanField.default_error_messages["invalid"]), code="invalid"
    )


class StrictBooleanField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        return strict_bool(value)

    def validate(self, value):
        pass


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.BooleanFilter):
    """django-filter's yes/no filter, but `?overdue=maybe` is a 400 rather than ignored."""

    field_class = StrictBooleanField


def bool_param(request, name: str) -> bool:
    """A yes/no query parameter outside a filter set (false when absent), or a 400."""
    try:
        return bool(strict_bool(request.query_params.get(name)))
    except forms.ValidationError as exc:
        raise ValidationError({name: list(exc.messages)}) from exc


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    """A year in a query string: a whole number 1–9999 (not `4.5`, not an overflow)."""

    field_class = YearField
