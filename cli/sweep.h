// The pieces of `strideload run` shared by the single-process and the MPI sweep: loading and
// validating the sweep, running one scenario into its part file, progress, and the stop flag
// set by SIGINT/SIGTERM.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "cli/commands.h"
#include "cli/results_file.h"
#include "models/library.h"
#include "models/scenario_io.h"

namespace sl {

struct PreparedSweep {
  Library lib;
  ScenarioSet set;
  RunInfo info;
};

/// Loads the model library and the scenario file, builds every scenario's model once (bad
/// input fails before anything runs). Throws InputError.
PreparedSweep PrepareSweep(const RunCommand& cmd);

struct ScenarioOutcome {
  bool ok = false;
  std::string status;  ///< "ok", "ok, N irregular steps (stumbles)" or "failed: reason"
  double seconds = 0;
  int irregular_steps = 0;  ///< measured steps that were stumbles (a run that finished)
};

/// A scenario's status as the progress shows it: "failed: reason", "ok, N irregular steps
/// (stumbles)" or "ok".
std::string OutcomeStatus(bool ok, int irregular_steps, const std::string& reason);

/// The closing line of a run on stderr: the file, how many scenarios, how many failed and,
/// if any, how many finished with stumbles (their irregular_steps column is above 0).
void PrintRunSummary(const std::string& output, size_t n, int failed, int stumbled);

/// Simulates scenario `index` and writes its part file. Throws std::runtime_error on I/O
/// failure (the part is not written).
ScenarioOutcome RunOneScenario(const PreparedSweep& sweep, ResultsWriter& writer, int index);

/// Progress on stderr: a bar on a terminal, one line per scenario otherwise. Thread-safe.
class Progress {
 public:
  Progress(size_t total, size_t already, bool quiet);
  void Done(const std::string& label, const std::string& status, double secs);

 private:
  size_t total_, done_, run_ = 0;
  bool quiet_, tty_;
  std::chrono::steady_clock::time_point start_;
  std::mutex m_;
};

bool StopRequested();
int StopSignal();  ///< the signal that stopped the sweep, 0 if none
void RequestStop();

/// The messages and exit statuses that end a run, shared by both paths.
int ReportIoError(const std::string& what, const std::string& parts_dir);
int ReportInterrupted(size_t kept, size_t total, const RunCommand& cmd, const std::string& parts_dir);

}  // namespace sl
