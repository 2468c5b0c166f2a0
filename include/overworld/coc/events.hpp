// The events engine: watch clans, players, wars (Clan War League included), CWL groups, raid
// weekends and the API itself, and get what changed as events.
//
//   coc::client client{options};
//   coc::events::engine events{client};
//   events.watch_clan("#2PP");
//   events.watch_war("#2PP");
//   events.on({coc::events::kind::member_join}, [](coc::events::event const& e) { greet(e.name); });
//   events.start();   // polls on the client's thread until stop() or the engine's destruction
//
// How it polls. Each watched resource is ONE request per poll (a war: the war resolver, which
// asks /currentwar and, in the league week, the league group and its wars), however many
// handlers listen. A resource is polled again when its answer's max-age runs out (never sooner
// than `min_interval`), so the client's cache and the API's edge cache are never asked for what
// cannot have changed. Requests go through the client (cache, single-flight, key limiter,
// retries) and the engine adds a cap of its own: `max_requests_per_second` (default: what the key
// pool allows, keys × key_limiter_options::rate). Failures push the resource back (doubling from
// `error_backoff` up to `max_backoff`), or by their Retry-After; a clan that answers 404 keeps
// being watched that way. A private war log outside the league week is a state of the war (""),
// and a league group's 404 (not in the league this week) a state of the group.
//
// Events are diffs of decoded models: the first poll of a resource only records where it stands;
// each later poll compares. Handlers run on the engine's handler threads, never on the client's:
// each handler has a queue of `queue_limit` events, and a handler that falls behind loses the
// newest events beyond it (counted in metrics().dropped), so a slow handler never delays polling
// or the other handlers' queues. A handler is a callback or a coroutine (a function taking the
// event BY VALUE and returning boost::asio::awaitable<void>; the engine awaits each call before
// the next event of that handler).
#pragma once

#include <overworld/coc/api.hpp>
#include <overworld/core/clock.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::coc::events {

namespace detail {
struct engine_state;
}

/// Every event the engine makes. Names (name_of) are the snake_case of the enumerator.
enum class kind : std::uint8_t {
  // A watched clan (watch_clan).
  member_join,       ///< tag, name: the new member
  member_leave,      ///< tag, name: who left
  member_role,       ///< tag, name; before/after: the roles (member, admin, coLeader, leader)
  member_donations,  ///< tag, name; before/after: troops donated this season (only rises; a reset is no event)
  member_received,   ///< tag, name; before/after: troops received this season (only rises)
  clan_level,        ///< before/after: the levels
  clan_name,         ///< before/after: the names
  clan_description,  ///< before/after: the descriptions
  clan_badge,        ///< before/after: the medium badge URLs
  clan_type,         ///< before/after: open, inviteOnly, closed
  clan_location,     ///< before/after: the location names
  clan_war_log,      ///< before/after: "true"/"false": whether the war log is public
  // A watched player (watch_player).
  player_trophies,      ///< before/after
  player_town_hall,     ///< before/after: the levels
  player_builder_hall,  ///< before/after: the levels
  player_league,        ///< before/after: the league (tier) names
  player_name,          ///< before/after
  player_clan,          ///< before/after: the clan tags ("" outside a clan); name: the new clan's (or old's)
  player_hero,          ///< item: the hero; before/after: levels (0: newly unlocked)
  player_troop,         ///< item: the troop; before/after: levels
  player_spell,         ///< item: the spell; before/after: levels
  player_achievement,   ///< item: the achievement; before/after: its value; stars: its stars now
  // A watched clan's current war (watch_war), regular or Clan War League.
  war_new,          ///< a war that was not seen before: tag, name of the opponent; war_tag, round for CWL
  war_state,        ///< before/after: notInWar, preparation, inWar, warEnded
  war_attack,       ///< tag, name: attacker; defender; stars, destruction, order; team: clan or opponent
  cwl_round_start,  ///< round, war_tag: the clan's war of a new CWL round is its current war
  cwl_round_end,    ///< round, war_tag: that war ended (or the next round's took its place)
  // A watched clan's CWL group (watch_league_group).
  cwl_group_state,  ///< before/after: the group's state (preparation, inWar, ended; "" when not in one)
  cwl_round_drawn,  ///< round: a round's war tags were drawn (its preparation day began)
  // A watched clan's raid weekends (watch_raids).
  raid_weekend_start,  ///< item: the weekend's start time
  raid_attack,         ///< tag, name: the raider; before/after: their attacks; loot: resources looted since
  raid_weekend_end,    ///< item: the weekend's start time; loot: the capital total loot
  // The API itself (watch_api; maintenance is also seen by every other poll).
  maintenance_start,  ///< the API answered 503 inMaintenance
  maintenance_end,    ///< the API answered again
  season_end,         ///< item: the Legend League season that ended ("2026-03")
};

/// Every kind, in the order above.
std::span<kind const> all_kinds() noexcept;
/// "member_join", …
std::string_view name_of(kind k) noexcept;
/// The kind of a name; nullopt for a name the engine does not make.
std::optional<kind> kind_named(std::string_view name) noexcept;
/// What a kind's resource is: clan, player, war, cwl, raids or api.
std::string_view subject_of(kind k) noexcept;

