// Bytes to models: one parser per response shape, used by the clients and usable on their own
// (saved responses, fixtures, a body fetched some other way). They read with simdjson On-Demand,
// ignore members they do not know, accept values of the types the APIs have been seen to send
// (numbers as strings in TTR's login, TTCC's `invasion_online` as "true"), and fail with
// errc::parse_error when a member the model needs is missing or of a type nobody sends.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/toon/models.hpp>

#include <optional>
#include <string_view>

namespace overworld::toon {

// ---- Toontown Rewritten ----
/// /api/invasions; also accepts the bare `invasions` object (district → invasion) that some
/// libraries save. An {"error":"…"} envelope is errc::not_found with `api_error` set to the text.
result<invasion_list> parse_ttr_invasions(std::string_view json, std::string* api_error = nullptr);
result<population> parse_ttr_population(std::string_view json, std::string* api_error = nullptr);
result<game_status> parse_ttr_status(std::string_view json);
result<field_office_list> parse_ttr_field_offices(std::string_view json);
result<silly_meter> parse_ttr_silly_meter(std::string_view json, std::string* api_error = nullptr);
/// One post (/api/news, /api/news/{id}); the literal `null` is errc::not_found.
result<news_post> parse_ttr_news_post(std::string_view json);
result<news_list> parse_ttr_news_list(std::string_view json);
/// /api/releasenotes/{id}; {"error":"Unknown release note"} is errc::not_found.
result<release_note> parse_ttr_release_note(std::string_view json);
result<release_note_list> parse_ttr_release_notes(std::string_view json);
/// A login answer as JSON (`?format=json`), or as the `key=value` lines TTR sends without it
/// (also the `{key=value, …}` form launchers print).
result<ttr_login> parse_ttr_login(std::string_view body);
/// Population and invasions joined into one list of districts (districts that only appear in
/// the invasions are kept, with status unknown).
district_list merge_ttr(population const& pop, invasion_list const& inv);

/// The street of a field office's zone id ("Walrus Way" for 3100), empty if unknown.
std::string_view field_office_street(int zone) noexcept;
/// TTR's news and release-note dates, "June 15, 2025 at 12:00 PM", as unix seconds (UTC).
std::optional<std::int64_t> parse_ttr_date(std::string_view text) noexcept;

// ---- Corporate Clash ----
/// /api/v1/districts/ and /api/v1/districts.js: a district with `online` false is offline (one
/// without `online`, as in 2018, is online); `cogs_attacking` "None" or `invasion_online` false
/// is no invasion; ends_at = last_update + remaining_time.
result<district_list> parse_ttcc_districts(std::string_view json);
result<game_info> parse_ttcc_game_info(std::string_view json);
/// News is always an array, even for one id.
result<article_list> parse_ttcc_news(std::string_view json);
result<launcher_version> parse_ttcc_version(std::string_view json);
/// {"status","reason","friendlyreason","token"}; `http_status` is recorded in the result.
result<ttcc_login> parse_ttcc_login(std::string_view json, unsigned http_status = 200);
/// /api/doodles: district → playground → [{dna, traits, cost}].
result<doodle_list> parse_ttr_doodles(std::string_view json);
/// An answer of /api/launcher/v1/register, login or revoke_self, or their 401
/// {"error":"Unauthorized","bad_token":true}.
result<launcher_token_answer> parse_launcher_token_answer(std::string_view json, unsigned http_status = 200);
/// "2018-03-09 22:30:33" or "2022-08-08T10:00:00.000Z" as unix seconds (UTC).
std::optional<std::int64_t> parse_ttcc_date(std::string_view text) noexcept;

// ---- Overworld's extensions (overworld-server only) ----
/// /api/v2/districts: {"lastUpdated","districts":[{"id","name","status","population","lastReport","invasion"}]}.
result<district_list> parse_v2_districts(std::string_view json);
/// One v2 invasion object, as /api/v2/invasions lists them and the event stream sends them.
result<invasion> parse_v2_invasion(std::string_view json);

}  // namespace overworld::toon
