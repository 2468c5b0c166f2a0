// The game's calendar in UTC, as unix seconds: months, trophy seasons (they end on the last Monday
// of the month at 05:00), ranked league weeks (from Monday 05:00), raid weekends (Friday 07:00 to
// Monday 07:00), the Clan War League week at the start of each month, the gold pass (a month from
// the 1st at 08:00), and the API's two time formats. Pure functions: the world's state at a time is
// computed from them, so it is the same however the time was reached.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::sandbox::calendar {

inline constexpr std::int64_t minute = 60;
inline constexpr std::int64_t hour = 3600;
inline constexpr std::int64_t day = 86400;
inline constexpr std::int64_t week = 7 * day;

/// "20230528T144240.000Z", as wars, raids and the gold pass write times.
std::string api_time(std::int64_t t);
/// "2026-03-11T18:14:44Z", as ranked league groups write times.
std::string iso_time(std::int64_t t);
/// Unix seconds from "1773032400", "2026-03-01T00:00:00Z" or "20260301T000000.000Z"; nullopt for
/// anything else.
std::optional<std::int64_t> parse_time(std::string_view text);
/// "2026-02-23", the id of the Legend League season that ended that day.
std::string date_id(std::int64_t t);
/// "2026-03", the id of a CWL season.
std::string month_id(std::int64_t t);

/// 00:00 on the 1st of the month of `t`, and `n` months later (or earlier).
std::int64_t month_start(std::int64_t t);
std::int64_t add_months(std::int64_t month, int n);
/// Months since January 1970 (a number for each month).
std::int64_t month_index(std::int64_t t);

/// The trophy season's end in the month that starts at `month`: its last Monday, 05:00.
std::int64_t season_end_in(std::int64_t month);
/// The last season end at or before `t`.
std::int64_t season_end_before(std::int64_t t);

/// The ranked league week (Monday 05:00) that `t` is in; its start is the week's leagueSeasonId.
std::int64_t ranked_week(std::int64_t t);

/// The raid weekend that started last at or before `t` (Friday 07:00); it ends 3 days later.
std::int64_t raid_weekend(std::int64_t t);
inline constexpr std::int64_t raid_length = 3 * day;

/// The Clan War League of the month that starts at `month`: the group forms on the 1st, round r
/// (1 to 7) prepares from the 2nd + r - 1 days for a day and fights the next day; the group has
/// ended after the seventh round and is gone on the 11th.
struct cwl_week {
  std::int64_t formed, first_round, ended, gone;
  std::int64_t preparation(int round) const { return first_round + (round - 1) * day; }
  std::int64_t battle(int round) const { return preparation(round) + day; }
  std::int64_t end(int round) const { return preparation(round) + 2 * day; }
};
inline constexpr int cwl_rounds = 7;
cwl_week cwl_of(std::int64_t month);

/// The gold pass season that `t` is in: from the 1st at 08:00 to the next 1st at 08:00.
struct span {
  std::int64_t start, end;
};
span gold_pass(std::int64_t t);

}  // namespace overworld::sandbox::calendar
