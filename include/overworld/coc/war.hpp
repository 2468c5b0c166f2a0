// The war a clan is really in. /clans/{tag}/currentwar only knows regular wars: during Clan War
// League it answers notInWar (or the warEnded of the last regular war, which can overlap the first
// CWL preparation day), and the CWL war is found through the league group's rounds, whose war tags
// are "#0" until the round is drawn. This resolver asks both and picks:
//   1. a regular war in preparation or in war;
//   2. otherwise, when the clan is in a CWL group, the clan's war of the latest round that is in
//      war (or, when only a preparation round has started, that one);
//   3. otherwise the regular answer as it is (notInWar, warEnded), or its error (a private war log
//      when the clan is not in CWL either).
// The league group answers 404 outside the CWL week; that is "not in CWL", not an error.
#pragma once

#include <overworld/coc/client.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace overworld::coc {

enum class war_source { none, regular, league };

struct resolved_war {
  war_source source = war_source::none;  ///< none: the clan is in no war (state notInWar)
  std::string state;                     ///< preparation, inWar, warEnded, notInWar
  std::string war_tag;                   ///< the CWL war's tag; empty for a regular war
  unsigned round = 0;                    ///< the CWL round (1-based); 0 for a regular war
  std::optional<raw_response> war;       ///< the war's answer (/currentwar or /clanwarleagues/wars/…)
};

/// The war of `clan_tag` now, through `c` (its cache keeps repeated lookups cheap).
boost::asio::awaitable<api_result<resolved_war>> resolve_current_war(client& c, std::string clan_tag);

}  // namespace overworld::coc
