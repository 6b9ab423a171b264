#!/usr/bin/env bash
# Install dependencies, build, and run the main job: the bundled form and equipment changes
# (scenarios/form_changes.yaml) into results.h5, print its summary table, and draw the
# comparison of the baseline with the most common form changes (compare.png) and the model at
# the peak L5/S1 load of a 14 degree forward lean (render.png).
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
  ./build/cli/strideload render results.h5 --scenario forward_lean_14deg -o render.png
fi
exit "$status"
