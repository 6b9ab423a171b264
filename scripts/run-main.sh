#!/usr/bin/env bash
# Install dependencies, build, and run the main job: the bundled form and equipment changes
# (scenarios/form_changes.yaml) into results.h5, then print its summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
status=0
./build/cli/strideload run scenarios/form_changes.yaml -o results.h5 || status=$?
if [ -f results.h5 ]; then ./build/cli/strideload summary results.h5; fi
exit "$status"
