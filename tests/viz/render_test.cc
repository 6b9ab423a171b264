// Oracles: the picture's contract (issue #5): a PNG of the requested size, not blank,
// different where the scenarios or instants differ, rendered headless; an animation of one
// steady stride with the frame count its options imply, whose frames change over the stride,
// and an Ogg file (magic bytes "OggS").
#include "viz/render.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "models/yaml_util.h"
#include "tests/viz/results_fixture.h"
#include "viz/image_stats.h"
#include "viz/instant.h"

namespace sl::viz {
namespace {

namespace fs = std::filesystem;
using fixture::Results;
using fixture::TempPath;

TEST(Render, HeadlessPngOfTheRequestedSizeThatDiffersBetweenScenariosAndInstants) {
  unsetenv("DISPLAY");
  RenderOptions opt{Results(), "base", "peak", TempPath("r_base.png"), 960, 540};
  RenderScenario(opt);
  const ImageStats base = ReadPngStats(opt.output_png);
  EXPECT_EQ(base.width, 960);
  EXPECT_EQ(base.height, 540);
  EXPECT_GT(base.mean, 150.0);  // white background ...
  EXPECT_GT(base.stddev, 15.0);  // ... with the model, colour bars and text
  EXPECT_EQ(std::getenv("DISPLAY"), nullptr);

  RenderOptions lean = opt;
  lean.scenario = "lean";
  lean.output_png = TempPath("r_lean.png");
  RenderScenario(lean);
  EXPECT_NE(ReadPngStats(lean.output_png).checksum, base.checksum);

  RenderOptions early = opt;
  early.at = "5%";
  early.output_png = TempPath("r_early.png");
  RenderScenario(early);
  EXPECT_NE(ReadPngStats(early.output_png).checksum, base.checksum);
}

TEST(Render, BadInstantOrScenarioIsAnInputError) {
  RenderOptions opt{Results(), "base", "150%", TempPath("bad.png"), 800, 450};
  EXPECT_THROW(RenderScenario(opt), InputError);
  opt.at = "peak";
  opt.scenario = "nope";
  EXPECT_THROW(RenderScenario(opt), InputError);
  opt.scenario = "base";
  opt.output_png = "/nonexistent-dir/x.png";
  EXPECT_THROW(RenderScenario(opt), InputError);
  EXPECT_FALSE(fs::exists(TempPath("bad.png")));
}

TEST(Animate, OneSteadyStrideAsFramesAndOggVideo) {
  AnimateOptions opt;
  opt.results_file = Results();
  opt.scenario = "base";
  opt.output = TempPath("run.ogv");
  opt.frames_dir = TempPath("frames");
  opt.width = 480;
  opt.height = 270;
  opt.fps = 10;
  opt.slowdown = 1.0;
  const int n = AnimateScenario(opt);
  // One stride: from the steady right touchdown to the next one, a frame every 0.1 s.
  const ScenarioSeries s = ReadScenarioSeries(Results(), "base");
  const auto& td = s.touchdown_s[1];
  const size_t k = static_cast<size_t>(s.warmup_strides);
  ASSERT_LT(k + 1, td.size());
  EXPECT_EQ(n, static_cast<int>(std::floor((td[k + 1] - td[k]) / 0.1)) + 1);
  EXPECT_GE(n, 6);  // a running stride lasts ~0.7 s
  std::ifstream ogv(opt.output, std::ios::binary);
  char magic[4] = {};
  ogv.read(magic, 4);
  EXPECT_EQ(std::string(magic, 4), "OggS");
  const ImageStats first = ReadPngStats(TempPath("frames/frame_0000.png"));
  const ImageStats mid = ReadPngStats(TempPath("frames/frame_0003.png"));
  EXPECT_EQ(first.width, 480);
  EXPECT_EQ(first.height, 270);
  EXPECT_NE(first.checksum, mid.checksum);  // the runner moves
  EXPECT_FALSE(fs::exists(TempPath("frames/frame_" + std::to_string(10000 + n).substr(1) + ".png")));
}

TEST(Animate, OddSizesAndBadRatesAreInputErrors) {
  AnimateOptions opt;
  opt.results_file = Results();
  opt.scenario = "base";
  opt.output = TempPath("odd.ogv");
  opt.width = 481;
  EXPECT_THROW(AnimateScenario(opt), InputError);
  opt.width = 480;
  opt.fps = 0;
  EXPECT_THROW(AnimateScenario(opt), InputError);
}

}  // namespace
}  // namespace sl::viz
