// Colour maps for magnitudes (no rainbow): viridis for disc loads, a sequential light-to-dark
// red for muscle tension. Perceptually ordered, readable in grey scale and by colour-blind
// viewers.
#pragma once

#include <vtkSmartPointer.h>

class vtkLookupTable;

namespace sl::viz {

/// Viridis (matplotlib's default, van der Walt & Smith 2015) over [lo, hi].
vtkSmartPointer<vtkLookupTable> ViridisTable(double lo, double hi);

/// Sequential reds (light pink to dark red) over [lo, hi], for muscle tension.
vtkSmartPointer<vtkLookupTable> RedsTable(double lo, double hi);

}  // namespace sl::viz
