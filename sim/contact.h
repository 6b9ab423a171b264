// Point contact against a compliant ground through one to three layers in series.
#pragma once

#include "sim/data.h"
#include "sim/kinematics.h"
#include "sim/model.h"

namespace sl {

/// Elastic force k d^p of one layer (N) and its energy k d^(p+1)/(p+1) (J).
double LayerElasticForce(const ContactLayer& L, double d_m);
double LayerElasticEnergy(const ContactLayer& L, double d_m);

/// Splits a total penetration d between two series layers so their elastic forces are equal.
/// Returns the deflection of layer 0; layer 1 takes d minus it.
double SplitSeriesDeflection(const ContactLayer& L0, const ContactLayer& L1, double d_m);

/// Splits a total penetration d between n (1..3) series layers so their elastic forces are
/// equal; writes each layer's deflection (m) to out[0..n-1] (summing to d).
void SplitSeriesDeflections(const ContactLayer* layers, int n, double d_m, double* out);

/// Whether the law acts: by penetration (kAuto), or forced on/off while an integrator
/// differentiates the forces (so a finite-difference probe does not jump across touchdown).
enum class ContactMode : signed char { kAuto = -1, kOff = 0, kOn = 1 };

/// Normal and friction force for the contact point on body B. Pure. p_WA: the point's
/// tangential anchor (ContactPoint::tangential_stiffness_N_m > 0), or null when it has none
/// yet (the spring then carries no force).
ContactOutput CalcContact(const ContactPoint& c, const Terrain& terrain, const BodyKinematics& B,
                          ContactMode mode = ContactMode::kAuto, const Vec3* p_WA = nullptr);

/// Computes the contact and adds its force to the body.
void ApplyContact(const ContactPoint& c, const Terrain& terrain, const BodyKinematics& B,
                  ContactMode mode, const Vec3* p_WA, ContactOutput& out, Vec3& f_B_W,
                  Vec3& tau_B_W);

/// The anchor of contact i in data, or null when it has none.
inline const Vec3* ContactAnchor(const Data& d, size_t i) {
  return d.contact_anchored[i] ? &d.contact_anchor_W[i] : nullptr;
}

/// After a step, at the state's positions: anchors each penetrating point with tangential
/// stiffness where it touched down, drags its anchor so the spring's tangential offset stays
/// within mu Fn / k_t (Fn from the last force evaluation, data.contacts), and releases it once
/// the point has left the surface.
void UpdateContactAnchors(const Model& m, Data& d);

}  // namespace sl
