#include "viz/headless.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace sl::viz {
namespace {
std::string FindXvfb() {
  for (const char* p : {"/usr/bin/Xvfb", "/usr/local/bin/Xvfb"})
    if (access(p, X_OK) == 0) return p;
  return "";
}
}  // namespace

HeadlessDisplay::HeadlessDisplay() {
  if (const char* d = std::getenv("DISPLAY"); d && *d) {
    display_ = d;
    return;
  }
  const std::string xvfb = FindXvfb();
  if (xvfb.empty())
    throw std::runtime_error("rendering needs an X display: DISPLAY is not set and Xvfb is not installed "
                             "(install it with: apt-get install xvfb)");
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("cannot create a pipe for Xvfb");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("cannot start Xvfb (fork failed)");
  if (pid_ == 0) {
    close(fds[0]);
    const int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(devnull, 2);
    }
    const std::string fd = std::to_string(fds[1]);
    execl(xvfb.c_str(), "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "2048x2048x24", "-nolisten", "tcp",
          "-noreset", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string num;
  char c;
  // Xvfb writes the display number and a newline once it accepts connections.
  while (read(fds[0], &c, 1) == 1 && c != '\n') num += c;
  close(fds[0]);
  if (num.empty()) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("Xvfb did not start (is the xvfb package complete? try: apt-get install xvfb xauth)");
  }
  display_ = ":" + num;
  setenv("DISPLAY", display_.c_str(), 1);
}

HeadlessDisplay::~HeadlessDisplay() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    unsetenv("DISPLAY");
  }
}

}  // namespace sl::viz
