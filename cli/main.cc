// strideload: lower-back loads of runners. Subcommands: run, check, summary, validate,
// spine-chain, and with VTK: compare, plot, render, animate, export-vtk.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <sstream>
#include <exception>

#include "cli/commands.h"
#ifdef STRIDELOAD_WITH_MPI
#include "cli/mpi_run.h"
#endif
#include "models/yaml_util.h"
#include "sim/errors.h"
#ifdef STRIDELOAD_WITH_VTK
#include "viz/compare.h"
#include "viz/export_vtk.h"
#include "viz/plot.h"
#include "viz/render.h"
#endif

int main(int argc, char** argv) {
#ifdef STRIDELOAD_WITH_MPI
  // Under mpirun/srun, MPI is initialised for the process's lifetime and `run` is
  // distributed over the ranks; error messages come from rank 0 only.
  const sl::mpi::Session mpi;
  const bool quiet_rank = mpi.active() && mpi.rank() != 0;
#else
  const bool quiet_rank = false;
#endif
  CLI::App app{"strideload: loads on the lower back of runners (forward dynamics, HDF5 results)"};
  app.require_subcommand(1);
  std::string models_dir;
  app.add_option("--models", models_dir, "folder with runner.yaml, surfaces.yaml, shoes.yaml (default: bundled)");

  sl::RunCommand run;
  auto* run_cmd = app.add_subcommand("run", "simulate every scenario of a scenario or sweep file into one HDF5 file");
  run_cmd->add_option("file", run.scenario_file, "scenario or sweep YAML file")->required();
  run_cmd->add_option("-o,--output", run.output, "results file (HDF5)");
  run_cmd->add_option("--threads", run.threads, "OpenMP threads (default: all cores)")->check(CLI::Range(1, 1024));
  run_cmd->add_option("--set", run.set, "override a key, e.g. --set form.trunk_lean_deg=12 (repeatable)");
  run_cmd->add_flag("--resume", run.resume, "continue an interrupted run of the same sweep");
  run_cmd->add_flag("--quiet", run.quiet, "no progress output");
  run_cmd->add_option("--compress", run.compress,
                      "deflate level of the time series: 0 none (~20 % larger file), 1 (default, fastest) .. 9")
      ->check(CLI::Range(0, 9));
  run_cmd->add_option("--max-scenarios", run.max_scenarios, "refuse sweeps larger than this")->check(CLI::Range(1, 100000000));

  std::string check_file;
  std::vector<std::string> check_set;
  auto* check_cmd = app.add_subcommand("check", "validate a scenario or sweep file without running it");
  check_cmd->add_option("file", check_file, "scenario or sweep YAML file")->required();
  check_cmd->add_option("--set", check_set, "override a key (repeatable)");

  std::string summary_file;
  bool csv = false;
  auto* summary_cmd = app.add_subcommand("summary", "print the summary table of a results file");
  summary_cmd->add_option("file", summary_file, "results file (HDF5)")->required();
  summary_cmd->add_flag("--csv", csv, "comma-separated, every column");

  auto* validate_cmd = app.add_subcommand("validate", "run the validation cases against published ranges");
  auto* chain_cmd = app.add_subcommand("spine-chain", "run the cross-engine spine-chain reference model");
#ifdef STRIDELOAD_WITH_VTK
  // The options every PNG figure shares: the results file, the output and the pixel size.
  const auto figure = [&app](const char* name, const char* what, std::string& file, std::string& out, int& w, int& h) {
    CLI::App* c = app.add_subcommand(name, what);
    c->add_option("file", file, "results file (HDF5)")->required();
    c->add_option("-o,--output", out, "PNG file");
    c->add_option("--width", w, "pixels")->check(CLI::Range(400, 8000));
    c->add_option("--height", h, "pixels")->check(CLI::Range(300, 8000));
    return c;
  };
  sl::viz::CompareOptions cmp;
  std::string cmp_list;
  auto* compare_cmd = figure("compare", "figure: spines at their peak load, GRF and L5/S1 compression against % stance",
                             cmp.results_file, cmp.output_png, cmp.width, cmp.height);
  compare_cmd->add_option("--scenarios", cmp_list, "comma-separated names; the first is the reference")->required();
  sl::viz::PlotOptions plot;
  auto* plot_cmd = figure("plot", "figure: a summary metric against a swept parameter", plot.results_file, plot.output_png,
                          plot.width, plot.height);
  plot_cmd->add_option("--x", plot.x, "summary column on the x axis (e.g. trunk_lean_deg)")->required();
  plot_cmd->add_option("--y", plot.y, "summary column on the y axis (e.g. peak_compression_bw_L5_S1)")->required();
  plot_cmd->add_option("--by", plot.by, "one line per value of this column (e.g. surface)");
  plot_cmd->add_flag("--heatmap", plot.heatmap, "heat map of --y over --x and --by (two swept parameters)");
  sl::viz::RenderOptions rnd;
  auto* render_cmd = figure("render", "picture: the spine, pelvis and trunk at one instant, discs coloured by load",
                            rnd.results_file, rnd.output_png, rnd.width, rnd.height);
  render_cmd->add_option("--scenario", rnd.scenario, "scenario name")->required();
  render_cmd->add_option("--at", rnd.at, "peak (largest L5/S1 compression), a time in s (1.25 or 1.25s), or % of stance (40%)");
  sl::viz::AnimateOptions anim;
  auto* animate_cmd = app.add_subcommand("animate", "video (.ogv) or numbered PNG frames of a steady-state stride");
  animate_cmd->add_option("file", anim.results_file, "results file (HDF5)")->required();
  animate_cmd->add_option("--scenario", anim.scenario, "scenario name")->required();
  animate_cmd->add_option("-o,--output", anim.output, "a .ogv file, or a folder for frame_NNNN.png");
  animate_cmd->add_option("--frames", anim.frames_dir, "also write numbered PNG frames to this folder");
  animate_cmd->add_option("--fps", anim.fps, "frames per second of the video")->check(CLI::Range(1, 120));
  animate_cmd->add_option("--slowdown", anim.slowdown, "playback slower than real time by this factor")->check(CLI::Range(0.1, 100.0));
  animate_cmd->add_option("--strides", anim.strides, "steady-state strides to show")->check(CLI::Range(1, 100));
  animate_cmd->add_option("--width", anim.width, "pixels (even)")->check(CLI::Range(320, 4096));
  animate_cmd->add_option("--height", anim.height, "pixels (even)")->check(CLI::Range(240, 4096));
  sl::viz::ExportOptions exp;
  auto* export_cmd = app.add_subcommand("export-vtk", "ParaView time series (.pvd of .vtm) of one scenario");
  export_cmd->add_option("file", exp.results_file, "results file (HDF5)")->required();
  export_cmd->add_option("--scenario", exp.scenario, "scenario name")->required();
  export_cmd->add_option("-o,--output", exp.output_dir, "output folder");
  export_cmd->add_option("--strides", exp.strides, "steady-state strides to export; 0 = the whole run")->check(CLI::Range(0, 100000));
  export_cmd->add_option("--rate-hz", exp.rate_hz, "output steps per simulated second")->check(CLI::Range(1.0, 100000.0));
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (*run_cmd) {
      std::string cl;
      for (int i = 0; i < argc; ++i) cl += (i ? " " : "") + std::string(argv[i]);
      run.command_line = cl;
      run.models_dir = models_dir;
      sl::InstallStopHandlers();
#ifdef STRIDELOAD_WITH_MPI
      if (mpi.active()) return sl::mpi::RunDistributed(run, mpi);
#endif
      return sl::Run(run);
    }
    if (*check_cmd) return sl::Check(check_file, check_set, models_dir);
    if (*summary_cmd) return sl::Summary(summary_file, csv);
    if (*validate_cmd) return sl::Validate(models_dir);
    if (*chain_cmd) return sl::SpineChainReference();
#ifdef STRIDELOAD_WITH_VTK
    if (*compare_cmd) {
      std::stringstream ss(cmp_list);
      std::string item;
      while (std::getline(ss, item, ','))
        if (!item.empty()) cmp.scenarios.push_back(item);
      sl::viz::RenderComparison(cmp);
      std::printf("wrote %s\n", cmp.output_png.c_str());
      return 0;
    }
    if (*plot_cmd) {
      sl::viz::RenderPlot(plot);
      std::printf("wrote %s\n", plot.output_png.c_str());
      return 0;
    }
    if (*render_cmd) {
      sl::viz::RenderScenario(rnd);
      std::printf("wrote %s\n", rnd.output_png.c_str());
      return 0;
    }
    if (*animate_cmd) {
      const int n = sl::viz::AnimateScenario(anim);
      std::printf("wrote %s (%d frames)\n", anim.output.c_str(), n);
      return 0;
    }
    if (*export_cmd) {
      const sl::viz::ExportResult r = sl::viz::ExportVtk(exp);
      std::printf("wrote %s (%d time steps; open it in ParaView)\n", r.pvd_path.c_str(), r.steps);
      return 0;
    }
#endif
  } catch (const sl::InputError& e) {
    if (!quiet_rank) std::fprintf(stderr, "strideload: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strideload: %s\n", e.what());
    return 1;
  }
  return 0;
}
