"""What the manifests promise an operator, checked on every overlay's rendered objects."""

import pytest

from tests.kubernetes.conftest import (
    CONSUMERS,
    DATABASES,
    ROOT,
    SERVICES,
    expanded_variables,
    selects,
    service_of,
)
from tests.test_images import settings_class


def pod_labels(workload: dict) -> dict:
    return workload["spec"]["template"]["metadata"]["labels"]


def test_every_service_in_the_repository_is_deployed(rendered):
    members = {p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml")}
    assert members == set(SERVICES)
    assert {p.parent.name for p in (ROOT / "services").glob("*/alembic.ini")} == set(DATABASES)
    assert sorted(service_of(d) for d in rendered.of_kind("Deployment")) == sorted(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_each_deployment_is_ready_on_ready_and_alive_on_health(rendered, service):
    (container,) = rendered.deployment(service)["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    port_names = {port["name"] for port in container["ports"]}
    assert container["readinessProbe"]["httpGet"]["port"] in port_names
    assert container["livenessProbe"]["httpGet"]["port"] in port_names


def test_every_container_has_resource_requests_and_limits(rendered):
    for workload in [*rendered.of_kind("Deployment"), *rendered.of_kind("Job")]:
        for container in workload["spec"]["template"]["spec"]["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), workload["metadata"]["name"]
            assert {"cpu", "memory"} <= set(resources["limits"]), workload["metadata"]["name"]


def test_every_pod_runs_unprivileged_on_a_read_only_root(rendered):
    for workload in [*rendered.of_kind("Deployment"), *rendered.of_kind("Job")]:
        spec = workload["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_disruption_budget_over_its_pods(rendered, service):
    labels = pod_labels(rendered.deployment(service))
    budgets = [
        pdb
        for pdb in rendered.of_kind("PodDisruptionBudget")
        if selects(pdb["spec"]["selector"], labels)
    ]
    assert len(budgets) == 1
    assert budgets[0]["spec"]["maxUnavailable"] == 1


def policies_over(rendered, labels: dict) -> list[dict]:
    return [
        policy
        for policy in rendered.of_kind("NetworkPolicy")
        if selects(policy["spec"]["podSelector"], labels)
    ]


def test_the_namespace_denies_by_default(rendered):
    deny = rendered.named("NetworkPolicy", "idpro-default-deny")["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny


@pytest.mark.parametrize("service", [s for s in SERVICES if s != "gateway"])
def test_a_service_is_reached_only_from_the_gateway_and_the_metrics_scraper(rendered, service):
    (policy,) = [
        p
        for p in policies_over(rendered, pod_labels(rendered.deployment(service)))
        if p["spec"]["podSelector"]
    ]
    (rule,) = policy["spec"]["ingress"]
    gateway = pod_labels(rendered.deployment("gateway"))
    scraper = {"app.kubernetes.io/name": "prometheus"}
    stranger = {"app.kubernetes.io/name": "matching" if service != "matching" else "intake"}
    peers = rule["from"]
    assert any(selects(p["podSelector"], gateway) for p in peers if "namespaceSelector" not in p)
    assert any(
        selects(p["namespaceSelector"], {"kubernetes.io/metadata.name": "monitoring"})
        and selects(p["podSelector"], scraper)
        for p in peers
        if "namespaceSelector" in p
    )
    assert not any(
        selects(p["podSelector"], stranger) for p in peers if "namespaceSelector" not in p
    )
    assert len(peers) == 2


def test_the_gateway_is_scraped_on_a_metrics_port_the_ingress_never_reaches(rendered):
    deployment = rendered.deployment("gateway")
    template = deployment["spec"]["template"]
    (container,) = template["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    scraped = int(template["metadata"]["annotations"]["prometheus.io/port"])
    assert scraped == ports["metrics"] != ports["http"]
    environment = rendered.environment_of(template["spec"])
    assert int(environment["GATEWAY_METRICS_PORT"]) == scraped
    (policy,) = [
        p for p in policies_over(rendered, pod_labels(deployment)) if p["spec"]["podSelector"]
    ]
    public = {"kubernetes.io/metadata.name": "ingress-nginx"}
    monitoring = {"kubernetes.io/metadata.name": "monitoring"}
    for rule in policy["spec"]["ingress"]:
        opened = {port["port"] for port in rule["ports"]}
        if any(
            "namespaceSelector" in p and selects(p["namespaceSelector"], public)
            for p in rule["from"]
        ):
            assert opened == {"http"}
        if "metrics" in opened:
            assert all(selects(p["namespaceSelector"], monitoring) for p in rule["from"])


def egress_ports(policy: dict) -> set[int]:
    return {port["port"] for rule in policy["spec"]["egress"] for port in rule.get("ports", [])}


@pytest.mark.parametrize("service", SERVICES)
def test_egress_opens_dns_and_only_what_the_service_talks_to(rendered, service):
    (policy,) = [
        p
        for p in policies_over(rendered, pod_labels(rendered.deployment(service)))
        if p["spec"]["podSelector"]
    ]
    ports = egress_ports(policy)
    assert 53 in ports
    assert (5432 in ports) == (service in DATABASES)
    assert (9092 in ports) == (service in CONSUMERS)
    assert (587 in ports) == (service == "notifier")
    assert (443 in ports) == (service in ("gateway", "webhooks"))


@pytest.mark.parametrize("service", SERVICES)
def test_traces_are_off_until_an_otlp_endpoint_is_set_and_the_collector_is_reachable(
    rendered, service
):
    deployment = rendered.deployment(service)
    environment = rendered.environment_of(deployment["spec"]["template"]["spec"])
    assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == ""
    (policy,) = [
        p for p in policies_over(rendered, pod_labels(deployment)) if p["spec"]["podSelector"]
    ]
    collector = {"app.kubernetes.io/name": "opentelemetry-collector"}
    (rule,) = [
        r
        for r in policy["spec"]["egress"]
        if any(
            selects(p.get("podSelector", {"matchLabels": {"-": "-"}}), collector) for p in r["to"]
        )
    ]
    assert {port["port"] for port in rule["ports"]} == {4318}
    assert all(
        selects(p["namespaceSelector"], {"kubernetes.io/metadata.name": "monitoring"})
        for p in rule["to"]
    )


@pytest.mark.parametrize("service", CONSUMERS)
def test_each_consumer_scales_on_its_groups_lag_up_to_the_partition_count(rendered, service):
    deployment = rendered.deployment(service)
    (scaled,) = [
        s
        for s in rendered.of_kind("ScaledObject")
        if s["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    ]
    environment = rendered.environment_of(deployment["spec"]["template"]["spec"])
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    assert environment[trigger["metadata"]["consumerGroupFromEnv"]] == service
    assert environment[trigger["metadata"]["bootstrapServersFromEnv"]]
    assert trigger["metadata"]["allowIdleConsumers"] == "false"
    partitions = int(environment["TOPIC_PARTITIONS"])
    assert 1 <= scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"] <= partitions


def test_only_consumers_are_scaled_on_lag(rendered):
    targets = {s["spec"]["scaleTargetRef"]["name"] for s in rendered.of_kind("ScaledObject")}
    assert targets == {f"idpro-{service}" for service in CONSUMERS}


@pytest.mark.parametrize("service", DATABASES)
def test_each_database_service_has_a_migration_job_with_its_own_image_and_secret(rendered, service):
    deployment = rendered.deployment(service)["spec"]["template"]["spec"]
    (job,) = [
        j for j in rendered.of_kind("Job") if j["metadata"]["name"] == f"idpro-migrate-{service}"
    ]
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    assert migrate["command"] == ["alembic", "-c", "/app/alembic.ini", "upgrade", "head"]
    assert migrate["image"] == deployment["containers"][0]["image"]
    assert migrate["envFrom"] == deployment["containers"][0]["envFrom"]
    assert rendered.environment_of(job["spec"]["template"]["spec"])  # its settings, not defaults


def test_topics_are_created_with_the_partition_count_the_consumers_are_capped_at(rendered):
    job = rendered.named("Job", "idpro-topics")["spec"]["template"]["spec"]
    environment = rendered.environment_of(job)
    assert "TOPIC_PARTITIONS" in " ".join(job["containers"][0]["command"])
    for service in CONSUMERS:
        spec = rendered.deployment(service)["spec"]["template"]["spec"]
        assert rendered.environment_of(spec)["TOPIC_PARTITIONS"] == environment["TOPIC_PARTITIONS"]


@pytest.mark.parametrize("service", SERVICES)
def test_each_image_is_the_services_own(rendered, service):
    (container,) = rendered.deployment(service)["spec"]["template"]["spec"]["containers"]
    assert container["image"].split(":")[0].endswith(f"idpro/{service}")


@pytest.mark.parametrize("service", SERVICES)
def test_every_setting_a_service_is_given_is_one_it_reads(rendered, service):
    """A misspelt key would be ignored silently (extra='ignore'): each must be a settings field."""
    spec = rendered.deployment(service)["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    prefix = f"{service.upper()}_"
    given = {k for k in rendered.environment_of(spec) if k.startswith(prefix)}
    given |= {entry["name"] for entry in container["env"]}
    secret = next(s for s in container["envFrom"] if "secretRef" in s)["secretRef"]["name"]
    given |= set(rendered.named("Secret", secret).get("data", {}))
    fields = set(settings_class(service).model_fields)
    assert {key.removeprefix(prefix).lower() for key in given} <= fields
    assert all(key.startswith(prefix) for key in given - set(rendered.environment_of(spec)))
    assert expanded_variables(container) <= set(rendered.environment_of(spec))
