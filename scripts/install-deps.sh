#!/usr/bin/env bash
# Install every Debian 12 package strideload needs to build, test and render.
# Idempotent: when everything is present it only checks (dpkg-query) and returns.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libeigen3-dev            # sim/: Eigen 3.4
  libomp-dev               # OpenMP runtime headers (g++ uses libgomp from build-essential)
  libhdf5-dev              # results files (serial HDF5 1.10, the one VTK links)
  libdeflate-dev           # fast deflate of the results' time series (HDF5's deflate format)
  zlib1g-dev               # tests: zlib decodes the chunks as HDF5 readers do
  libyaml-cpp-dev          # scenario and model files
  libcli11-dev             # command line
  libgtest-dev googletest  # tests
  clang libclang-rt-14-dev # fuzzing (libFuzzer) in CI
  libbenchmark-dev         # bench/
  libopenmpi-dev openmpi-bin  # MPI sweeps; also required by Debian's VTK CMake package
  libvtk9-dev              # viz/
  xvfb xauth               # headless rendering through X
  python3 python3-h5py python3-numpy python3-pandas  # the results file read by real clients in tests
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
