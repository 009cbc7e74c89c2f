"""REST API of conferences: a scoped viewset (list, read, record, edit) and the roll-up.

Reads come from `conferences.queries` (scoped on the copied host path): a conference, unit or
document outside the caller's reach is a 404. Writes validate their payload's shape here and
call `conferences.actions`, which check roles and rules; a refusal is a 400 (403 for a role) with
its Vietnamese message, a stale `expected_version` a 409 with the values now stored.
`ROUTES` and `PATHS` are wired into /api/ by trienkhai/api_urls.py.
"""

import django_filters
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from trienkhai.conferences import actions, queries
from trienkhai.conferences.models import Category, Conference, Format
from trienkhai.conferences.timing import Timing, participation_rate, rate_text, timing_of
from trienkhai.core.api import (
    ERRORS,
    WRITE_ERRORS,
    ConflictSerializer,
    DateField,
    IdFilter,
    IdParam,
    VersionField,
    inline_choice_field,
    scoped_pk_field,
)
from trienkhai.documents.queries import readable_documents, visible_documents
from trienkhai.tracking.queries import visible_assignments
from trienkhai.units.api import ScopedUnitField, UnitRefSerializer
from trienkhai.units.queries import get_visible_unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
TIMING_CHOICES = [(t, Timing.LABELS[t]) for t in Timing.ORDER]


# --- reads -------------------------------------------------------------------------------


class ConferenceDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    symbol = serializers.CharField()
    date = serializers.DateField()


class ConferencePointsSerializer(serializers.Serializer):
    level = serializers.CharField(max_length=100)
    count = serializers.IntegerField(min_value=0)


class ConferenceAttendanceSerializer(serializers.Serializer):
    level = serializers.CharField(max_length=100)
    category = inline_choice_field(Category.choices)
    count = serializers.IntegerField(min_value=0)


class ConferenceSerializer(serializers.ModelSerializer):
    host = UnitRefSerializer()
    format = inline_choice_field(Format.choices)
    documents = serializers.SerializerMethodField()
    points = ConferencePointsSerializer(many=True)
    attendance = ConferenceAttendanceSerializer(many=True)
    participation_rate = serializers.SerializerMethodField(
        help_text="Members attending among those expected, in percent."
    )
    participation_text = serializers.SerializerMethodField(help_text='Localised, e.g. "97,55%".')
    timing = serializers.SerializerMethodField()
    timing_label = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = (
            "id",
            "host",
            "date",
            "title",
            "format",
            "documents",
            "points",
            "attendance",
            "total_points",
            "total_attendees",
            "members_expected",
            "members_attending",
            "participation_rate",
            "participation_text",
            "non_member_attendances",
            "deadline",
            "deadline_assignment",
            "timing",
            "timing_label",
            "note",
            "version",
        )

    @extend_schema_field(ConferenceDocumentSerializer(many=True))
    def get_documents(self, obj) -> list:
        """Documents as prefetched by the viewset: only those the caller may read."""
        return [{"id": d.pk, "symbol": d.symbol, "date": d.date} for d in obj.documents.all()]

    def get_participation_rate(self, obj) -> float | None:
        rate = participation_rate(obj.members_expected, obj.members_attending)
        return None if rate is None else round(rate, 2)

    def get_participation_text(self, obj) -> str:
        return rate_text(participation_rate(obj.members_expected, obj.members_attending))

    def get_timing(self, obj) -> str:
        return timing_of(obj.date, obj.deadline)

    def get_timing_label(self, obj) -> str:
        return str(Timing.LABELS[timing_of(obj.date, obj.deadline)])


# --- writes ------------------------------------------------------------------------------


@scoped_pk_field
class ReadableDocumentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return readable_documents(self.context["request"].user)


@scoped_pk_field
class ScopedAssignmentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible_assignments(self.context["request"].user)


class ConferencePointsInputSerializer(ConferencePointsSerializer):
    """As written (a schema component of its own: the request's text rules apply)."""


class ConferenceAttendanceInputSerializer(ConferenceAttendanceSerializer):
    """As written (a schema component of its own: the request's text rules apply)."""


class ConferenceWriteSerializer(serializers.Serializer):
    host = ScopedUnitField(help_text="The unit that held the conference.")
    date = DateField(help_text="ISO 2022-01-15 or 15/01/2022.")
    title = serializers.CharField()
    format = inline_choice_field(Format.choices)
    documents = serializers.ListField(child=ReadableDocumentField(), allow_empty=False)
    points = ConferencePointsInputSerializer(many=True, required=False, default=list)
    attendance = ConferenceAttendanceInputSerializer(many=True, required=False, default=list)
    members_expected = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    members_attending = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    non_member_attendances = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    deadline = DateField(required=False, allow_null=True, default=None)
    deadline_assignment = ScopedAssignmentField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A tracking assignment of the host: its due date becomes the deadline.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConferenceUpdateSerializer(ConferenceWriteSerializer):
    expected_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "expected_version":
                field.required = False
                field.default = serializers.empty


def _action_values(data: dict) -> dict:
    values = dict(data)
    if "points" in values:
        values["points"] = [(p["level"], p["count"]) for p in values["points"]]
    if "attendance" in values:
        values["attendance"] = [
            (a["level"], a["category"], a["count"]) for a in values["attendance"]
        ]
    return values


