#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Node 20: npm packages and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chromium drives the browser tests and the briefing PDFs; poppler-utils (pdftotext) reads the PDFs in tests.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  apt-get update
  apt-get install -y chromium poppler-utils
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
