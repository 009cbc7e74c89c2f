"""REST API for the organisation tree: scoped reads, and reorganisations through units.actions.

Every queryset starts from units.queries (scoped in SQL); a unit outside the caller's reach is a
404. Writes validate their payload here and leave permission checks and history to the actions.
"""

import django_filters
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from trienkhai.accounts.scope import document_access, is_global, unit_scope
from trienkhai.core.actions import ActionError
from trienkhai.core.api import (
    WRITE_ERRORS,
    DateField,
    DateFilter,
    ErrorSerializer,
    IdFilter,
    bool_param,
    scoped_pk_field,
)
from trienkhai.core.text import search_terms
from trienkhai.tree.kinds import UnitKind, kind_label
from trienkhai.units import actions, queries
from trienkhai.units.models import Reorganisation, ReorganisationLink, UnitState

ERRORS = WRITE_ERRORS


def in_scope(user, prefix: str):
    """A boolean expression: is the unit behind `prefix` inside the user's reach?"""
    if is_global(user):
        return Value(True, output_field=BooleanField())
    return Case(
        When(unit_scope(user, prefix), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def scoped_units(user):
    """Visible units, with the parent's id only when the parent is visible too."""
    return (
        queries.visible_units(user)
        .annotate(parent_visible=in_scope(user, "parent"))
        .annotate(visible_parent=Case(When(parent_visible=True, then=F("parent_id")), default=None))
    )


# --- serializers -------------------------------------------------------------------------


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    kind_label = serializers.SerializerMethodField()
    parent = serializers.IntegerField(
        source="visible_parent", allow_null=True, help_text="Null at the top of the caller's reach."
    )
    depth = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    is_open = serializers.BooleanField()

    def get_kind_label(self, obj) -> str:
        return kind_label(obj.kind)


class ChildSerializer(UnitSerializer):
    has_children = serializers.BooleanField()


class StateSerializer(serializers.Serializer):
    """One period of a unit's life (a child "as of" a date, or a row of its history)."""

    unit = serializers.IntegerField(source="unit_id")
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    kind_label = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField()
    parent_name = serializers.SerializerMethodField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)

    def get_kind_label(self, obj) -> str:
        return kind_label(obj.kind)

    def get_parent(self, obj) -> int | None:
        return obj.parent_id if getattr(obj, "parent_visible", False) else None

    def get_parent_name(self, obj) -> str | None:
        return obj.parent.name if getattr(obj, "parent_visible", False) and obj.parent else None


class ChildStateSerializer(StateSerializer):
    has_children = serializers.BooleanField()


class LinkSerializer(serializers.Serializer):
    """A reorganisation seen from one unit: the operation and the unit on the other side."""

    operation = serializers.IntegerField(source="operation_id")
    kind = serializers.CharField(source="operation.kind")
    kind_label = serializers.CharField(source="operation.get_kind_display")
    date = serializers.DateField(source="operation.date")
    takes_work = serializers.BooleanField()
    unit = serializers.SerializerMethodField()

    def get_unit(self, obj) -> dict:
        other = obj.predecessor if self.context.get("side") == "predecessor" else obj.successor
        return {"id": other.pk, "code": other.code, "name": other.name}


class UnitRefSerializer(serializers.Serializer):
    """A unit as other records name it: id, code and name."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


@scoped_pk_field
class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """A unit id resolved inside the caller's reach: a unit outside it reads as not existing."""

    def get_queryset(self):
        return queries.visible_units(self.context["request"].user)


@scoped_pk_field
class ScopedDecisionField(serializers.PrimaryKeyRelatedField):
    """The decision document behind a reorganisation, among those the caller may read.

    Units stand below documents: the document model is reached through the link's foreign
    key, and readability is the scope's `document_access`, the rule documents use too."""

    def get_queryset(self):
        visible, readable = document_access(self.context["request"].user)
        Document = Reorganisation._meta.get_field("decision").related_model
        return Document.objects.filter(visible & readable)


class UnitCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    parent = ScopedUnitField(allow_null=True)
    valid_from = DateField()


class NewUnitSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    parent = ScopedUnitField(allow_null=True)


class DatedSerializer(serializers.Serializer):
    date = DateField()
    decision = ScopedDecisionField(required=False, allow_null=True, default=None)
    confirm_backdated = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required (true) when `date` is more than TRIENKHAI_BACKDATE_CONFIRM_DAYS "
        "(30) days ago: without it the change is refused with 400, field `confirm_backdated`.",
    )


