// Ended invasions, kept in SQLite and served newest first in pages.
#pragma once

#include <overworld/server/world/tracker.hpp>
#include <overworld/store/sqlite.hpp>

#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace overworld::world {

class invasion_history {
 public:
  static result<std::unique_ptr<invasion_history>> open(std::filesystem::path const& file, std::string& why);

  /// Queues the ended invasions for writing (the database thread does the work).
  void record(std::vector<district_view> ended, std::int64_t ended_at);
  /// {"invasions":[…],"next":"<cursor>"|null}: at most `limit`, with ids below `before`.
  boost::asio::awaitable<std::string> page_json(std::int64_t limit, std::optional<std::int64_t> before);
  /// Waits for queued writes (tests, shutdown).
  void flush();

 private:
  std::unique_ptr<store::sqlite_database> db_;
};

/// The districts of `previous` whose invasion is over in `current` (ended, replaced or dropped).
std::vector<district_view> ended_invasions(std::vector<district_view> const& previous,
                                           std::vector<district_view> const& current);

}  // namespace overworld::world
