// `strideload run` across MPI ranks (built with -DSTRIDELOAD_WITH_MPI=ON). Rank 0 hands out
// scenario indices one at a time on request (dynamic load balancing: scenarios differ in
// cost); every rank runs its OpenMP threads on the scenarios it is given and writes each
// finished scenario to its own part file in <output>.parts/ (a shared file system), exactly as
// a single process does; rank 0 assembles the one results file at the end. Interrupted or
// killed runs keep their finished parts for --resume.
#pragma once

#include "cli/commands.h"

namespace sl::mpi {

/// True if this process was started by an MPI launcher (mpirun, srun): then main initialises
/// MPI and runs sweeps through RunDistributed.
bool LaunchedByMpi();

/// MPI_Init_thread / MPI_Finalize for the process's lifetime (no-op when not launched by MPI).
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  bool active() const { return active_; }
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  bool active_ = false;
  int rank_ = 0, size_ = 1;
};

/// The MPI sweep. Every rank calls it; every rank returns the same exit status.
int RunDistributed(const RunCommand& cmd, const Session& session);

}  // namespace sl::mpi