class RenameSerializer(DatedSerializer):
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class MoveSerializer(DatedSerializer):
    parent = ScopedUnitField()


def _one_of(data, existing: str, new: str):
    if (data.get(existing) is None) == (data.get(new) is None):
        raise ActionError(
            _("Chọn một đơn vị có sẵn hoặc khai báo một đơn vị mới (chỉ một trong hai)."),
            field=existing,
        )


class MergeSerializer(DatedSerializer):
    units = serializers.ListField(child=ScopedUnitField(), min_length=1)
    into = ScopedUnitField(required=False, allow_null=True, default=None)
    new_unit = NewUnitSerializer(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)

    def validate(self, data):
        _one_of(data, "into", "new_unit")
        return data


class SuccessorSerializer(serializers.Serializer):
    unit = ScopedUnitField(required=False, allow_null=True, default=None)
    new_unit = NewUnitSerializer(required=False, allow_null=True, default=None)

    def validate(self, data):
        _one_of(data, "unit", "new_unit")
        return data


class SplitSerializer(DatedSerializer):
    into = SuccessorSerializer(many=True)
    work_to = serializers.IntegerField(default=0, min_value=0)
    child_targets = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        default=dict,
        help_text="Child unit id → index in `into` of the successor it moves under.",
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)

    def validate_child_targets(self, value):
        try:
            return {int(k): v for k, v in value.items()}
        except ValueError as exc:
            raise ValidationError(_("Mã đơn vị trực thuộc phải là số.")) from exc


class DissolveSerializer(DatedSerializer):
    successor = ScopedUnitField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


# --- filters -----------------------------------------------------------------------------


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    parent = IdFilter(field_name="parent_id")
    status = django_filters.ChoiceFilter(
        choices=[("open", gettext_lazy("Đang hoạt động")), ("closed", gettext_lazy("Đã kết thúc"))],
        method="filter_status",
        label=gettext_lazy("Tình trạng"),
    )
    as_of = DateFilter(method="filter_as_of", label=gettext_lazy("Tại ngày"))
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Tìm kiếm"))

    def filter_status(self, queryset, name, value):
        return queryset.filter(valid_to__isnull=(value == "open"))

    def filter_as_of(self, queryset, name, value):
        return queryset.filter(valid_from__lte=value).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=value)
        )

    def filter_q(self, queryset, name, value):
        # The semantics of units.queries.search: every folded term is in the folded name.
        for term in search_terms(value):
            queryset = queryset.filter(name_folded__contains=term)
        return queryset.order_by("depth", "name")


def _as_of_param(request):
    raw = request.query_params.get("as_of")
    if not raw:
        return None
    field = DateField()
    try:
        return field.run_validation(raw)
    except ValidationError as exc:
        raise ValidationError({"as_of": exc.detail}) from exc


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Tree as it stood on this date (YYYY-MM-DD)."
)


