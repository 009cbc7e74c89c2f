"""The production profile's files agree with the product: every setting the code reads is in the
environment example, and every systemd unit starts a command the CLI has."""

import re
import shlex
from pathlib import Path

import pytest

from trienkhai.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Read only by the test suite, never by an installation.
TEST_ONLY = {"TRIENKHAI_TEST_SQLITE", "TRIENKHAI_SEEDS", "TRIENKHAI_TEST_PG_URL"}


def _settings_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "trienkhai").rglob("*.py"):
        if "tests" in path.parts:
            continue
        names |= set(
            re.findall(
                r"environ(?:\.get\(|\[)\"((?:TRIENKHAI|DATABASE|REDIS)_[A-Z_]+)", path.read_text()
            )
        )
    return names - TEST_ONLY


def test_every_setting_is_in_the_environment_example():
    example = (DEPLOY / "trienkhai.env.example").read_text()
    listed = set(re.findall(r"^#? ?((?:TRIENKHAI|DATABASE|REDIS)_[A-Z_]+)=", example, re.M))
    read = _settings_read_by_the_code()
    assert len(read) > 40
    assert sorted(read - listed) == []


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(n for n in _settings_read_by_the_code() if n not in readme)
    assert missing == []


@pytest.mark.parametrize(
    "unit", sorted((DEPLOY / "systemd").glob("*.service")), ids=lambda p: p.name
)
def test_a_unit_starts_a_command_the_cli_has(unit):
    text = unit.read_text()
    (start,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
    argv = shlex.split(start)
    assert argv[0] == "/opt/trienkhai/venv/bin/trienkhai"
    build_parser().parse_args(argv[1:])  # exits (fails the test) on an unknown command or flag
    assert "EnvironmentFile=/etc/trienkhai/trienkhai.env" in text
    assert re.search(r"^User=trienkhai$", text, re.M)
    assert "ReadWritePaths=/var/lib/trienkhai" in text


def test_the_timer_starts_the_backup():
    timer = (DEPLOY / "systemd" / "trienkhai-backup.timer").read_text()
    assert "OnCalendar=" in timer
    assert (DEPLOY / "systemd" / "trienkhai-backup.service").exists()
