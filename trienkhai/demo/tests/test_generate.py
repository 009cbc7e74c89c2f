"""The synthetic national tree at a small scale: counts, paths and states as requested."""

import pytest

from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.text import fold
from trienkhai.demo.generate import ROOT_CODE, generate
from trienkhai.documents.models import Document
from trienkhai.units.models import Unit, UnitState

pytestmark = pytest.mark.django_db


def test_counts_paths_and_states():
    generate(provinces=3, communes=10, grassroots=40, cells=90, documents=60, seed=7)
    root = Unit.objects.get(code=ROOT_CODE)
    units = Unit.objects.filter(path__gte=root.path, path__lt=root.path + "~")
    by_kind = {
        k: units.filter(kind=k).count()
        for k in ("province", "commune", "ward", "grassroots", "cell")
    }
    assert by_kind["province"] == 3
    assert by_kind["commune"] + by_kind["ward"] == 10
    assert by_kind["grassroots"] == 40 and by_kind["cell"] == 90
    assert units.filter(kind="central_org").count() == 6
    paths = dict(units.values_list("pk", "path"))
    for unit in units.exclude(pk=root.pk):
        parent_path = paths[unit.parent_id]
        assert unit.path.startswith(parent_path) and len(unit.path) == len(parent_path) + 4
        assert unit.depth == len(unit.path) // 4 - 1
    # Each parent's counter covers its children, so later creates get fresh segments.
    for parent in units.exclude(kind="cell"):
        assert parent.child_seq >= parent.children.count()
    assert UnitState.objects.filter(unit__in=units, valid_to__isnull=True).count() == units.count()
    state = UnitState.objects.get(unit__code="G.P01.C1")
    assert state.parent.code == "G.P01"
    assert ChangeLogEntry.objects.filter(action="units.create").count() == units.count()


def test_documents_are_searchable_like_registered_ones():
    generate(provinces=2, communes=4, grassroots=8, cells=8, documents=50, seed=3)
    docs = Document.objects.all()
    assert docs.count() == 50
    for doc in docs:
        assert doc.search_text == fold(doc.search_text)
        assert fold(doc.subject) in doc.search_text and fold(doc.symbol) in doc.search_text
    assert ChangeLogEntry.objects.filter(action="documents.register").count() == 50


def test_refuses_a_second_tree():
    generate(provinces=1, communes=1, grassroots=1, cells=1, seed=1)
    with pytest.raises(ActionError):
        generate(provinces=1, communes=1, grassroots=1, cells=1, seed=1)
