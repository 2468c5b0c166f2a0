// The Toontown: Corporate Clash client: districts (the 2018 /api/v1/districts/ and the current
// /api/v1/districts.js), game info, launcher news and version, login with every reason code, and
// the launcher manifest.
//
//   overworld::toon::ttcc_client ttcc;                              // https://corporateclash.net
//   auto ds = ttcc.wait(ttcc.districts());
//   for (auto const& d : ds.value().districts)
//     if (d.invasion) std::cout << d.name << ": " << d.invasion->cog.name << '\n';
//
// TTCC limits its public API (10 requests per 60 s in the v1 docs, districts at most every 5 s):
// by default the client holds itself to that (polling.rate_limit, polling.min_interval) so that
// the server never has to refuse it. The threading rules are those of ttr_client.
#pragma once

#include <overworld/sdk/runtime.hpp>
#include <overworld/toon/errors.hpp>
#include <overworld/toon/manifest.hpp>
#include <overworld/toon/models.hpp>
#include <overworld/toon/poller.hpp>
#include <overworld/toon/ttr.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace overworld::toon {

/// The polling options TTCC asks for: 10 requests per 60 s, no URL more often than every 5 s.
polling_options ttcc_polling();

enum class districts_endpoint {
  current,  ///< /api/v1/districts.js (since 2018-09, cached by Cloudflare, has `online`)
  legacy,   ///< /api/v1/districts/ (2018)
};

struct ttcc_options {
  /// Scheme and host (and port, and a path prefix behind a proxy); a trailing "/api" is
  /// dropped. overworld-server's URL works the same.
  std::string base_url = "https://corporateclash.net";
  polling_options polling = ttcc_polling();
  /// Sent with the manifest request; TTCC's docs show the official launcher's.
  std::string manifest_user_agent = "TTCC-Launcher";
};

class ttcc_client {
 public:
  /// Throws std::invalid_argument for a base URL that is not http(s)://host[:port].
  explicit ttcc_client(ttcc_options options = {});
  ~ttcc_client();
  ttcc_client(ttcc_client const&) = delete;
  ttcc_client& operator=(ttcc_client const&) = delete;

  call<toon::district_list> districts(districts_endpoint which = districts_endpoint::current);
  call<toon::game_info> game_info();                       ///< GET /api/v1/game_info.js
  call<toon::article_list> news();                         ///< GET /api/v1/launcher/news/
  call<toon::article_list> news_article(std::int64_t id);  ///< GET /api/v1/launcher/news/{id} (an array of one)
  call<toon::launcher_version> version();                  ///< GET /api/v1/launcher/version/
  /// POST /api/v1/login/ with a JSON body. Every reason (1000, 1002–1005, and 429 with its
  /// Retry-After) is a success of the call; look at `reason`. Only answers without the login
  /// shape, and transport failures, are errors.
  call<toon::ttcc_login> login(std::string_view username, std::string_view password);
  /// The launcher v1 token API. register_launcher trades the username and password for a
  /// long-lived launcher token (`friendly`: this device's name); login_with_launcher_token trades
  /// that token for a game token; revoke_launcher_token ends it. Refusals, 401 bad_token and 429
  /// are answers (look at `status`, `bad_token`, `reason`), not failures of the call.
  call<toon::launcher_token_answer> register_launcher(std::string_view username, std::string_view password,
                                                      std::string_view friendly = {});
  call<toon::launcher_token_answer> login_with_launcher_token(std::string_view launcher_token);
  call<toon::launcher_token_answer> revoke_launcher_token(std::string_view launcher_token);
  /// GET /api/launcher/v1/metadata with the launcher token: the body as sent (JSON). A 401 is
  /// error_kind::access_denied.
  call<std::string> launcher_metadata(std::string_view launcher_token);
  /// POST /api/v1/launcher/manifest/, parsed by parse_manifest (manifest.hpp).
  call<toon::manifest> manifest();
  /// The manifest's body as sent, for callers that want the JSON.
  call<std::string> manifest_json();

  template <class T>
  api_result<T> wait(call<T> op) {
    return io().wait(std::move(op));
  }

  ttcc_options const& options() const noexcept;
  /// calls, sent, cache_hits, not_modified, joined, retries, throttled.
  sdk::pipeline::stats statistics() const;
  sdk::io_thread& io() noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::toon
