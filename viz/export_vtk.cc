#include "viz/export_vtk.h"

#include <vtkCompositeDataSet.h>
#include <vtkInformation.h>
#include <vtkMultiBlockDataSet.h>
#include <vtkNew.h>
#include <vtkPolyData.h>
#include <vtkXMLMultiBlockDataWriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "models/yaml_util.h"
#include "viz/instant.h"
#include "viz/skeleton.h"

namespace sl::viz {
namespace fs = std::filesystem;

ExportResult ExportVtk(const ExportOptions& opt) {
  if (opt.strides < 0) throw InputError("export-vtk: --strides " + std::to_string(opt.strides) + " must be >= 0");
  if (!(opt.rate_hz > 0) || opt.rate_hz > 1e5) throw InputError("export-vtk: --rate-hz must be in (0, 100000]");
  const ScenarioMotion m = ReadScenarioMotion(opt.results_file, opt.scenario);
  const ScenarioSeries& s = m.series;
  if (s.time_s.empty()) throw InputError(opt.results_file + ": scenario '" + opt.scenario + "' has no samples");
  double t_begin = s.time_s.front(), t_end = s.time_s.back();
  if (opt.strides > 0) {
    const auto& td = s.touchdown_s[1];
    const size_t k = static_cast<size_t>(std::max(0, s.warmup_strides));
    if (k < td.size()) {
      t_begin = td[k];
      if (k + static_cast<size_t>(opt.strides) < td.size()) t_end = td[k + static_cast<size_t>(opt.strides)];
    }
  }
  std::error_code ec;
  const fs::path dir(opt.output_dir), sub = dir / opt.scenario;
  fs::create_directories(sub, ec);
  if (!fs::is_directory(sub)) throw InputError(opt.output_dir + ": cannot create the output folder (" + ec.message() + ")");

  // Samples to write: the nearest sample to each step of 1/rate, without repeats.
  std::vector<size_t> samples;
  const double dt = 1.0 / opt.rate_hz;
  const int n_steps = static_cast<int>(std::floor((t_end - t_begin) / dt + 1e-9)) + 1;
  for (int k = 0; k < n_steps; ++k) {
    const double t = t_begin + k * dt;
    const size_t i = NearestSample(s.time_s, t);
    if (samples.empty() || samples.back() != i) samples.push_back(i);
  }

  ExportResult r;
  r.pvd_path = (dir / (opt.scenario + ".pvd")).string();
  const std::string tmp = r.pvd_path + ".tmp";
  std::ofstream pvd(tmp);
  if (!pvd) throw std::runtime_error("cannot write " + tmp);
  pvd << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n<Collection>\n";
  pvd.precision(9);
  for (size_t n = 0; n < samples.size(); ++n) {
    const SkeletonFrame f = BuildSkeletonFrame(m, samples[n]);
    vtkNew<vtkMultiBlockDataSet> mb;
    const char* names[5] = {"vertebrae", "bones", "discs", "muscles", "grf"};
    vtkPolyData* parts[5] = {f.vertebrae, f.bones, f.discs, f.muscles, f.grf};
    mb->SetNumberOfBlocks(5);
    for (unsigned b = 0; b < 5; ++b) {
      mb->SetBlock(b, parts[b]);
      mb->GetMetaData(b)->Set(vtkCompositeDataSet::NAME(), names[b]);
    }
    char name[32];
    std::snprintf(name, sizeof name, "step_%05zu.vtm", n);
    const fs::path vtm = sub / name;
    vtkNew<vtkXMLMultiBlockDataWriter> w;
    w->SetFileName(vtm.string().c_str());
    w->SetInputData(mb);
    w->SetDataModeToAppended();
    w->SetCompressorTypeToZLib();
    if (w->Write() != 1) throw std::runtime_error("could not write " + vtm.string());
    pvd << "  <DataSet timestep=\"" << s.time_s[samples[n]] << "\" group=\"\" part=\"0\" file=\""
        << (fs::path(opt.scenario) / name).generic_string() << "\"/>\n";
  }
  pvd << "</Collection>\n</VTKFile>\n";
  pvd.close();
  if (!pvd) throw std::runtime_error("could not write " + tmp);
  fs::rename(tmp, r.pvd_path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp + ": " + ec.message());
  r.steps = static_cast<int>(samples.size());
  return r;
}

}  // namespace sl::viz
