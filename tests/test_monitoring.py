"""deploy/monitoring: the dashboard is what its script writes and names only exported metrics; the
alert rules are valid and behave as their promtool unit tests say; the scrape config fits the pods."""

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import REGISTRY, CollectorRegistry

import eventing.metrics  # noqa: F401 - registers the shared metrics
import matching.metrics  # noqa: F401
import notifier.metrics  # noqa: F401
from devstack.system import Infrastructure, System

ROOT = Path(__file__).resolve().parents[1]
MONITORING = ROOT / "deploy" / "monitoring"
# Prometheus's own series for every target.
SCRAPE_SERIES = {"up"}
METRIC = re.compile(r"\b((?:idpro|faststream)_[a-z0-9_]+|up)\b(?!\s*\()")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported_series() -> set[str]:
    """Every series name the services' registries can emit (labelled or not yet observed too)."""
    faststream = CollectorRegistry()
    KafkaPrometheusMiddleware(registry=faststream, app_name="test")
    names = set(SCRAPE_SERIES)
    for registry in (REGISTRY, faststream):
        for family in registry.collect():
            names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, ("",))}
    return names


def dashboard_expressions() -> list[str]:
    board = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [t["expr"] for p in board["panels"] for t in p.get("targets", [])]


def alert_expressions() -> list[str]:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def test_the_dashboard_json_is_what_its_script_writes():
    spec = importlib.util.spec_from_file_location("dashboard", MONITORING / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (MONITORING / "grafana-dashboard.json").read_text() == module.render(), (
        "run: uv run python deploy/monitoring/dashboard.py"
    )


@pytest.mark.parametrize("source", [dashboard_expressions, alert_expressions])
def test_every_expression_names_metrics_the_services_export(source):
    exported = exported_series()
    expressions = source()
    assert expressions
    for expr in expressions:
        named = set(METRIC.findall(expr))
        assert named, expr
        assert named <= exported, (expr, named - exported)


def test_every_exported_idpro_metric_is_on_the_dashboard():
    shown = {m for expr in dashboard_expressions() for m in METRIC.findall(expr)}
    families = {
        f.name
        for f in REGISTRY.collect()
        if f.name.startswith("idpro_") and f.name != "idpro_metrics_probe_failures"
    }
    missing = {f for f in families if not any(s.startswith(f) for s in shown)}
    assert not missing


@pytest.fixture(scope="module")
def promtool() -> str:
    result = subprocess.run(  # noqa: S603 - our own script
        ["bash", str(ROOT / "scripts" / "ensure-promtool.sh")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_alert_rules_are_valid(promtool):
    result = subprocess.run(  # noqa: S603 - fixed command line
        [promtool, "check", "rules", "alerts.yml"], cwd=MONITORING, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 rules found" in result.stdout


def test_the_alert_rules_pass_their_unit_tests(promtool):
    result = subprocess.run(  # noqa: S603 - fixed command line
        [promtool, "test", "rules", "alerts.test.yml"],
        cwd=MONITORING,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_scrape_config_keeps_the_annotated_pods_and_loads_the_rules():
    # Debian's promtool is built without Kubernetes discovery: `check config` cannot read it.
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    (job,) = config["scrape_configs"]
    assert job["job_name"] == "idpro"  # the alert rules select up{job="idpro"}
    relabel = {r.get("target_label") or r["source_labels"][0]: r for r in job["relabel_configs"]}
    assert relabel["__meta_kubernetes_pod_annotation_prometheus_io_scrape"]["regex"] == "true"
    assert {"service", "namespace", "pod", "__metrics_path__", "__address__"} <= set(relabel)
    deployment = yaml.safe_load((ROOT / "deploy/k8s/base/service/deployment.yaml").read_text())
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    address = re.compile(relabel["__address__"]["regex"])
    assert address.fullmatch(f"10.0.0.7:8000;{annotations['prometheus.io/port']}")


def test_the_dashboard_bench_scrapes_the_gateway_on_its_metrics_port(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))  # bench/ is a folder of the repository, not installed
    from bench.dashboard import scrape_targets  # noqa: PLC0415

    infra = Infrastructure(
        kafka_bootstrap="127.0.0.1:9092", postgres_admin_url="", smtp_host="", smtp_port=25
    )
    system = System(infra=infra, state_dir=tmp_path, gateway_metrics_port=9100)

    targets = {t["labels"]["service"]: t["targets"] for t in scrape_targets(system)}

    assert targets["gateway"] == ["127.0.0.1:9100"]
    assert targets["intake"] == [f"127.0.0.1:{system.ports['intake']}"]
    assert set(targets) == set(system.ports)
