// The manifest endpoint and the game files behind it: a folder watched for changes, its manifest
// served pre-serialised, its files served with sendfile, Range and ETag, nothing outside it.
#pragma once

#include <overworld/http/router.hpp>
#include <overworld/server/launcher/manifest.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace overworld::launcher {

struct files_options {
  std::filesystem::path root;             ///< the game files; empty: no manifest
  std::string base_url;                   ///< the manifest's `base`
  std::string serve_path = "/files/";     ///< where this server serves root (empty: not served)
  std::chrono::milliseconds poll{5000};   ///< how often the folder is checked for changes
  std::filesystem::path rebuild_trigger;  ///< a file whose appearance forces a full rebuild (admin)
};

class manifest_service {
 public:
  explicit manifest_service(files_options options);
  ~manifest_service();
  manifest_service(manifest_service const&) = delete;
  manifest_service& operator=(manifest_service const&) = delete;

  /// Builds the first manifest (blocking) and starts watching the folder.
  result<void> start(std::string& why);
  void install(http::router& routes);
  std::shared_ptr<manifest const> current() const;
  /// Rebuilds now, hashing every file again (also what the rebuild trigger does).
  result<void> rebuild(std::string& why);

 private:
  void watch();
  http::response serve_manifest(http::request const& req) const;
  http::response serve_file(http::request const& req) const;

  files_options options_;
  std::filesystem::path canonical_root_;
  mutable std::mutex mutex_;
  std::shared_ptr<manifest const> current_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace overworld::launcher
