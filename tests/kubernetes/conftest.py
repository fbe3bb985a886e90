"""deploy/k8s rendered as an operator renders it: `kubectl kustomize overlays/<environment>`.

kubectl (with its built-in kustomize) comes from a hash-pinned PyPI wheel (scripts/ensure-kubectl.sh);
IDPRO_KUBECTL names another one. The overlays' secret files are never committed: each render works on
a copy of the tree where they are filled in from the templates, as an operator fills them in.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "production")
# What the architecture says; the manifests must agree (the suite compares both ways).
SERVICES = ("intake", "matching", "notifier", "history", "webhooks", "gateway")
CONSUMERS = ("intake", "matching", "notifier", "history", "webhooks")
DATABASES = ("intake", "matching", "notifier", "history", "webhooks", "gateway")


@dataclass(frozen=True)
class Rendered:
    """One overlay's objects, with the look-ups the tests share."""

    overlay: str
    objects: list[dict]

    def of_kind(self, kind: str) -> list[dict]:
        return [o for o in self.objects if o["kind"] == kind]

    def named(self, kind: str, name: str) -> dict:
        (found,) = (o for o in self.of_kind(kind) if o["metadata"]["name"] == name)
        return found

    def deployment(self, service: str) -> dict:
        return self.named("Deployment", f"idpro-{service}")

    def environment_of(self, pod_spec: dict) -> dict[str, str]:
        """The variables a container gets from its ConfigMaps (Secrets are left out)."""
        values: dict[str, str] = {}
        for source in pod_spec["containers"][0].get("envFrom", []):
            if "configMapRef" in source:
                values |= self.named("ConfigMap", source["configMapRef"]["name"])["data"]
        return values


def service_of(obj: dict) -> str:
    return obj["metadata"]["labels"]["app.kubernetes.io/name"]


def selects(selector: dict, labels: dict) -> bool:
    """A label selector (matchLabels and In-expressions) against a pod's labels."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", expression
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


@pytest.fixture(scope="session")
def kubectl() -> str:
    if os.environ.get("IDPRO_KUBECTL"):
        return os.environ["IDPRO_KUBECTL"]
    result = subprocess.run(  # noqa: S603 - our own script
        ["bash", str(ROOT / "scripts" / "ensure-kubectl.sh")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def fill_in_secrets(tree: Path, overlay: str) -> None:
    """What an operator writes into overlays/<overlay>/secrets before rendering."""
    secrets = tree / "overlays" / overlay / "secrets"
    for template in (tree / "secrets").glob("*.env.example"):
        text = template.read_text().replace("CHANGE-ME", "rendered-in-a-test")
        (secrets / template.name.removesuffix(".example")).write_text(text)
    for pem in ("jwt.pub.pem", "dev-idp.pem"):
        (secrets / pem).write_text(
            "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n"
        )


def render(kubectl: str, tree: Path, overlay: str) -> list[dict]:
    result = subprocess.run(  # noqa: S603 - fixed command line
        [kubectl, "kustomize", str(tree / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def rendered_tree(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S, tree)
    for overlay in OVERLAYS:
        fill_in_secrets(tree, overlay)
    return tree


@pytest.fixture(scope="session", params=OVERLAYS)
def rendered(request, kubectl, rendered_tree) -> Rendered:
    return Rendered(request.param, render(kubectl, rendered_tree, request.param))


def expanded_variables(container: dict) -> set[str]:
    """The $(VAR) references in a container's env values."""
    return {
        name
        for entry in container.get("env", [])
        for name in re.findall(r"\$\((\w+)\)", entry.get("value", ""))
    }
