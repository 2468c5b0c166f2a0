#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/http/message.hpp>
#include <overworld/toon/launcher_sync.hpp>

#include <memory>

namespace overworld::cli {
namespace {

struct sync_flags {
  std::string folder;
  std::string manifest_url;
  unsigned parallel = 4;
  bool get = false;
  bool no_resume = false;
};

int sync_exit_code(error_code const& ec) {
  if (ec == toon::sync_errc::folder_unusable) return exit_usage;
  if (ec.category() == http::status_category() || ec == errc::parse_error || ec == errc::too_large ||
      ec == errc::invalid_argument) {
    return exit_api_error;
  }
  return exit_network;
}

/// "launcher sync: HTTP 404 Not Found", "launcher sync: the manifest is not …", …
std::string sync_failure(error_code const& ec) {
  if (ec == errc::parse_error) return "launcher sync: the answer is not a launcher manifest (JSON with \"files\")";
  if (ec == errc::too_large) return "launcher sync: the manifest is larger than the sync accepts";
  return "launcher sync: " + ec.message();
}

int sync(run_context const& ctx, sync_flags const& f) {
  toon::sync_options options;
  options.manifest_url =
      f.manifest_url.empty() ? ctx.config.ttcc_base_url + "/api/v1/launcher/manifest/" : f.manifest_url;
  options.post_manifest = !f.get;
  options.folder = f.folder;
  options.parallel = f.parallel;
  options.resume = !f.no_resume;
  options.http = with_timeouts(options.http, ctx.config);
  std::string const manifest_url = options.manifest_url;
  // The bar goes to stderr (drawn only on a terminal), so stdout keeps just the summary.
  toon::progress_bar bar{stderr};
  options.on_progress = [&bar](toon::sync_progress const& p) { bar.update(p); };
  auto summary = toon::sync_folder_wait(std::move(options));
  bar.finish();
  if (!summary) return fail(sync_exit_code(summary.error()), sync_failure(summary.error()), manifest_url);
  print(ctx.config.json ? toon_render::sync_summary_json(*summary) : toon_render::sync_summary(*summary, ctx.color));
  return summary->ok() ? exit_ok : exit_api_error;
}

}  // namespace

void add_launcher_commands(command_line& cl) {
  auto* launcher = cl.add_group("launcher", "game files from a launcher manifest (TTCC v1)");
  auto* command = launcher->add_subcommand(
      "sync", "bring a game folder in line with the manifest: check md5s, download what differs");
  add_examples(command,
               "  overworld launcher sync ~/Games/CorporateClash\n  overworld --base-url http://127.0.0.1:8080 "
               "launcher sync ./game --get");
  auto f = std::make_shared<sync_flags>();
  command->add_option("folder", f->folder, "the game folder (created when missing)")->required();
  command->add_option("--manifest-url", f->manifest_url,
                      "manifest URL (default: <base URL>/api/v1/launcher/manifest/, the TTCC launcher's)");
  command->add_flag("--get", f->get, "fetch the manifest with GET instead of TTCC's POST");
  command->add_option("--parallel", f->parallel, "files checked and downloaded at once (default 4)")
      ->check(CLI::Range(1, 64));
  command->add_flag("--no-resume", f->no_resume, "start interrupted downloads over instead of resuming them");
  cl.on_run(
      command, [f](run_context const& ctx) { return sync(ctx, *f); }, false);
}

}  // namespace overworld::cli
