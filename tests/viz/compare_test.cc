// Oracles: the figure's contract (docs and issue): a PNG of the requested size, not blank,
// different where the scenarios differ, rendered headless (a private Xvfb when DISPLAY is
// unset); and the stance-normalised curves it plots (touchdown at 0 %, toe-off at 100 %).
#include "viz/compare.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/viz/results_fixture.h"
#include "models/yaml_util.h"
#include "viz/image_stats.h"
#include "viz/plot.h"

namespace sl::viz {
namespace {

namespace fs = std::filesystem;

using fixture::Results;

TEST(Compare, StanceCurvesStartAndEndUnloaded) {
  const StanceCurves c = MeanStanceCurves(Results(), "base");
  ASSERT_EQ(c.grf_bw.size(), 101u);
  EXPECT_GE(c.stances, 1);
  EXPECT_LT(c.grf_bw.front(), 1.0);  // touchdown: the force is only building up
  EXPECT_LT(c.grf_bw.back(), 0.3);   // toe-off
  double peak = 0;
  for (double v : c.grf_bw) peak = std::max(peak, v);
  EXPECT_GT(peak, 1.5);              // running: well above body weight
}

TEST(Compare, RendersHeadlessAPngOfTheRequestedSizeThatIsNotBlank) {
  unsetenv("DISPLAY");  // exercise the private-Xvfb path
  const std::string png = (fs::path(Results()).parent_path() / "a.png").string();
  CompareOptions opt{Results(), {"base", "lean"}, png, 900, 600};
  RenderComparison(opt);
  const ImageStats s = ReadPngStats(png);
  EXPECT_EQ(s.width, 900);
  EXPECT_EQ(s.height, 600);
  EXPECT_GT(s.mean, 200.0);   // mostly white background ...
  EXPECT_GT(s.stddev, 10.0);  // ... with lines, labels and text on it
  EXPECT_EQ(std::getenv("DISPLAY"), nullptr);  // the private display is gone again
  // A different pair of scenarios gives a different picture.
  CompareOptions other = opt;
  other.scenarios = {"base"};
  other.output_png = (fs::path(Results()).parent_path() / "b.png").string();
  RenderComparison(other);
  EXPECT_NE(ReadPngStats(other.output_png).checksum, s.checksum);
}

TEST(Compare, UnknownScenarioIsAnInputError) {
  CompareOptions opt{Results(), {"nope"}, "/tmp/x.png", 900, 600};
  EXPECT_THROW(RenderComparison(opt), InputError);
}

TEST(Plot, MetricAgainstParameterIsAPngAndNamesUnknownColumns) {
  const std::string png = (fs::path(Results()).parent_path() / "p.png").string();
  PlotOptions opt{Results(), "trunk_lean_deg", "peak_compression_bw_L5_S1", "", png, 800, 500};
  RenderPlot(opt);
  const ImageStats s = ReadPngStats(png);
  EXPECT_EQ(s.width, 800);
  EXPECT_EQ(s.height, 500);
  EXPECT_GT(s.stddev, 10.0);
  opt.y = "peak_compresion";
  try {
    RenderPlot(opt);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("peak_compresion"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("peak_compression_bw_L5_S1"), std::string::npos);  // lists the columns
  }
}

TEST(Plot, HeatmapOverTwoParametersAndItsPreconditions) {
  const std::string png = (fs::path(Results()).parent_path() / "h.png").string();
  // name x trunk_lean_deg: a 2 x 2 grid with two filled cells (the others have no scenario).
  PlotOptions opt{Results(), "trunk_lean_deg", "peak_compression_bw_L5_S1", "name", png, 700, 500, true};
  RenderPlot(opt);
  const ImageStats s = ReadPngStats(png);
  EXPECT_EQ(s.width, 700);
  EXPECT_EQ(s.height, 500);
  EXPECT_GT(s.stddev, 20.0);  // coloured cells, grey cells, labels
  opt.by = "";
  EXPECT_THROW(RenderPlot(opt), InputError);  // --heatmap needs --by
  opt.by = "surface";                         // only one surface in the file
  try {
    RenderPlot(opt);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("at least two values"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sl::viz
