"""Property: for a random tree, random grants and random documents, nothing outside leaks.

The expected reach is computed here in plain Python by walking parent links, independently of
the materialised paths the product filters on; every read surface (queries, API, HTML pages) is
then checked against it. Every other app's records, and the records named through them, are
checked the same way in test_scope_property_apps.py.
"""

import datetime

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Grant, Role
from trienkhai.documents import actions as doc_actions
from trienkhai.documents import queries as doc_queries
from trienkhai.tree.kinds import SUPPORT_KINDS, UnitKind
from trienkhai.units import actions as unit_actions
from trienkhai.units import queries as unit_queries
from trienkhai.units.models import Unit

FIRST_OP = datetime.date(2024, 1, 1)


def token(n: int) -> str:
    return f"Q{n:05d}Q"


class World:
    """The random data of one example, and the truth about it computed without paths."""

    def __init__(self, data):
        self.draw = data.draw
        self.n = 0
        self._tree()
        self._reorganise()
        self.user = self._user()
        self.documents = self._documents()

    def _tree(self):
        self.root = self._unit(None, UnitKind.CENTRAL)
        if self.draw(st.booleans()):
            self._unit(self.root, UnitKind.ORGANISATION_COMMISSION)
        for _p in range(self.draw(st.integers(1, 3))):
            province = self._unit(self.root, UnitKind.PROVINCE)
            if self.draw(st.booleans()):
                self._unit(province, UnitKind.OFFICE)
            for _c in range(self.draw(st.integers(0, 3))):
                commune = self._unit(
                    province, self.draw(st.sampled_from([UnitKind.COMMUNE, UnitKind.WARD]))
                )
                for _g in range(self.draw(st.integers(0, 2))):
                    org = self._unit(commune, UnitKind.GRASSROOTS)
                    for _cell in range(self.draw(st.integers(0, 2))):
                        self._unit(org, UnitKind.CELL)

    def _unit(self, parent, kind):
        self.n += 1
        return factories.unit(parent, kind, name=f"Đơn vị {token(self.n)}", code=f"K{self.n}")

    def _open(self, kinds):
        return list(Unit.objects.filter(kind__in=kinds, valid_to__isnull=True).order_by("pk"))

    def _reorganise(self):
        date = FIRST_OP
        communes = [UnitKind.COMMUNE, UnitKind.WARD]
        for _op in range(self.draw(st.integers(0, 4))):
            date += datetime.timedelta(days=10)
            op = self.draw(st.sampled_from(["move_org", "move_commune", "merge"]))
            if op == "move_org":
                orgs, targets = self._open([UnitKind.GRASSROOTS]), self._open(communes)
                if orgs and len(targets) > 1:
                    org = self.draw(st.sampled_from(orgs))
                    target = self.draw(
                        st.sampled_from([t for t in targets if t.pk != org.parent_id])
                    )
                    unit_actions.move_unit(None, org, new_parent=target, date=date)
            elif op == "move_commune":
                moving, provinces = self._open(communes), self._open([UnitKind.PROVINCE])
                if moving and len(provinces) > 1:
                    commune = self.draw(st.sampled_from(moving))
                    others = [p for p in provinces if p.pk != commune.parent_id]
                    unit_actions.move_unit(
                        None, commune, new_parent=self.draw(st.sampled_from(others)), date=date
                    )
            else:
                open_communes = self._open(communes)
                if len(open_communes) > 1:
                    pair = self.draw(st.permutations(open_communes))[:2]
                    unit_actions.merge_units(None, units=[pair[0]], into=pair[1], date=date)

    def _user(self):
        units = list(Unit.objects.order_by("pk"))
        grants = self.draw(
            st.lists(
                st.tuples(
                    st.sampled_from(list(Role.values)),
                    st.sampled_from(units),
                    st.booleans(),
                    st.integers(0, 3),
                ),
                min_size=0,
                max_size=3,
            )
        )
        return factories.user(None, *grants)

    def _documents(self):
        units = list(Unit.objects.order_by("pk"))
        docs = []
        for i in range(self.draw(st.integers(0, 6))):
            self.n += 1
            docs.append(
                doc_actions.register_document(
                    None,
                    symbol=f"{i + 1}-KH/TU",
                    doc_type="ke_hoach",
                    issuing_unit=self.draw(st.sampled_from(units)),
                    term="XIII",
                    date=datetime.date(2022, 1, 1),
                    subject=f"Trích yếu {token(self.n)}",
                    classification=self.draw(st.integers(0, 3)),
                )
            )
        if len(docs) > 1:
            for _r in range(self.draw(st.integers(0, 4))):
                source, target = self.draw(st.permutations(docs))[:2]
                doc_actions.relate(None, source, target, "implements")
        return docs

    # --- the truth, by walking parent links ---------------------------------------------

    def compute(self):
        rows = {u.pk: u for u in Unit.objects.all()}
        self.units = rows

        def ancestors(pk):
            out, parent = [], rows[pk].parent_id
            while parent is not None:
                out.append(parent)
                parent = rows[parent].parent_id
            return out

        grants = list(Grant.objects.filter(user=self.user))
        self.reach = {
            pk
            for pk in rows
            for g in grants
            if pk == g.unit_id or (g.include_subtree and g.unit_id in ancestors(pk))
        }
        above = set()
        for g in grants:
            above.update(ancestors(g.unit_id))
        support_above = {
            pk for pk, u in rows.items() if u.kind in SUPPORT_KINDS and u.parent_id in above
        }
        self.known_units = self.reach | above | support_above

        def sees(g, unit_pk):
            ups = ancestors(g.unit_id)
            u = rows[unit_pk]
            inside = unit_pk == g.unit_id or (g.include_subtree and g.unit_id in ancestors(unit_pk))
            return inside or unit_pk in ups or (u.kind in SUPPORT_KINDS and u.parent_id in ups)

        self.visible_docs, self.readable_docs = set(), set()
        for doc in self.documents:
            seeing = [g for g in grants if sees(g, doc.issuing_unit_id)]
            if seeing:
                self.visible_docs.add(doc.pk)
                if any(g.clearance >= doc.classification for g in seeing):
                    self.readable_docs.add(doc.pk)
        self.outside_unit_tokens = [
            token_of(u) for pk, u in rows.items() if pk not in self.known_units
        ]
        self.outside_doc_tokens = [
            d.subject.split()[-1] for d in self.documents if d.pk not in self.visible_docs
        ]
        self.unreadable_doc_tokens = [
            d.subject.split()[-1] for d in self.documents if d.pk not in self.readable_docs
        ]


