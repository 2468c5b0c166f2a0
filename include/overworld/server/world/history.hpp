// Ended invasions, kept in SQLite and served newest first in pages; and the silly meter, so that
// a restart does not cut a reward short.
#pragma once

#include <overworld/server/world/silly_meter.hpp>
#include <overworld/server/world/tracker.hpp>
#include <overworld/store/sqlite.hpp>

#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace overworld::world {

struct ended_invasion {
  district_view district;     ///< as last seen with the invasion running
  std::int64_t ended_at = 0;  ///< unix seconds
};

/// Decides, tick by tick, which invasions are over. An invasion that vanishes because its district
/// fell silent is held back: the district may come back with it still running, and recording it
/// then would keep a premature end (the id is unique, so the real one could not replace it).
class invasion_ends {
 public:
  /// The invasions over between two consecutive views: ended, replaced, or in a district that was
  /// dropped or came back without them (these end when their district was last heard from).
  std::vector<ended_invasion> update(std::vector<district_view> const& previous,
                                     std::vector<district_view> const& current, std::int64_t now_unix);
  std::size_t held() const noexcept { return silenced_.size(); }

 private:
  std::map<std::string, district_view, std::less<>> silenced_;
};

class invasion_history {
 public:
  static result<std::unique_ptr<invasion_history>> open(std::filesystem::path const& file, std::string& why);

  /// Queues the ended invasions for writing (the database thread does the work).
  void record(std::vector<ended_invasion> ended);
  /// {"invasions":[…],"next":"<cursor>"|null}: at most `limit`, with ids below `before`.
  /// errc::data_corrupt once the database is found damaged, errc::io_error on other failures.
  boost::asio::awaitable<result<std::string>> page_json(std::int64_t limit, std::optional<std::int64_t> before);
  /// Queues the silly meter's state for writing (one row, replaced).
  void save_meter(silly_saved meter);
  /// The silly meter as last saved, if ever (read on the calling thread, at start).
  std::optional<silly_saved> load_meter();
  /// Waits for queued writes (tests, shutdown).
  void flush();

 private:
  std::unique_ptr<store::sqlite_database> db_;
};

}  // namespace overworld::world
