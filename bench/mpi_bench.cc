// MPI sweep measurements; run under mpirun (every rank runs the same benchmarks in lockstep,
// rank 0 reports):
//   mpirun -n 1 ./build/bench/strideload_mpi_bench --benchmark_filter='MpiSweep/2'
//   mpirun -n 2 ./build/bench/strideload_mpi_bench --benchmark_filter='MpiSweep/1|RequestRoundTrip'
// MpiSweep/T: a 16-scenario sweep of default-length scenarios with T OpenMP threads per rank
// (scenarios/s). RequestRoundTrip: one scenario hand-out, the request (32 bytes) from rank 1
// and rank 0's reply (4 bytes), i.e. the communication per scenario.
#include <benchmark/benchmark.h>
#include <mpi.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/mpi_run.h"

namespace {

constexpr int kScenarios = 16, kStrides = 8, kWarmup = 3;
const sl::mpi::Session* g_mpi = nullptr;

std::string SweepFile() {
  const std::string path = std::filesystem::temp_directory_path() / "sl_mpi_bench.yaml";
  if (g_mpi->rank() == 0) {
    std::ofstream f(path);
    f << "name: b\nsimulation: {strides: " << kStrides << ", warmup_strides: " << kWarmup
      << ", output_rate_hz: 500}\nsweep:\n  form.trunk_lean_deg: [0, 4, 8, 12, 16, 20, 24, 28]\n"
      << "  surface: [asphalt, grass]\n";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return path;
}

void MpiSweep(benchmark::State& state) {
  sl::RunCommand cmd;
  cmd.scenario_file = SweepFile();
  cmd.output = std::filesystem::temp_directory_path() / "sl_mpi_bench.h5";
  cmd.threads = static_cast<int>(state.range(0));
  cmd.quiet = true;
  for (auto _ : state) sl::mpi::RunDistributed(cmd, *g_mpi);
  state.counters["ranks"] = g_mpi->size();
  state.counters["scenarios_per_s"] = benchmark::Counter(kScenarios, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(MpiSweep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void RequestRoundTrip(benchmark::State& state) {
  if (g_mpi->size() < 2) {
    state.SkipWithError("needs mpirun -n 2");
    for (auto _ : state) {
    }
    return;
  }
  double request[4] = {3, 0, 0.5, 0};
  int reply = 7;
  for (auto _ : state) {
    if (g_mpi->rank() == 1) {
      MPI_Send(request, 4, MPI_DOUBLE, 0, 1, MPI_COMM_WORLD);
      MPI_Recv(&reply, 1, MPI_INT, 0, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (g_mpi->rank() == 0) {
      MPI_Status st;
      MPI_Recv(request, 4, MPI_DOUBLE, 1, 1, MPI_COMM_WORLD, &st);
      MPI_Send(&reply, 1, MPI_INT, 1, 2, MPI_COMM_WORLD);
    }
  }
  state.counters["bytes_per_scenario"] = sizeof request + sizeof reply;
}
BENCHMARK(RequestRoundTrip)->Unit(benchmark::kMicrosecond)->UseRealTime()->Iterations(20000);

}  // namespace

int main(int argc, char** argv) {
  const sl::mpi::Session mpi;
  if (!mpi.active()) {
    std::fprintf(stderr, "strideload_mpi_bench: run it under mpirun (see the top of bench/mpi_bench.cc)\n");
    return 2;
  }
  g_mpi = &mpi;
  if (mpi.rank() != 0 && !std::freopen("/dev/null", "w", stdout)) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
