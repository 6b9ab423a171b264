// Spine-chain reference run: wall time per simulated second and the accuracy reached.
#include <benchmark/benchmark.h>

#include "models/spine_chain.h"

namespace {

void Run(benchmark::State& state, sl::IntegratorOptions opt) {
  const auto ref = sl::spine_chain::ReadReference(sl::spine_chain::ReferencePath());
  sl::spine_chain::RunResult r;
  for (auto _ : state) {
    r = sl::spine_chain::Run(opt, ref);
    benchmark::DoNotOptimize(r);
  }
  state.counters["max_com_error_m"] = r.max_com_error_m;
  state.counters["peak_force_rel_error"] = r.max_peak_force_rel_error;
  state.counters["steps"] = static_cast<double>(r.steps);
  state.counters["derivative_evals"] = static_cast<double>(r.derivative_evaluations);
  state.counters["ns_per_step"] = benchmark::Counter(
      static_cast<double>(r.steps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

sl::IntegratorOptions With(sl::IntegratorKind k, double h, double rtol = 1e-7) {
  sl::IntegratorOptions o = sl::DefaultIntegratorOptions();
  o.kind = k;
  o.step_s = h;
  o.rtol = rtol;
  return o;
}

}  // namespace

BENCHMARK_CAPTURE(Run, SpineChain_default, sl::DefaultIntegratorOptions())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_ros2_h5e-4, With(sl::IntegratorKind::kRos2, 5e-4))->Unit(benchmark::kMillisecond);
sl::IntegratorOptions Fresh(double h) { auto o = With(sl::IntegratorKind::kRos34pw2, h); o.jacobian_refresh_steps = 1; return o; }
BENCHMARK_CAPTURE(Run, SpineChain_ros34pw2fresh_h1e-3, Fresh(1e-3))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_ros34pw2fresh_h5e-4, Fresh(5e-4))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_ros34pw2_h1e-3, With(sl::IntegratorKind::kRos34pw2, 1e-3))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_ros34pw2_h5e-4, With(sl::IntegratorKind::kRos34pw2, 5e-4))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_ros34pw2_h2e-4, With(sl::IntegratorKind::kRos34pw2, 2e-4))->Unit(benchmark::kMillisecond);
sl::IntegratorOptions Idv(double h, int refresh) {
  auto o = With(sl::IntegratorKind::kImplicitDampingVerlet, h);
  o.jacobian_refresh_steps = refresh;
  return o;
}
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h3e-4_r1, Idv(3e-4, 1))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h5e-4_r1, Idv(5e-4, 1))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h7e-4_r1, Idv(7e-4, 1))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h1e-3_r1, Idv(1e-3, 1))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h5e-4_r10, Idv(5e-4, 10))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h5e-4_r25, Idv(5e-4, 25))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h7e-4_r10, Idv(7e-4, 10))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h6e-4_r25, Idv(6e-4, 25))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_implicit_damping_verlet_h5e-4_r50, Idv(5e-4, 50))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_ros2_h2e-4, With(sl::IntegratorKind::kRos2, 2e-4))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_rk4_h1e-4, With(sl::IntegratorKind::kRk4, 1e-4))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_rk4_h5e-5, With(sl::IntegratorKind::kRk4, 5e-5))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_symplectic_euler_h5e-5, With(sl::IntegratorKind::kSemiImplicitEuler, 5e-5))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_symplectic_euler_h1e-5, With(sl::IntegratorKind::kSemiImplicitEuler, 1e-5))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_symplectic_euler_h1e-4, With(sl::IntegratorKind::kSemiImplicitEuler, 1e-4))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_dopri5_rtol1e-6, With(sl::IntegratorKind::kDopri5, 1e-4, 1e-6))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Run, SpineChain_dopri5_rtol1e-8, With(sl::IntegratorKind::kDopri5, 1e-4, 1e-8))->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
