// Test support for the Toontown SDK: the fixtures, and a scripted server whose routes answer what
// a test says, recording what they were asked.
#pragma once

#include "support/data.hpp"
#include "support/scripted_server.hpp"

#include <overworld/toon/poller.hpp>

#include <overworld/http/router.hpp>

#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace overworld::toon::testing {

/// The recorded Toontown answers (tests/data/toon).
inline std::string fixtures_dir() { return overworld::testing::toon_fixtures_dir().string(); }

inline std::string fixture(std::string const& name) {
  return overworld::testing::read_data_file(overworld::testing::toon_fixtures_dir() / name);
}

using overworld::testing::scripted_server;
using overworld::testing::seen_request;

/// Polling options for tests: short back-off, no jitter surprises, no client-side limit.
inline polling_options quick_polling() {
  polling_options o;
  o.backoff.initial = std::chrono::milliseconds{10};
  o.backoff.max = std::chrono::milliseconds{50};
  o.max_wait = std::chrono::milliseconds{2'000};
  o.http.connect_timeout = std::chrono::milliseconds{2'000};
  o.http.read_timeout = std::chrono::milliseconds{5'000};
  o.http.total_timeout = std::chrono::milliseconds{10'000};
  o.backoff.random = [] { return 1.0; };
  return o;
}

}  // namespace overworld::toon::testing
