"""Fixtures for the project-wide tests: a small tree with a document, and every page of the site.

`site_pages` walks the URL conf, so a page added by any app is checked by the security and offline
tests without anyone listing it. URLs that need an argument get a real object's primary key when
the URL's name says which model it shows ("unit-detail" → Unit); the others are reported as
skipped by `site_pages.skipped`, which the tests print.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@pytest.fixture
def site_data(tree, admin_user):
    """The small tree, a superuser and one registered document, so detail pages have objects."""
    from trienkhai.documents.actions import register_document, relate
    from trienkhai.documents.models import DocType, RelationKind

    document = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    plan = register_document(
        None,
        symbol="01-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=datetime.date(2021, 12, 1),
        subject="Thực hiện Kết luận số 21-KL/TW",
    )
    relation = relate(None, plan, document, RelationKind.IMPLEMENTS)
    return {**tree, "admin": admin_user, "document": document, "plan": plan, "relation": relation}


@dataclass
class Route:
    name: str | None  # "namespace:name"
    route: str  # the pattern text, for messages
    params: frozenset[str]
    plain: bool  # every level is a path() route (so the text is the URL when it has no params)


@dataclass
class SitePages:
    urls: list[tuple[str, Route]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _walk(patterns, prefix="", namespace="", params=frozenset(), plain=True):
    for p in patterns:
        here = params | frozenset(p.pattern.regex.groupindex)
        is_route = type(p.pattern).__name__ == "RoutePattern"
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns, here, plain and is_route)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else None
            yield Route(name, prefix + str(p.pattern), here, plain and is_route)


def _model_for(url_name: str):
    """The model a URL name shows: "unit-detail" → Unit, "api-relation-detail" → DocumentRelation.

    The longest run of the name's words that is a model name wins; failing that, the one model
    whose name ends with such a run.
    """
    parts = url_name.split(":")[-1].replace("_", "-").split("-")
    models = {m._meta.model_name: m for m in apps.get_models()}
    runs = sorted(
        ("".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)),
        key=len,
        reverse=True,
    )
    for run in runs:
        if run in models:
            return models[run]
    for run in runs:
        ending = [m for name, m in models.items() if name.endswith(run)]
        if len(ending) == 1:
            return ending[0]
    return None


def resolve_site_pages() -> SitePages:
    """Every GET-able URL of the site, with path arguments filled from the database."""
    pages = SitePages()
    seen = set()
    for r in _walk(get_resolver().url_patterns):
        if "format" in r.params:  # DRF's ".json" twins of the same views
            continue
        if not r.params:
            if r.name:
                url = reverse(r.name)
            elif r.plain:
                url = "/" + r.route
            else:
                pages.skipped.append(f"{r.route} (unnamed regex)")
                continue
        elif r.name and len(r.params) == 1:
            (param,) = r.params
            model = _model_for(r.name)
            obj = model._default_manager.order_by("pk").first() if model else None
            if obj is None:
                pages.skipped.append(f"{r.name} ({r.route}: no object for <{param}>)")
                continue
            value = obj.pk if param in ("pk", "id", f"{model._meta.model_name}_id") else None
            if value is None and hasattr(obj, param):
                value = getattr(obj, param)
            if value is None:
                pages.skipped.append(f"{r.name} ({r.route}: cannot fill <{param}>)")
                continue
            url = reverse(r.name, kwargs={param: value})
        else:
            pages.skipped.append(f"{r.name or r.route} (arguments {sorted(r.params)})")
            continue
        if url not in seen:
            seen.add(url)
            pages.urls.append((url, r))
    return pages


@pytest.fixture
def site_pages(site_data) -> SitePages:
    return resolve_site_pages()
