#include "viz/image_stats.h"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGReader.h>

#include <cmath>
#include <stdexcept>

namespace sl::viz {

ImageStats ReadPngStats(const std::string& path) {
  vtkNew<vtkPNGReader> reader;
  if (!reader->CanReadFile(path.c_str())) throw std::runtime_error(path + ": not a readable PNG");
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkImageData* img = reader->GetOutput();
  int dims[3];
  img->GetDimensions(dims);
  ImageStats s;
  s.width = dims[0];
  s.height = dims[1];
  const int nc = img->GetNumberOfScalarComponents();
  const auto* p = static_cast<const unsigned char*>(img->GetScalarPointer());
  const size_t n = static_cast<size_t>(dims[0]) * dims[1] * nc;
  double sum = 0, sum2 = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += p[i];
    sum2 += static_cast<double>(p[i]) * p[i];
    s.checksum += static_cast<double>((i % 9973) + 1) * p[i];
  }
  s.mean = sum / n;
  s.stddev = std::sqrt(std::max(0.0, sum2 / n - s.mean * s.mean));
  return s;
}

}  // namespace sl::viz
