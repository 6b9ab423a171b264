// Sweep throughput: scenario-strides per second with 1 and 2 OpenMP threads (the same
// 32-scenario sweep), and the share of a scenario's time spent writing its HDF5 part.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "cli/commands.h"
#include "cli/results_file.h"
#include "models/running_sim.h"
#include "models/scenario_io.h"

namespace {

constexpr int kStrides = 8, kWarmup = 3;  // the default scenario length
constexpr int kScenarios = 32;             // 4 leans x 2 surfaces x 4 cadences

std::string SweepFile() {
  const std::string path = std::filesystem::temp_directory_path() / "sl_bench_sweep.yaml";
  std::ofstream f(path);
  f << "name: b\nsimulation: {strides: " << kStrides << ", warmup_strides: " << kWarmup
    << ", output_rate_hz: 500}\nsweep:\n  form.trunk_lean_deg: [0, 5, 10, 15]\n  surface: [asphalt, grass]\n"
    << "  runner.cadence_steps_min: [160, 170, 180, 190]\n";
  return path;
}

void SweepThroughput(benchmark::State& state) {
  sl::RunCommand cmd;
  cmd.scenario_file = SweepFile();
  cmd.output = std::filesystem::temp_directory_path() / "sl_bench_sweep.h5";
  cmd.threads = static_cast<int>(state.range(0));
  cmd.quiet = true;
  double busy = 0;
  for (auto _ : state) {
    sl::RunStats stats;
    cmd.stats = &stats;
    sl::Run(cmd);
    busy += stats.scenario_s / (stats.threads * stats.wall_s);
  }
  // Share of the threads' time spent on scenarios (the rest: idle at the end, merge, set-up).
  // Unlike a ratio of two runs it is not moved by the VM's speed drifting between them.
  state.counters["thread_busy_fraction"] = busy / static_cast<double>(state.iterations());
  const double strides = static_cast<double>(kScenarios) * (kStrides + kWarmup);
  state.counters["scenario_strides_per_s"] = benchmark::Counter(strides, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["scenarios_per_s"] = benchmark::Counter(kScenarios, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(SweepThroughput)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

const sl::Library& Library() {
  static const sl::Library lib = sl::LoadLibrary(sl::DefaultModelsDir());
  return lib;
}

sl::Scenario DefaultLengthScenario() {
  sl::Scenario sc;
  sc.strides = kStrides;
  sc.warmup_strides = kWarmup;
  return sc;
}

// Share of one scenario's wall time spent in HDF5 writing.
void Hdf5Share(benchmark::State& state) {
  const sl::Scenario sc = DefaultLengthScenario();
  const sl::RunningModel rm = sl::BuildRunningModel(Library(), sc);
  double sim_s = 0, write_s = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const sl::RunResult r = sl::SimulateRunning(rm);
    const auto t1 = std::chrono::steady_clock::now();
    sl::RunInfo info;
    info.sweep_sha256 = "bench";
    info.deflate_level = static_cast<int>(state.range(0));
    const std::string out = std::filesystem::temp_directory_path() / "sl_bench_share.h5";
    sl::ResultsWriter w(out, info, false);
    w.WriteScenario(0, sc, rm, r);
    const auto t2 = std::chrono::steady_clock::now();
    std::filesystem::remove_all(w.parts_dir());
    sim_s += std::chrono::duration<double>(t1 - t0).count();
    write_s += std::chrono::duration<double>(t2 - t1).count();
  }
  state.counters["hdf5_share"] = write_s / (sim_s + write_s);
  state.counters["write_ms_per_scenario"] = 1e3 * write_s / state.iterations();
  state.counters["sim_s_per_stride"] = sim_s / state.iterations() / (kStrides + kWarmup);
}
BENCHMARK(Hdf5Share)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->Iterations(3);  // deflate level

// Assembly: what rank 0 (or the single process) spends per scenario merging the part files
// into the results file at the end of a sweep (serial in every configuration).
void AssemblyPerScenario(benchmark::State& state) {
  const sl::Scenario sc = DefaultLengthScenario();
  const sl::RunningModel rm = sl::BuildRunningModel(Library(), sc);
  const sl::RunResult r = sl::SimulateRunning(rm);
  const int n = static_cast<int>(state.range(0));
  std::vector<sl::Scenario> scs(static_cast<size_t>(n), sc);
  for (int i = 0; i < n; ++i) scs[static_cast<size_t>(i)].name = "s" + std::to_string(i);
  const std::string out = std::filesystem::temp_directory_path() / "sl_bench_assembly.h5";
  double secs = 0;
  for (auto _ : state) {
    sl::RunInfo info;
    info.sweep_sha256 = "bench";
    sl::ResultsWriter w(out, info, false);
    for (int i = 0; i < n; ++i) w.WriteScenario(i, scs[static_cast<size_t>(i)], rm, r);
    const auto t0 = std::chrono::steady_clock::now();
    w.Finish(scs);
    secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.counters["assembly_ms_per_scenario"] = 1e3 * secs / state.iterations() / n;
  state.counters["file_MB_per_scenario"] = std::filesystem::file_size(out) / 1e6 / n;
}
BENCHMARK(AssemblyPerScenario)->Arg(32)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
