"""Flags for the annual evaluation, read by evaluations through its registry."""

import datetime

from trienkhai.evaluations.flags import flags_for
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded

D = datetime.date


def test_open_remediation_and_violations(client, world):
    _inspection, parts = to_concluded(world, new_inspection(world))
    conclusion_actions.add_finding(
        world.inspector, parts[world.org_a.pk], kind="violation", text="Vi phạm quy chế"
    )
    conclusion_actions.add_finding(
        world.inspector, parts[world.org_a.pk], kind="strength", text="Tốt"
    )
    req = conclusion_actions.add_request(
        world.inspector, parts[world.org_a.pk], text="Khắc phục vi phạm", deadline=D(2024, 12, 1)
    )
    ids = [world.org_a.pk, world.commune_a.pk, world.prov_b.pk]
    flags = flags_for(ids, 2024, D(2024, 12, 31))
    kinds = {f.kind: f for f in flags[world.org_a.pk]}
    assert kinds["open_remediation"].count == 1
    assert kinds["violations"].count == 1
    assert "1 vi phạm" in kinds["violations"].text
    assert world.prov_b.pk not in flags and world.commune_a.pk not in flags
    assert flags_for(ids, 2023, D(2023, 12, 31)) == {}  # concluded in 2024, issued in 2024
    # The flag's URL lists the records behind it.
    client.force_login(world.inspector)
    page = client.get(kinds["open_remediation"].url).content.decode()
    assert "Khắc phục vi phạm" in page
    page = client.get(kinds["violations"].url).content.decode()
    assert "Đoàn kiểm tra số 5" in page
    # Closed before as_of: no longer open.
    req = remediation_actions.file_action_plan(world.org_rep, req, text="Kế hoạch")
    req = remediation_actions.start(world.org_rep, req, date=D(2024, 10, 10))
    remediation_actions.report(world.org_rep, req, reported_on=D(2024, 10, 20), text="Xong")
    remediation_actions.evaluate(world.inspector, req, evaluated_on=D(2024, 10, 21), effective=True)
    remediation_actions.close(world.inspector, req, date=D(2024, 10, 22))
    later = flags_for(ids, 2024, D(2024, 12, 31))
    assert [f.kind for f in later[world.org_a.pk]] == ["violations"]
    earlier = flags_for(ids, 2024, D(2024, 10, 21))
    assert "open_remediation" in [f.kind for f in earlier[world.org_a.pk]]
