"""Scoped reads of the registry: who sees what, who reads what, search, relations, cascade."""

import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.documents import queries
from trienkhai.documents.actions import register_document, relate
from trienkhai.documents.models import DocType, RelationKind
from trienkhai.tree.kinds import UnitKind

D = datetime.date
IMPLEMENTS = RelationKind.IMPLEMENTS


def register(unit, symbol, doc_type, subject, date=None, term="XIII", **fields):
    return register_document(
        None,
        symbol=symbol,
        doc_type=doc_type,
        issuing_unit=unit,
        term=term,
        date=date or D(2022, 1, 10),
        subject=subject,
        **fields,
    )


def build_registry(tree) -> dict:
    """KL 21 and the plans carrying it out down province A's line, plus look-alikes elsewhere."""
    t = dict(tree)
    t["qn"] = factories.unit(t["root"], UnitKind.PROVINCE, "Tỉnh Quảng Ninh", "P-qn")
    kl21 = register(
        t["root"],
        "21-KL/TW",
        DocType.CONCLUSION,
        "Về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
        date=D(2021, 10, 25),
        signer="Người Ký Trung Ương",
    )
    kh03 = register(t["root"], "03-KH/TW", DocType.PLAN, "Kế hoạch Bộ Chính trị", D(2021, 12, 1))
    kh52 = register(t["office"], "52-KH/BTCTW", DocType.PLAN, "Kế hoạch của Ban Tổ chức")
    plan_a = register(t["prov_a"], "01-KH/TU", DocType.PLAN, "Kế hoạch tỉnh An", term="XVII")
    plan_b = register(t["prov_b"], "01-KH/TU", DocType.PLAN, "Kế hoạch tỉnh Bình", term="XVII")
    commune_a = register(t["commune_a"], "05-KH/ĐU", DocType.PLAN, "Kế hoạch xã", term="2020")
    org_a = register(t["org_a"], "02-KH/ĐU", DocType.PLAN, "Kế hoạch cơ sở", term="2020")
    secret = register(
        t["prov_a"],
        "07-CT/TU",
        DocType.DIRECTIVE,
        "Về công tác bảo vệ bí mật",
        term="XVII",
        signer="Người Ký Mật",
        classification=Clearance.CONFIDENTIAL,
    )
    qn_plan = register(t["qn"], "10-KH/TU", DocType.PLAN, "Kế hoạch năm 2022", term="XV")
    qn_news = register(
        t["prov_b"], "11-BC/TU", DocType.REPORT, "Học tập kinh nghiệm của Quảng Ninh", term="XVII"
    )
    for source, target in (
        (kh03, kl21),
        (kh52, kh03),
        (plan_a, kh03),
        (plan_b, kh03),
        (commune_a, plan_a),
        (org_a, commune_a),
        (secret, kl21),
    ):
        relate(None, source, target, IMPLEMENTS)
    t.update(
        kl21=kl21,
        kh03=kh03,
        kh52=kh52,
        plan_a=plan_a,
        plan_b=plan_b,
        commune_a_plan=commune_a,
        org_a_plan=org_a,
        secret=secret,
        qn_plan=qn_plan,
        qn_news=qn_news,
    )
    t["viewer_a"] = factories.user("viewer-a", (Role.VIEWER, t["prov_a"]))
    t["cleared_a"] = factories.user(
        "cleared-a", (Role.COORDINATOR, t["prov_a"], True, Clearance.CONFIDENTIAL)
    )
    return t


@pytest.fixture
def reg(tree):
    return build_registry(tree)


def pks(qs):
    return {d.pk for d in qs}


def test_province_user_sees_centre_and_its_commission_but_not_a_sibling(reg):
    seen = pks(queries.visible_documents(reg["viewer_a"]))
    for key in ("kl21", "kh03", "kh52", "plan_a", "commune_a_plan", "org_a_plan", "secret"):
        assert reg[key].pk in seen, key
    for key in ("plan_b", "qn_plan", "qn_news"):
        assert reg[key].pk not in seen, key


def test_classified_is_visible_but_unreadable_without_clearance(reg):
    doc = queries.get_visible_document(reg["viewer_a"], reg["secret"].pk)
    assert doc is not None and doc.readable is False
    assert not queries.search(reg["viewer_a"], "bao ve bi mat").exists()
    assert not queries.search(reg["viewer_a"], "07-CT/TU").exists()
    assert reg["secret"].pk not in pks(queries.readable_documents(reg["viewer_a"]))


def test_classified_is_readable_and_searchable_with_clearance(reg):
    doc = queries.get_visible_document(reg["cleared_a"], reg["secret"].pk)
    assert doc.readable is True
    assert pks(queries.search(reg["cleared_a"], "bao ve bi mat")) == {reg["secret"].pk}


