"""Reads of the registry, through the scoping function: lists, search, relations, cascade."""

from django.db.models import BooleanField, Case, Value, When

from trienkhai.accounts.scope import document_access
from trienkhai.core.text import search_terms
from trienkhai.documents.models import Document, DocumentRelation, RelationKind


def visible_documents(user):
    """Documents the user may know of, annotated `readable` (False: classified beyond clearance)."""
    visible, readable = document_access(user)
    return (
        Document.objects.filter(visible)
        .annotate(
            readable=Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .select_related("issuing_unit")
    )


def readable_documents(user):
    visible, readable = document_access(user)
    return Document.objects.filter(visible & readable)


def get_visible_document(user, pk: int) -> Document | None:
    return visible_documents(user).filter(pk=pk).first()


def search(user, query: str):
    """Diacritic-free search. Classified documents match only for users cleared to read them."""
    terms = search_terms(query)
    qs = visible_documents(user)
    if not terms:
        return qs
    _, readable = document_access(user)
    qs = qs.filter(readable)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs


def relations_of(user, document: Document):
    """(outgoing, incoming) relations whose other end the user may see."""
    visible, _ = document_access(user, "target")
    outgoing = (
        DocumentRelation.objects.filter(source=document)
        .filter(visible)
        .select_related("target", "target__issuing_unit")
    )
    visible_src, _ = document_access(user, "source")
    incoming = (
        DocumentRelation.objects.filter(target=document)
        .filter(visible_src)
        .select_related("source", "source__issuing_unit")
    )
    return outgoing, incoming


def cascade(user, directive: Document, *, max_levels: int = 8, per_level: int = 200):
    """The documents that implement `directive`, generation by generation down the tree.

    Returns a list of levels; each level is a list of documents (annotated `readable`) that
    implement a document of the level above. Only what the user may see is followed.
    """
    levels = []
    frontier = [directive.pk]
    seen = {directive.pk}
    for _ in range(max_levels):
        docs = list(
            visible_documents(user)
            .filter(outgoing__kind=RelationKind.IMPLEMENTS, outgoing__target_id__in=frontier)
            .exclude(pk__in=seen)
            .distinct()
            .order_by("issuing_unit__path", "date")[: per_level + 1]
        )
        if not docs:
            break
        levels.append(docs[:per_level])
        frontier = [d.pk for d in docs[:per_level]]
        seen.update(frontier)
    return levels