class ConferenceFilter(django_filters.FilterSet):
    unit = IdFilter(method="filter_unit", label="Unit whose subtree is listed")
    host = IdFilter(field_name="host_id")
    document = IdFilter(method="filter_document", label="Document covered (readable by the caller)")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", input_formats=DATE_FORMATS
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", input_formats=DATE_FORMATS
    )
    q = django_filters.CharFilter(method="filter_q", label="Search, diacritics ignored")
    timing = django_filters.ChoiceFilter(choices=TIMING_CHOICES, method="filter_timing")

    def filter_unit(self, queryset, name, value):
        unit = get_visible_unit(self.request.user, value)
        if unit is None:
            return queryset.none()
        return queries.in_subtree(queryset, unit)

    def filter_document(self, queryset, name, value):
        # Through the caller's readable documents: a classified id matches nothing (no oracle).
        document = readable_documents(self.request.user).filter(pk=value).first()
        if document is None:
            return queryset.none()
        return queries.filter_conferences(queryset, document=document)

    def filter_q(self, queryset, name, value):
        return queries.filter_conferences(queryset, q=value)

    def filter_timing(self, queryset, name, value):
        return queries.filter_conferences(queryset, timing=value)


@extend_schema_view(
    list=extend_schema(summary="Conferences held by units in the caller's reach"),
    retrieve=extend_schema(
        summary="One conference", responses={200: ConferenceSerializer, **ERRORS}
    ),
)
class ConferenceViewSet(viewsets.ReadOnlyModelViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilter

    def get_queryset(self):
        from django.db.models import Prefetch

        user = self.request.user
        return (
            queries.visible_conferences(user)
            .select_related("host")
            .prefetch_related(
                Prefetch("documents", queryset=readable_documents(user).order_by("date", "id")),
                "points",
                "attendance",
            )
            .order_by("-date", "-id")
        )

    def _out(self, conference, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=conference.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary="Record a conference (reporter of the host unit)",
        request=ConferenceWriteSerializer,
        responses={201: ConferenceSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        ser = ConferenceWriteSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        conference = actions.record_conference(request.user, **_action_values(ser.validated_data))
        return self._out(conference, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a conference; fields left out keep their value",
        request=ConferenceUpdateSerializer,
        responses={200: ConferenceSerializer, 409: ConflictSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        conference = self.get_object()
        ser = ConferenceUpdateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        values = _action_values(ser.validated_data)
        expected = values.pop("expected_version", None)
        conference = actions.update_conference(
            request.user, conference, expected_version=expected, **values
        )
        return self._out(conference)


# --- roll-up -----------------------------------------------------------------------------


class ConferenceRollupParams(serializers.Serializer):
    unit = IdParam(help_text="The unit whose children are rolled up.")
    document = IdParam(required=False, help_text="Only conferences covering it.")
    date_from = DateField(required=False)
    date_to = DateField(required=False)


class ConferenceRollupLineSerializer(serializers.Serializer):
    unit = UnitRefSerializer(allow_null=True)
    own = serializers.BooleanField(help_text="Conferences held by the unit itself.")
    held = serializers.IntegerField(help_text="Units that held at least one conference.")
    on_time = serializers.IntegerField(help_text="Units with one held by its deadline.")
    late = serializers.IntegerField(help_text="Units with a deadline and none held by it.")
    no_deadline = serializers.IntegerField()
    conferences = serializers.IntegerField()
    points = serializers.IntegerField()
    attendees = serializers.IntegerField()


class ConferenceTotalsSerializer(serializers.Serializer):
    held = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    no_deadline = serializers.IntegerField()
    conferences = serializers.IntegerField()
    points = serializers.IntegerField()
    attendees = serializers.IntegerField()


class ConferenceDocumentLineSerializer(ConferenceTotalsSerializer):
    document = ConferenceDocumentSerializer(allow_null=True, help_text="Null: not readable by you.")
    no_deadline = None


class ConferenceRollupSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    document = serializers.IntegerField(allow_null=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    children = ConferenceRollupLineSerializer(many=True)
    totals = ConferenceTotalsSerializer()
    documents = ConferenceDocumentLineSerializer(many=True)


def _unit_ref(unit):
    return None if unit is None else {"id": unit.pk, "code": unit.code, "name": unit.name}


class ConferenceRollupView(APIView):
    @extend_schema(
        summary="Conferences by child unit and by document: units held, on time, late, figures",
        parameters=[ConferenceRollupParams],
        responses={200: ConferenceRollupSerializer, **ERRORS},
    )
    def get(self, request):
        params = ConferenceRollupParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        user = request.user
        unit = get_visible_unit(user, p["unit"])
        if unit is None:
            raise Http404
        document = None
        if p.get("document") is not None:
            document = visible_documents(user).filter(pk=p["document"]).first()
            if document is None:
                raise Http404
        window = {"date_from": p.get("date_from"), "date_to": p.get("date_to")}
        rows = queries.rollup(user, unit=unit, document=document, **window)
        total = queries.totals(rows)
        by_doc = queries.by_document(user, unit=unit, **window)
        body = {
            "unit": _unit_ref(unit),
            "document": document.pk if document else None,
            **window,
            "children": [{**_figures(r), "unit": _unit_ref(r.unit), "own": r.own} for r in rows],
            "totals": _figures(total),
            "documents": [
                {
                    **_figures(d),
                    "document": (
                        {"id": d.document.pk, "symbol": d.document.symbol, "date": d.document.date}
                        if d.document is not None and d.document.readable
                        else None
                    ),
                }
                for d in by_doc
            ],
        }
        return Response(ConferenceRollupSerializer(body).data)


def _figures(row) -> dict:
    out = {
        name: getattr(row, name)
        for name in ("held", "on_time", "late", "conferences", "points", "attendees")
    }
    if hasattr(row, "no_deadline"):
        out["no_deadline"] = row.no_deadline
    return out


ROUTES: list = [("conferences", ConferenceViewSet, "api-conference")]
PATHS: list = [
    path("conference-rollup/", ConferenceRollupView.as_view(), name="api-conference-rollup"),
]
