// Pieces every Clash of Clans model shares: what a model keeps of the JSON it does not know
// (`extra_fields`), the JSON text a top-level model came from (`raw_json`), badge and icon URLs
// (game_text.hpp), labels, locations, leagues, paging cursors and the paged `list<T>`.
//
// Conventions of every model: members are the API's fields in snake_case; a field the API may
// leave out is std::optional (a JSON array too: absent and empty are different answers); fields
// the model does not know, and known fields whose value it cannot hold (null, an enum value added
// after this SDK), are kept in `extra` as (key, raw JSON text) so that to_json() gives back every
// field that came in.
#pragma once

#include <overworld/coc/models/game_text.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overworld::coc {

/// Fields a model did not read into a member: the key (unescaped) and the value's raw JSON text.
using extra_fields = std::vector<std::pair<std::string, std::string>>;

/// The raw JSON text of `key` in `extra`, if the model kept one.
std::optional<std::string_view> find_extra(extra_fields const& extra, std::string_view key) noexcept;

/// The JSON a top-level model was decoded from, shared rather than copied. Models decoded from an
/// API answer also say whether it came from the cache and how long it stays fresh.
class raw_json {
 public:
  raw_json() = default;
  raw_json(std::shared_ptr<std::string const> text, std::chrono::seconds max_age = std::chrono::seconds{0},
           bool from_cache = false) noexcept
      : text_(std::move(text)), max_age_(max_age), from_cache_(from_cache) {}

  /// The whole JSON text; empty for a model that was not decoded on its own (a list's item).
  std::string_view text() const noexcept { return text_ ? std::string_view{*text_} : std::string_view{}; }
  bool empty() const noexcept { return !text_ || text_->empty(); }
  std::chrono::seconds max_age() const noexcept { return max_age_; }
  bool from_cache() const noexcept { return from_cache_; }

 private:
  std::shared_ptr<std::string const> text_;
  std::chrono::seconds max_age_{0};
  bool from_cache_ = false;
};

/// A JSON number the API writes either as an integer or as a decimal (a war clan's
/// destructionPercentage is `100`, `100.0` or `87.5`): the value, and the form to write it back in.
struct json_number {
  double value = 0;
  bool integer = false;  ///< written without a fraction (`100`)

  operator double() const noexcept { return value; }  // NOLINT(google-explicit-constructor)
};

struct badge_urls {
  std::optional<asset_url> small;
  std::optional<asset_url> medium;
  std::optional<asset_url> large;
  extra_fields extra;
};

struct icon_urls {
  std::optional<asset_url> tiny;
  std::optional<asset_url> small;
  std::optional<asset_url> medium;
  std::optional<asset_url> large;
  extra_fields extra;
};

/// A clan or player label (/labels/clans ids 56000000+, /labels/players ids 57000000+).
struct label {
  std::int64_t id = 0;
  std::string name;
  std::optional<coc::icon_urls> icon_urls;
  extra_fields extra;
};

struct location {
  std::int64_t id = 0;
  std::string name;
  bool is_country = false;
  std::optional<std::string> country_code;
  std::optional<std::string> localized_name;
  extra_fields extra;
  raw_json raw;
};

struct language {
  std::int64_t id = 0;
  std::string name;
  std::string language_code;
  extra_fields extra;
};

/// Any league of the API: legacy trophy leagues (29000000+), league tiers (105000000+), war
/// leagues (48000000+), capital leagues (85000000+) and builder base leagues (44000000+). They
/// share one shape; only trophy leagues and tiers carry icons.
struct league {
  std::int64_t id = 0;
  std::string name;
  std::optional<coc::icon_urls> icon_urls;
  extra_fields extra;
  raw_json raw;
};
using league_tier = league;
using war_league = league;
using capital_league = league;
using builder_base_league = league;

/// A Legend League season id ("2015-07").
struct league_season {
  std::string id;
  extra_fields extra;
};

struct paging_cursors {
  std::optional<std::string> before;  ///< absent on the first page
  std::optional<std::string> after;   ///< absent on the last page
  extra_fields extra;
};

struct paging_info {
  std::optional<paging_cursors> cursors;
  extra_fields extra;
};

/// A paged list answer: `{"items":[…],"paging":{"cursors":{"after":"…"}}}`. Pass
/// `paging->cursors->after` as `coc::paging::after` to get the next page.
template <class T>
struct list {
  std::vector<T> items;
  std::optional<paging_info> paging;
  extra_fields extra;
  raw_json raw;
};

/// A player's home (the builder hut decorations shown beside the name).
struct player_house_element {
  std::int64_t id = 0;
  std::string type;  ///< "ground", "roof", "walls", "decoration", …
  extra_fields extra;
};

struct player_house {
  std::optional<std::vector<player_house_element>> elements;
  extra_fields extra;
};

}  // namespace overworld::coc
