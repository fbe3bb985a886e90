#!/usr/bin/env bash
# promtool (Prometheus's rule checker and rule unit-test runner) for deploy/monitoring in the suite,
# and the prometheus server beside it (python -m bench.dashboard scrapes a bench run with it).
# Not on PyPI: taken out of Debian's prometheus package (apt verifies it against the archive's
# signed index) without installing the server. The version this was written against is tried first,
# then whatever the archive holds now (a security update replaces the old one).
# Prints the binary's path; does nothing but print it when it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=2.42.0+ds-5+deb12u1
TOOLS=.devstack/tools/promtool
if [ -n "${IDPRO_PROMTOOL:-}" ]; then echo "$IDPRO_PROMTOOL"; exit 0; fi
if [ ! -x "$TOOLS/promtool" ] || [ ! -x "$TOOLS/prometheus" ]; then
  command -v apt-get > /dev/null || { echo "apt-get is needed to fetch promtool; set IDPRO_PROMTOOL" >&2; exit 1; }
  work=$(mktemp -d)
  chmod 755 "$work"  # apt's download user must be able to write there
  trap 'rm -rf "$work"' EXIT
  (
    cd "$work"
    apt-get download -q "prometheus=$VERSION" > /dev/null 2>&1 \
      || { apt-get update -qq > /dev/null 2>&1 || true; apt-get download -q "prometheus=$VERSION" > /dev/null 2>&1; } \
      || apt-get download -q prometheus > /dev/null
  )
  dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool ./usr/bin/prometheus
  mkdir -p "$TOOLS"
  mv "$work/usr/bin/promtool" "$work/usr/bin/prometheus" "$TOOLS/"
fi
echo "$PWD/$TOOLS/promtool"
