"""accounts.scope: grants collapse to minimal roots, and the SQL conditions built from them."""

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.accounts.scope import document_access, granted_units, holds, reaches, unit_scope
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import Document
from trienkhai.units.models import Unit


def unit_codes(user, role="viewer"):
    return set(Unit.objects.filter(unit_scope(user, "", role)).values_list("code", flat=True))


def test_grant_inside_another_subtree_collapses(tree):
    user = factories.user(None, (Role.VIEWER, tree["prov_a"]), (Role.VIEWER, tree["org_a"]))
    assert [(r.unit_id, r.subtree) for r in reaches(user)] == [(tree["prov_a"].pk, True)]


def test_deeper_grant_with_higher_clearance_is_kept(tree):
    user = factories.user(
        None,
        (Role.VIEWER, tree["prov_a"], True, Clearance.NONE),
        (Role.VIEWER, tree["org_a"], True, Clearance.SECRET),
    )
    kept = {(r.unit_id, r.clearance) for r in reaches(user)}
    assert kept == {(tree["prov_a"].pk, Clearance.NONE), (tree["org_a"].pk, Clearance.SECRET)}


def test_exact_grant_reaches_only_its_unit(tree):
    user = factories.user(None, (Role.VIEWER, tree["commune_a"], False))
    (reach,) = reaches(user)
    assert reach.subtree is False
    assert unit_codes(user) == {"C-a"}


def test_exact_grant_under_a_subtree_grant_collapses(tree):
    user = factories.user(
        None, (Role.VIEWER, tree["prov_a"]), (Role.VIEWER, tree["commune_a"], False)
    )
    assert [r.unit_id for r in reaches(user)] == [tree["prov_a"].pk]


def test_two_exact_grants_on_one_unit_keep_the_higher_clearance(tree):
    user = factories.user(
        None,
        (Role.VIEWER, tree["commune_a"], False, Clearance.CONFIDENTIAL),
        (Role.VIEWER, tree["commune_a"], False, Clearance.TOP_SECRET),
    )
    assert [(r.unit_id, r.clearance) for r in reaches(user)] == [
        (tree["commune_a"].pk, Clearance.TOP_SECRET)
    ]


def test_roles_filter_grants(tree):
    user = factories.user(
        None, (Role.VIEWER, tree["prov_a"]), (Role.ADMINISTRATOR, tree["commune_b"])
    )
    assert unit_codes(user) == {"P-a", "C-a", "G-a", "CB-a", "C-b", "G-b", "CB-b"}
    assert unit_codes(user, Role.ADMINISTRATOR) == {"C-b", "G-b", "CB-b"}
    assert unit_codes(user, Role.COORDINATOR) == {"C-b", "G-b", "CB-b"}
    assert unit_codes(user, Role.INSPECTOR) == {"C-b", "G-b", "CB-b"}
    reporter = factories.user(None, (Role.REPORTER, tree["prov_a"]))
    assert unit_codes(reporter, Role.COORDINATOR) == set()


def test_no_grant_reaches_nothing_and_superuser_everything(tree, admin_user):
    assert unit_codes(factories.user()) == set()
    assert len(unit_codes(admin_user)) == Unit.objects.count()


def test_unit_scope_through_a_prefix(tree):
    user = factories.user(None, (Role.VIEWER, tree["prov_b"]))
    children = Unit.objects.filter(unit_scope(user, "parent")).values_list("code", flat=True)
    assert set(children) == {"C-b", "G-b", "CB-b"}


def _doc(unit, symbol, classification=Clearance.NONE):
    return doc_actions.register_document(
        None,
        symbol=symbol,
        doc_type="ke_hoach",
        issuing_unit=unit,
        term="XIII",
        date="2022-01-01",
        subject=symbol,
        classification=classification,
    )


def test_document_access_sees_above_and_inside_reads_by_clearance(tree):
    docs = {
        "tw": _doc(tree["root"], "01-KH/TW"),
        "btc": _doc(tree["office"], "02-KH/BTCTW"),
        "a": _doc(tree["prov_a"], "03-KH/TU", Clearance.CONFIDENTIAL),
        "a_org": _doc(tree["org_a"], "04-KH/ĐU", Clearance.SECRET),
        "b": _doc(tree["prov_b"], "05-KH/TU"),
        "cell_b": _doc(tree["cell_b"], "06-KH/CB"),
    }
    user = factories.user(
        None,
        (Role.VIEWER, tree["commune_a"], True, Clearance.CONFIDENTIAL),
        (Role.VIEWER, tree["prov_a"], False, Clearance.NONE),
    )
    visible, readable = document_access(user)
    seen = set(Document.objects.filter(visible).values_list("symbol", flat=True))
    read = set(Document.objects.filter(visible & readable).values_list("symbol", flat=True))
    assert seen == {"01-KH/TW", "02-KH/BTCTW", "03-KH/TU", "04-KH/ĐU"}
    # The province's confidential plan comes from above the commune grant, whose clearance
    # covers it; the organisation's secret plan is beyond every grant's clearance.
    assert read == {"01-KH/TW", "02-KH/BTCTW", "03-KH/TU"}
    assert docs["b"].symbol not in seen and docs["cell_b"].symbol not in seen


def test_holds_reads_roles_with_what_they_imply(tree, admin_user):
    """A coordinator also reports; an inspector does not; a superuser holds no unit's role."""
    coord = factories.user("holds-coord", (Role.COORDINATOR, tree["prov_a"]))
    inspector = factories.user("holds-insp", (Role.INSPECTOR, tree["prov_a"]))
    assert holds(coord, Role.REPORTER) and holds(coord, Role.COORDINATOR)
    assert not holds(coord, Role.INSPECTOR)
    assert holds(inspector, Role.INSPECTOR, Role.COORDINATOR)
    assert not holds(inspector, Role.REPORTER)
    assert not holds(admin_user, Role.REPORTER)


def test_granted_units_are_the_units_of_the_grants_themselves(tree, admin_user):
    """Not their subtrees: a coordinator's own units; a reporter grant counts for coordinators."""
    coord = factories.user(
        "gu-coord", (Role.COORDINATOR, tree["prov_a"]), (Role.INSPECTOR, tree["prov_b"])
    )
    assert granted_units(coord, Role.REPORTER) == [tree["prov_a"].pk]
    assert granted_units(coord, Role.INSPECTOR, Role.COORDINATOR) == sorted(
        [tree["prov_a"].pk, tree["prov_b"].pk]
    )
    assert granted_units(admin_user, Role.REPORTER) == []
