"""One Dockerfile for every service, base images pinned by digest, and a console script for every
command people run (the Dockerfile starts `idpro-service`, a link to the service's own script)."""

import importlib
import importlib.util
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings, EnvSettingsSource

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
SERVICES = ("intake", "matching", "notifier", "history", "webhooks", "gateway")
DOCUMENTS = [ROOT / "README.md", ROOT / "Makefile", *sorted(ROOT.glob("services/*/README.md"))]


def idpro_scripts() -> dict[str, str]:
    return {
        script.name: script.value
        for script in entry_points(group="console_scripts")
        if script.name.startswith("idpro-")
    }


def settings_class(service: str) -> type[BaseSettings]:
    module = importlib.import_module(f"{service}.config")
    (found,) = (
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseSettings)
        and value.__module__ == module.__name__
    )
    return found


def resolved_from_lines() -> list[str]:
    """The image of every FROM, with the global ARG defaults substituted."""
    text = DOCKERFILE.read_text()
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", text, re.MULTILINE))
    images = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    return [re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image) for image in images]


def test_there_is_one_dockerfile_for_every_service():
    tracked = subprocess.run(  # noqa: S603 - fixed command
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*Dockerfile*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked == ["Dockerfile"]
    assert re.search(r"^ARG SERVICE$", DOCKERFILE.read_text(), re.MULTILINE)


def test_every_base_image_is_pinned_by_digest():
    images = resolved_from_lines()
    assert images, "no FROM line"
    for image in images:
        assert re.fullmatch(r"[\w./:-]+:[\w.-]+@sha256:[0-9a-f]{64}", image), image


def test_the_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(  # noqa: S603 - the linter the dev group installs
        [str(hadolint), "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_starts_one_command_as_a_numeric_unprivileged_user():
    text = DOCKERFILE.read_text()
    assert re.findall(r"^CMD (.+)$", text, re.MULTILINE) == ['["idpro-service"]']
    # Numeric, so that Kubernetes' runAsNonRoot can verify it.
    (user,) = re.findall(r"^USER (.+)$", text, re.MULTILINE)
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) > 0 and gid.isdigit()
    assert "HEALTHCHECK" in text and "/health" in text


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_console_script_that_serves_it(service):
    target = idpro_scripts()[f"idpro-{service}"]
    assert target == f"{service}.__main__:main"
    module, _, function = target.partition(":")
    assert callable(getattr(importlib.import_module(module), function))


@pytest.mark.parametrize(
    "script",
    [
        "idpro-up",
        "idpro-stack",
        "idpro-token",
        "idpro-matching-load",
        "idpro-matching-generate",
        "idpro-match-file",
        "idpro-matching-estimate",
        "idpro-history-rebuild",
        "idpro-specimen-scan",
        "idpro-contracts-snapshot",
        "idpro-webhook-receiver",
        "idpro-topology",
    ],
)
def test_each_tool_is_a_console_script_that_answers_help(script):
    assert script in idpro_scripts()
    if script in {"idpro-up", "idpro-history-rebuild", "idpro-contracts-snapshot"}:
        return  # no arguments: running them starts the work itself
    result = subprocess.run(  # noqa: S603 - our own installed script
        [str(Path(sys.executable).parent / script), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def installed_from_the_workspace(module: str) -> bool:
    """Whether `module` belongs to one of the workspace's packages (contracts, eventing, devstack,
    a service), which can carry console scripts; bench and chaos are folders of the repository."""
    spec = importlib.util.find_spec(module.split(".")[0])
    origin = Path(spec.origin).resolve() if spec and spec.origin else None
    return origin is not None and ROOT in origin.parents and "src" in origin.parts


def test_the_docs_name_the_console_scripts_not_python_dash_m():
    for document in DOCUMENTS:
        used = set(re.findall(r"python -m ([\w.]+)", document.read_text()))
        packaged = {module for module in used if installed_from_the_workspace(module)}
        assert not packaged, f"{document.name}: give {packaged} a console script and name it"


@pytest.mark.parametrize("service", SERVICES)
def test_settings_read_the_lowercase_prefix_the_dockerfile_sets(service, monkeypatch):
    """The Dockerfile sets `${SERVICE}_HTTP_HOST`; it works only while settings ignore case."""
    settings = settings_class(service)
    assert settings.model_config.get("case_sensitive", False) is False
    prefix = settings.model_config["env_prefix"]
    assert prefix == f"{service.upper()}_"
    monkeypatch.setenv(f"{service}_HTTP_HOST", "0.0.0.0")  # noqa: S104 - what a container binds

    assert EnvSettingsSource(settings)()["http_host"] == "0.0.0.0"  # noqa: S104
