// Rendering needs an X display (Debian's VTK 9.1 renders through GLX only). When DISPLAY is
// not set, a private Xvfb is started for the lifetime of this object and stopped afterwards.
#pragma once

#include <string>
#include <sys/types.h>

namespace sl::viz {

class HeadlessDisplay {
 public:
  /// Uses $DISPLAY if set; otherwise starts Xvfb. Throws std::runtime_error with the
  /// package to install if Xvfb is missing or does not start.
  HeadlessDisplay();
  ~HeadlessDisplay();
  HeadlessDisplay(const HeadlessDisplay&) = delete;
  HeadlessDisplay& operator=(const HeadlessDisplay&) = delete;
  /// The display in use (":N").
  const std::string& display() const { return display_; }
  bool started_xvfb() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  std::string display_;
};

}  // namespace sl::viz
