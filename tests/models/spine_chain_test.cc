// Oracle: the cross-engine reference (Simbody; shared/benchmarks/spine-chain/reference.csv, bundled as models/reference/spine-chain-reference.csv)
// (Simbody 3.7, Runge-Kutta-Merson at accuracy 1e-10).
#include "models/spine_chain.h"
#include "sim/dynamics.h"
#include "sim/implicit_damping.h"

#include <gtest/gtest.h>

namespace sl {

void PrintTo(const IntegratorOptions& o, std::ostream* os) { *os << IntegratorName(o.kind) << " h=" << o.step_s; }

namespace {

class SpineChain : public ::testing::TestWithParam<IntegratorOptions> {};

TEST_P(SpineChain, MatchesSimbodyWithin1e4mAndPeakForceWithin1Percent) {
  const auto ref = spine_chain::ReadReference(spine_chain::ReferencePath());
  ASSERT_EQ(ref.size(), 4u);
  const auto r = spine_chain::Run(GetParam(), ref);
  ASSERT_EQ(r.rows.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    EXPECT_NEAR(r.rows[i].t_s, ref[i].t_s, 1e-12);
    for (int b = 0; b < 9; ++b) {
      EXPECT_LT((r.rows[i].p_WB[b] - ref[i].p_WB[b]).norm(), 1e-4)
          << spine_chain::kBodyNames[b] << " at t = " << ref[i].t_s;
    }
    EXPECT_NEAR(r.rows[i].peak_fn_left_N / ref[i].peak_fn_left_N, 1.0, 0.01) << "t = " << ref[i].t_s;
    EXPECT_NEAR(r.rows[i].peak_fn_right_N / ref[i].peak_fn_right_N, 1.0, 0.01) << "t = " << ref[i].t_s;
  }
}

IntegratorOptions With(IntegratorKind k, double h) {
  IntegratorOptions o = DefaultIntegratorOptions();
  o.kind = k;
  o.step_s = h;
  return o;
}

INSTANTIATE_TEST_SUITE_P(
    Integrators, SpineChain,
    ::testing::Values(With(IntegratorKind::kSemiImplicitEuler, 5e-5), With(IntegratorKind::kRk4, 1e-4),
                      With(IntegratorKind::kDopri5, 1e-4), With(IntegratorKind::kRos2, 1e-4),
                      With(IntegratorKind::kRos34pw2, 2e-4),
                      // 3x beyond where semi-implicit Euler diverges (1.5e-4 s): damping implicit
                      With(IntegratorKind::kImplicitDampingVerlet, 5e-4)),
    [](const auto& info) { return std::string(IntegratorName(info.param.kind)); });

TEST(SpineChainDefault, DefaultIntegratorMeetsTheAccuracyTarget) {
  const auto ref = spine_chain::ReadReference(spine_chain::ReferencePath());
  const auto r = spine_chain::Run(DefaultIntegratorOptions(), ref);
  EXPECT_LT(r.max_com_error_m, 1e-4);
  EXPECT_LT(r.max_peak_force_rel_error, 0.01);
}

}  // namespace
}  // namespace sl

namespace sl {
namespace {

TEST(SpineChainImplicitDamping, TreeFactorWithLoadedContactsSolvesLikeTheDenseCholesky) {
  // Oracle: Eigen's dense Cholesky of M + h/2 (D + contact damping), standing on both feet.
  const auto model = spine_chain::MakeModel();
  Data d = spine_chain::MakeInitialData(*model);
  Advance(*model, DefaultIntegratorOptions(), d, 0.6);
  CalcOutputs(*model, d);
  int loaded = 0;
  for (const auto& c : d.contacts) loaded += c.penetration_m > 0;
  ASSERT_GE(loaded, 2) << "standing at 0.6 s";
  ASSERT_TRUE(d.scratch.damping_tree);
  const Eigen::VectorXd rhs = Eigen::VectorXd::LinSpaced(54, 0.0, 5.0).array().cos();
  Eigen::VectorXd x_tree(54), x_dense(54);
  FactorImplicitDamping(*model, d, 2.5e-4);
  SolveImplicitDamping(d, rhs, x_tree);
  d.scratch.damping_tree = false;
  FactorImplicitDamping(*model, d, 2.5e-4);
  SolveImplicitDamping(d, rhs, x_dense);
  EXPECT_LT((x_tree - x_dense).norm(), 1e-9 * x_dense.norm());
}

}  // namespace
}  // namespace sl
