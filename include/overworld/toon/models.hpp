// The normalised models of the Toontown Rewritten and Corporate Clash APIs. Both games describe
// the same world (districts, their population, cog invasions) in different shapes; these models
// say it once: cog names without TTR's U+0003, skelecog / version 2.0 / mega as fields rather than
// decorations of a string, progress as numbers, TTCC's "None" as no invasion. Every top-level
// model keeps the body the API sent in `json`, so nothing the models do not know yet is lost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::toon {

// ---- cogs -----------------------------------------------------------------------------------

enum class department { unknown, bossbot, lawbot, cashbot, sellbot };
std::string_view to_string(department d) noexcept;
/// "bossbot", "Bossbot", or the one-letter SuitDNA code (c, l, m, s) as field offices send it.
department department_from_string(std::string_view s) noexcept;
/// The department of a cog by its (normalised) name: the 32 cogs of Toontown, TTR's spelling
/// plus common variants ("Backstabber", "Yes Man"). department::unknown for anything else (TTCC
/// has cogs of its own).
department department_of(std::string_view cog) noexcept;

/// A cog as an invasion names it, decorations taken apart.
struct cog_type {
  std::string name;  ///< "Telemarketer": no U+0003, no "Version 2.0 ", no " (Skelecog)"
  department dept = department::unknown;
  bool skelecog = false;
  bool v2 = false;  ///< "Version 2.0"
};

/// Reads TTR's invasion `type` (or TTCC's `cogs_attacking`): strips U+0003, and recognises
/// "Version 2.0 " in front and " (Skelecog)" behind.
cog_type parse_cog(std::string_view type);
/// Removes U+0003 (the soft-break marker TTR's localizer leaves in "Tele\u0003marketer").
std::string strip_soft_breaks(std::string_view text);

// ---- districts and invasions ----------------------------------------------------------------

/// TTR's statusByDistrict values; TTCC's `online` false is `offline`.
enum class district_status { unknown, online, offline, draining, closed };
std::string_view to_string(district_status s) noexcept;
district_status district_status_from_string(std::string_view s) noexcept;

/// TTR's sentinel total for a mega invasion ("0/1000000").
inline constexpr std::int64_t mega_invasion_total = 1'000'000;

struct invasion {
  std::string district;
  cog_type cog;
  std::string type;  ///< the cog as the API sent it (TTR `type`, TTCC `cogs_attacking`), U+0003 included
  bool mega = false;
  std::int64_t defeated = 0;               ///< cogs already defeated (TTR: despawned)
  std::optional<std::int64_t> total;       ///< size of the invasion; nullopt for a mega invasion
  std::int64_t as_of = 0;                  ///< unix seconds of the district's last report (TTCC: last_update)
  std::optional<std::int64_t> started_at;  ///< unix seconds, when the API says (Overworld's v2)
  /// Unix seconds when the district's own timer ends the invasion (TTCC: last_update +
  /// remaining_time).
  std::optional<std::int64_t> ends_at;
  /// Cogs defeated per minute, when the API or the watcher measured it.
  std::optional<double> defeat_rate;
  /// Unix seconds when the invasion is expected to end: the earlier of `ends_at` and what
  /// `defeat_rate` gives for the cogs left (Overworld's v2 sends its own estimatedEnd). nullopt
  /// for a mega invasion or without either.
  std::optional<std::int64_t> estimated_end;
  std::string id;  ///< Overworld's invasion id (v2); empty from TTR and TTCC

  /// total - defeated (0 when unknown or mega).
  std::int64_t remaining() const noexcept;
  /// defeated / total in [0, 1]; nullopt for a mega invasion.
  std::optional<double> fraction() const noexcept;
};

struct district {
  std::string name;
  district_status status = district_status::unknown;
  std::optional<std::int64_t> population;   ///< nullopt when the API did not say
  std::optional<std::int64_t> last_update;  ///< unix seconds of the district's last report, when known
  std::optional<toon::invasion> invasion;
};

/// TTR /api/invasions.
struct invasion_list {
  std::int64_t last_updated = 0;    ///< when the web layer last asked the districts
  std::vector<invasion> invasions;  ///< in the order of the document
  std::string json;
};

/// TTR /api/population (populationByDistrict and statusByDistrict joined by name).
struct population {
  std::int64_t last_updated = 0;
  std::int64_t total = 0;
  std::vector<district> districts;  ///< without invasions; status unknown where statusByDistrict lacks it
  std::string json;
};

/// The districts of a game with their invasions: TTR's population and invasions merged, TTCC's
/// districts list, or Overworld's /api/v2/districts.
struct district_list {
  std::int64_t last_updated = 0;  ///< TTR: the later lastUpdated; TTCC: the newest last_update
  std::vector<district> districts;
  std::string json;  ///< TTR: {"population":…,"invasions":…}; otherwise the body as sent
};

// ---- Toontown Rewritten ---------------------------------------------------------------------

/// TTR /api/status.
struct game_status {
  bool open = false;
  std::optional<std::string> banner;
  std::string json;
};

/// One of TTR /api/fieldoffices.
struct field_office {
  int zone = 0;
  std::string street;  ///< "Walrus Way" for 3100…; empty for a zone not in the list
  department dept = department::unknown;
  int difficulty = 0;  ///< zero-indexed as sent: the stars shown are difficulty + 1
  int annexes = 0;     ///< annexes remaining
  bool open = false;
  std::optional<std::int64_t> expiring;  ///< unix seconds when groups get kicked after the last annex
};

struct field_office_list {
  std::int64_t last_updated = 0;
  std::vector<field_office> offices;  ///< by zone
  std::string json;
};