def test_superuser_sees_everything_readable(reg, admin_user):
    docs = list(queries.visible_documents(admin_user))
    assert len(docs) == 10 and all(d.readable for d in docs)


def test_search_ignores_diacritics_and_reads_symbols(reg):
    user = reg["viewer_a"]
    assert pks(queries.search(user, "ket luan 21")) == {reg["kl21"].pk}
    assert pks(queries.search(user, "Kết luận số 21")) == {reg["kl21"].pk}
    assert pks(queries.search(user, "21-KL/TW")) == {reg["kl21"].pk}
    assert not queries.search(user, "ket luan 22").exists()


def test_search_finds_a_province_by_issuer_and_by_subject(reg, admin_user):
    found = pks(queries.search(admin_user, "quang ninh"))
    assert found == {reg["qn_plan"].pk, reg["qn_news"].pk}
    # The same words, outside the user's scope, find nothing.
    assert not queries.search(reg["viewer_a"], "quang ninh").exists()


def test_filters_narrow_a_scoped_queryset(reg, admin_user):
    qs = queries.visible_documents(admin_user)
    plans = queries.filter_documents(qs, doc_type=DocType.PLAN, issuer_code="P-a")
    assert pks(plans) == {reg["plan_a"].pk}
    dated = queries.filter_documents(qs, date_from=D(2021, 10, 1), date_to=D(2021, 12, 31))
    assert pks(dated) == {reg["kl21"].pk, reg["kh03"].pk}
    assert pks(queries.filter_documents(qs, year=2021)) == pks(dated)


def test_find_by_symbol_skips_what_the_user_cannot_read(reg):
    assert not queries.find_by_symbol(reg["viewer_a"], "07-CT/TU").exists()
    assert queries.find_by_symbol(reg["cleared_a"], "07-CT/TU").count() == 1
    # Same symbol in two provinces: each user finds only their own; the date picks among them.
    assert pks(queries.find_by_symbol(reg["viewer_a"], "01-KH/TU")) == {reg["plan_a"].pk}
    assert not queries.find_by_symbol(reg["viewer_a"], "01-KH/TU", D(2020, 1, 1)).exists()


def test_relation_groups_both_ways_with_unreadable_ends_marked(reg):
    groups = queries.relation_groups(reg["viewer_a"], reg["kh03"])
    by_dir = {(g.kind, g.outgoing): [(o.pk, r) for _rel, o, r in g.items] for g in groups}
    assert by_dir[(IMPLEMENTS, True)] == [(reg["kl21"].pk, True)]
    incoming = dict(by_dir[(IMPLEMENTS, False)])
    assert set(incoming) == {reg["kh52"].pk, reg["plan_a"].pk}  # never province B's plan
    kl21_groups = queries.relation_groups(reg["viewer_a"], reg["kl21"])
    items = {o.pk: r for g in kl21_groups for _rel, o, r in g.items}
    assert items[reg["secret"].pk] is False
    cleared = queries.relation_groups(reg["cleared_a"], reg["kl21"])
    assert {o.pk: r for g in cleared for _rel, o, r in g.items}[reg["secret"].pk] is True


def test_cascade_levels_follow_the_tree_and_the_scope(reg):
    levels = queries.cascade_levels(reg["viewer_a"], reg["kl21"])
    got = {str(level.label): (level.count, pks(level.documents)) for level in levels}
    assert list(got) == ["Cấp Trung ương", "Cấp tỉnh", "Cấp xã", "Cơ sở"]
    assert got["Cấp Trung ương"] == (2, {reg["kh03"].pk, reg["kh52"].pk})
    assert got["Cấp tỉnh"] == (2, {reg["plan_a"].pk, reg["secret"].pk})
    assert got["Cấp xã"] == (1, {reg["commune_a_plan"].pk})
    assert got["Cơ sở"] == (1, {reg["org_a_plan"].pk})
    secret = next(d for d in levels[1].documents if d.pk == reg["secret"].pk)
    assert secret.readable is False


def test_cascade_caps_each_level_but_counts_all(reg, admin_user):
    levels = queries.cascade_levels(admin_user, reg["kl21"], per_level=1)
    province = next(level for level in levels if level.rank == 1)
    assert province.count == 3 and len(province.documents) == 1 and province.more == 2


def test_cascade_survives_a_cycle(reg, admin_user):
    relate(None, reg["kl21"], reg["org_a_plan"], IMPLEMENTS)
    levels = queries.cascade_levels(admin_user, reg["kl21"])
    total = sum(level.count for level in levels)
    assert total == 7  # every document of the chain once, the directive itself left out