struct event {
  events::kind kind = kind::member_join;
  std::string watched;   ///< the tag of the watched resource (a clan or player); empty for the API
  std::string tag;       ///< who or what changed (a member, the player, an attacker, an opponent)
  std::string name;      ///< its name
  std::string item;      ///< a hero, troop, spell or achievement; a raid weekend; a season
  std::string before;    ///< the value before (text; numbers in decimal)
  std::string after;     ///< the value now
  bool numeric = false;  ///< before and after are integers
  // Attacks (war_attack) and CWL rounds.
  std::string defender;
  std::string team;  ///< "clan": an attack by the watched clan; "opponent": against it
  int stars = 0;
  int destruction = 0;
  int order = 0;
  std::int64_t loot = 0;
  std::string war_tag;  ///< a CWL war's tag
  unsigned round = 0;   ///< a CWL round (1-based)
  /// When the poll's answer arrived (the engine's clock), and how long after the resource was
  /// due (its previous answer expired) the event reached the handler queues.
  clock::wall_time seen{};
  std::chrono::milliseconds lag{0};
};

/// One line for people: "member_join #2PP: #8QQ Bob joined". No colour, no newline.
std::string describe(event const& e);
/// One JSON object (no newline): {"event":"member_join","watched":"#2PP","tag":"#8QQ",…}; fields
/// that do not apply to the kind are left out; numeric before/after are JSON numbers.
std::string to_json(event const& e);

struct engine_options {
  /// Requests per second the engine allows itself; 0: the key pool's (keys × limiter rate).
  double max_requests_per_second = 0;
  /// Polls running at once (each is one request, a war up to a few).
  std::size_t max_in_flight = 64;
  /// The most resources watched at once; a watch beyond it is refused (watch_* returns false).
  std::size_t max_resources = 100'000;
  /// The least time between two polls of a resource, whatever its max-age.
  std::chrono::milliseconds min_interval{1'000};
  /// After a failure: the first push back, doubled at each failure in a row up to max_backoff.
  std::chrono::milliseconds error_backoff{5'000};
  std::chrono::milliseconds max_backoff{300'000};
  /// Events a handler may have waiting; beyond, new events for it are dropped and counted.
  std::size_t queue_limit = 10'000;
  /// Threads the handlers run on. Each handler gets its events in order, one at a time; a callback
  /// that blocks holds up its own queue and one of these threads, never the polls.
  std::size_t handler_threads = 1;
  /// The longest the poll loop sleeps before it looks at its clock again (an injected clock that a
  /// test moves is noticed within this; wake() notices at once).
  std::chrono::milliseconds tick{1'000};
  clock const* time = nullptr;  ///< nullptr: the client's clock (client_options::time), else clock::system()
};

struct engine_metrics {
  std::size_t watched = 0;         ///< resources watched
  std::uint64_t polls = 0;         ///< polls finished (successful or not)
  std::uint64_t failed_polls = 0;  ///< polls that ended in an error
  std::uint64_t events = 0;        ///< events made (each counted once, whatever the handlers)
  std::uint64_t dropped = 0;       ///< events lost to full handler queues
  double polls_per_second = 0;     ///< since start() (or the first step())
  double events_per_second = 0;
  std::chrono::milliseconds lag_max{0};  ///< the largest event lag seen
  std::chrono::milliseconds lag_mean{0};
  bool maintenance = false;  ///< the API is in maintenance, as last seen
};

using callback = std::function<void(event const&)>;
using coroutine = std::function<boost::asio::awaitable<void>(event)>;
/// Errors of polls (a resource that answers 404, a private war log, timeouts), for logs.
using error_callback = std::function<void(std::string_view watched, sdk::error const&)>;

class engine {
 public:
  /// The client must outlive the engine. Nothing is polled before start() or step().
  explicit engine(coc::client& client, engine_options options = engine_options());
  ~engine();  ///< stops polling and the handler thread; events still queued are dropped
  engine(engine const&) = delete;
  engine& operator=(engine const&) = delete;

  // What to watch; a resource watched twice is polled once. False: the tag is not a tag, or
  // max_resources is reached. Any thread.
  bool watch_clan(std::string_view tag);
  bool watch_player(std::string_view tag);
  bool watch_war(std::string_view clan_tag);
  bool watch_league_group(std::string_view clan_tag);
  bool watch_raids(std::string_view clan_tag);
  bool watch_api();
  /// Stops watching every resource of that tag (clan, war, group, raids or player).
  void unwatch(std::string_view tag);

  /// Handlers for `kinds` (empty: every kind). Add them before start(). Any thread.
  /// `queue_limit`: this handler's own limit (0: engine_options::queue_limit).
  void on(std::vector<kind> const& kinds, callback handler, std::size_t queue_limit = 0);
  void on(std::vector<kind> const& kinds, coroutine handler, std::size_t queue_limit = 0);
  void on_error(error_callback handler);

  /// Polls in the background on the client's thread until stop().
  void start();
  void stop();
  /// Polls every resource that is due by the engine's clock now, waits for the answers and queues
  /// their events, in a fixed order (by resource, then the order each diff found them): what a
  /// test driving a manual clock calls instead of start(). Blocks; not on the client's thread.
  void step();
  /// Makes a running poll loop look at its clock now (after a test moved it).
  void wake();

  engine_metrics metrics() const;
  /// The metrics as Prometheus text (names start with `prefix`).
  std::string prometheus_text(std::string_view prefix = "overworld_coc_events") const;

 private:
  std::shared_ptr<detail::engine_state> impl_;  // shared with the polls in flight
};

}  // namespace overworld::coc::events
