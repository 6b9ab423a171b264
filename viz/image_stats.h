// Pixel statistics of a PNG (for tests and checks; keeps VTK out of callers).
#pragma once

#include <string>

namespace sl::viz {

struct ImageStats {
  int width = 0, height = 0;
  double mean = 0, stddev = 0;  ///< over all channels, 0..255
  double checksum = 0;          ///< sum of (index+1) x value, a cheap content fingerprint
};

/// Throws std::runtime_error if the file is not a readable PNG.
ImageStats ReadPngStats(const std::string& path);

}  // namespace sl::viz
