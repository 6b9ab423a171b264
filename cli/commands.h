// The strideload commands, callable from the CLI and from tests. Each returns the process
// exit status: 0 success, 1 some scenario failed or a run-time error, 2 bad input.
#pragma once

#include <string>
#include <vector>

namespace sl {

/// What a run measured of itself (for benchmarks): thread-busy share = scenario_s / (threads x wall_s).
struct RunStats {
  double scenario_s = 0;  ///< sum over scenarios of their wall time (simulation + part write)
  double wall_s = 0;      ///< the whole run, merge included
  int threads = 0;
};

struct RunCommand {
  std::string scenario_file;
  std::string output = "results.h5";
  int threads = 0;                 ///< 0: OpenMP's default
  std::vector<std::string> set;    ///< key=value overrides
  bool resume = false;
  bool quiet = false;
  int compress = 1;                ///< deflate level of the time series, 0 (none) .. 9
  size_t max_scenarios = 100000;
  std::string models_dir;          ///< empty: the bundled models/data
  std::string command_line;        ///< recorded in the file
  RunStats* stats = nullptr;       ///< filled in when set
};

int Run(const RunCommand& cmd);
int Check(const std::string& scenario_file, const std::vector<std::string>& set, const std::string& models_dir);
int Summary(const std::string& results_file, bool csv);
int Validate(const std::string& models_dir);
int SpineChainReference();

/// Set by SIGINT/SIGTERM: the sweep stops after the scenarios in flight.
/// Also ignores SIGXFSZ, so that an exceeded file-size limit is an I/O error, not a kill.
void InstallStopHandlers();

}  // namespace sl
