#!/usr/bin/env bash
# Install dependencies, build, and run the main job on the bundled default scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
./build/cli/strideload
