#!/usr/bin/env bash
# Redraws the benchmark plots: the tables here -> SVG (plot.py) -> PNG (Debian's chromium, headless).
set -euo pipefail
cd "$(dirname "$0")"
python3 plot.py .
for svg in *.svg; do
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,420 \
    --screenshot="$PWD/${svg%.svg}.png" "file://$PWD/$svg" >/dev/null 2>&1
  rm "$svg"
  echo "${svg%.svg}.png"
done
