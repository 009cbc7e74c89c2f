"""Two-factor sign-in: set up, asked after the password, recovery codes, required by a setting,
the API token, an administrator's reset; wrong and throttled codes change nothing."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.builders import factories
from trienkhai.accounts import second_factor
from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass!"


def code_for(device, steps_ahead: int = 0) -> str:
    """The authenticator app's code, `steps_ahead` 30-second steps from now (a code is taken
    once: the next one is ahead by a step, which the device's tolerance accepts)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def people(tree):
    return {
        "coord": factories.user("dieu-phoi", (Role.COORDINATOR, tree["prov_a"])),
        "reporter": factories.user("bao-cao", (Role.REPORTER, tree["commune_a"])),
        "admin": factories.user("quan-tri", (Role.ADMINISTRATOR, tree["prov_a"])),
        "tree": tree,
    }


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("second-factor"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert secret and "<svg" in page.content.decode()
    response = client.post(reverse("second-factor"), {"step": "on", "code": code_for(device)})
    assert response.status_code == 200, response.content.decode()[:1000]
    device.refresh_from_db()
    assert device.confirmed
    return device, response.context["codes"]


def test_without_the_setting_nobody_is_stopped(client, people):
    sign_in(client, people["coord"])
    assert client.get(reverse("home")).status_code == 200


def test_required_coordinator_sets_it_up_before_anything_else(client, people, settings):
    settings.TRIENKHAI_2FA_REQUIRED = True
    coord = people["coord"]
    sign_in(client, coord)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("second-factor") + "?next=%2F"
    assert client.get("/api/me/").status_code == 403  # a session on the API is held back too

    wrong = client.post(reverse("second-factor"), {"step": "on", "code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=coord, confirmed=True).exists()

    device, codes = enrol(client, coord)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("home")).status_code == 200
    assert ChangeLogEntry.objects.filter(action="accounts.second_factor_on").count() == 1


def test_a_reporter_is_not_required(client, people, settings):
    settings.TRIENKHAI_2FA_REQUIRED = True
    sign_in(client, people["reporter"])
    assert client.get(reverse("home")).status_code == 200


def test_the_code_is_asked_after_the_password(client, people):
    coord = people["coord"]
    sign_in(client, coord)
    device, _codes = enrol(client, coord)
    client.logout()

    sign_in(client, coord)
    held = client.get("/documents/")
    assert held.status_code == 302
    assert held["Location"].startswith(reverse("login-verify"))
    bad = client.post(reverse("login-verify"), {"code": "123456", "next": "/documents/"})
    assert bad.status_code == 400
    assert "không đúng" in bad.content.decode()
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # past the wait the wrong code caused
    device.throttling_failure_count = 0
    device.save()
    good = client.post(
        reverse("login-verify"), {"code": code_for(device, 1), "next": "/documents/"}
    )
    assert good.status_code == 302 and good["Location"] == "/documents/"
    assert client.get("/documents/").status_code == 200


def test_wrong_codes_make_the_right_one_wait(client, people):
    coord = people["coord"]
    sign_in(client, coord)
    device, _codes = enrol(client, coord)
    client.logout()
    sign_in(client, coord)
    for _ in range(5):
        client.post(reverse("login-verify"), {"code": "000000"})
    refused = client.post(reverse("login-verify"), {"code": code_for(device, 1)})
    assert refused.status_code == 400
    assert "quá nhiều lần" in refused.content.decode()
    assert client.get("/documents/").status_code == 302


def test_a_recovery_code_works_once(client, people):
    coord = people["coord"]
    sign_in(client, coord)
    _device, codes = enrol(client, coord)
    client.logout()
    sign_in(client, coord)
    used = client.post(reverse("login-verify"), {"code": codes[0]})
    assert used.status_code == 302
    assert client.get("/documents/").status_code == 200
    assert StaticToken.objects.filter(device__user=coord).count() == 9
    client.logout()
    sign_in(client, coord)
    again = client.post(reverse("login-verify"), {"code": codes[0]})
    assert again.status_code == 400


def test_new_recovery_codes_replace_the_old(client, people):
    coord = people["coord"]
    sign_in(client, coord)
    device, old = enrol(client, coord)
    response = client.post(reverse("second-factor"), {"step": "codes", "code": code_for(device, 1)})
    assert response.status_code == 200
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    stored = set(StaticToken.objects.filter(device__user=coord).values_list("token", flat=True))
    assert stored == set(new)


def test_turning_off_needs_a_code_and_is_refused_when_required(client, people, settings):
    coord = people["coord"]
    sign_in(client, coord)
    device, _codes = enrol(client, coord)
    settings.TRIENKHAI_2FA_REQUIRED = True
    refused = client.post(reverse("second-factor"), {"step": "off", "code": code_for(device, 1)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=coord).exists()
    settings.TRIENKHAI_2FA_REQUIRED = False
    no_code = client.post(reverse("second-factor"), {"step": "off", "code": ""})
    assert no_code.status_code == 400 and TOTPDevice.objects.filter(user=coord).exists()
    off = client.post(reverse("second-factor"), {"step": "off", "code": code_for(device, 1)})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=coord).exists()


def test_the_api_token_needs_the_code(client, people, settings):
    coord = people["coord"]
    url = reverse("api-token")
    sign_in(client, coord)
    device, _codes = enrol(client, coord)
    client.logout()
    asked = client.post(
        url, {"username": coord.username, "password": PASSWORD}, content_type="application/json"
    )
    assert asked.status_code == 400 and asked.json()["otp_required"] is True
    wrong = client.post(
        url,
        {"username": coord.username, "password": PASSWORD, "otp": "999999"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "token" not in wrong.json()
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.throttling_failure_count = 0
    device.save()
    given = client.post(
        url,
        {"username": coord.username, "password": PASSWORD, "otp": code_for(device, 1)},
        content_type="application/json",
    )
    assert given.status_code == 200 and given.json()["token"]
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {given.json()['token']}")
    assert me.status_code == 200


def test_the_api_token_waits_for_a_required_set_up(client, people, settings):
    settings.TRIENKHAI_2FA_REQUIRED = True
    coord = people["coord"]
    refused = client.post(
        reverse("api-token"),
        {"username": coord.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_an_administrator_resets_a_lost_authenticator(client, people):
    coord, admin = people["coord"], people["admin"]
    sign_in(client, coord)
    enrol(client, coord)
    client.logout()
    sign_in(client, admin)
    page = client.get(reverse("user-detail", args=[coord.pk]))
    assert "Đặt lại xác thực hai bước" in page.content.decode()
    response = client.post(reverse("second-factor-reset", args=[coord.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coord).exists()
    entry = ChangeLogEntry.objects.get(action="accounts.second_factor_reset")
    assert entry.user_id == admin.pk and entry.object_id == str(coord.pk)


def test_an_administrator_elsewhere_cannot_reset(client, people):
    coord = people["coord"]
    other_admin = factories.user("quan-tri-b", (Role.ADMINISTRATOR, people["tree"]["prov_b"]))
    sign_in(client, coord)
    enrol(client, coord)
    client.logout()
    sign_in(client, other_admin)
    response = client.post(reverse("second-factor-reset", args=[coord.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=coord, confirmed=True).exists()


def test_state_of_each_kind_of_user(people, settings):
    assert second_factor.state(people["coord"]) is None
    settings.TRIENKHAI_2FA_REQUIRED = True
    assert second_factor.state(people["coord"]) == second_factor.ENROL
    assert second_factor.state(people["admin"]) == second_factor.ENROL
    assert second_factor.state(people["reporter"]) is None
