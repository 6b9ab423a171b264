// Which sample of a scenario a picture shows: `--at peak` (the largest L5/S1 compression in
// the steady state), `--at 1.25` / `1.25s` (a time in seconds) or `--at 40%` (a share of the
// first steady-state right-foot stance, 0 % touchdown, 100 % toe-off).
#pragma once

#include <string>
#include <vector>

#include "cli/results_file.h"

namespace sl::viz {

struct Instant {
  size_t sample = 0;
  double t_s = 0;
  double stance_percent = -1;  ///< in the right-foot stance containing it; -1 in flight
  int stance_side = -1;        ///< 0 left, 1 right, -1 flight
};

/// Throws InputError naming the value and what is allowed for a malformed or out-of-range
/// `at`.
Instant ResolveInstant(const ScenarioSeries& s, const std::string& at);

/// The stance (side, % of stance) that time t falls in, or side -1 during flight.
void StanceAt(const ScenarioSeries& s, double t, int* side, double* percent);

/// Index of the sample nearest to time x (t sorted, not empty).
size_t NearestSample(const std::vector<double>& t, double x);

/// Start of the steady state: the right-foot touchdown after the warm-up strides (or 0).
double SteadyStart(const ScenarioSeries& s);

}  // namespace sl::viz
