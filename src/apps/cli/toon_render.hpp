// Tables for people from the Toontown SDK's models (TTR, TTCC, watcher events, launcher sync).
// --json prints each model's `json` (the body as the API sent it) instead.
#pragma once

#include <overworld/toon/launcher_sync.hpp>
#include <overworld/toon/models.hpp>
#include <overworld/toon/watcher.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace overworld::cli::toon_render {

std::string invasions(toon::invasion_list const& list, bool color);
std::string population(toon::population const& pop, bool color);
std::string status(toon::game_status const& s, bool color);
std::string field_offices(toon::field_office_list const& list, bool color);
std::string silly_meter(toon::silly_meter const& m, bool color);
std::string doodles(toon::doodle_list const& list, bool color);
std::string news_post(toon::news_post const& post, bool color);
std::string news_list(toon::news_list const& list, bool color);
std::string release_notes(toon::release_note_list const& list, bool color);
std::string release_note(toon::release_note const& note, bool color);
std::string ttr_login(toon::ttr_login const& login, bool color);

std::string districts(toon::district_list const& list, bool color);
std::string game_info(toon::game_info const& info, bool color);
std::string articles(toon::article_list const& list, bool color);
std::string article(toon::article const& a, bool color);
std::string launcher_version(toon::launcher_version const& v, bool color);
std::string ttcc_login(toon::ttcc_login const& login, bool color);
/// A launcher v1 answer; `done` says what a success did ("registered", "logged in", "revoked").
std::string launcher_token_answer(toon::launcher_token_answer const& a, char const* done, bool color);

/// The short name of an event kind: started, progress, ended, online, offline (watch --events).
std::string_view short_name(toon::event_kind k);
/// One line per watcher event: time, kind (short name), district, cog, progress, estimated end.
std::string event_line(toon::event const& e, bool color);
/// A watcher event as one line of JSON (the format `watch --json` documents in docs/cli.md).
std::string event_json(toon::event const& e);

std::string sync_summary(toon::sync_summary const& s, bool color);
/// A sync summary as one JSON object.
std::string sync_summary_json(toon::sync_summary const& s);

/// HTML (news bodies) as plain text: tags dropped, paragraphs and <br> as line breaks, the
/// common entities decoded, control characters removed.
std::string html_to_text(std::string_view html);

}  // namespace overworld::cli::toon_render
