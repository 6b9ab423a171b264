// The comparison figure: each scenario's lumbar spine (sagittal) at its own peak L5/S1
// compression on one colour scale; vertical GRF and L5/S1 compression against % stance (mean over the
// steady-state right-foot stances) for several scenarios on shared axes, and a table of
// peak metrics with the difference to the first scenario. PNG.
#pragma once

#include <string>
#include <vector>

namespace sl::viz {

struct CompareOptions {
  std::string results_file;
  std::vector<std::string> scenarios;  ///< the first is the reference
  std::string output_png = "compare.png";
  int width = 1600, height = 1300;
};

/// Renders the figure (starting a private Xvfb if needed). Throws InputError for unknown
/// files or scenarios, std::runtime_error for rendering failures.
void RenderComparison(const CompareOptions& opt);

/// Mean curve over the steady right-foot stances, resampled at 0..100 % (101 points):
/// vertical GRF and L5/S1 compression in body weights. Exposed for tests.
struct StanceCurves {
  std::vector<double> grf_bw, l5s1_bw;
  int stances = 0;
};
StanceCurves MeanStanceCurves(const std::string& results_file, const std::string& scenario);

}  // namespace sl::viz
