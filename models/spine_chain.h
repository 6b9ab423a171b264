// The spine-chain reference model of ../shared/benchmarks/spine-chain/spec.md, built in
// code: the cross-engine yardstick for correctness and speed.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "sim/data.h"
#include "sim/integrator.h"
#include "sim/model.h"

namespace sl::spine_chain {

/// Bodies in the order of the reference CSV's columns.
inline const std::array<const char*, 9> kBodyNames = {"pelvis", "L5", "L4", "L3", "L2",
                                                      "L1",     "HAT", "foot_l", "foot_r"};

std::shared_ptr<const Model> MakeModel();
/// The initial state of the spec (t = 0).
Data MakeInitialData(const Model& model);

/// One row of reference.csv: t, COM of each body, peak normal force of each foot so far.
struct ReferenceRow {
  double t_s;
  std::array<Vec3, 9> p_WB;
  double peak_fn_left_N, peak_fn_right_N;
};

/// Reads reference.csv; throws std::runtime_error naming the file on failure.
std::vector<ReferenceRow> ReadReference(const std::string& path);

/// Result of simulating the reference run.
struct RunResult {
  std::vector<ReferenceRow> rows;  ///< at the reference instants
  double max_com_error_m = 0;      ///< largest COM distance to the reference
  double max_peak_force_rel_error = 0;
  long steps = 0;
  long derivative_evaluations = 0;
};

/// Simulates 0..t_end with the given integrator options, sampling the reference instants and
/// the running peak of each foot's total normal force (sampled at every step end).
RunResult Run(const IntegratorOptions& options, const std::vector<ReferenceRow>& reference);

/// The bundled copy of the benchmark's reference trajectory
/// (models/reference/spine-chain-reference.csv), or `$STRIDELOAD_SHARED_DIR/benchmarks/
/// spine-chain/reference.csv` when that environment variable is set.
std::string ReferencePath();

}  // namespace sl::spine_chain
