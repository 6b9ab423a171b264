// The HDF5 results file (layout in docs/results-format.md). HDF5 types stay inside
// results_file.cc. Crash safety: every finished scenario is first written to its own file
// in <output>.parts/ (temporary name, then rename), so an interrupted or killed sweep loses
// at most the scenarios in flight; Finish assembles the final file under a temporary name and
// renames it into place, so <output> appears only when complete.
#pragma once

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/running_model.h"
#include "models/running_sim.h"
#include "models/scenario_io.h"

namespace sl {

/// Provenance written as root attributes.
struct RunInfo {
  std::string tool_version;
  std::string command_line;
  std::vector<std::pair<std::string, std::string>> model_files;  ///< path, SHA-256
  std::string sweep_sha256;  ///< hash of the resolved scenarios and model files
  std::vector<std::string> varied_keys;
  int deflate_level = 1;  ///< 0: time series stored uncompressed; 1-9: deflate level
};

/// Hash identifying a sweep: resolved scenarios plus the model files' hashes.
std::string SweepHash(const ScenarioSet& set, const Library& lib);

class ResultsWriter {
 public:
  /// Prepares <output>.parts/. With resume, keeps the parts of the same sweep (throws
  /// InputError if the parts belong to another sweep); without, starts afresh.
  ResultsWriter(std::string output_path, RunInfo info, bool resume);

  /// Another process's view of the parts folder a ResultsWriter(…, resume) has prepared (MPI
  /// ranks other than 0): writes parts, never cleans or assembles. Throws std::runtime_error if
  /// the folder is not visible (no shared file system).
  struct Attach {};
  ResultsWriter(std::string output_path, RunInfo info, Attach);

  /// Scenarios already finished (from a previous, interrupted run, and by this process).
  const std::set<std::string>& done() const { return done_; }

  /// Re-reads the parts folder: picks up parts other processes wrote.
  void ScanParts();

  /// Writes one scenario's part file; thread-safe (serialised internally).
  void WriteScenario(int index, const Scenario& sc, const RunningModel& rm, const RunResult& r);

  /// Assembles the final file from the parts of `scenarios` (in that order), with the summary
  /// table, and renames it to the output path; removes the parts. Throws std::runtime_error
  /// naming the path on I/O failure (the parts are kept for --resume).
  void Finish(const std::vector<Scenario>& scenarios);

  const std::string& parts_dir() const { return parts_dir_; }

 private:
  std::string PartPath(int index, const std::string& name) const;
  std::string output_, parts_dir_;
  RunInfo info_;
  std::set<std::string> done_;
  std::map<std::string, int> done_index_;
};

/// The time series of one scenario that the figures need (read back from a results file).
struct ScenarioSeries {
  std::string name;
  std::string status;
  double body_mass_kg = 0;
  int warmup_strides = 0;
  std::vector<double> time_s;
  std::array<std::vector<Vec3>, 2> grf_W;   ///< left, right (N)
  std::vector<Vec3> l5s1_force;             ///< compression, AP shear, lateral shear (N)
  std::array<std::vector<double>, 2> touchdown_s, toeoff_s;
};

/// Reads one scenario's series; throws InputError naming the file and scenario if absent.
ScenarioSeries ReadScenarioSeries(const std::string& path, const std::string& name);

/// Everything needed to draw the model in motion: the bodies' poses, the loads, the muscle
/// tensions and the static geometry (points in body frames) the results file records.
struct ScenarioMotion {
  ScenarioSeries series;
  struct BodyTrack {
    std::string name;
    double mass_kg = 0;
    std::vector<Vec3> p_WB;  ///< COM position, world (m)
    std::vector<Quat> q_WB;  ///< orientation, body to world
  };
  std::vector<BodyTrack> bodies;
  struct Joint {
    std::string name;          ///< L5_S1 .. T12_L1
    int parent = -1, child = -1;  ///< indices into bodies
    Vec3 p_PJ_P, p_CJ_C;       ///< joint centre in the parent / child frame (m)
    Quat q_PF;                 ///< disc frame in the parent frame (z: disc normal)
    std::vector<Vec3> force_N, moment_Nm;  ///< disc frame: compression, AP, lateral
  };
  std::vector<Joint> joints;   ///< inferior to superior
  struct Muscle {
    std::string name, group;
    int body_a = -1, body_b = -1;  ///< -1: world
    Vec3 p_AoA_A, p_BoB_B;
    std::vector<double> tension_N;
  };
  std::vector<Muscle> muscles;
  std::array<Vec3, 2> p_PHip_P;            ///< hip centres in the pelvis frame, left/right
  std::array<std::array<Vec3, 4>, 2> foot_points_B;  ///< heel med/lat, forefoot med/lat
  int pelvis = -1, hat = -1;
  std::array<int, 2> foot{-1, -1};
  int Body(const std::string& name) const;  ///< index or -1
};

/// Reads a scenario's motion. Throws InputError naming the file and scenario if it is absent
/// or the file predates the geometry attributes (re-run the sweep).
ScenarioMotion ReadScenarioMotion(const std::string& path, const std::string& name);

/// A summary row read back from a results file.
struct SummaryTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

/// Reads /summary of a results file; throws InputError if the file is not a strideload
/// results file or cannot be read.
SummaryTable ReadSummary(const std::string& path);

}  // namespace sl
