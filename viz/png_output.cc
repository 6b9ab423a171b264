#include "viz/png_output.h"

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
  vtkNew<vtkPNGWriter> png;
  png->SetFileName(path.c_str());
  png->SetInputConnection(grab->GetOutputPort());
  png->Write();
  if (!std::filesystem::exists(path)) throw std::runtime_error("could not write " + path);
}

}  // namespace sl::viz
