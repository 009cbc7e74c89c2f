"""REST API for the document registry: scoped reads, writes through documents.actions.

A document the caller may know of but not read (classified beyond their clearance) is shown as a
bare fact: id, classification, date, issuing unit, `"readable": false`.
"""

import django_filters
from django.db.models import BooleanField, Case, Prefetch, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from trienkhai.accounts.models import Clearance
from trienkhai.accounts.scope import document_access
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.api import (
    WRITE_ERRORS,
    Conflict,
    ConflictSerializer,
    DateField,
    IdFilter,
    inline_choice_field,
    scoped_pk_field,
)
from trienkhai.documents import actions, queries
from trienkhai.documents.models import (
    Attachment,
    DocType,
    DocumentRelation,
    RelationKind,
    System,
    Urgency,
)
from trienkhai.units.api import ScopedUnitField, UnitRefSerializer

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
ERRORS = WRITE_ERRORS


def _flag(condition: Q):
    """A boolean expression for `condition`; an empty Q (a global user) is simply true."""
    if not condition:
        return Value(True, output_field=BooleanField())
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# --- serializers -------------------------------------------------------------------------

RESTRICTED_FIELDS = (
    "id",
    "classification",
    "classification_label",
    "date",
    "issuing_unit",
    "readable",
)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ("id", "original_name", "size", "content_type", "sha256", "uploaded_at")


class DocumentBriefSerializer(serializers.Serializer):
    """A document in a list of relations or a cascade; restricted when it is not readable."""

    id = serializers.IntegerField()
    readable = serializers.BooleanField()
    classification = serializers.ChoiceField(choices=Clearance.choices)
    classification_label = serializers.CharField(source="get_classification_display")
    date = serializers.DateField()
    issuing_unit = UnitRefSerializer()
    symbol = serializers.CharField(required=False)
    doc_type = serializers.ChoiceField(choices=DocType.choices, required=False)
    doc_type_label = serializers.CharField(source="get_doc_type_display", required=False)
    subject = serializers.CharField(required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "readable", False):
            return {k: data[k] for k in RESTRICTED_FIELDS}
        return data


