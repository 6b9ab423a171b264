#include "viz/colormap.h"

#include <vtkLookupTable.h>

#include <algorithm>
#include <array>
#include <vector>

namespace sl::viz {
namespace {

using Rgb = std::array<double, 3>;

vtkSmartPointer<vtkLookupTable> Interpolated(const std::vector<Rgb>& anchors, double lo, double hi) {
  auto lut = vtkSmartPointer<vtkLookupTable>::New();
  const int n = 256;
  lut->SetNumberOfTableValues(n);
  lut->SetTableRange(lo, hi > lo ? hi : lo + 1.0);
  for (int i = 0; i < n; ++i) {
    const double u = static_cast<double>(i) / (n - 1) * static_cast<double>(anchors.size() - 1);
    const size_t k = std::min(static_cast<size_t>(u), anchors.size() - 2);
    const double a = u - static_cast<double>(k);
    lut->SetTableValue(i, anchors[k][0] + a * (anchors[k + 1][0] - anchors[k][0]),
                       anchors[k][1] + a * (anchors[k + 1][1] - anchors[k][1]),
                       anchors[k][2] + a * (anchors[k + 1][2] - anchors[k][2]), 1.0);
  }
  lut->SetNanColor(0.6, 0.6, 0.6, 1.0);
  lut->UseBelowRangeColorOff();
  lut->UseAboveRangeColorOff();
  lut->Build();
  return lut;
}

}  // namespace

vtkSmartPointer<vtkLookupTable> ViridisTable(double lo, double hi) {
  // viridis sampled at 0, 0.1, ..., 1 (values of matplotlib's listed colour map)
  static const std::vector<Rgb> kViridis = {{0.267, 0.005, 0.329}, {0.283, 0.141, 0.458}, {0.254, 0.265, 0.530},
                                            {0.207, 0.372, 0.553}, {0.164, 0.471, 0.558}, {0.128, 0.567, 0.551},
                                            {0.135, 0.659, 0.518}, {0.267, 0.749, 0.441}, {0.478, 0.821, 0.318},
                                            {0.741, 0.873, 0.150}, {0.993, 0.906, 0.144}};
  return Interpolated(kViridis, lo, hi);
}

vtkSmartPointer<vtkLookupTable> RedsTable(double lo, double hi) {
  static const std::vector<Rgb> kReds = {{0.996, 0.878, 0.824}, {0.988, 0.573, 0.447}, {0.871, 0.176, 0.149},
                                         {0.404, 0.0, 0.051}};
  return Interpolated(kReds, lo, hi);
}

}  // namespace sl::viz
