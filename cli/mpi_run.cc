#include "cli/mpi_run.h"

#include <mpi.h>
#include <omp.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cli/sweep.h"
#include "models/yaml_util.h"

namespace sl::mpi {
namespace {

// A worker thread's request: the scenario it just finished (-1: none yet), whether it
// failed, its run time, whether the thread is stopping (interrupted or I/O error), and the
// finished scenario's irregular steps. Sent as kRequestDoubles doubles.
struct Request {
  double finished_index = -1, failed = 0, seconds = 0, stopping = 0, irregular_steps = 0;
};
constexpr int kRequestDoubles = 5;
static_assert(sizeof(Request) == kRequestDoubles * sizeof(double), "Request travels as kRequestDoubles doubles");
constexpr int kTagRequest = 1, kTagWork = 2;

void Check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI error in ") + what);
}

// Rank 0's dispatcher: shared by its own threads (directly) and by the service thread that
// answers the other ranks (the only thread that calls MPI during the sweep on rank 0).
struct Dispatcher {
  const std::vector<int>& todo;
  std::atomic<size_t> next{0};
  int Next() {
    if (StopRequested()) return -1;
    const size_t k = next.fetch_add(1);
    return k < todo.size() ? todo[k] : -1;
  }
};

}  // namespace

bool LaunchedByMpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v)) return true;
  return false;
}

