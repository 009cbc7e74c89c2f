"""Fixes from the security review: the XLSX export lists only the inspected units the reader
may see; a side document is never filed above the inspector's clearance; uploads are read only
up to the size cap."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from trienkhai.accounts.models import Clearance
from trienkhai.core.actions import ActionError
from trienkhai.documents.models import DocType, Document
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded

D = datetime.date


def _export_cells(client) -> str:
    ws = load_workbook(io.BytesIO(client.get(reverse("inspections-export")).content)).active
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row)


def test_export_lists_only_the_inspected_units_the_reader_sees(client, world):
    new_inspection(world)
    client.force_login(world.commune_rep)
    cells = _export_cells(client)
    assert world.commune_a.name in cells and world.org_a.name not in cells
    client.force_login(world.inspector)
    cells = _export_cells(client)
    assert world.commune_a.name in cells and world.org_a.name in cells


def test_a_side_document_is_not_filed_above_the_inspectors_clearance(world):
    inspection = new_inspection(world)
    with pytest.raises(ActionError) as refused:
        step_actions.register_side_document(
            world.inspector,
            inspection,
            doc_type=DocType.DECISION,
            symbol="15-QĐ/TU",
            date=D(2024, 8, 20),
            subject="Quyết định thành lập đoàn",
            term="XVII",
            classification=Clearance.TOP_SECRET,
        )
    assert refused.value.field == "classification"
    assert not Document.objects.filter(symbol="15-QĐ/TU").exists()
    doc = step_actions.register_side_document(
        world.inspector,
        inspection,
        doc_type=DocType.DECISION,
        symbol="15-QĐ/TU",
        date=D(2024, 8, 20),
        subject="Quyết định thành lập đoàn",
        term="XVII",
    )
    assert doc.classification == Clearance.NONE


CAP = 8
BIG = b"%PDF" * 100


def _cap(monkeypatch) -> list[int]:
    """A tiny cap, and a spy in place of each action that records how many bytes it was given."""
    seen = []
    for module in ("views.steps", "views.requests", "api.views"):
        monkeypatch.setattr(f"trienkhai.inspections.{module}.MAX_UPLOAD_BYTES", CAP, raising=False)
    monkeypatch.setattr("trienkhai.core.files.MAX_UPLOAD_BYTES", CAP)

    def spy(*args, content=b"", **kwargs):
        seen.append(len(content))
        raise ActionError("stop", field="file")

    for module, name in (
        ("inspections", "set_outline"),
        ("inspections", "upload_self_report"),
        ("remediation", "report"),
    ):
        monkeypatch.setattr(f"trienkhai.inspections.actions.{module}.{name}", spy)
    return seen


def _file():
    return SimpleUploadedFile("a.pdf", BIG, content_type="application/pdf")


def test_page_uploads_are_read_only_up_to_the_cap(client, world, monkeypatch):
    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.commune_a.pk], text="Sửa quy chế", deadline=D(2024, 11, 1)
    )
    capped = _cap(monkeypatch)
    client.force_login(world.inspector)
    client.post(reverse("inspection-outline", args=[inspection.pk]), {"file": _file()})
    client.force_login(world.commune_rep)
    client.post(
        reverse("inspection-self-report", args=[parts[world.commune_a.pk].pk]),
        {"submitted_on": "10/09/2024", "file": _file()},
    )
    client.post(
        reverse("inspections-request-report", args=[req.pk]),
        {"reported_on": "20/10/2024", "text": "Xong", "file": _file(), "version": req.version},
    )
    assert capped == [CAP + 1] * 3


def test_api_upload_is_read_only_up_to_the_cap(world, monkeypatch):
    _inspection, parts = to_concluded(world, new_inspection(world))
    capped = _cap(monkeypatch)
    api = APIClient()
    api.force_authenticate(world.commune_rep)
    payload = {"part": parts[world.commune_a.pk].pk, "submitted_on": "10/09/2024", "file": _file()}
    response = api.post("/api/inspection-self-reports/", payload, format="multipart")
    assert response.status_code == 400 and capped == [CAP + 1]
