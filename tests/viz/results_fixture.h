// A small results file produced in the test (two scenarios, upright and leaning 18 degrees,
// two strides each), shared by the viz tests of one test binary.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/commands.h"

namespace sl::viz::fixture {

inline const std::string& Results() {
  static const std::string path = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("sl_viz_test_" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "s.yaml") << "name: v\nsimulation: {strides: 2, warmup_strides: 1, output_rate_hz: 500}\n"
                                     "cases:\n  - name: base\n  - name: lean\n    form: {trunk_lean_deg: 18}\n";
    RunCommand cmd;
    cmd.scenario_file = (dir / "s.yaml").string();
    cmd.output = (dir / "r.h5").string();
    cmd.quiet = true;
    Run(cmd);
    return cmd.output;
  }();
  return path;
}

inline std::string TempPath(const std::string& name) {
  return (std::filesystem::path(Results()).parent_path() / name).string();
}

}  // namespace sl::viz::fixture
