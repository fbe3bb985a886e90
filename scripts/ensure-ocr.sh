#!/usr/bin/env bash
# Debian's tesseract-ocr (intake reads the machine-readable zone of scans with it) and the OCR-B
# font (fonts-ocr-b, public domain) that devstack.scans draws specimen zones in: only when missing.
set -euo pipefail
[ -x /usr/bin/tesseract ] && [ -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  tesseract-ocr tesseract-ocr-eng fonts-ocr-b >/dev/null
