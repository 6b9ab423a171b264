// Oracle: Liu & Nigg (2000), data sheet 3a and validation target V14: their four-mass model
// rebuilt from the engine's bodies, line elements and power-law contact with their own
// parameters. The published direction holds: a heavier lower rigid mass raises the impact
// peak. The published magnitude (1353 N at 23 ms) is NOT reproduced (we get ~910 N at
// ~9 ms from unloaded springs at touchdown); the data sheet notes that the published model
// had simulation problems (Zadpoor & Nikooyan 2006/2007) — this stays open in issue 3.
#include "models/liu_nigg.h"

#include <gtest/gtest.h>

namespace sl {
namespace {

TEST(LiuNigg, HeavierLowerRigidMassRaisesTheImpactPeak) {
  liu_nigg::Parameters p;
  const auto base = liu_nigg::Simulate(p);
  p.m1 += 1.0;
  const auto heavier = liu_nigg::Simulate(p);
  EXPECT_GT(base.impact_peak_N, 0.0);
  EXPECT_GT(heavier.impact_peak_N, base.impact_peak_N);
}

TEST(LiuNigg, FasterTouchdownRaisesTheImpactPeak) {
  // Liu & Nigg 2000: touchdown speed 0.2 -> 1.0 m/s raises the impact peak (by up to 222 N).
  liu_nigg::Parameters slow, fast;
  slow.touchdown_speed_m_s = 0.2;
  fast.touchdown_speed_m_s = 1.0;
  EXPECT_GT(liu_nigg::Simulate(fast).impact_peak_N, liu_nigg::Simulate(slow).impact_peak_N);
}

}  // namespace
}  // namespace sl
