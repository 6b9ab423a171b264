// Grabbing a rendered window into a PNG file: shared by every figure the viz/ commands draw.
#pragma once

#include <vtkSmartPointer.h>

#include <string>

class vtkContextView;
class vtkImageData;
class vtkRenderWindow;

namespace sl::viz {

/// Renders `window` and writes its back buffer to `path` (PNG). Throws std::runtime_error
/// when the file was not written (e.g. the directory does not exist).
void WriteWindowPng(vtkRenderWindow* window, const std::string& path);

/// A white, off-screen chart view of the given size (every 2-D figure starts from one).
vtkSmartPointer<vtkContextView> NewChartView(int width, int height);

/// Writes an already grabbed image (e.g. a vtkWindowToImageFilter's output) to `path`.
void WriteImagePng(vtkImageData* image, const std::string& path);

}  // namespace sl::viz
