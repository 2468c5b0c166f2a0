// Immutable snapshots: every endpoint's body serialised once per tick, with its ETag and headers,
// so a GET only hands out shared bytes.
#pragma once

#include <overworld/server/world/tracker.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace overworld::world {

/// Game-wide state that is not per district (TTR /api/status, TTCC game_info).
struct game_status {
  bool open = true;
  std::string banner;   ///< maintenance message; empty for none
  std::string version;  ///< TTCC game_info `version`
};

enum class endpoint : std::size_t {
  ttr_invasions,      // GET /api/invasions
  ttr_population,     // GET /api/population
  ttr_status,         // GET /api/status
  ttcc_districts_v1,  // GET /api/v1/districts/
  ttcc_districts_js,  // GET /api/v1/districts.js
  ttcc_game_info,     // GET /api/v1/game_info.js
  v2_districts,       // GET /api/v2/districts
  v2_invasions,       // GET /api/v2/invasions
  ttr_fieldoffices,   // GET /api/fieldoffices
  ttr_sillymeter,     // GET /api/sillymeter
  ttr_doodles,        // GET /api/doodles
  count
};

struct published {
  std::shared_ptr<std::string const> body;
  std::shared_ptr<std::string const> headers;  ///< ETag, Last-Modified, CORS, pre-formatted
  std::string etag;
  std::string content;  ///< the body without its timestamp: unchanged content keeps the old body
};

struct snapshot {
  std::array<published, static_cast<std::size_t>(endpoint::count)> bodies;
  clock::wall_time taken{};
  clock::steady_time next{};  ///< when the next snapshot is due (for max-age)
  std::uint64_t sequence = 0;

  published const& get(endpoint e) const { return bodies[static_cast<std::size_t>(e)]; }
};

/// One invasion in the v2 format (also the data of stream events).
std::string v2_invasion_json(district_view const& d);

/// Serialises every endpoint. Bodies whose content did not change since `previous` are reused
/// as they were (same bytes, same ETag), so conditional GETs keep answering 304. `silly_meter` is
/// the meter's own body (silly_meter::json); empty gives TTR's error body. `stale` adds
/// "stale":true to the v2 bodies (a node that cannot reach the districts' shared reports).
std::shared_ptr<snapshot const> build_snapshot(std::vector<district_view> const& districts, game_status const& game,
                                               clock::wall_time now, clock::steady_time next, snapshot const* previous,
                                               std::string const& silly_meter = {}, bool stale = false);

}  // namespace overworld::world