def token_of(unit):
    return unit.name.split()[-1]


def ids(qs):
    return {obj.pk for obj in qs}


class NothingLeaks(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.data())
    def test_every_surface_stays_inside_the_reach(self, data):
        world = World(data)
        world.compute()
        user = world.user
        self.check_queries(world, user)
        self.check_api(world, user)
        self.check_pages(world, user)

    def check_queries(self, w, user):
        assert ids(unit_queries.visible_units(user)) == w.reach
        assert ids(unit_queries.children(user, None, include_closed=True)) <= w.reach
        for pk, unit in w.units.items():
            if pk in w.reach:
                expected = {c for c in w.reach if w.units[c].parent_id == pk}
                assert ids(unit_queries.children(user, unit, include_closed=True)) == expected
            found = ids(unit_queries.search(user, token_of(unit)))
            assert found == ({pk} & w.reach)
        visible = {d.pk: d.readable for d in doc_queries.visible_documents(user)}
        assert set(visible) == w.visible_docs
        assert {pk for pk, readable in visible.items() if readable} == w.readable_docs
        for doc in w.documents:
            found = ids(doc_queries.search(user, doc.subject.split()[-1]))
            assert found == ({doc.pk} & w.readable_docs)
            if doc.pk not in w.visible_docs:
                continue
            outgoing, incoming = doc_queries.relations_of(user, doc)
            assert {r.target_id for r in outgoing} <= w.visible_docs
            assert {r.source_id for r in incoming} <= w.visible_docs
            for level in doc_queries.cascade(user, doc):
                assert ids(level) <= w.visible_docs

    def check_api(self, w, user):
        client = APIClient()
        client.force_authenticate(user)
        body = client.get("/api/units/", {"limit": 500}).json()
        assert {r["id"] for r in body["results"]} == w.reach
        self.assert_no_outside_units(w, body)
        for pk, unit in w.units.items():
            response = client.get(f"/api/units/{pk}/")
            assert response.status_code == (200 if pk in w.reach else 404)
            if pk in w.reach:
                for suffix in (
                    "children/?include_closed=1",
                    "history/",
                    "predecessors/",
                    "successors/",
                ):
                    self.assert_no_outside_units(w, client.get(f"/api/units/{pk}/{suffix}").json())
            found = client.get("/api/units/", {"q": token_of(unit)}).json()["results"]
            assert {r["id"] for r in found} == ({pk} & w.reach)
        body = client.get("/api/documents/", {"limit": 500}).json()
        assert {r["id"] for r in body["results"]} == w.visible_docs
        assert {r["id"] for r in body["results"] if r["readable"]} == w.readable_docs
        self.assert_absent(body, w.unreadable_doc_tokens)
        self.assert_no_outside_units(w, body)
        for doc in w.documents:
            response = client.get(f"/api/documents/{doc.pk}/")
            if doc.pk not in w.visible_docs:
                assert response.status_code == 404
                continue
            assert response.json()["readable"] is (doc.pk in w.readable_docs)
            if doc.pk in w.readable_docs:
                for suffix in ("relations/", "cascade/"):
                    extra = client.get(f"/api/documents/{doc.pk}/{suffix}").json()
                    self.assert_absent(extra, w.outside_doc_tokens)
            found = client.get("/api/documents/", {"q": doc.subject.split()[-1]}).json()
            assert {r["id"] for r in found["results"]} == ({doc.pk} & w.readable_docs)
        relations = client.get("/api/relations/", {"limit": 500}).json()
        for r in relations["results"]:
            assert {r["source"]["id"], r["target"]["id"]} <= w.visible_docs
        self.assert_absent(relations, w.outside_doc_tokens)

    def check_pages(self, w, user):
        client = Client()
        client.force_login(user)
        for url in ("/units/", "/documents/"):
            response = client.get(url)
            assert response.status_code == 200
            self.assert_absent(response.content.decode(), w.outside_unit_tokens)
            self.assert_absent(response.content.decode(), w.outside_doc_tokens)
        for pk in w.units:
            if pk not in w.reach:
                assert client.get(f"/units/{pk}/").status_code == 404
        for doc in w.documents:
            if doc.pk not in w.visible_docs:
                assert client.get(f"/documents/{doc.pk}/").status_code == 404

    def assert_no_outside_units(self, w, body):
        self.assert_absent(body, w.outside_unit_tokens)

    @staticmethod
    def assert_absent(body, tokens):
        text = body if isinstance(body, str) else repr(body)
        leaked = [t for t in tokens if t in text]
        assert not leaked, f"leaked: {leaked}"
