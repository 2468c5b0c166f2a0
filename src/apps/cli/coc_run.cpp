#include "coc_run.hpp"

#include "request_log.hpp"
#include "tag_history.hpp"

#include <cstdlib>
#include <stdexcept>

namespace overworld::cli {
namespace {

/// At most this many pages with --all (documented in docs/cli.md).
constexpr unsigned max_pages = 100;

std::optional<coc::client> make_client(run_context const& ctx, int& code) {
  if (ctx.config.coc_keys.empty()) {
    code =
        fail(exit_auth, "no Clash of Clans API key: pass --key, set OVERWORLD_COC_KEY or coc.key in the config file");
    return std::nullopt;
  }
  coc::client_options options;
  options.base_url = ctx.config.coc_base_url;
  options.keys = ctx.config.coc_keys;
  options.user_agent = "overworld-cli/0.1";
  options.cache_enabled = false;  // one call per process: a cache would only cost memory
  options.http = with_timeouts(options.http, ctx.config);
  options.retry.max_attempts = 2;
  options.throttle_retries = 0;  // a script would rather hear "rate limited" now than wait a minute
  if (ctx.config.verbose) options.on_response.push_back(request_log(ctx.config.coc_base_url));
  try {
    return std::optional<coc::client>{std::in_place, std::move(options)};
  } catch (std::invalid_argument const& e) {
    code = fail(exit_usage, std::string{"coc: "} + e.what());
    return std::nullopt;
  }
}

// The body of every page, following the cursors (--all), joined as one {"items":[…]} document.
result<std::string> all_pages(run_context const& ctx, coc::client& client, coc_call const& op, paging_flags& paging,
                              error_words const& words, int& code) {
  std::string items;
  for (unsigned page = 0; page < max_pages; ++page) {
    auto answer = client.wait(op(client));
    if (!answer) {
      code = fail(answer.error(), words);
      return errc::invalid_argument;
    }
    json_document doc;
    std::string why;
    auto root = doc.parse(answer->body(), why);
    if (!root) {
      code = fail(exit_api_error, "the answer is not JSON: " + why);
      return errc::parse_error;
    }
    for (json item : array(*root, "/items")) items += (items.empty() ? "" : ",") + simdjson::minify(item);
    paging.after = text(*root, "/paging/cursors/after");
    if (paging.after.empty()) return "{\"items\":[" + items + "]}";
  }
  (void)ctx;
  (void)fail(exit_ok,
             "--all: stopped after " + std::to_string(max_pages) + " pages (more: --after " + paging.after + ")");
  return "{\"items\":[" + items + "]}";
}

}  // namespace

int run_coc(run_context const& ctx, coc_call const& op, coc_renderer const& render, error_words words,
            paging_flags* paging) {
  int code = exit_ok;
  auto client = make_client(ctx, code);
  if (!client) return code;
  words.base_url = ctx.config.coc_base_url;
  words.coc = true;
  std::string body;
  if (paging && paging->all) {
    auto joined = all_pages(ctx, *client, op, *paging, words, code);
    if (!joined) return code;
    body = std::move(*joined);
  } else {
    auto answer = client->wait(op(*client));
    if (!answer) return fail(answer.error(), words);
    body = answer->body();
  }
  json_document doc;
  std::string why;
  auto root = doc.parse(body, why);
  if (!root) return fail(exit_api_error, "the answer is not JSON: " + why);
  // The next page's cursor goes to stderr, so that stdout stays the data alone.
  bool const table = ctx.config.output == output_format::table;
  if (auto const after = text(*root, "/paging/cursors/after"); table && !after.empty() && !(paging && paging->all)) {
    (void)fail(exit_ok, "more: --after " + after + " (or --all)");
  }
  return print_result(ctx, body, *root, render);
}

void add_paging(CLI::App* command, paging_flags& p) {
  command->add_option("-l,--limit", p.limit, "at most this many items (per page)")->check(positive_count);
  auto* after = command->add_option("--after", p.after, "the page after this cursor (from the previous page)");
  auto* before = command->add_option("--before", p.before, "the page before this cursor")->excludes(after);
  command->add_flag("-a,--all", p.all, "follow the cursors and print every page (at most 100)")->excludes(before);
}

std::string shown_tag(std::string tag) {
  for (auto& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return tag.starts_with('#') ? tag : "#" + tag;
}

int remembering(std::string const& tag, int code) {
  if (code == exit_ok) remember_tag(tag, std::getenv);
  return code;
}

std::optional<coc::location_ref> location_of(std::string const& text) {
  if (text == "global") return coc::location_ref::global();
  try {
    std::size_t used = 0;
    std::int64_t const id = std::stoll(text, &used);
    if (used == text.size()) return coc::location_ref{id};
  } catch (std::exception const&) {
  }
  return std::nullopt;
}

}  // namespace overworld::cli
