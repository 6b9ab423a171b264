#include "viz/plot.h"

#include <vtkAxis.h>
#include <vtkChartLegend.h>
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
#include <map>
#include <stdexcept>

#include "cli/results_file.h"
#include "models/yaml_util.h"
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

}  // namespace

void RenderPlot(const PlotOptions& opt) {
  const SummaryTable t = ReadSummary(opt.results_file);
  const int cx = Column(t, opt.x, opt.results_file), cy = Column(t, opt.y, opt.results_file);
  const int cb = opt.by.empty() ? -1 : Column(t, opt.by, opt.results_file);
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
  vtkNew<vtkContextView> view;
  view->GetRenderWindow()->SetSize(opt.width, opt.height);
  view->GetRenderWindow()->SetOffScreenRendering(1);
  view->GetRenderer()->SetBackground(1, 1, 1);
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
