// Oracle: hand-built series whose peak, stances and times are known, so the sample each
// `--at` form selects is worked out by hand.
#include "viz/instant.h"

#include <gtest/gtest.h>

#include "models/yaml_util.h"

namespace sl::viz {
namespace {

// 0..1 s at 100 Hz; right stances [0.10, 0.35] and [0.60, 0.85], left [0.35, 0.60];
// one warm-up stride, so the steady state starts at the second right touchdown, 0.60 s.
// L5/S1 compression peaks at 0.20 s (warm-up, 900 N) and at 0.63 s (steady, 800 N).
ScenarioSeries Series() {
  ScenarioSeries s;
  s.name = "hand";
  s.body_mass_kg = 70;
  s.warmup_strides = 1;
  for (int i = 0; i <= 100; ++i) {
    const double t = 0.01 * i;
    s.time_s.push_back(t);
    double c = 100;
    if (i == 20) c = 900;
    if (i == 63) c = 800;
    s.l5s1_force.push_back(Vec3(c, 0, 0));
    s.grf_W[0].push_back(Vec3::Zero());
    s.grf_W[1].push_back(Vec3::Zero());
  }
  s.touchdown_s[1] = {0.10, 0.60};
  s.toeoff_s[1] = {0.35, 0.85};
  s.touchdown_s[0] = {0.35};
  s.toeoff_s[0] = {0.60};
  return s;
}

TEST(Instant, PeakIsTheLargestSteadyStateCompressionNotTheWarmUpOne) {
  const Instant at = ResolveInstant(Series(), "peak");
  EXPECT_EQ(at.sample, 63u);
  EXPECT_DOUBLE_EQ(at.t_s, 0.63);
  EXPECT_EQ(at.stance_side, 1);
  EXPECT_NEAR(at.stance_percent, 100.0 * 0.03 / 0.25, 1e-9);  // 12 % of the 0.25 s stance
}

TEST(Instant, PercentOfTheFirstSteadyRightStance) {
  const Instant at = ResolveInstant(Series(), "40%");
  EXPECT_EQ(at.sample, 70u);  // 0.60 + 0.40 x 0.25 = 0.70 s
  EXPECT_NEAR(at.stance_percent, 40.0, 1e-9);
  EXPECT_EQ(ResolveInstant(Series(), "0%").sample, 60u);
  EXPECT_EQ(ResolveInstant(Series(), "100%").sample, 85u);
}

TEST(Instant, TimeInSecondsWithOrWithoutUnitPicksTheNearestSample) {
  EXPECT_EQ(ResolveInstant(Series(), "0.5").sample, 50u);
  EXPECT_EQ(ResolveInstant(Series(), "0.504s").sample, 50u);
  const Instant left = ResolveInstant(Series(), "0.45");
  EXPECT_EQ(left.stance_side, 0);
  EXPECT_NEAR(left.stance_percent, 40.0, 1e-9);  // (0.45 - 0.35) / 0.25
}

TEST(Instant, MalformedOrOutOfRangeValuesNameTheValueAndWhatIsAllowed) {
  for (const char* bad : {"120%", "-5%", "abc", "2.5s", "-0.1", "", "peak!"}) {
    try {
      ResolveInstant(Series(), bad);
      FAIL() << "expected an InputError for '" << bad << "'";
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(std::string("'") + bad + "'"), std::string::npos) << msg;
      EXPECT_NE(msg.find("allowed"), std::string::npos) << msg;
    }
  }
}

TEST(Instant, FlightHasNoStance) {
  ScenarioSeries s = Series();
  s.touchdown_s[0].clear();
  s.toeoff_s[0].clear();
  const Instant at = ResolveInstant(s, "0.45");
  EXPECT_EQ(at.stance_side, -1);
}

}  // namespace
}  // namespace sl::viz
