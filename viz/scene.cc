#include "viz/scene.h"

#include <vtkActor.h>
#include <vtkArrowSource.h>
#include <vtkCamera.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkPlaneSource.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkTubeFilter.h>

#include "viz/shapes.h"

namespace sl::viz {
namespace {


void AddColoured(vtkRenderer* ren, vtkPolyData* pd, vtkAlgorithmOutput* port, const char* array, vtkLookupTable* lut) {
  vtkNew<vtkPolyDataMapper> mapper;
  if (port) mapper->SetInputConnection(port);
  else mapper->SetInputData(pd);
  mapper->SetLookupTable(lut);
  mapper->SetScalarModeToUseCellFieldData();
  mapper->SelectColorArray(array);
  mapper->SetUseLookupTableScalarRange(true);
  mapper->ScalarVisibilityOn();
  vtkNew<vtkActor> actor;
  actor->SetMapper(mapper);
  actor->GetProperty()->SetSpecular(0.2);
  ren->AddActor(actor);
}

}  // namespace

void AddSkeletonActors(vtkRenderer* ren, const SkeletonFrame& f, vtkLookupTable* disc_bw, vtkLookupTable* tension_N,
                       double context_opacity) {
  for (vtkPolyData* pd : {f.vertebrae.Get(), f.bones.Get()}) {
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(pd);
    mapper->ScalarVisibilityOff();
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(0.91, 0.87, 0.78);  // bone white
    actor->GetProperty()->SetSpecular(0.15);
    if (pd == f.bones.Get()) actor->GetProperty()->SetOpacity(context_opacity);
    ren->AddActor(actor);
  }
  AddColoured(ren, f.discs, nullptr, "compression_bw", disc_bw);
  {
    vtkNew<vtkTubeFilter> tubes;
    tubes->SetInputData(f.muscles);
    tubes->SetRadius(0.0045);
    tubes->SetNumberOfSides(10);
    tubes->CappingOn();
    AddColoured(ren, nullptr, tubes->GetOutputPort(), "tension_N", tension_N);
  }
  // GRF arrows: one per loaded foot, from the sole along the force.
  vtkNew<vtkArrowSource> arrow;
  arrow->SetTipResolution(16);
  arrow->SetShaftResolution(16);
  for (vtkIdType c = 0; c < f.grf->GetNumberOfCells(); ++c) {
    double a[3], b[3];
    f.grf->GetPoint(2 * c, a);
    f.grf->GetPoint(2 * c + 1, b);
    const Vec3 pa(a[0], a[1], a[2]), d = Vec3(b[0], b[1], b[2]) - pa;
    if (d.norm() < 1e-6) continue;
    Mat3 R = AxisFrame(d, Vec3::UnitX());  // local y along the force ...
    Mat3 Rx;
    Rx.col(0) = R.col(1);  // ... the arrow source points along its local x
    Rx.col(1) = -R.col(0);
    Rx.col(2) = R.col(2);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(Place(arrow, Rx, pa, Vec3(d.norm(), 0.30, 0.30)));
    mapper->ScalarVisibilityOff();
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(0.0, 0.45, 0.70);  // Okabe-Ito blue
    ren->AddActor(actor);
  }
  // Ground patch (z = 0 around the pelvis; the level plane, camber and trail relief not drawn).
  double bounds[6];
  f.bones->GetBounds(bounds);
  vtkNew<vtkPlaneSource> ground;
  const double cx = 0.5 * (bounds[0] + bounds[1]), cy = 0.5 * (bounds[2] + bounds[3]);
  ground->SetOrigin(cx - 1.2, cy - 0.6, 0);
  ground->SetPoint1(cx + 1.2, cy - 0.6, 0);
  ground->SetPoint2(cx - 1.2, cy + 0.6, 0);
  vtkNew<vtkPolyDataMapper> gm;
  gm->SetInputConnection(ground->GetOutputPort());
  vtkNew<vtkActor> ga;
  ga->SetMapper(gm);
  ga->GetProperty()->SetColor(0.80, 0.80, 0.78);
  ga->GetProperty()->SetAmbient(0.5);
  ren->AddActor(ga);
}

void AimCamera(vtkRenderer* ren, View view, const Vec3& focus, double half_height_m) {
  vtkCamera* cam = ren->GetActiveCamera();
  cam->ParallelProjectionOn();
  cam->SetFocalPoint(focus.x(), focus.y(), focus.z());
  if (view == View::kSagittal) cam->SetPosition(focus.x(), focus.y() - 5.0, focus.z());  // from the right: forward is to the right
  else cam->SetPosition(focus.x() + 5.0, focus.y(), focus.z());                          // from ahead
  cam->SetViewUp(0, 0, 1);
  cam->SetParallelScale(half_height_m);
  ren->ResetCameraClippingRange();
}

void AddColourBar(vtkRenderer* ren, vtkLookupTable* lut, const char* title, double x, double y, double w, double h) {
  vtkNew<vtkScalarBarActor> bar;
  bar->SetLookupTable(lut);
  bar->SetTitle(title);
  bar->SetNumberOfLabels(5);
  bar->SetLabelFormat("%.1f");
  bar->SetOrientationToVertical();
  bar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  bar->GetPositionCoordinate()->SetValue(x, y);
  bar->SetWidth(w);
  bar->SetHeight(h);
  bar->SetUnconstrainedFontSize(true);
  bar->SetVerticalTitleSeparation(8);
  for (vtkTextProperty* t : {bar->GetTitleTextProperty(), bar->GetLabelTextProperty()}) {
    t->SetColor(0.1, 0.1, 0.1);
    t->SetFontSize(14);
    t->BoldOff();
    t->ItalicOff();
    t->ShadowOff();
  }
  ren->AddActor2D(bar);
}

void AddText(vtkRenderer* ren, const std::string& text, double x, double y, int size, bool bold, const double* rgb) {
  vtkNew<vtkTextActor> t;
  t->SetInput(text.c_str());
  t->GetTextProperty()->SetFontSize(size);
  if (rgb) t->GetTextProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
  else t->GetTextProperty()->SetColor(0.1, 0.1, 0.1);
  t->GetTextProperty()->SetBold(bold);
  t->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  t->GetPositionCoordinate()->SetValue(x, y);
  ren->AddActor2D(t);
}

}  // namespace sl::viz
