// SIGINT/SIGTERM for programs: block them in every thread, then wait for one in the main thread.
#pragma once

#include <csignal>

namespace overworld {

/// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts afterwards.
/// Call before starting threads.
sigset_t block_stop_signals() noexcept;

/// Waits for SIGINT or SIGTERM (blocked by block_stop_signals) and returns which one came.
int wait_for_stop_signal(sigset_t const& signals) noexcept;

}  // namespace overworld
