#include "viz/plot.h"

#include <vtkAxis.h>
#include <vtkChartHistogram2D.h>
#include <vtkChartLegend.h>
#include <vtkColorLegend.h>
#include <vtkColorTransferFunction.h>
#include <vtkDoubleArray.h>
#include <vtkImageData.h>
#include <vtkLookupTable.h>
#include <vtkStringArray.h>
#include <vtkChartXY.h>
#include <vtkContextScene.h>
#include <vtkContextView.h>
#include <vtkFloatArray.h>
#include <vtkNew.h>
#include <vtkPlot.h>
#include <vtkPlotPoints.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkTable.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include "cli/results_file.h"
#include "models/yaml_util.h"
#include "viz/colormap.h"
#include "viz/headless.h"
#include "viz/png_output.h"

namespace sl::viz {
namespace {

const unsigned char kColors[][3] = {{0, 0, 0},       {230, 159, 0}, {86, 180, 233}, {0, 158, 115},
                                    {204, 121, 167}, {0, 114, 178}, {213, 94, 0},   {240, 228, 66}};

int Column(const SummaryTable& t, const std::string& name, const std::string& file) {
  for (size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c] == name) return static_cast<int>(c);
  std::string all;
  for (const auto& c : t.columns) all += " " + c;
  throw InputError(file + ": no summary column '" + name + "'; available:" + all);
}

double Number(const std::string& s, const std::string& col) {
  try {
    size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (...) {
  }
  throw InputError("plot: column '" + col + "' is not numeric (value '" + s + "')");
}

bool IsNumber(const std::string& s) {
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size();
}

// Distinct values of a column in plotting order: numeric ascending, or first appearance.
std::vector<std::string> Levels(const SummaryTable& t, int col) {
  std::vector<std::string> v;
  bool numeric = true;
  for (const auto& row : t.rows) {
    if (std::find(v.begin(), v.end(), row[col]) == v.end()) v.push_back(row[col]);
    numeric = numeric && IsNumber(row[col]);
  }
  if (numeric) std::sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) { return std::stod(a) < std::stod(b); });
  return v;
}

void SetCategoryTicks(vtkAxis* axis, const std::vector<std::string>& levels) {
  vtkNew<vtkDoubleArray> pos;
  vtkNew<vtkStringArray> labels;
  for (size_t i = 0; i < levels.size(); ++i) {
    pos->InsertNextValue(static_cast<double>(i) + 0.5);
    labels->InsertNextValue(levels[i]);
  }
  axis->SetCustomTickPositions(pos, labels);
  axis->SetRange(0, static_cast<double>(levels.size()));
  axis->SetBehavior(vtkAxis::FIXED);
}

// Heat map: cell (i, j) is the mean of y over the ok scenarios with x = level i, by = level j.
void RenderHeatmap(const PlotOptions& opt, const SummaryTable& t, int cx, int cy, int cb) {
  const std::vector<std::string> lx = Levels(t, cx), lb = Levels(t, cb);
  if (lx.size() < 2 || lb.size() < 2)
    throw InputError("plot --heatmap: --x " + opt.x + " and --by " + opt.by + " must each take at least two values in " +
                     opt.results_file + " (they take " + std::to_string(lx.size()) + " and " + std::to_string(lb.size()) + ")");
  const size_t nx = lx.size(), ny = lb.size();
  std::vector<double> sum(nx * ny, 0.0);
  std::vector<int> count(nx * ny, 0);
  for (const auto& row : t.rows) {
    if (row[1] != "ok") continue;
    const size_t i = static_cast<size_t>(std::find(lx.begin(), lx.end(), row[cx]) - lx.begin());
    const size_t j = static_cast<size_t>(std::find(lb.begin(), lb.end(), row[cb]) - lb.begin());
    sum[j * nx + i] += Number(row[cy], opt.y);
    ++count[j * nx + i];
  }
  double lo = 1e300, hi = -1e300;
  vtkNew<vtkImageData> img;
  img->SetExtent(0, static_cast<int>(nx) - 1, 0, static_cast<int>(ny) - 1, 0, 0);
  img->SetOrigin(0, 0, 0);
  img->SetSpacing(1, 1, 1);
  img->AllocateScalars(VTK_DOUBLE, 1);
  for (size_t j = 0; j < ny; ++j)
    for (size_t i = 0; i < nx; ++i) {
      const double v = count[j * nx + i] ? sum[j * nx + i] / count[j * nx + i] : std::nan("");
      if (count[j * nx + i]) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      img->SetScalarComponentFromDouble(static_cast<int>(i), static_cast<int>(j), 0, 0, v);
    }
  if (lo > hi) throw InputError(opt.results_file + ": no successful scenario to plot");
  if (hi - lo < 1e-12) hi = lo + 1e-12;
  const auto lut = ViridisTable(lo, hi);
  vtkNew<vtkColorTransferFunction> tf;
  for (int k = 0; k < 256; k += 15) {
    double rgb[3];
    lut->GetTableValue(k, rgb);
    tf->AddRGBPoint(lo + (hi - lo) * k / 255.0, rgb[0], rgb[1], rgb[2]);
  }
  double top[3];
  lut->GetTableValue(255, top);
  tf->AddRGBPoint(hi, top[0], top[1], top[2]);
  tf->SetNanColor(0.85, 0.85, 0.85);

  HeadlessDisplay display;
  const auto view = NewChartView(opt.width, opt.height);
  vtkNew<vtkChartHistogram2D> chart;
  view->GetScene()->AddItem(chart);
  chart->SetInputData(img);
  chart->SetTransferFunction(tf);
  chart->SetTitle(opt.y + " over " + opt.x + " and " + opt.by + " (grey: no successful scenario)");
  chart->GetTitleProperties()->SetFontSize(18);
  chart->GetAxis(vtkAxis::BOTTOM)->SetTitle(opt.x);
  chart->GetAxis(vtkAxis::LEFT)->SetTitle(opt.by);
  SetCategoryTicks(chart->GetAxis(vtkAxis::BOTTOM), lx);
  SetCategoryTicks(chart->GetAxis(vtkAxis::LEFT), lb);
  for (int a : {vtkAxis::BOTTOM, vtkAxis::LEFT}) {
    chart->GetAxis(a)->GetTitleProperties()->SetFontSize(15);
    chart->GetAxis(a)->GetLabelProperties()->SetFontSize(13);
  }
  if (auto* legend = vtkColorLegend::SafeDownCast(chart->GetLegend())) legend->SetTitle(opt.y.c_str());
  chart->SetShowLegend(true);
  WriteWindowPng(view->GetRenderWindow(), opt.output_png);
}

}  // namespace

