"""One way to start the services: the launcher's command builders are the only place that spells the
command lines of the action server, Rasa and the gateway; tests and benchmarks call them."""

from __future__ import annotations

from pathlib import Path

from server import launcher

ROOT = Path(__file__).resolve().parents[2]
SPELLINGS = ('"-m", "actions.serve"', '"run", "--enable-api"', '"--factory", "server.main:app_from_env"')


def test_only_the_launcher_spells_the_service_command_lines():
    code = [p for folder in ("tests", "benchmarks", "server", "actions") for p in (ROOT / folder).rglob("*.py")]
    spelled = {str(p.relative_to(ROOT)) for p in code if any(s in p.read_text("utf-8") for s in SPELLINGS) and p != Path(__file__)}
    assert spelled == {"server/launcher.py"}


def test_the_launcher_starts_what_the_builders_build():
    commands = launcher.commands(Path("m.tar.gz"), {"actions": 1, "rasa": 2, "gateway": 3})
    assert commands["actions"][0] == launcher.actions_command(1) and commands["gateway"][0] == launcher.gateway_command(3)
    assert commands["rasa"][0][:2] == [str(launcher.RASA), "run"] and "2" in commands["rasa"][0]
    assert [url for _, url in commands.values()] == ["http://127.0.0.1:1/health", "http://127.0.0.1:2/", "http://127.0.0.1:3/readyz"]
