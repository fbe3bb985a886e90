"""No secret value is committed under deploy/k8s: Secrets are built from files that git ignores,
and the templates hold placeholders only."""

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.kubernetes.conftest import K8S, OVERLAYS, ROOT, SERVICES


def tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(  # noqa: S603 - fixed command
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / line for line in out.split()]


def committed_yaml() -> list[tuple[Path, dict]]:
    return [
        (path, doc)
        for path in tracked("deploy/k8s/*.yaml")
        for doc in yaml.safe_load_all(path.read_text())
        if isinstance(doc, dict)
    ]


def test_no_committed_manifest_carries_secret_data():
    for path, doc in committed_yaml():
        if doc.get("kind") == "Secret":
            assert not doc.get("data") and not doc.get("stringData"), path
        for generator in doc.get("secretGenerator", []):
            assert "literals" not in generator, path
            for source in [*generator.get("envs", []), *generator.get("files", [])]:
                file = (path.parent / source.split("=")[-1]).resolve()
                assert file.parent.name == "secrets", f"{path}: {source} outside a secrets/ folder"


def test_the_overlays_secret_folders_commit_nothing_but_their_ignore_rule():
    for overlay in OVERLAYS:
        folder = K8S / "overlays" / overlay / "secrets"
        assert [p.name for p in tracked(str(folder.relative_to(ROOT)))] == [".gitignore"]
        probe = folder / "intake.env"
        ignored = subprocess.run(  # noqa: S603 - fixed command
            ["git", "check-ignore", "-q", str(probe)], cwd=ROOT, check=False
        )
        assert ignored.returncode == 0, f"{probe} would be committed"


def test_each_service_has_a_secret_template_with_placeholders_only():
    templates = {
        p.name.removesuffix(".env.example"): p for p in (K8S / "secrets").glob("*.env.example")
    }
    assert set(templates) == set(SERVICES)
    for service, template in templates.items():
        lines = [
            line for line in template.read_text().splitlines() if line and not line.startswith("#")
        ]
        assert lines, template
        for key, _, value in (line.partition("=") for line in lines):
            assert key.startswith(f"{service.upper()}_"), key
            if key.endswith("DATABASE_URL"):
                assert urlsplit(value).password == "CHANGE-ME", key
            elif re.search("PASSWORD|SECRET", key):
                assert value in ("", "CHANGE-ME"), key


def test_no_private_key_is_committed_under_deploy():
    for path in tracked("deploy/*"):
        assert "PRIVATE KEY-----" not in path.read_text(errors="ignore"), path
