// A metric against a swept parameter, one line per value of a second parameter, or (with
// --heatmap) a heat map of the metric over two swept parameters, from the summary table of a
// results file. PNG.
#pragma once

#include <string>

namespace sl::viz {

struct PlotOptions {
  std::string results_file;
  std::string x, y, by;  ///< summary columns; `by` optional
  std::string output_png = "plot.png";
  int width = 1200, height = 800;
  bool heatmap = false;   ///< a heat map of y over (x, by) instead of lines; needs `by`
};

/// Throws InputError naming the column and the available ones when a column is unknown.
void RenderPlot(const PlotOptions& opt);

}  // namespace sl::viz