void RenderPlot(const PlotOptions& opt) {
  const SummaryTable t = ReadSummary(opt.results_file);
  const int cx = Column(t, opt.x, opt.results_file), cy = Column(t, opt.y, opt.results_file);
  const int cb = opt.by.empty() ? -1 : Column(t, opt.by, opt.results_file);
  if (opt.heatmap) {
    if (cb < 0) throw InputError("plot --heatmap needs --by: the second swept parameter (e.g. --by surface)");
    RenderHeatmap(opt, t, cx, cy, cb);
    return;
  }
  std::map<std::string, std::vector<std::pair<double, double>>> groups;  // by-value -> (x, y)
  for (const auto& row : t.rows) {
    if (row[1] != "ok") continue;  // failed scenarios are not plotted
    groups[cb < 0 ? opt.y : row[cb]].push_back({Number(row[cx], opt.x), Number(row[cy], opt.y)});
  }
  if (groups.empty()) throw InputError(opt.results_file + ": no successful scenario to plot");
  if (groups.size() > std::size(kColors))
    throw InputError("plot: --by " + opt.by + " has " + std::to_string(groups.size()) + " values; at most " +
                     std::to_string(std::size(kColors)) + " lines");
  HeadlessDisplay display;
  const auto view = NewChartView(opt.width, opt.height);
  vtkNew<vtkChartXY> chart;
  view->GetScene()->AddItem(chart);
  chart->SetTitle(opt.y + " against " + opt.x + (opt.by.empty() ? "" : ", by " + opt.by));
  chart->GetTitleProperties()->SetFontSize(18);
  chart->GetAxis(vtkAxis::BOTTOM)->SetTitle(opt.x);
  chart->GetAxis(vtkAxis::LEFT)->SetTitle(opt.y);
  std::vector<vtkSmartPointer<vtkTable>> tables;
  size_t k = 0;
  for (auto& [label, pts] : groups) {
    std::sort(pts.begin(), pts.end());
    auto table = vtkSmartPointer<vtkTable>::New();
    vtkNew<vtkFloatArray> x, y;
    x->SetName(opt.x.c_str());
    y->SetName((opt.by.empty() ? label : opt.by + " = " + label).c_str());
    table->AddColumn(x);
    table->AddColumn(y);
    table->SetNumberOfRows(static_cast<vtkIdType>(pts.size()));
    for (size_t i = 0; i < pts.size(); ++i) {
      table->SetValue(static_cast<vtkIdType>(i), 0, pts[i].first);
      table->SetValue(static_cast<vtkIdType>(i), 1, pts[i].second);
    }
    vtkPlot* line = chart->AddPlot(vtkChart::LINE);
    line->SetInputData(table, 0, 1);
    line->SetColor(kColors[k][0], kColors[k][1], kColors[k][2], 255);
    line->SetWidth(3.0f);
    if (auto* pp = vtkPlotPoints::SafeDownCast(line)) pp->SetMarkerStyle(vtkPlotPoints::CIRCLE);
    tables.push_back(table);
    ++k;
  }
  chart->SetShowLegend(true);
  chart->GetLegend()->SetHorizontalAlignment(vtkChartLegend::RIGHT);
  chart->GetLegend()->SetVerticalAlignment(vtkChartLegend::TOP);
  WriteWindowPng(view->GetRenderWindow(), opt.output_png);
}

}  // namespace sl::viz
