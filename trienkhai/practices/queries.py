"""Reads of good practices and adoptions, scoped in SQL.

A practice is visible when its unit is in the user's reach, or is an ancestor of one of the
user's roots (or an ancestor's support body): practices are recorded to be replicated below.
Adoptions are listed only when the adopting unit is in reach, so a commune does not learn what
its sibling communes took up.
"""

from django.db.models import Q

from trienkhai.accounts.scope import ancestors_condition, unit_scope
from trienkhai.core.text import search_terms
from trienkhai.practices.models import Adoption, GoodPractice
from trienkhai.tree.paths import UPPER


def practice_scope(user) -> Q:
    own = unit_scope(user, "unit")
    if not own:  # a global user: an empty Q
        return own
    return own | ancestors_condition(user, "unit")


def visible_practices(user):
    return GoodPractice.objects.filter(practice_scope(user)).select_related("unit")


def get_practice(user, pk) -> GoodPractice | None:
    return visible_practices(user).filter(pk=pk).first()


def visible_adoptions(user, practice: GoodPractice):
    return (
        Adoption.objects.filter(practice=practice)
        .filter(unit_scope(user, "unit"))
        .select_related("unit")
        .order_by("adopted_on", "id")
    )


def filter_practices(qs, *, unit=None, directive=None, year=None, q: str = ""):
    """Narrow an already scoped queryset: a unit's subtree, a directive, a year, search terms."""
    if unit is not None:
        qs = qs.filter(unit__path__gte=unit.path, unit__path__lt=unit.path + UPPER)
    if directive is not None:
        qs = qs.filter(directives=directive)
    if year:
        qs = qs.filter(year=year)
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    return qs


def related_directives(user, limit: int = 200):
    """Readable documents that some visible practice relates to (filter choices)."""
    from trienkhai.documents.queries import visible_documents

    ids = visible_practices(user).filter(directives__isnull=False).values_list("directives")
    return (
        visible_documents(user)
        .filter(readable=True)
        .filter(pk__in=ids)
        .order_by("-date", "-id")[:limit]
    )
