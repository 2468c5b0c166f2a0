// Made-up worlds for large tests and benchmarks, complete enough for every operation of the API:
// clans and their members (and a few players without a clan), wars between pairs of clans with
// their war logs, Clan War League groups of eight, raid weekends, rankings of every kind, Legend
// League seasons and the gold pass, all as they are at the world's start time.
#include "build.hpp"
#include "drawing.hpp"
#include "entities.hpp"
#include "league.hpp"
#include "reference.hpp"

#include <chrono>

namespace overworld::sandbox {

using namespace detail;

namespace {

/// Adds the generated clans to the plan as a part of their own: pairs for wars (both with five
/// members or more), groups of eight for the league (fifteen members or more).
void plan_part(dataset& data, std::vector<std::string> const& clans, std::size_t members,
               std::vector<std::string> clanless, std::int64_t location) {
  auto& plan = data.plan.write();
  auto const first = static_cast<std::uint32_t>(plan.clans.size());
  plan.parts.push_back({first, first + static_cast<std::uint32_t>(clans.size()), location});
  auto const part = static_cast<std::uint32_t>(plan.parts.size() - 1);
  for (auto const& tag : clans) plan.clans.push_back({tag, world_plan::none, world_plan::none, part});
  if (members >= 5) {
    for (std::uint32_t i = first; i + 1 < plan.clans.size(); i += 2) {
      plan.clans[i].partner = i + 1;
      plan.clans[i + 1].partner = i;
    }
  }
  if (members >= 15) {
    for (std::uint32_t i = first; i + 8 <= plan.clans.size(); i += 8) {
      std::array<std::uint32_t, 8> group{};
      for (std::uint32_t k = 0; k < 8; ++k) {
        group[k] = i + k;
        plan.clans[i + k].cwl_group = static_cast<std::uint32_t>(plan.cwl_groups.size());
      }
      plan.cwl_groups.push_back(group);
    }
  }
  for (auto& tag : clanless) plan.clanless.push_back(std::move(tag));
}

}  // namespace

void generate_into(dataset& data, generator_options const& options) {
  data.seed = options.seed;
  auto const now =
      options.start_time != 0
          ? options.start_time
          : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  data.made_at = now;
  ensure_reference(data, options.location_id);
  references const refs{data};
  world_builder builder{data, refs};
  auto const location = refs.location(options.location_id);
  // Tags far above the recorded ones, and disjoint between clans and players.
  std::uint64_t const clan_base = 0x2000'0000ULL + options.seed * 0x100'0000ULL;
  std::uint64_t const player_base = 0x8'0000'0000ULL + options.seed * 0x1000'0000ULL;
  std::vector<std::string> clans;
  std::uint64_t next_player = 0;
  for (std::size_t c = 0; c < options.clans; ++c) {
    auto const tag = tag_from_id(clan_base + c);
    auto& clan = builder.clan(tag);
    clan.name = "Sandbox Clan " + std::to_string(c + 1);
    clan.location = location;
    clan.wanted = static_cast<std::int64_t>(options.members_per_clan);
    for (std::size_t m = 0; m < options.members_per_clan; ++m, ++next_player) {
      auto const player = tag_from_id(player_base + next_player);
      builder.assign(tag, player);
      builder.player(player).name = "Player " + std::to_string(next_player + 1);
    }
    clans.push_back(tag);
  }
  // One player in twenty is between clans, and may join one as time moves.
  std::vector<std::string> clanless;
  for (std::size_t i = 0; i < options.clans * options.members_per_clan / 20; ++i, ++next_player) {
    auto const player = tag_from_id(player_base + next_player);
    builder.player(player).name = "Player " + std::to_string(next_player + 1);
    clanless.push_back(player);
  }
  builder.write(now);

  auto const first_clan = data.plan->clans.size();
  auto const first_group = data.plan->cwl_groups.size();
  plan_part(data, clans, options.members_per_clan, std::move(clanless), options.location_id);
  draw_wars(data, first_clan, now);
  draw_cwl(data, first_group, now);
  draw_raids(data, data.plan->parts.size() - 1, now);
  draw_rankings(data, clans, options.location_id);
  draw_seasons(data, clans, now);
}

}  // namespace overworld::sandbox
