"""API error handling and shared pieces: refusals carry their message, never a traceback."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from trienkhai.core.actions import ActionError, StaleEdit
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
        from trienkhai.accounts.permissions import PermissionRefused

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
    return drf_exception_handler(exc, context)


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


# Documented error answers, for `extend_schema(responses={..., **WRITE_ERRORS})`.
ERRORS = {400: ErrorSerializer, 404: ErrorSerializer}
WRITE_ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
VERSIONED_ERRORS = {**WRITE_ERRORS, 409: ErrorSerializer}


def validated(request, serializer_class, context) -> dict:
    """The request body through `serializer_class`, or a 400 with the field errors."""
    ser = serializer_class(data=request.data, context=context)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def inline_choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField documented as an inline enum, so that two choice sets sharing a field name
    ("kind" of a unit and of a relation) do not collide as schema components (the enum hook
    names only enums found directly on a property; this one sits inside allOf)."""

    enum = {"type": "string", "enum": [str(value) for value, _label in choices]}

    labels = "; ".join(f"{value}: {label}" for value, label in choices)

    @extend_schema_field({"allOf": [enum], "description": labels})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def scoped_pk_field(cls):
    """Mark a scoped primary-key field as an integer in the schema."""
    return extend_schema_field(OpenApiTypes.INT)(cls)


class IdField(forms.IntegerField):
    """A record id in a query string: a positive 64-bit integer, else a 400 (not a database
    overflow error on an id no column can hold)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class DateFilter(django_filters.DateFilter):
    """A date in a query string (ISO or dd/mm/yyyy), a 400 outside `core.dates.bounds()`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs["validators"] = [validate_date, *kwargs.get("validators", ())]
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """Filter on a foreign key id (`field_name="unit_id"`), validated as `IdField`."""

    field_class = IdField
