#include "viz/png_output.h"

#include <vtkContextView.h>
#include <vtkImageData.h>
#include <vtkRenderer.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkWindowToImageFilter.h>

#include <filesystem>
#include <stdexcept>

namespace sl::viz {

void WriteWindowPng(vtkRenderWindow* window, const std::string& path) {
  window->Render();
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  grab->ReadFrontBufferOff();
  grab->Update();
  WriteImagePng(grab->GetOutput(), path);
}

vtkSmartPointer<vtkContextView> NewChartView(int width, int height) {
  auto view = vtkSmartPointer<vtkContextView>::New();
  view->GetRenderWindow()->SetSize(width, height);
  view->GetRenderWindow()->SetOffScreenRendering(1);
  view->GetRenderer()->SetBackground(1, 1, 1);
  return view;
}

void WriteImagePng(vtkImageData* image, const std::string& path) {
  vtkNew<vtkPNGWriter> png;
  png->SetFileName(path.c_str());
  png->SetInputData(image);
  png->Write();
  if (!std::filesystem::exists(path)) throw std::runtime_error("could not write " + path);
}

}  // namespace sl::viz
