#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium (+ driver) for the Playwright browser tests,
# and DejaVu Sans (fonts-dejavu-core) for the PDF documents (ortswandel.core.pdf embeds the
# glyphs it uses; without the font it falls back to a core font that drops accents outside
# Windows-1252). Playwright never downloads a browser here; it drives /usr/bin/chromium.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium chromium-driver)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || packages+=(fonts-dejavu-core)
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
