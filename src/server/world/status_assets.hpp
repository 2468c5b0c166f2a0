// The status page's files (web/status/), compiled into the program by cmake/EmbedFiles.cmake.
#pragma once

#include <span>
#include <string_view>

namespace overworld::world {

struct status_asset {
  std::string_view name;  ///< the file's name: "index.html", "app.js", "style.css"
  std::string_view content_type;
  std::string_view body;
};

std::span<status_asset const> status_assets() noexcept;

}  // namespace overworld::world

namespace overworld::http {
class router;
}

namespace overworld::world {

/// GET / and /status (the page) and /status/{file} (its script and style), with ETags, a
/// Content-Security-Policy that allows only this server, and a short max-age.
void install_status_page(http::router& routes);

}  // namespace overworld::world
