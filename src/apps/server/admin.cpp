#include "admin.hpp"

#include "admin_migrate.hpp"
#include "admin_world.hpp"
#include "options.hpp"

#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>

namespace overworld::app {
namespace {

int error(std::string const& message) {
  std::fprintf(stderr, "overworld-server admin: %s\n", message.c_str());
  return 1;
}

int usage(std::string const& message) {
  std::fprintf(stderr, "overworld-server admin: %s\n", message.c_str());
  return 2;
}

/// The first problem of a command's arguments, or "".
using argument_check = std::function<std::string()>;

std::string first_problem(std::initializer_list<std::string> problems) {
  for (auto const& p : problems) {
    if (!p.empty()) return p;
  }
  return {};
}

std::string number_problem(std::string const& text, launcher::admin_number const& range) {
  return launcher::parse_admin_number(text, range) ? std::string{} : launcher::admin_number_problem(range);
}

std::int64_t number(std::string const& text, launcher::admin_number const& range) {
  return launcher::parse_admin_number(text, range).value();  // checked before the store was opened
}

std::string read_password() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

}  // namespace

admin_commands::admin_commands(CLI::App& cli) {
  admin_ = cli.add_subcommand(
      "admin",
      "operator commands: accounts, maintenance, news, release notes, launcher tokens, launcher version, "
      "migrate");
  admin_->add_option("--data", data_, "data folder of the server (default ./var)");
  admin_->add_option("--config", config_, "the server's TOML configuration file");
  admin_->require_subcommand(1);

  using store::launcher_store;
  auto const name_ok = [this] { return launcher::admin_text_problem("name", name_, 64); };
  auto const status = [](result<void> r, std::string const& what) {
    if (r) return 0;
    return error(what + ": " +
                 (r.error() == errc::not_found ? std::string{"no such account or item"} : r.error().message()));
  };

  auto* account = admin_->add_subcommand("account", "launcher accounts")->require_subcommand(1);
  auto* create = account->add_subcommand("create", "create an account (password on standard input)");
  create->add_option("name", name_)->required();
  on(
      create,
      [this](launcher_store& db, launcher::password_policy const& p) {
        std::string const pw = read_password();
        if (pw.empty()) return error("the password (on standard input) is empty");
        auto id = launcher::create_account(db, p, name_, pw);
        if (!id)
          return error(id.error() == errc::invalid_argument ? "account " + name_ + " exists" : id.error().message());
        std::printf("%lld\n", static_cast<long long>(*id));
        return 0;
      },
      name_ok);
  auto* password = account->add_subcommand("password", "set an account's password (on standard input)");
  password->add_option("name", name_)->required();
  on(
      password,
      [this, status](launcher_store& db, launcher::password_policy const& p) {
        std::string const pw = read_password();
        if (pw.empty()) return error("the password (on standard input) is empty");
        return status(launcher::change_password(db, p, name_, pw), name_);
      },
      name_ok);
  auto* points = account->add_subcommand("points", "add moderation points (negative to remove)");
  points->add_option("name", name_)->required();
  points->add_option("n", number_)->required();
  on(
      points,
      [this](launcher_store& db, launcher::password_policy const&) {
        auto total = db.add_moderation_points(name_, number(number_, launcher::points_change));
        if (!total) return error(name_ + ": no such account");
        std::printf("%lld\n", static_cast<long long>(*total));
        return 0;
      },
      [this, name_ok] {
        return first_problem({name_ok(), number_problem(number_, launcher::points_change)});
      });
  auto* ban = account->add_subcommand("ban", "ban an account for some hours");
  ban->add_option("name", name_)->required();
  ban->add_option("--hours", hours_, "length of the ban, whole hours")->required();
  on(
      ban,
      [this, status](launcher_store& db, launcher::password_policy const&) {
        auto const until = std::time(nullptr) + number(hours_, launcher::ban_hours) * 3600;
        return status(db.set_banned_until(name_, until), name_);
      },
      [this, name_ok] {
        return first_problem({name_ok(), number_problem(hours_, launcher::ban_hours)});
      });
  auto* unban = account->add_subcommand("unban", "lift a ban");
  unban->add_option("name", name_)->required();
  on(
      unban,
      [this, status](launcher_store& db, launcher::password_policy const&) {
        return status(db.set_banned_until(name_, 0), name_);
      },
      name_ok);
  auto* terminate = account->add_subcommand("terminate", "terminate an account");
  terminate->add_option("name", name_)->required();
  on(
      terminate,
      [this, status](launcher_store& db, launcher::password_policy const&) {
        return status(db.set_terminated(name_, true), name_);
      },
      name_ok);

  auto* maintenance = admin_->add_subcommand("maintenance", "close or open the game for logins")->require_subcommand(1);
  for (bool flag : {true, false}) {
    auto* cmd = maintenance->add_subcommand(flag ? "on" : "off", flag ? "logins answer 1004" : "logins work again");
    on(cmd, [flag, status](launcher_store& db, launcher::password_policy const&) {
      return status(db.set_maintenance(flag), "maintenance");
    });
  }

  auto* news = admin_->add_subcommand("news", "launcher news")->require_subcommand(1);
  auto* post = news->add_subcommand("post", "post an article (prints its id)");
  post->add_option("--title", title_)->required();
  post->add_option("--summary", summary_)->required();
  post->add_option("--author", author_);
  post->add_option("--category", category_);
  post->add_option("--image", image_);
  post->add_option("--body", body_, "HTML for TTR's /api/news (default: the summary)");
  // The news fields as the admin API checks them; an edit checks only the fields it is given.
  auto const news_problem = [this](CLI::App* cmd) {
    return [this, cmd] {
      auto const given = [cmd](char const* flag) { return cmd->count(flag) > 0; };
      return first_problem({
          given("--title") ? launcher::admin_text_problem("title", title_, 256) : "",
          given("--summary") ? launcher::admin_text_problem("summary", summary_, launcher::max_admin_text) : "",
          given("--author") ? launcher::admin_text_problem("author", author_, 64) : "",
          given("--category") ? launcher::admin_text_problem("category", category_, 64) : "",
          given("--image") && !image_.empty()
              ? launcher::admin_text_problem("image_url", image_, launcher::max_admin_text)
              : "",
          given("--body") && !body_.empty() ? launcher::admin_text_problem("body", body_, launcher::max_admin_html)
                                            : "",
          cmd->get_option_no_throw("id") ? number_problem(id_, launcher::news_id) : "",
      });
    };
  };
  on(
      post,
      [this](launcher_store& db, launcher::password_policy const&) {
        auto id = db.post_news(
            store::news_item{0, author_, launcher::news_timestamp(), title_, summary_, category_, image_, body_});
        if (!id) return error(id.error().message());
        std::printf("%lld\n", static_cast<long long>(*id));
        return 0;
      },
      news_problem(post));
  auto* edit = news->add_subcommand("edit", "change an article");
  edit->add_option("id", id_)->required();
  edit->add_option("--title", title_);
  edit->add_option("--summary", summary_);
  edit->add_option("--author", author_);
  edit->add_option("--category", category_);
  edit->add_option("--image", image_);
  edit->add_option("--body", body_, "HTML for TTR's /api/news");
  on(
      edit,
      [this, edit, status](launcher_store& db, launcher::password_policy const&) {
        auto all = db.news();
        if (!all) return error(all.error().message());
        auto const id = number(id_, launcher::news_id);
        for (auto n : *all) {
          if (n.id != id) continue;
          if (edit->count("--title")) n.title = title_;
          if (edit->count("--summary")) n.summary = summary_;
          if (edit->count("--author")) n.author = author_;
          if (edit->count("--category")) n.category = category_;
          if (edit->count("--image")) n.image_url = image_;
          if (edit->count("--body")) n.body = body_;
          return status(db.edit_news(n), "news " + id_);
        }
        return error("news " + id_ + ": no such article");
      },
      news_problem(edit));
  auto* remove = news->add_subcommand("delete", "delete an article");
  remove->add_option("id", id_)->required();
  on(
      remove,
      [this, status](launcher_store& db, launcher::password_policy const&) {
        return status(db.delete_news(number(id_, launcher::news_id)), "news " + id_);
      },
      [this] { return number_problem(id_, launcher::news_id); });

  add_content_commands();

  auto* manifest = admin_->add_subcommand("manifest", "the launcher manifest")->require_subcommand(1);
  auto* rebuild = manifest->add_subcommand(
      "rebuild", "hash every file again (the running server does it within launcher.files_poll)");
  rebuild->callback([this] {
    action_ = [this]() -> int {
      std::error_code ec;
      std::filesystem::create_directories(data_, ec);
      std::ofstream trigger{std::filesystem::path{data_} / "manifest-rebuild"};
      if (!trigger) return error("cannot write " + (std::filesystem::path{data_} / "manifest-rebuild").string());
      return 0;
    };
  });

  auto* version = admin_->add_subcommand("version", "the launcher version")->require_subcommand(1);
  auto* set = version->add_subcommand("set", "set the version /api/v1/launcher/version/ answers");
  set->add_option("version", value_)->required();
  on(
      set,
      [this, status](launcher_store& db, launcher::password_policy const&) {
        return status(db.set_launcher_version(value_), "version");
      },
      [this] { return launcher::admin_text_problem("version", value_, 64); });

  add_world_admin_commands(admin_, data_, config_, action_);
  add_migrate_command(admin_, data_, config_, action_);
}

void admin_commands::on(CLI::App* cmd, store_action f, std::function<std::string()> check) {
  cmd->callback([this, f = std::move(f), check = std::move(check)] {
    action_ = [this, f, check]() -> int {
      if (check) {
        if (auto const problem = check(); !problem.empty()) return usage(problem);
      }
      config cfg{server_config_schema()};
      std::string why;
      if (!load_admin_config(cfg, data_, config_, why)) return error(why);
      auto opts = launcher::launcher_options_from(cfg, why);
      if (!opts) return error(why);
      auto db = open_launcher_store(cfg, data_, why);
      if (!db) return error(why);
      return f(**db, opts->passwords);
    };
  });
}

void admin_commands::add_content_commands() {
  using store::launcher_store;
  using hashing = launcher::password_policy;
  auto const status = [](result<void> r, std::string const& what) {
    if (r) return 0;
    return error(what + ": " + (r.error() == errc::not_found ? std::string{"no such item"} : r.error().message()));
  };
  auto const id_ok = [this] { return number_problem(id_, launcher::news_id); };

  auto* news_list = admin_->get_subcommand("news")->add_subcommand("list", "every article, newest first");
  on(news_list, [](launcher_store& db, hashing const&) {
    auto all = db.news();
    if (!all) return error(all.error().message());
    for (auto const& n : *all)
      std::printf("%lld\t%s\t%s\n", static_cast<long long>(n.id), n.posted.c_str(), n.title.c_str());
    return 0;
  });

  auto* notes = admin_->add_subcommand("releasenote", "TTR release notes")->require_subcommand(1);
  auto const note_problem = [this](CLI::App* cmd) {
    return [this, cmd] {
      return first_problem({
          cmd->count("--slug") ? launcher::admin_text_problem("slug", slug_, 128) : "",
          cmd->count("--body") ? launcher::admin_text_problem("body", body_, launcher::max_admin_html) : "",
          cmd->get_option_no_throw("id") ? number_problem(id_, launcher::news_id) : "",
      });
    };
  };
  auto* note_post = notes->add_subcommand("post", "post a release note (prints its id)");
  note_post->add_option("--slug", slug_, "e.g. ttr-live-v4.1.7d")->required();
  note_post->add_option("--body", body_, "HTML")->required();
  on(
      note_post,
      [this](launcher_store& db, hashing const&) {
        auto id = db.post_release_note(store::release_note{0, slug_, launcher::news_timestamp(), body_});
        if (!id) return error(id.error().message());
        std::printf("%lld\n", static_cast<long long>(*id));
        return 0;
      },
      note_problem(note_post));
  auto* note_edit = notes->add_subcommand("edit", "change a release note");
  note_edit->add_option("id", id_)->required();
  note_edit->add_option("--slug", slug_);
  note_edit->add_option("--body", body_);
  on(
      note_edit,
      [this, note_edit, status](launcher_store& db, hashing const&) {
        auto all = db.release_notes();
        if (!all) return error(all.error().message());
        for (auto n : *all) {
          if (n.id != number(id_, launcher::news_id)) continue;
          if (note_edit->count("--slug")) n.slug = slug_;
          if (note_edit->count("--body")) n.body = body_;
          return status(db.edit_release_note(n), "release note " + id_);
        }
        return error("release note " + id_ + ": no such release note");
      },
      note_problem(note_edit));
  auto* note_delete = notes->add_subcommand("delete", "delete a release note");
  note_delete->add_option("id", id_)->required();
  on(
      note_delete,
      [this, status](launcher_store& db, hashing const&) {
        return status(db.delete_release_note(number(id_, launcher::news_id)), "release note " + id_);
      },
      id_ok);
  auto* note_list = notes->add_subcommand("list", "every release note, newest first");
  on(note_list, [](launcher_store& db, hashing const&) {
    auto all = db.release_notes();
    if (!all) return error(all.error().message());
    for (auto const& n : *all)
      std::printf("%lld\t%s\t%s\n", static_cast<long long>(n.id), n.posted.c_str(), n.slug.c_str());
    return 0;
  });

  auto* two_step = admin_->get_subcommand("account")->add_subcommand(
      "two-step", "ask TTR logins of the account for an app token (one line on standard input)");
  two_step->add_option("name", name_)->required();
  two_step->add_flag("--off", off_, "log in with the password alone again");
  on(
      two_step,
      [this, status](launcher_store& db, hashing const& p) {
        std::string const code = off_ ? std::string{} : read_password();
        if (!off_ && (code.size() < 6 || code.size() > 256))
          return usage("the app token (on standard input) must be 6 to 256 bytes");
        auto r = launcher::set_two_step(db, p, name_, code);
        if (!r && r.error() == errc::invalid_argument) return usage("the app token has control characters");
        return status(r, name_);
      },
      [this] { return launcher::admin_text_problem("name", name_, 64); });

  auto* tokens = admin_->add_subcommand("token", "TTCC launcher tokens")->require_subcommand(1);
  auto* token_list = tokens->add_subcommand("list", "id, account, name and creation of every token (never the secret)");
  token_list->add_option("--account", name_, "only this account's");
  on(
      token_list,
      [this](launcher_store& db, hashing const&) {
        auto all = db.launcher_tokens(name_);
        if (!all) return error(all.error().message());
        for (auto const& t : *all) {
          std::printf("%lld\t%s\t%s\t%lld\n", static_cast<long long>(t.id), t.username.c_str(), t.friendly.c_str(),
                      static_cast<long long>(t.created));
        }
        return 0;
      },
      [this] { return name_.empty() ? std::string{} : launcher::admin_text_problem("account", name_, 64); });
  auto* token_revoke = tokens->add_subcommand("revoke", "revoke a token: its launcher gets 401 from then on");
  token_revoke->add_option("id", id_)->required();
  on(
      token_revoke,
      [this, status](launcher_store& db, hashing const&) {
        return status(db.revoke_launcher_token(number(id_, launcher::news_id)), "token " + id_);
      },
      id_ok);
}

bool admin_commands::requested() const { return admin_->parsed(); }

int admin_commands::run() { return action_ ? action_() : error("nothing to do"); }

}  // namespace overworld::app
