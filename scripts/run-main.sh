#!/usr/bin/env bash
# Install dependencies, build, and run the main job: the bundled form and equipment changes
# (scenarios/form_changes.yaml) into results.h5, print its summary table, and draw the
# comparison of the baseline with the most common form changes (compare.png).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
status=0
./build/cli/strideload run scenarios/form_changes.yaml -o results.h5 || status=$?
if [ -f results.h5 ]; then
  ./build/cli/strideload summary results.h5
  ./build/cli/strideload compare results.h5 \
    --scenarios baseline,forward_lean_14deg,anterior_tilt_25deg,overstride_10cm,worn_shoes_600km -o compare.png
fi
exit "$status"