class DocumentSerializer(DocumentBriefSerializer):
    system = serializers.ChoiceField(choices=System.choices, required=False)
    number = serializers.CharField(required=False)
    type_code = serializers.CharField(required=False)
    issuer_code = serializers.CharField(required=False)
    year = serializers.IntegerField(allow_null=True, required=False)
    term = serializers.CharField(required=False)
    place = serializers.CharField(required=False)
    signer = serializers.CharField(required=False)
    signer_position = serializers.CharField(required=False)
    authority = serializers.CharField(required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    co_issuers = UnitRefSerializer(many=True, source="known_co_issuers", required=False)
    attachments = AttachmentSerializer(many=True, required=False)
    updated_at = serializers.DateTimeField(
        required=False, help_text="Send it back as `expected_updated_at` when updating."
    )


@scoped_pk_field
class ScopedDocumentField(serializers.PrimaryKeyRelatedField):
    """A document id among those the caller may know of; anything else reads as not existing."""

    def get_queryset(self):
        return queries.visible_documents(self.context["request"].user)


class DocumentFieldsSerializer(serializers.Serializer):
    symbol = serializers.CharField(max_length=100, help_text="As printed: 21-KL/TW, 283/KH-UBND.")
    doc_type = serializers.ChoiceField(choices=DocType.choices)
    term = serializers.CharField(max_length=32)
    date = DateField()
    subject = serializers.CharField()
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    signer = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signer_position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    authority = serializers.CharField(max_length=32, required=False, allow_blank=True)
    classification = serializers.ChoiceField(choices=Clearance.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True)


class DocumentCreateSerializer(DocumentFieldsSerializer):
    issuing_unit = ScopedUnitField()
    co_issuers = serializers.ListField(child=ScopedUnitField(), required=False, default=list)


class DocumentUpdateSerializer(DocumentFieldsSerializer):
    expected_updated_at = serializers.DateTimeField(
        help_text="The `updated_at` the edit started from; a newer one on the server means 409."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "expected_updated_at":
                field.required = False


class RelationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = inline_choice_field(RelationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    source = DocumentBriefSerializer()
    target = DocumentBriefSerializer()


class RelationCreateSerializer(serializers.Serializer):
    source = ScopedDocumentField()
    target = ScopedDocumentField()
    kind = inline_choice_field(RelationKind.choices)


class RelationEndSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = inline_choice_field(RelationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    document = DocumentBriefSerializer(source="other")


class DocumentRelationsSerializer(serializers.Serializer):
    outgoing = RelationEndSerializer(many=True)
    incoming = RelationEndSerializer(many=True)


class CascadeSerializer(serializers.Serializer):
    document = DocumentBriefSerializer()
    levels = serializers.ListField(child=DocumentBriefSerializer(many=True))


# --- filters -----------------------------------------------------------------------------


class DocumentFilter(django_filters.FilterSet):
    doc_type = django_filters.ChoiceFilter(choices=DocType.choices)
    system = django_filters.ChoiceFilter(choices=System.choices)
    issuing_unit = IdFilter(field_name="issuing_unit_id")
    classification = django_filters.TypedChoiceFilter(choices=Clearance.choices, coerce=int)
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        input_formats=DATE_FORMATS,
        label=gettext_lazy("Từ ngày"),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        input_formats=DATE_FORMATS,
        label=gettext_lazy("Đến ngày"),
    )
    # Applied in get_queryset through documents.queries.search; declared for the schema.
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Tìm kiếm"))

    def filter_q(self, queryset, name, value):
        return queryset


class RelationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=RelationKind.choices)
    source = IdFilter(field_name="source_id")
    target = IdFilter(field_name="target_id")
    document = IdFilter(method="filter_document", label=gettext_lazy("Văn bản"))

    def filter_document(self, queryset, name, value):
        return queryset.filter(Q(source_id=value) | Q(target_id=value))


# --- viewsets ----------------------------------------------------------------------------


def _require_readable(doc):
    if not doc.readable:
        raise PermissionDenied(_("Bạn không đủ độ mật để đọc văn bản này."))


def _annotated_relations(user):
    """Relations whose two ends the user may know of, each end flagged readable or not."""
    visible_src, readable_src = document_access(user, "source")
    visible_tgt, readable_tgt = document_access(user, "target")
    return (
        DocumentRelation.objects.filter(visible_src)
        .filter(visible_tgt)
        .annotate(source_readable=_flag(readable_src), target_readable=_flag(readable_tgt))
        .select_related("source__issuing_unit", "target__issuing_unit")
    )


def _mark_ends(relation):
    relation.source.readable = relation.source_readable
    relation.target.readable = relation.target_readable
    return relation


@extend_schema_view(
    list=extend_schema(summary="Documents the caller may know of"),
    retrieve=extend_schema(summary="One document", responses={200: DocumentSerializer, **ERRORS}),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        user = self.request.user
        q = self.request.query_params.get("q", "") if self.action == "list" else ""
        qs = queries.search(user, q) if q.strip() else queries.visible_documents(user)
        return qs.prefetch_related(
            Prefetch("co_issuers", queryset=queries.known_units(user), to_attr="known_co_issuers"),
            "attachments",
        ).order_by(*(("rank", "-date", "-id") if q.strip() else ("-date", "-id")))

    def _valid(self, serializer_class):
        ser = serializer_class(data=self.request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        return dict(ser.validated_data)

    def _respond(self, doc, code=status.HTTP_200_OK):
        doc = self.get_queryset().get(pk=doc.pk)
        return Response(DocumentSerializer(doc).data, status=code)

    @extend_schema(
        summary="Register a document",
        request=DocumentCreateSerializer,
        responses={201: DocumentSerializer, **ERRORS},
    )
    def create(self, request):
        data = self._valid(DocumentCreateSerializer)
        doc = actions.register_document(request.user, **data)
        return self._respond(doc, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a document (refused with 409 if someone saved since `expected_updated_at`)",
        request=DocumentUpdateSerializer,
        responses={200: DocumentSerializer, 409: ConflictSerializer, **ERRORS},
    )
    def update(self, request, pk=None):
        doc = self.get_object()
        _require_readable(doc)
        data = self._valid(DocumentUpdateSerializer)
        expected = data.pop("expected_updated_at")
        try:
            doc = actions.update_document(request.user, doc, expected_updated_at=expected, **data)
        except ActionError as exc:
            if isinstance(exc, PermissionRefused) or exc.field is not None:
                raise
            current = self.get_queryset().filter(pk=doc.pk).first()
            if current is None or current.updated_at == expected:
                raise
            raise Conflict(exc.message, current=DocumentSerializer(current).data) from exc
        return self._respond(doc)

    @extend_schema(
        summary="Edit some fields of a document (same rules as PUT)",
        request=DocumentUpdateSerializer,
        responses={200: DocumentSerializer, 409: ConflictSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk)

    @extend_schema(
        summary="Relations of a document whose other end the caller may know of",
        responses={200: DocumentRelationsSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def relations(self, request, pk=None):
        doc = self.get_object()
        _require_readable(doc)
        outgoing, incoming = queries.relations_of(request.user, doc)
        _, readable_tgt = document_access(request.user, "target")
        _, readable_src = document_access(request.user, "source")
        out = []
        for rel in outgoing.annotate(other_readable=_flag(readable_tgt)):
            rel.other = rel.target
            rel.other.readable = rel.other_readable
            out.append(rel)
        inc = []
        for rel in incoming.annotate(other_readable=_flag(readable_src)):
            rel.other = rel.source
            rel.other.readable = rel.other_readable
            inc.append(rel)
        return Response(DocumentRelationsSerializer({"outgoing": out, "incoming": inc}).data)

    @extend_schema(
        summary="Documents that implement this one, level by level down the tree",
        responses={200: CascadeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def cascade(self, request, pk=None):
        doc = self.get_object()
        _require_readable(doc)
        levels = queries.cascade(request.user, doc)
        return Response(CascadeSerializer({"document": doc, "levels": levels}).data)


@extend_schema_view(
    list=extend_schema(summary="Relations between documents the caller may know of"),
    retrieve=extend_schema(summary="One relation", responses={200: RelationSerializer, **ERRORS}),
    destroy=extend_schema(summary="Remove a relation", responses={204: None, **ERRORS}),
)
class RelationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RelationSerializer
    filterset_class = RelationFilter

    def get_queryset(self):
        return _annotated_relations(self.request.user).order_by("-id")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = [_mark_ends(r) for r in page]
        return self.get_paginated_response(RelationSerializer(rows, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(RelationSerializer(_mark_ends(self.get_object())).data)

    @extend_schema(
        summary="Relate two documents",
        request=RelationCreateSerializer,
        responses={201: RelationSerializer, **ERRORS},
    )
    def create(self, request):
        ser = RelationCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        relation = actions.relate(request.user, **ser.validated_data)
        relation = self.get_queryset().get(pk=relation.pk)
        return Response(
            RelationSerializer(_mark_ends(relation)).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        actions.unrelate(self.request.user, instance)


ROUTES = [
    ("documents", DocumentViewSet, "api-document"),
    ("relations", RelationViewSet, "api-relation"),
]
PATHS: list = []
