// strideload command line. Interim main job: the spine-chain reference run.
#include <cstdio>
#include <exception>

#include "models/spine_chain.h"

int main() {
  try {
    using namespace sl;
    const auto ref = spine_chain::ReadReference(spine_chain::ReferencePath());
    const auto r = spine_chain::Run(DefaultIntegratorOptions(), ref);
    std::printf("spine-chain reference run (%s, %ld steps)\n", IntegratorName(DefaultIntegratorOptions().kind), r.steps);
    for (const auto& row : r.rows)
      std::printf("t = %.2f s  pelvis z = %.6f m  HAT z = %.6f m  peak Fn L/R = %.1f / %.1f N\n", row.t_s,
                  row.p_WB[0].z(), row.p_WB[6].z(), row.peak_fn_left_N, row.peak_fn_right_N);
    std::printf("max COM error vs Simbody: %.3g m; peak force error %.3g %%\n", r.max_com_error_m,
                100 * r.max_peak_force_rel_error);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strideload: %s\n", e.what());
    return 1;
  }
}
