// What both launcher stores share: the maintenance flag and the launcher version are rows of a
// key/value settings table, read and written through two primitives each store implements; and
// the part of contents() that the store's own calls can read.
#pragma once

#include <overworld/store/launcher_store.hpp>

namespace overworld::store {

class settings_store : public launcher_store {
 public:
  result<bool> maintenance() final {
    auto v = setting("maintenance");
    if (!v) return result<bool>{boost::system::in_place_error, v.error()};  // bool would take the error_code
    return *v == "1";
  }
  result<void> set_maintenance(bool on) final { return set_setting("maintenance", on ? "1" : "0"); }
  result<std::string> launcher_version() final { return setting("launcher_version"); }
  result<void> set_launcher_version(std::string_view v) final { return set_setting("launcher_version", v); }

 protected:
  /// `out` (accounts and tokens read by the store) with the articles, release notes and settings.
  result<launcher_contents> with_content(launcher_contents out) {
    auto articles = news();
    if (!articles) return articles.error();
    auto notes = release_notes();
    if (!notes) return notes.error();
    auto on = maintenance();
    if (!on) return on.error();
    auto version = launcher_version();
    if (!version) return version.error();
    out.news.assign(articles->rbegin(), articles->rend());  // newest first: reversed, id order
    out.release_notes.assign(notes->rbegin(), notes->rend());
    out.maintenance = *on;
    out.launcher_version = std::move(*version);
    return out;
  }

  /// The value of `key`; empty when there is no row.
  virtual result<std::string> setting(char const* key) = 0;
  /// Inserts or replaces the row, as a write that bumps the revision.
  virtual result<void> set_setting(char const* key, std::string_view value) = 0;
};

}  // namespace overworld::store
