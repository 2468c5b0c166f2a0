#include "tag_history.hpp"

#include <overworld/coc/tags.hpp>

#include <unistd.h>
#include <algorithm>
#include <fstream>

namespace overworld::cli {
namespace {

std::vector<std::string> read_tags(std::filesystem::path const& file) {
  std::vector<std::string> tags;
  std::ifstream in{file};
  for (std::string line; tags.size() < tag_history_size && std::getline(in, line);) {
    if (coc::is_valid_tag("#" + line)) tags.push_back(line);
  }
  return tags;
}

}  // namespace

std::filesystem::path tag_history_file(getenv_function const& getenv) {
  if (char const* off = getenv("OVERWORLD_NO_HISTORY"); off && *off && std::string_view{off} != "0") return {};
  if (char const* state = getenv("XDG_STATE_HOME"); state && *state) {
    return std::filesystem::path{state} / "overworld" / "tags";
  }
  if (char const* home = getenv("HOME"); home && *home) {
    return std::filesystem::path{home} / ".local" / "state" / "overworld" / "tags";
  }
  return {};
}

void remember_tag(std::string_view tag, getenv_function const& getenv) {
  auto const normal = coc::normalize_tag(tag);
  auto const file = tag_history_file(getenv);
  if (file.empty() || !coc::is_valid_tag(normal)) return;
  auto tags = read_tags(file);
  std::string const bare = normal.substr(1);
  std::erase(tags, bare);
  tags.insert(tags.begin(), bare);
  if (tags.size() > tag_history_size) tags.resize(tag_history_size);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  // Written beside the file and renamed over it: two commands at once never leave half a file.
  auto const temporary = std::filesystem::path{file.string() + "." + std::to_string(::getpid())};
  {
    std::ofstream out{temporary, std::ios::trunc};
    for (auto const& t : tags) out << t << '\n';
    if (!out.flush()) return std::filesystem::remove(temporary, ec), void();
  }
  std::filesystem::rename(temporary, file, ec);
}

std::vector<std::string> remembered_tags(getenv_function const& getenv) {
  auto const file = tag_history_file(getenv);
  return file.empty() ? std::vector<std::string>{} : read_tags(file);
}

}  // namespace overworld::cli