Session::Session() {
  if (!LaunchedByMpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    std::fprintf(stderr, "strideload: this MPI library does not support MPI_THREAD_SERIALIZED\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() {
  if (active_) MPI_Finalize();
}

int RunDistributed(const RunCommand& cmd, const Session& session) {
  const int rank = session.rank(), size = session.size();
  // Every rank validates the input (the same files, so the same verdict, before any MPI
  // traffic); only rank 0 prepares the parts folder, the others attach to it after.
  const PreparedSweep sweep = PrepareSweep(cmd);
  const size_t n = sweep.set.scenarios.size();
  std::unique_ptr<ResultsWriter> writer;
  int setup_status = 0;  // 0 ok, 2 bad input, 1 other failure
  std::string setup_error;
  if (rank == 0) {
    try {
      writer = std::make_unique<ResultsWriter>(cmd.output, sweep.info, cmd.resume);
    } catch (const InputError& e) {
      setup_status = 2;
      setup_error = e.what();
    } catch (const std::exception& e) {
      setup_status = 1;
      setup_error = e.what();
    }
  }
  Check(MPI_Bcast(&setup_status, 1, MPI_INT, 0, MPI_COMM_WORLD), "broadcast");
  if (setup_status != 0) {
    if (rank == 0) std::fprintf(stderr, "strideload: %s\n", setup_error.c_str());
    return setup_status;
  }
  if (rank != 0) writer = std::make_unique<ResultsWriter>(cmd.output, sweep.info, ResultsWriter::Attach{});

  // Threads per rank: --threads, else OMP_NUM_THREADS, else the cores this rank is bound to.
  cpu_set_t mask;
  const int cpus = sched_getaffinity(0, sizeof mask, &mask) == 0 ? CPU_COUNT(&mask) : omp_get_max_threads();
  const int threads = cmd.threads > 0 ? cmd.threads : std::getenv("OMP_NUM_THREADS") ? omp_get_max_threads() : std::max(1, cpus);
  std::vector<int> thread_counts(static_cast<size_t>(size), 0);
  Check(MPI_Gather(&threads, 1, MPI_INT, thread_counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "gather");

  // Open MPI binds each rank to one core by default (np <= 2) or one socket: hybrid runs need
  // --bind-to none or --map-by slot:PE=<threads>, else the threads share a core (measured:
  // 1 rank x 2 threads ran at half speed).
  int short_of_cpus = threads > cpus ? 1 : 0, any_short = 0;
  Check(MPI_Reduce(&short_of_cpus, &any_short, 1, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD), "reduce");
  if (rank == 0 && any_short)
    std::fprintf(stderr, "strideload: warning: a rank runs %d threads on %d core(s) of its CPU binding; "
                 "use mpirun --bind-to none or --map-by slot:PE=%d (srun --cpus-per-task=%d)\n", threads, cpus, threads, threads);

  std::vector<int> todo;
  size_t already = 0;
  if (rank == 0) {
    for (size_t i = 0; i < n; ++i)
      if (!writer->done().count(sweep.set.scenarios[i].name)) todo.push_back(static_cast<int>(i));
    already = n - todo.size();
    if (!cmd.quiet) {
      if (already) std::fprintf(stderr, "resuming: %zu of %zu scenarios already done\n", already, n);
      std::fprintf(stderr, "MPI: %d ranks x %d threads on %zu scenarios\n", size, threads, todo.size());
    }
  }
  Progress progress(n, already, cmd.quiet || rank != 0);
  Dispatcher dispatch{todo};
  std::atomic<int> failed{0}, stumbled{0};
  std::string io_error;
  std::mutex err_m;
  auto note_io_error = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(err_m);
    if (io_error.empty()) io_error = what;
    RequestStop();
  };

  // Rank 0: a service thread answers the other ranks' requests until every thread of every
  // other rank has been told there is no more work, or has said it is stopping.
  std::thread service;
  if (rank == 0 && size > 1) {
    service = std::thread([&] {
      int open_threads = 0;
      for (int r = 1; r < size; ++r) open_threads += thread_counts[static_cast<size_t>(r)];
      while (open_threads > 0) {
        // Poll with a short sleep: a blocking receive spins a core in Open MPI, taking it from
        // rank 0's simulation threads (measured: 0.7 s instead of 0.4 s per scenario).
        int arrived = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &arrived, &st);
        if (!arrived) {
          std::this_thread::sleep_for(std::chrono::microseconds(500));
          continue;
        }
        Request req;
        MPI_Recv(&req, kRequestDoubles, MPI_DOUBLE, st.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, &st);
        if (req.finished_index >= 0) {
          const auto& sc = sweep.set.scenarios[static_cast<size_t>(req.finished_index)];
          if (req.failed > 0) ++failed;
          if (req.irregular_steps > 0) ++stumbled;
          // The reason stays in the worker's part file (the summary); the count travels.
          progress.Done(sc.name + " (rank " + std::to_string(st.MPI_SOURCE) + ")",
                        OutcomeStatus(req.failed == 0, static_cast<int>(req.irregular_steps), "see the summary"),
                        req.seconds);
        }
        if (req.stopping > 0) {
          --open_threads;
          continue;
        }
        const int next = dispatch.Next();
        MPI_Send(&next, 1, MPI_INT, st.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
        if (next < 0) --open_threads;
      }
    });
  }

  // Every rank: OpenMP threads take scenarios until there are none (rank 0 from the
  // dispatcher, the others by asking rank 0; their MPI calls serialised by a mutex).
  std::mutex mpi_m;
#pragma omp parallel num_threads(threads)
  {
    Request req;
    for (;;) {
      int index = -1;
      if (rank == 0) {
        index = dispatch.Next();
      } else {
        std::lock_guard<std::mutex> lock(mpi_m);
        req.stopping = StopRequested() ? 1 : 0;
        MPI_Send(&req, kRequestDoubles, MPI_DOUBLE, 0, kTagRequest, MPI_COMM_WORLD);
        if (req.stopping > 0) break;
        MPI_Recv(&index, 1, MPI_INT, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      }
      if (index < 0) break;
      const std::string& name = sweep.set.scenarios[static_cast<size_t>(index)].name;
      req = Request{};
      try {
        const ScenarioOutcome o = RunOneScenario(sweep, *writer, index);
        req = Request{static_cast<double>(index), o.ok ? 0.0 : 1.0, o.seconds, 0, static_cast<double>(o.irregular_steps)};
        if (rank == 0) {
          if (!o.ok) ++failed;
          if (o.irregular_steps > 0) ++stumbled;
          progress.Done(name, o.status, o.seconds);
        }
      } catch (const std::exception& e) {
        note_io_error(name + ": " + e.what());
        if (rank == 0) break;
      }
    }
  }
  if (service.joinable()) service.join();

  // Agree on the outcome: any rank interrupted or failing to write stops the assembly.
  int local_stop = StopRequested() ? 1 : 0, any_stop = 0;
  int local_io = io_error.empty() ? 0 : 1, any_io = 0;
  int signal = StopSignal(), any_signal = 0;
  Check(MPI_Allreduce(&local_stop, &any_stop, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "allreduce");
  Check(MPI_Allreduce(&local_io, &any_io, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "allreduce");
  Check(MPI_Allreduce(&signal, &any_signal, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "allreduce");
  int status = 0;
  if (any_io) {
    status = local_io ? ReportIoError(io_error + " (rank " + std::to_string(rank) + ")", writer->parts_dir()) : 1;
  } else if (any_stop) {
    if (rank == 0) {
      writer->ScanParts();
      status = ReportInterrupted(writer->done().size(), n, cmd, writer->parts_dir());
    }
  } else if (rank == 0) {
    try {
      writer->ScanParts();
      writer->Finish(sweep.set.scenarios);
      if (!cmd.quiet) PrintRunSummary(cmd.output, n, failed.load(), stumbled.load());
      status = failed.load() > 0 ? 1 : 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "strideload: %s\nall %zu scenarios are kept in %s; free space and rerun with --resume\n", e.what(), n,
                   writer->parts_dir().c_str());
      status = 1;
    }
  }
  if (any_stop && !any_io) status = 128 + (any_signal > 0 ? any_signal : 15);
  Check(MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD), "broadcast");
  return status;
}

}  // namespace sl::mpi