# --- viewset -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Units in the caller's reach"),
    retrieve=extend_schema(
        summary="One unit", responses={200: UnitSerializer, 404: ErrorSerializer}
    ),
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return scoped_units(self.request.user).order_by("path")

    def _respond(self, unit, code=status.HTTP_200_OK):
        unit = self.get_queryset().get(pk=unit.pk)
        return Response(UnitSerializer(unit).data, status=code)

    # Writes: administrators only, enforced by the actions.

    @extend_schema(
        summary="Create a unit (administrators)",
        request=UnitCreateSerializer,
        responses={201: UnitSerializer, **ERRORS},
    )
    def create(self, request):
        data = self._valid(UnitCreateSerializer)
        unit = actions.create_unit(request.user, **data)
        return self._respond(unit, status.HTTP_201_CREATED)

    def _valid(self, serializer_class):
        ser = serializer_class(data=self.request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        return dict(ser.validated_data)

    @extend_schema(
        summary="Rename a unit from a date",
        request=RenameSerializer,
        responses={200: UnitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        unit = self.get_object()
        unit = actions.rename_unit(request.user, unit, **self._valid(RenameSerializer))
        return self._respond(unit)

    @extend_schema(
        summary="Move a unit under another parent",
        request=MoveSerializer,
        responses={200: UnitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        unit = self.get_object()
        data = self._valid(MoveSerializer)
        unit = actions.move_unit(
            request.user,
            unit,
            new_parent=data["parent"],
            date=data["date"],
            decision=data["decision"],
            confirm_backdated=data["confirm_backdated"],
        )
        return self._respond(unit)

    @extend_schema(
        summary="Merge units into an existing or a new unit",
        request=MergeSerializer,
        responses={200: UnitSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def merge(self, request):
        data = self._valid(MergeSerializer)
        into = data["into"] if data["into"] is not None else dict(data["new_unit"])
        unit = actions.merge_units(
            request.user,
            units=data["units"],
            into=into,
            date=data["date"],
            decision=data["decision"],
            note=data["note"],
            confirm_backdated=data["confirm_backdated"],
        )
        return self._respond(unit)

    @extend_schema(
        summary="Split a unit into several successors",
        request=SplitSerializer,
        responses={200: UnitSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        unit = self.get_object()
        data = self._valid(SplitSerializer)
        into = [s["unit"] if s["unit"] is not None else dict(s["new_unit"]) for s in data["into"]]
        successors = actions.split_unit(
            request.user,
            unit,
            into=into,
            work_to=data["work_to"],
            child_targets=data["child_targets"],
            date=data["date"],
            decision=data["decision"],
            note=data["note"],
            confirm_backdated=data["confirm_backdated"],
        )
        rows = self.get_queryset().filter(pk__in=[s.pk for s in successors])
        return Response(UnitSerializer(rows, many=True).data)

    @extend_schema(
        summary="Dissolve a unit (children and open work go to the successor)",
        request=DissolveSerializer,
        responses={200: UnitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        unit = self.get_object()
        data = self._valid(DissolveSerializer)
        unit = actions.dissolve_unit(request.user, unit, **data)
        return self._respond(unit)

    # Reads around one unit.

    @extend_schema(
        summary="Top units of the caller's reach",
        parameters=[OpenApiParameter("include_closed", OpenApiTypes.BOOL)],
        responses=ChildSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def roots(self, request):
        return self._children(None)

    @extend_schema(
        summary="Children of a unit, today or as of a date",
        parameters=[AS_OF, OpenApiParameter("include_closed", OpenApiTypes.BOOL)],
        responses={200: ChildSerializer(many=True), 404: ErrorSerializer},
        description="With `as_of`, rows are the children's states on that date (ChildState).",
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def children(self, request, pk=None):
        return self._children(self.get_object())

    def _children(self, parent):
        user = self.request.user
        as_of = _as_of_param(self.request)
        if as_of is not None:
            # The parent's name is printed on every row: joined, not read once per row.
            rows = (
                queries.children_as_of(user, parent, as_of)
                .select_related("parent")
                .annotate(parent_visible=in_scope(user, "parent"))
            )
            serializer_class = ChildStateSerializer
        else:
            closed = bool_param(self.request, "include_closed")
            rows = (
                queries.children(user, parent, include_closed=closed)
                .annotate(parent_visible=in_scope(user, "parent"))
                .annotate(
                    visible_parent=Case(
                        When(parent_visible=True, then=F("parent_id")), default=None
                    )
                )
            )
            serializer_class = ChildSerializer
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(
        summary="Periods of a unit's life (name, kind, parent)",
        responses={200: StateSerializer(many=True), 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def history(self, request, pk=None):
        unit = self.get_object()
        rows = (
            UnitState.objects.filter(unit=unit)
            .annotate(parent_visible=in_scope(request.user, "parent"))
            .select_related("parent")
            .order_by("valid_from")
        )
        return Response(StateSerializer(rows, many=True).data)

    @extend_schema(
        summary="Units this one succeeded (merges, splits)",
        responses={200: LinkSerializer(many=True), 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def predecessors(self, request, pk=None):
        unit = self.get_object()
        links = (
            ReorganisationLink.objects.filter(successor=unit)
            .exclude(predecessor=unit)
            .filter(unit_scope(request.user, "predecessor"))
            .select_related("operation", "predecessor")
            .order_by("-operation__date", "pk")
        )
        return Response(LinkSerializer(links, many=True, context={"side": "predecessor"}).data)

    @extend_schema(
        summary="Units that took over from this one",
        responses={200: LinkSerializer(many=True), 404: ErrorSerializer},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def successors(self, request, pk=None):
        unit = self.get_object()
        links = (
            ReorganisationLink.objects.filter(predecessor=unit, successor__isnull=False)
            .exclude(successor=unit)
            .filter(unit_scope(request.user, "successor"))
            .select_related("operation", "successor")
            .order_by("-operation__date", "pk")
        )
        return Response(LinkSerializer(links, many=True, context={"side": "successor"}).data)


ROUTES = [("units", UnitViewSet, "api-unit")]
PATHS: list = []
