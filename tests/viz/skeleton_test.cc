// Oracles: the results file's own numbers (what is drawn is what was computed): the disc
// colours carry the stored compression in BW, the GRF vector is the stored force at the
// documented scale, the muscles carry their stored tensions; and mechanical consistency of
// the drawn geometry: each disc centre found from its superior body coincides with the one
// found from its inferior body up to the disc's deflection (a few millimetres of compression
// and shear under running loads; < 1 cm).
#include "viz/skeleton.h"

#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkPolyData.h>

#include <gtest/gtest.h>

#include "tests/viz/results_fixture.h"
#include "viz/instant.h"

namespace sl::viz {
namespace {

using fixture::Results;

TEST(Skeleton, DrawnLoadsAreTheStoredLoads) {
  const ScenarioMotion m = ReadScenarioMotion(Results(), "base");
  const size_t i = ResolveInstant(m.series, "peak").sample;
  const SkeletonFrame f = BuildSkeletonFrame(m, i);
  const double bw = m.series.body_mass_kg * 9.81;
  ASSERT_EQ(m.joints.size(), 6u);
  // Discs: every cell of level k carries joint k's compression in BW.
  vtkDataArray* level = f.discs->GetCellData()->GetArray("level");
  vtkDataArray* comp = f.discs->GetCellData()->GetArray("compression_bw");
  ASSERT_NE(level, nullptr);
  ASSERT_NE(comp, nullptr);
  int seen[6] = {0, 0, 0, 0, 0, 0};
  for (vtkIdType c = 0; c < f.discs->GetNumberOfCells(); ++c) {
    const int k = static_cast<int>(level->GetTuple1(c));
    ASSERT_GE(k, 0);
    ASSERT_LT(k, 6);
    ++seen[k];
    EXPECT_NEAR(comp->GetTuple1(c), m.joints[static_cast<size_t>(k)].force_N[i].x() / bw, 1e-5);
  }
  for (int k = 0; k < 6; ++k) EXPECT_GT(seen[k], 0) << "level " << k;
  EXPECT_GT(m.joints[0].force_N[i].x() / bw, 2.0);  // the peak is a running load, not a standing one
  // GRF: one vector per loaded foot, 0.25 m per BW along the stored force.
  ASSERT_GE(f.grf->GetNumberOfCells(), 1);
  double total_len = 0;
  for (vtkIdType c = 0; c < f.grf->GetNumberOfCells(); ++c) {
    double a[3], b[3];
    f.grf->GetPoint(2 * c, a);
    f.grf->GetPoint(2 * c + 1, b);
    total_len += Vec3(b[0] - a[0], b[1] - a[1], b[2] - a[2]).norm();
  }
  const double stored = (m.series.grf_W[0][i].norm() > 0.02 * bw ? m.series.grf_W[0][i].norm() : 0) +
                        (m.series.grf_W[1][i].norm() > 0.02 * bw ? m.series.grf_W[1][i].norm() : 0);
  EXPECT_NEAR(total_len, stored / bw * kGrfMetresPerBw, 1e-3);
  // Muscles: one line each with its stored tension.
  ASSERT_EQ(f.muscles->GetNumberOfCells(), static_cast<vtkIdType>(m.muscles.size()));
  vtkDataArray* tension = f.muscles->GetCellData()->GetArray("tension_N");
  for (size_t k = 0; k < m.muscles.size(); ++k)
    EXPECT_NEAR(tension->GetTuple1(static_cast<vtkIdType>(k)), m.muscles[k].tension_N[i], 1e-3 * (1 + m.muscles[k].tension_N[i]));
}

TEST(Skeleton, EachDiscCentreAgreesFromBothOfItsBodies) {
  const ScenarioMotion m = ReadScenarioMotion(Results(), "lean");
  for (size_t i = 0; i < m.series.time_s.size(); i += 50) {
    for (const auto& j : m.joints) {
      const auto& P = m.bodies[static_cast<size_t>(j.parent)];
      const auto& C = m.bodies[static_cast<size_t>(j.child)];
      const Vec3 from_parent = P.p_WB[i] + P.q_WB[i] * j.p_PJ_P;
      const Vec3 from_child = C.p_WB[i] + C.q_WB[i] * j.p_CJ_C;
      EXPECT_LT((from_parent - from_child).norm(), 0.010) << j.name << " at t = " << m.series.time_s[i];
    }
  }
}

TEST(Skeleton, TheSpineLiesBetweenPelvisAndUpperTrunk) {
  const ScenarioMotion m = ReadScenarioMotion(Results(), "base");
  const SkeletonFrame f = BuildSkeletonFrame(m, 0);
  double vb[6];
  f.vertebrae->GetBounds(vb);
  const double z_pelvis = m.bodies[static_cast<size_t>(m.pelvis)].p_WB[0].z();
  const double z_hat = m.bodies[static_cast<size_t>(m.hat)].p_WB[0].z();
  EXPECT_GT(vb[4], z_pelvis - 0.05);
  EXPECT_LT(vb[5], z_hat);
  EXPECT_GT(vb[5] - vb[4], 0.12);  // five lumbar vertebrae: ~15-18 cm of spine
  EXPECT_LT(vb[5] - vb[4], 0.25);
}

}  // namespace
}  // namespace sl::viz
