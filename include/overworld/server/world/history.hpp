// Ended invasions, kept in a database and served newest first in pages; and the silly meter, so
// that a restart does not cut a reward short. Two implementations behind one interface: a SQLite
// file per node (world.sqlite) and PostgreSQL shared by every node (tables `world_*`).
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/server/world/silly_meter.hpp>
#include <overworld/server/world/tracker.hpp>

#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace overworld::store {
struct postgres_options;
}

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

/// An ended invasion as kept; `id` orders the history (newest highest) and is the paging cursor.
struct stored_invasion {
  std::int64_t id = 0;
  std::string invasion_id;  ///< unique: the same end seen twice (two nodes) is kept once
  std::string district;
  std::string district_id;
  std::string cog;
  std::string department;
  bool skelecog = false;
  bool v2 = false;
  bool mega = false;
  std::int64_t defeated = 0;
  std::int64_t total = 0;
  std::int64_t started_at = 0;
  std::int64_t ended_at = 0;

  friend bool operator==(stored_invasion const&, stored_invasion const&) = default;
};

/// The row an ended invasion makes (id 0: the database numbers it).
stored_invasion stored_from(ended_invasion const& ended);

struct history_page {
  std::vector<stored_invasion> invasions;  ///< newest first
  bool more = false;                       ///< older ones remain: `next` is the last id
};

/// {"invasions":[…],"next":"<cursor>"|null}
std::string to_json(history_page const& page);

/// Everything a history holds: what `overworld-server admin migrate` copies.
struct history_contents {
  std::vector<stored_invasion> invasions;  ///< oldest first, ids kept
  std::optional<silly_saved> meter;

  friend bool operator==(history_contents const&, history_contents const&) = default;
};

class invasion_history {
 public:
  virtual ~invasion_history() = default;

  /// Queues the ended invasions for writing (a worker thread does the work); an invasion id
  /// already kept is ignored.
  virtual void record(std::vector<ended_invasion> ended) = 0;
  /// At most `limit`, with ids below `before`, newest first. errc::data_corrupt once the database
  /// is found damaged, errc::unavailable while the server cannot be reached, errc::io_error on
  /// other failures. Runs on a worker thread; resumes on the caller's executor.
  virtual boost::asio::awaitable<result<history_page>> page(std::int64_t limit, std::optional<std::int64_t> before) = 0;
  /// Queues the silly meter's state for writing (one row, replaced: the last writer wins).
  virtual void save_meter(silly_saved meter) = 0;
  /// The silly meter as last saved, if ever (read on the calling thread, at start).
  virtual std::optional<silly_saved> load_meter() = 0;
  /// Waits for queued writes (tests, shutdown).
  virtual void flush() = 0;

  /// Everything kept (blocking; admin commands). Read it while nothing writes.
  virtual result<history_contents> contents() = 0;
  /// Fills an empty history with `contents` in one transaction, every id kept (new rows are
  /// numbered after the highest). errc::invalid_argument, and nothing written, when the history
  /// already holds an invasion or a meter.
  virtual result<void> load(history_contents const& contents) = 0;
};

/// The history in a SQLite file (WAL), one per node.
result<std::unique_ptr<invasion_history>> open_sqlite_history(std::filesystem::path const& file, std::string& why);
/// The history on PostgreSQL, shared by every node. Writes that fail while the server cannot be
/// reached are kept (at most `history_backlog_limit` invasions, the oldest dropped first) and
/// written once it answers.
result<std::unique_ptr<invasion_history>> open_postgres_history(store::postgres_options const& options,
                                                                std::string& why);

/// Ended invasions a PostgreSQL history holds back while the server is away.
inline constexpr std::size_t history_backlog_limit = 10'000;

}  // namespace overworld::world
