#include <overworld/core/signals.hpp>

#include <pthread.h>

namespace overworld {

sigset_t block_stop_signals() noexcept {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_stop_signal(sigset_t const& signals) noexcept {
  int sig = 0;
  sigwait(&signals, &sig);
  return sig;
}

}  // namespace overworld