/// A doodle for sale in a playground (TTR /api/doodles: district → playground → doodles).
/// Its picture: https://rendition.toontownrewritten.com/render/{dna}/doodle/256x256.png
struct doodle {
  std::string district;
  std::string playground;
  std::string dna;
  std::vector<std::string> traits;
  std::int64_t cost = 0;  ///< jellybeans
};

struct doodle_list {
  std::vector<doodle> doodles;  ///< in the answer's order (district, playground, doodle)
  std::string json;
};

enum class silly_state { unknown, active, reward, inactive };
std::string_view to_string(silly_state s) noexcept;

/// TTR /api/sillymeter.
struct silly_meter {
  silly_state state = silly_state::unknown;
  std::int64_t hp = 0;
  std::vector<std::string> rewards;
  std::vector<std::string> reward_descriptions;
  std::optional<std::string> winner;
  std::vector<std::optional<std::int64_t>> reward_points;  ///< empty when the API sends null
  std::int64_t next_update = 0;                            ///< unix seconds
  std::int64_t as_of = 0;
  std::string json;
};

/// TTR /api/news, /api/news/{id}, an element of /api/news/list.
struct news_post {
  std::int64_t id = 0;
  std::string title;
  std::string author;
  std::string body;                       ///< HTML
  std::string date;                       ///< as sent: "June 15, 2025 at 12:00 PM"
  std::optional<std::int64_t> date_unix;  ///< `date` read as UTC, when it has that form
  std::string image;
  std::string json;  ///< this post's JSON
};

struct news_list {
  std::vector<news_post> posts;
  std::string json;
};

/// TTR /api/releasenotes (without body) and /api/releasenotes/{id} (with body).
struct release_note {
  std::int64_t id = 0;
  std::string slug;
  std::string date;
  std::optional<std::int64_t> date_unix;
  std::optional<std::string> body;  ///< HTML; only from /api/releasenotes/{id}
  std::string json;
};

struct release_note_list {
  std::vector<release_note> notes;
  std::string json;
};

/// TTR's login states (`success`).
enum class login_state { failure, success, partial, delayed };
std::string_view to_string(login_state s) noexcept;

/// A TTR /api/login answer. All values come as strings on the wire; numbers are read here.
struct ttr_login {
  login_state state = login_state::failure;
  std::string banner;                    ///< failure and partial: what to show
  std::string response_token;            ///< partial: send back as authToken with the user's appToken
  std::string gameserver;                ///< success: TTR_GAMESERVER (may include a port)
  std::string cookie;                    ///< success: TTR_PLAYCOOKIE
  std::string manifest;                  ///< success: a path under https://cdn.toontownrewritten.com
  std::optional<std::int64_t> eta;       ///< delayed: seconds
  std::optional<std::int64_t> position;  ///< delayed: place in the queue
  std::string queue_token;               ///< delayed: send back to poll the queue (kept from earlier replies)
  std::string json;                      ///< the body as sent (JSON, or key=value lines)
};

// ---- Corporate Clash ------------------------------------------------------------------------

/// TTCC /api/v1/game_info.js.
struct game_info {
  std::int64_t toons = 0;  ///< num_toons
  bool production_closed = false;
  std::string production_closed_reason;
  std::string version;
  std::string json;
};

/// An element of TTCC /api/v1/launcher/news[/{id}].
struct article {
  std::int64_t id = 0;
  std::string author;
  std::string posted;  ///< as sent: "2018-03-09 22:30:33" or ISO 8601
  std::optional<std::int64_t> posted_unix;
  std::string title;
  std::string summary;
  std::string category;
  std::string image_url;  ///< empty when not sent
  std::string json;       ///< this article's JSON
};

struct article_list {
  std::vector<article> articles;
  std::string json;
};

/// TTCC /api/v1/launcher/version/.
struct launcher_version {
  std::string version;
  std::string json;
};

/// TTCC login reasons.
enum class login_reason {
  unknown = 0,
  success = 1000,
  terminated = 1002,  ///< 10 or more moderation points
  banned = 1003,      ///< friendly reason says how many hours are left
  maintenance = 1004,
  invalid_credentials = 1005,  ///< "invalid token": unknown account or wrong password
  rate_limited = 429,
};
std::string_view to_string(login_reason r) noexcept;

/// A TTCC /api/v1/login/ answer (also its 429 and 4xx answers, which share the shape).
struct ttcc_login {
  bool status = false;
  int reason_code = 0;  ///< as sent
  login_reason reason = login_reason::unknown;
  std::string friendly_reason;
  std::string token;  ///< success: TT_PLAYCOOKIE, valid for about two minutes
  unsigned http_status = 0;
  std::optional<std::int64_t> retry_after;  ///< seconds, from a 429's Retry-After
  std::string json;
};

/// An answer of TTCC's launcher v1 token API (/api/launcher/v1/register, login, revoke_self).
struct launcher_token_answer {
  bool status = false;     ///< true: registered, logged in, or revoked
  bool bad_token = false;  ///< the launcher token is unknown, revoked or malformed (HTTP 401)
  bool toonstep = false;   ///< the account needs two-step verification, which this API cannot carry
  int reason_code = 0;     ///< register: the v1 login's reason (1000, 1002–1005)
  login_reason reason = login_reason::unknown;
  std::string message;
  std::string token;               ///< register: the launcher token; login: a game token (TT_PLAYCOOKIE)
  std::optional<std::int64_t> id;  ///< register: the token's id
  unsigned http_status = 0;
  std::optional<std::int64_t> retry_after;  ///< seconds, from a 429's Retry-After
  std::string json;
};

}  // namespace overworld::toon
