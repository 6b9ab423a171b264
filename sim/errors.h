// Error types. User-input and model-definition errors (ModelError) are kept apart from
// run-time failures of a simulation (SimulationError) and from internal invariants (SL_ASSERT).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace sl {

/// A model definition breaks a documented rule (names the element, field, value, allowed range).
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A simulation failed while running: non-finite or diverging state.
class SimulationError : public std::runtime_error {
 public:
  SimulationError(const std::string& what, double t_s, std::string element)
      : std::runtime_error(what), t_s_(t_s), element_(std::move(element)) {}
  double time_s() const { return t_s_; }
  const std::string& element() const { return element_; }

 private:
  double t_s_;
  std::string element_;
};

}  // namespace sl

/// Internal invariant: a failure is a bug in strideload, not in the user's input.
#define SL_ASSERT(cond)                                                                  \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "strideload internal error: %s at %s:%d\n", #cond, __FILE__, \
                   __LINE__);                                                            \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
