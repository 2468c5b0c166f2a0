// The typed API, generated from the operation list: each operation is the client's call, then
// decode_response. Decode errors name the operation's route with its arguments as given (the raw
// answer does not carry the target the client built).
#include <overworld/coc/api.hpp>
#include <overworld/coc/operations.hpp>

namespace overworld::coc {
namespace {

template <class T>
api::call<T> typed(client::call op, std::string path) {
  auto raw = co_await std::move(op);
  if (!raw) co_return api_result<T>{boost::system::in_place_error, raw.error()};
  co_return decode_response<T>(*raw, path);
}

// The operation's path with its parameters as given (for decode errors).
std::string shown_path(op id, std::initializer_list<std::string_view> segments = {}) {
  return expand_path(operation_of(id), segments);
}

}  // namespace

#define OVERWORLD_COC_TYPED_DEFINITION(name, method, route, shape, query, pg, model)                   \
  api::call<answer_t<op::name>> api::name(OVERWORLD_COC_PARAMS(shape, pg, OVERWORLD_COC_NO_DEFAULT)) { \
    return typed<answer_t<op::name>>(client_->name(OVERWORLD_COC_ARGS(shape, pg)),                     \
                                     shown_path(op::name, OVERWORLD_COC_SHOWN_##shape));               \
  }
OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_TYPED_DEFINITION)
#undef OVERWORLD_COC_TYPED_DEFINITION

api::call<list<clan>> api::search_clans(clan_search filters, paging const& page) {
  filters.page = page;
  return search_clans(std::move(filters));
}

boost::asio::awaitable<api_result<war_now>> resolve_war(api& typed, std::string clan_tag) {
  auto found = co_await resolve_current_war(typed.client(), clan_tag);
  if (!found) co_return api_result<war_now>{boost::system::in_place_error, found.error()};
  war_now out;
  out.source = found->source;
  out.state = enum_or_unknown<war_state>(found->state);
  out.war_tag = std::move(found->war_tag);
  out.round = found->round;
  if (found->war) {
    auto const path =
        out.war_tag.empty() ? shown_path(op::current_war, {clan_tag}) : shown_path(op::cwl_war, {out.war_tag});
    auto decoded = decode_response<clan_war>(*found->war, path);
    if (!decoded) co_return api_result<war_now>{boost::system::in_place_error, decoded.error()};
    out.war = std::move(*decoded);
  }
  co_return out;
}

}  // namespace overworld::coc
