// Oracles: ParaView's PVD collection format (a <DataSet timestep=… file=…> per step) and
// VTK's own XML multiblock reader reading every step back; the time steps are the stride's
// sample times at the requested rate; the arrays carry the stored loads.
#include "viz/export_vtk.h"

#include <vtkCellData.h>
#include <vtkCompositeDataSet.h>
#include <vtkDataArray.h>
#include <vtkInformation.h>
#include <vtkMultiBlockDataSet.h>
#include <vtkNew.h>
#include <vtkPolyData.h>
#include <vtkXMLMultiBlockDataReader.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/results_file.h"
#include "models/yaml_util.h"
#include "tests/viz/results_fixture.h"

namespace sl::viz {
namespace {

namespace fs = std::filesystem;
using fixture::Results;
using fixture::TempPath;

struct PvdEntry {
  double t;
  std::string file;
};

std::vector<PvdEntry> ParsePvd(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<PvdEntry> out;
  const std::regex ds("<DataSet timestep=\"([^\"]+)\"[^>]*file=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), ds); it != std::sregex_iterator(); ++it)
    out.push_back({std::stod((*it)[1]), (*it)[2]});
  EXPECT_NE(text.find("type=\"Collection\""), std::string::npos);
  return out;
}

TEST(ExportVtk, OneStrideAtTheRequestedRateReadsBackWithVtk) {
  ExportOptions opt{Results(), "lean", TempPath("vtk"), 1, 50.0};
  const ExportResult r = ExportVtk(opt);
  const auto steps = ParsePvd(r.pvd_path);
  ASSERT_EQ(static_cast<int>(steps.size()), r.steps);
  const ScenarioMotion m = ReadScenarioMotion(Results(), "lean");
  const auto& td = m.series.touchdown_s[1];
  const size_t k = static_cast<size_t>(m.series.warmup_strides);
  ASSERT_LT(k + 1, td.size());
  // A stride of ~0.7 s at 50 Hz: one step per 20 ms from touchdown to the next touchdown.
  EXPECT_NEAR(r.steps, (td[k + 1] - td[k]) * 50.0 + 1, 1.5);
  EXPECT_NEAR(steps.front().t, td[k], 1.5e-3);  // the nearest 500 Hz sample
  for (size_t n = 1; n < steps.size(); ++n) EXPECT_NEAR(steps[n].t - steps[n - 1].t, 0.02, 2.1e-3);

  const double bw = m.series.body_mass_kg * 9.81;
  for (size_t n : {size_t{0}, steps.size() / 2}) {
    vtkNew<vtkXMLMultiBlockDataReader> reader;
    reader->SetFileName((fs::path(opt.output_dir) / steps[n].file).string().c_str());
    reader->Update();
    auto* mb = vtkMultiBlockDataSet::SafeDownCast(reader->GetOutput());
    ASSERT_NE(mb, nullptr);
    ASSERT_EQ(mb->GetNumberOfBlocks(), 5u);
    const char* names[5] = {"vertebrae", "bones", "discs", "muscles", "grf"};
    for (unsigned b = 0; b < 5; ++b) EXPECT_STREQ(mb->GetMetaData(b)->Get(vtkCompositeDataSet::NAME()), names[b]);
    auto* discs = vtkPolyData::SafeDownCast(mb->GetBlock(2));
    auto* muscles = vtkPolyData::SafeDownCast(mb->GetBlock(3));
    auto* grf = vtkPolyData::SafeDownCast(mb->GetBlock(4));
    ASSERT_NE(discs, nullptr);
    ASSERT_NE(muscles, nullptr);
    ASSERT_NE(grf, nullptr);
    for (const char* a : {"compression_bw", "ap_shear_bw", "lateral_shear_bw", "flexion_moment_N_m", "level"})
      EXPECT_NE(discs->GetCellData()->GetArray(a), nullptr) << a;
    EXPECT_NE(muscles->GetCellData()->GetArray("tension_N"), nullptr);
    EXPECT_EQ(muscles->GetNumberOfCells(), static_cast<vtkIdType>(m.muscles.size()));
    EXPECT_NE(grf->GetCellData()->GetArray("grf_N"), nullptr);
    EXPECT_EQ(grf->GetNumberOfCells(), 2);  // left and right, loaded or not
    // The L5/S1 disc's compression is the stored value at this step's time.
    size_t i = 0;
    while (i + 1 < m.series.time_s.size() && m.series.time_s[i] < steps[n].t - 1e-9) ++i;
    vtkDataArray* level = discs->GetCellData()->GetArray("level");
    vtkDataArray* comp = discs->GetCellData()->GetArray("compression_bw");
    for (vtkIdType c = 0; c < discs->GetNumberOfCells(); ++c)
      if (level->GetTuple1(c) == 0) {
        EXPECT_NEAR(comp->GetTuple1(c), m.joints[0].force_N[i].x() / bw, 1e-5);
        break;
      }
  }
}

TEST(ExportVtk, BadOptionsAreInputErrors) {
  ExportOptions opt{Results(), "nope", TempPath("vtk2"), 1, 50.0};
  EXPECT_THROW(ExportVtk(opt), InputError);
  opt.scenario = "base";
  opt.rate_hz = 0;
  EXPECT_THROW(ExportVtk(opt), InputError);
}

}  // namespace
}  // namespace sl::viz
