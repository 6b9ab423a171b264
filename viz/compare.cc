#include "viz/compare.h"

#include <vtkAxis.h>
#include <vtkLookupTable.h>
#include <vtkChartLegend.h>
#include <vtkChartMatrix.h>
#include <vtkChartXY.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkFloatArray.h>
#include <vtkNew.h>
#include <vtkPen.h>
#include <vtkPlot.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkTable.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "cli/results_file.h"
#include "models/yaml_util.h"
#include "viz/colormap.h"
#include "viz/headless.h"
#include "viz/instant.h"
#include "viz/png_output.h"
#include "viz/scene.h"
#include "viz/skeleton.h"

namespace sl::viz {
namespace {

// Okabe-Ito colour-blind-safe palette: one colour per scenario, the same in every panel.
const unsigned char kColors[][3] = {{0, 0, 0},       {230, 159, 0},   {86, 180, 233}, {0, 158, 115},
                                    {204, 121, 167}, {0, 114, 178},   {213, 94, 0},   {240, 228, 66}};

double Interp(const std::vector<double>& t, const std::vector<double>& y, double x) {
  const auto it = std::lower_bound(t.begin(), t.end(), x);
  if (it == t.begin()) return y.front();
  if (it == t.end()) return y.back();
  const size_t i = static_cast<size_t>(it - t.begin());
  const double a = (x - t[i - 1]) / (t[i] - t[i - 1]);
  return y[i - 1] + a * (y[i] - y[i - 1]);
}

}  // namespace

StanceCurves MeanStanceCurves(const std::string& file, const std::string& name) {
  const ScenarioSeries s = ReadScenarioSeries(file, name);
  StanceCurves c;
  c.grf_bw.assign(101, 0.0);
  c.l5s1_bw.assign(101, 0.0);
  const double bw = s.body_mass_kg * 9.81;
  std::vector<double> fz(s.time_s.size()), l5(s.time_s.size());
  for (size_t i = 0; i < s.time_s.size(); ++i) {
    fz[i] = s.grf_W[1][i].z() / bw;
    l5[i] = s.l5s1_force[i].x() / bw;
  }
  const auto& td = s.touchdown_s[1];
  const auto& to = s.toeoff_s[1];
  for (size_t k = static_cast<size_t>(s.warmup_strides); k < td.size(); ++k) {
    const auto off = std::upper_bound(to.begin(), to.end(), td[k]);
    if (off == to.end() || *off > s.time_s.back()) break;
    for (int p = 0; p <= 100; ++p) {
      const double t = td[k] + (*off - td[k]) * p / 100.0;
      c.grf_bw[p] += Interp(s.time_s, fz, t);
      c.l5s1_bw[p] += Interp(s.time_s, l5, t);
    }
    ++c.stances;
  }
  if (c.stances == 0) throw InputError(file + ": scenario '" + name + "' has no complete steady-state stance to plot");
  for (int p = 0; p <= 100; ++p) {
    c.grf_bw[p] /= c.stances;
    c.l5s1_bw[p] /= c.stances;
  }
  return c;
}

void RenderComparison(const CompareOptions& opt) {
  if (opt.scenarios.empty()) throw InputError("compare: --scenarios needs at least one name");
  if (opt.scenarios.size() > std::size(kColors))
    throw InputError("compare: at most " + std::to_string(std::size(kColors)) + " scenarios in one figure");
  const auto out_dir = std::filesystem::path(opt.output_png).parent_path();
  if (!out_dir.empty() && !std::filesystem::is_directory(out_dir))
    throw InputError(opt.output_png + ": the output folder does not exist");
  std::vector<StanceCurves> curves;
  std::vector<ScenarioMotion> motions;
  double max_bw = 0.5, max_tension = 1.0;
  for (const auto& n : opt.scenarios) {
    curves.push_back(MeanStanceCurves(opt.results_file, n));
    motions.push_back(ReadScenarioMotion(opt.results_file, n));
    const double t0 = SteadyStart(motions.back().series);
    max_bw = std::max(max_bw, MaxCompressionBw(motions.back(), t0));
    max_tension = std::max(max_tension, MaxTensionN(motions.back(), t0));
  }

  HeadlessDisplay display;
  const auto view = NewChartView(opt.width, opt.height);
  vtkNew<vtkChartMatrix> matrix;
  matrix->SetSize(vtkVector2i(2, 1));
  matrix->SetBorders(70, static_cast<int>(0.20 * opt.height), 30, static_cast<int>(0.42 * opt.height));
  matrix->SetGutter(vtkVector2f(90, 0));
  view->GetScene()->AddItem(matrix);

  const char* titles[2] = {"Vertical ground reaction force (right foot)", "L5/S1 compression"};
  const char* ylabels[2] = {"vertical GRF (BW)", "L5/S1 compression (BW)"};
  for (int panel = 0; panel < 2; ++panel) {
    vtkChartXY* chart = vtkChartXY::SafeDownCast(matrix->GetChart(vtkVector2i(panel, 0)));
    chart->SetTitle(titles[panel]);
    chart->GetTitleProperties()->SetFontSize(18);
    chart->GetAxis(vtkAxis::BOTTOM)->SetTitle("% stance (0 = touchdown, 100 = toe-off)");
    chart->GetAxis(vtkAxis::LEFT)->SetTitle(ylabels[panel]);
    chart->GetAxis(vtkAxis::BOTTOM)->SetRange(0, 100);
    chart->GetAxis(vtkAxis::BOTTOM)->SetBehavior(vtkAxis::FIXED);
    for (int a : {vtkAxis::BOTTOM, vtkAxis::LEFT}) {
      chart->GetAxis(a)->GetTitleProperties()->SetFontSize(15);
      chart->GetAxis(a)->GetLabelProperties()->SetFontSize(13);
    }
    vtkNew<vtkTable> table;
    vtkNew<vtkFloatArray> x;
    x->SetName("% stance");
    table->AddColumn(x);
    for (size_t s = 0; s < curves.size(); ++s) {
      vtkNew<vtkFloatArray> y;
      y->SetName(opt.scenarios[s].c_str());
      table->AddColumn(y);
    }
    table->SetNumberOfRows(101);
    for (int p = 0; p <= 100; ++p) {
      table->SetValue(p, 0, p);
      for (size_t s = 0; s < curves.size(); ++s)
        table->SetValue(p, static_cast<vtkIdType>(s + 1), panel == 0 ? curves[s].grf_bw[p] : curves[s].l5s1_bw[p]);
    }
    for (size_t s = 0; s < curves.size(); ++s) {
      vtkPlot* line = chart->AddPlot(vtkChart::LINE);
      line->SetInputData(table, 0, static_cast<vtkIdType>(s + 1));
      line->SetColor(kColors[s][0], kColors[s][1], kColors[s][2], 255);
      line->SetWidth(s == 0 ? 4.0f : 2.5f);
    }
    chart->SetShowLegend(panel == 0);
    if (panel == 0) {
      chart->GetLegend()->SetHorizontalAlignment(vtkChartLegend::RIGHT);
      chart->GetLegend()->SetVerticalAlignment(vtkChartLegend::TOP);
      chart->GetLegend()->SetLabelSize(13);
    }
  }

  // Table of peaks with the difference to the first scenario.
  std::ostringstream tab;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-28s %14s %10s %18s %10s\n", "scenario", "peak GRF (BW)", "vs first", "peak L5/S1 (BW)", "vs first");
  tab << buf;
  const double g0 = *std::max_element(curves[0].grf_bw.begin(), curves[0].grf_bw.end());
  const double l0 = *std::max_element(curves[0].l5s1_bw.begin(), curves[0].l5s1_bw.end());
  for (size_t s = 0; s < curves.size(); ++s) {
    const double g = *std::max_element(curves[s].grf_bw.begin(), curves[s].grf_bw.end());
    const double l = *std::max_element(curves[s].l5s1_bw.begin(), curves[s].l5s1_bw.end());
    std::snprintf(buf, sizeof buf, "%-28s %14.2f %9.1f%% %18.2f %9.1f%%\n", opt.scenarios[s].substr(0, 28).c_str(), g,
                  100 * (g / g0 - 1), l, 100 * (l / l0 - 1));
    tab << buf;
  }
  tab << "Means over the steady-state right-foot stances; peaks of the mean curves. Results file: "
      << std::filesystem::path(opt.results_file).filename().string();
  vtkNew<vtkTextActor> text;
  text->SetInput(tab.str().c_str());
  text->GetTextProperty()->SetFontFamilyToCourier();
  text->GetTextProperty()->SetFontSize(std::max(12, opt.height / 60));
  text->GetTextProperty()->SetColor(0.1, 0.1, 0.1);
  text->SetDisplayPosition(70, 15);
  view->GetRenderer()->AddActor2D(text);

  // Top row: each scenario's lumbar spine at its own peak L5/S1 compression (sagittal, from
  // the right), all on one colour scale.
  vtkRenderWindow* win = view->GetRenderWindow();
  win->SetNumberOfLayers(2);
  const auto disc_lut = ViridisTable(0.0, max_bw);
  const auto tension_lut = RedsTable(0.0, max_tension);
  const double row_lo = 0.60, row_hi = 0.97, bar_w = 0.10;
  const double panel_w = (1.0 - bar_w) / static_cast<double>(motions.size());
  for (size_t k = 0; k < motions.size(); ++k) {
    const ScenarioMotion& m = motions[k];
    const Instant at = ResolveInstant(m.series, "peak");
    vtkNew<vtkRenderer> ren;
    ren->SetLayer(1);
    ren->SetViewport(k * panel_w, row_lo, (k + 1) * panel_w, row_hi);
    AddSkeletonActors(ren, BuildSkeletonFrame(m, at.sample), disc_lut, tension_lut, 0.25);
    AimCamera(ren, View::kSagittal, LumbarCentre(m, at.sample) + Vec3(0, 0, -0.03), 0.30);
    const double bw = std::max(1.0, m.series.body_mass_kg * 9.81);
    char label[200];
    std::snprintf(label, sizeof label, "%s\nL5/S1 %.2f BW at %.0f %% stance", opt.scenarios[k].substr(0, 30).c_str(),
                  m.series.l5s1_force[at.sample].x() / bw, at.stance_percent);
    const double rgb[3] = {kColors[k][0] / 255.0, kColors[k][1] / 255.0, kColors[k][2] / 255.0};
    AddText(ren, label, 0.03, 0.02, std::max(11, opt.height / 80), true, rgb);
    win->AddRenderer(ren);
  }
  {
    vtkNew<vtkRenderer> bars;
    bars->SetLayer(1);
    bars->SetViewport(1.0 - bar_w, row_lo, 1.0, row_hi);
    AddColourBar(bars, disc_lut, "disc (BW)", 0.30, 0.52, 0.35, 0.40);
    AddColourBar(bars, tension_lut, "muscle (N)", 0.30, 0.04, 0.35, 0.40);
    win->AddRenderer(bars);
  }
  WriteWindowPng(win, opt.output_png);
}

}  // namespace sl::viz
