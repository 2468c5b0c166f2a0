// The runtime table, generated from the operation list, and its static checks.
#include <overworld/coc/operations.hpp>

#include <stdexcept>

namespace overworld::coc {
namespace {

#define OVERWORLD_COC_OPERATION_ROW(name, method, route, shape, query, pg, model) \
  operation{op::name, #name, http::verb::method, route, param_shape::shape, query, OVERWORLD_COC_IS_PAGED_##pg, #model},
constexpr std::array<operation, operation_count> table{{OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_OPERATION_ROW)}};
#undef OVERWORLD_COC_OPERATION_ROW

constexpr std::size_t braces(std::string_view path) {
  std::size_t n = 0;
  for (char c : path) n += c == '{' ? 1 : 0;
  return n;
}

// The shapes whose calls take no paging (operation_list.hpp) are never paged.
constexpr bool pages_if_it_can(operation const& o) {
  return !o.paged || (o.shape != param_shape::tag_token && o.shape != param_shape::tag_season_player);
}

constexpr bool well_formed(operation const& o) {
  return o.path.starts_with('/') && braces(o.path) == path_segments(o.shape) && !o.model.empty() &&
         (o.method == http::verb::get || o.method == http::verb::post) && pages_if_it_can(o);
}

constexpr bool all_well_formed() {
  for (auto const& o : table) {
    if (!well_formed(o)) return false;
  }
  return true;
}
static_assert(all_well_formed(),
              "every row: a path under /v1 with one {parameter} per segment its shape fills, GET or POST, "
              "and paged only with a shape that takes paging");

constexpr bool distinct() {
  for (std::size_t i = 0; i < table.size(); ++i) {
    for (std::size_t j = i + 1; j < table.size(); ++j) {
      if (table[i].path == table[j].path && table[i].method == table[j].method) return false;
    }
  }
  return true;
}
static_assert(distinct(), "no method and path declared twice");

}  // namespace

std::span<operation const, operation_count> operations() noexcept { return table; }

operation const& operation_of(op id) noexcept { return table[static_cast<std::size_t>(id)]; }

std::string expand_path(operation const& o, std::span<std::string_view const> segments) {
  std::string out;
  out.reserve(o.path.size() + 16);
  auto next = segments.begin();
  for (std::size_t i = 0; i < o.path.size();) {
    if (o.path[i] != '{') {
      out += o.path[i++];
      continue;
    }
    if (next == segments.end()) throw std::invalid_argument("coc: too few segments for " + std::string{o.path});
    out += *next++;
    i = o.path.find('}', i) + 1;
  }
  if (next != segments.end()) throw std::invalid_argument("coc: too many segments for " + std::string{o.path});
  return out;
}

std::string expand_path(operation const& o, std::initializer_list<std::string_view> segments) {
  return expand_path(o, std::span<std::string_view const>{segments.begin(), segments.size()});
}

}  // namespace overworld::coc
