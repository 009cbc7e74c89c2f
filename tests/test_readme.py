"""The README's two commands: they work verbatim on a bare root machine and for a sudo user."""

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    """The shell blocks under "Two commands": the demo line, then the test line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_readme_gives_two_commands_and_ci_runs_the_second_verbatim():
    demo, test = _commands()
    assert "trienkhai demo" in demo
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_no_readme_command_needs_sudo_on_a_root_machine():
    """A bare root machine has no sudo: nothing may start with it or chain into it."""
    for command in _commands():
        for part in re.split(r"&&|\|\||;", command):
            assert not part.strip().startswith("sudo"), command


def test_the_system_step_of_the_test_command_runs_verbatim_here():
    """Run the README's test line up to the suite itself, exactly as written.

    As root (CI and a bare machine) the script must run apt itself; for another user it must
    ask sudo. On this machine everything is installed, so it only checks and exits 0.
    """
    _demo, test = _commands()
    system_step = test.split("&&")[0].strip()
    assert system_step.startswith("bash scripts/install-system-deps.sh")
    script = (ROOT / "scripts" / "install-system-deps.sh").read_text(encoding="utf-8")
    assert 'if [ "$(id -u)" -ne 0 ]; then' in script and 'SUDO="sudo"' in script
    if os.geteuid() == 0 and shutil.which("sudo") is None:
        run = subprocess.run(
            ["bash", "-c", system_step], cwd=ROOT, capture_output=True, text=True, timeout=900
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "sudo: command not found" not in run.stderr
