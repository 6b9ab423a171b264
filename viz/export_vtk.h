// `strideload export-vtk`: a ParaView time series of one scenario. DIR/<scenario>.pvd lists
// one multiblock file per output step (DIR/<scenario>/step_NNNNN.vtm) whose blocks are the
// poly data of a SkeletonFrame: bones, discs (compression_bw, ap_shear_bw, lateral_shear_bw,
// flexion_moment_N_m, level as cell data), muscles (tension_N, group) and grf (grf_N,
// grf_bw). World frame, metres, x forward, y left, z up.
#pragma once

#include <string>

namespace sl::viz {

struct ExportOptions {
  std::string results_file, scenario, output_dir = "vtk";
  int strides = 1;       ///< steady-state strides from the first steady right touchdown; 0 = the whole run
  double rate_hz = 200;  ///< output steps per simulated second (at most the file's output rate)
};

struct ExportResult {
  std::string pvd_path;
  int steps = 0;
};

/// Throws InputError for bad input, std::runtime_error for I/O failures.
ExportResult ExportVtk(const ExportOptions& opt);

}  // namespace sl::viz
