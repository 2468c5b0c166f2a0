#include <overworld/coc/tags.hpp>
#include <overworld/coc/war.hpp>

#include <simdjson.h>

#include <vector>

namespace overworld::coc {
namespace {

namespace od = simdjson::ondemand;
namespace asio = boost::asio;

using result_type = api_result<resolved_war>;

result_type failed(error e) { return result_type{boost::system::in_place_error, std::move(e)}; }

// The fields of a war answer the resolver decides on.
struct war_facts {
  std::string state;
  std::string clan;      // clan.tag
  std::string opponent;  // opponent.tag
};

std::optional<war_facts> read_war(std::string_view body) {
  simdjson::padded_string padded{body};
  od::parser parser;
  od::document doc;
  od::object top;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(top)) return std::nullopt;
  war_facts f;
  for (auto field : top) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return std::nullopt;
    std::string_view text;
    if (key == "state") {
      if (field.value().get_string().get(text)) return std::nullopt;
      f.state = text;
    } else if (key == "clan" || key == "opponent") {
      od::object side;
      if (field.value().get_object().get(side)) continue;
      if (side["tag"].get_string().get(text) == simdjson::SUCCESS) (key == "clan" ? f.clan : f.opponent) = text;
    }
  }
  if (f.state.empty()) return std::nullopt;
  return f;
}

// The drawn war tags of each round ("#0": not drawn yet), and the group's state.
struct group_facts {
  std::string state;
  std::vector<std::vector<std::string>> rounds;
};

std::optional<group_facts> read_group(std::string_view body) {
  simdjson::padded_string padded{body};
  od::parser parser;
  od::document doc;
  od::object top;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(top)) return std::nullopt;
  group_facts g;
  for (auto field : top) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return std::nullopt;
    if (key == "state") {
      std::string_view text;
      if (field.value().get_string().get(text)) return std::nullopt;
      g.state = text;
    } else if (key == "rounds") {
      od::array rounds;
      if (field.value().get_array().get(rounds)) return std::nullopt;
      for (auto round : rounds) {
        od::array tags;
        auto& drawn = g.rounds.emplace_back();
        if (round["warTags"].get_array().get(tags)) continue;
        for (auto t : tags) {
          std::string_view tag;
          if (t.get_string().get(tag) == simdjson::SUCCESS && tag != "#0" && !tag.empty()) drawn.emplace_back(tag);
        }
      }
    }
  }
  return g;
}

bool same_tag(std::string_view a, std::string_view b) {
  auto x = parse_tag(a);
  auto y = parse_tag(b);
  return x && y && *x == *y;
}

resolved_war regular(raw_response r, war_facts const& f) {
  resolved_war w;
  w.source = f.state == "notInWar" ? war_source::none : war_source::regular;
  w.state = f.state;
  w.war = std::move(r);
  return w;
}

}  // namespace

asio::awaitable<result_type> resolve_current_war(client& c, std::string clan_tag) {
  auto regular_op = c.current_war(clan_tag);
  auto current = co_await std::move(regular_op);
  std::optional<war_facts> current_facts;
  if (current) {
    current_facts = read_war(current->body());
    if (!current_facts) co_return failed(decode_error("/currentwar", "the current war answer has no state"));
    if (current_facts->state == "preparation" || current_facts->state == "inWar") {
      co_return regular(std::move(*current), *current_facts);
    }
  } else if (current.error().kind != error_kind::private_war_log) {
    co_return failed(current.error());
  }

  // Not in a regular war (or a private log): the CWL group, if the clan is in one this week.
  auto group_op = c.league_group(clan_tag);
  auto group = co_await std::move(group_op);
  if (!group) {
    if (group.error().kind != error_kind::not_found) co_return failed(group.error());
    if (!current) co_return failed(current.error());
    co_return regular(std::move(*current), *current_facts);
  }
  auto facts = read_group(group->body());
  if (!facts) co_return failed(decode_error("/currentwar/leaguegroup", "the league group has no readable rounds"));

  // From the newest drawn round back: the first round whose war is in war wins; a round in
  // preparation is kept in case no earlier round is in war (the first day of the league).
  std::optional<resolved_war> preparing;
  for (auto round = facts->rounds.size(); round-- > 0;) {
    for (auto const& tag : facts->rounds[round]) {
      auto war_op = c.cwl_war(tag);
      auto war = co_await std::move(war_op);
      if (!war) co_return failed(war.error());
      auto f = read_war(war->body());
      if (!f || !(same_tag(f->clan, clan_tag) || same_tag(f->opponent, clan_tag))) continue;
      resolved_war w{war_source::league, f->state, tag, static_cast<unsigned>(round + 1), std::move(*war)};
      if (f->state == "preparation") {
        preparing = std::move(w);
        break;  // the clan has one war per round: on to the round before
      }
      if (f->state == "inWar" || !preparing) co_return w;
      co_return std::move(*preparing);  // the round before has ended: the one in preparation is next
    }
  }
  if (preparing) co_return std::move(*preparing);
  if (!current) co_return failed(current.error());
  co_return regular(std::move(*current), *current_facts);
}

}  // namespace overworld::coc
