// Text the game defines, that comes back in answer after answer: the URLs of its images (a
// league's, a league tier's or a label's icon, a clan's badge) and its achievements' names and
// texts. A clan of 50 carries about 220 URLs, 25 of them distinct; a player carries some 50
// achievements, each with a name, a description and a completion text. The SDK keeps one copy
// of each such text per process and a game_text points at it: decoding one is a hash lookup
// instead of an allocation; copying one copies a pointer.
//
// The process's store is bounded: it keeps texts of at most game_text_max_shared bytes, up to
// game_text_store_limit bytes in all (its index counted), and is never emptied (a game_text may
// point into it for as long as the process lives). Once it is full, or for a longer text, a
// game_text keeps its own copy, as a string would: answers that send ever new texts cost memory
// once, then cost what strings would.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace overworld::coc {

/// How many bytes of text the process keeps in all (4 MiB: about 40,000 URLs of the API's length).
inline constexpr std::size_t game_text_store_limit = std::size_t{4} << 20;
/// The longest text the store keeps; a longer one is kept by its game_text.
inline constexpr std::size_t game_text_max_shared = 1024;

class game_text {
 public:
  game_text() noexcept = default;
  /// Keeps `text`: in the process's store when it has room, else in this value.
  explicit game_text(std::string_view text);

  std::string_view view() const noexcept { return text_; }
  operator std::string_view() const noexcept { return text_; }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string{text_}; }
  char const* data() const noexcept { return text_.data(); }
  std::size_t size() const noexcept { return text_.size(); }
  bool empty() const noexcept { return text_.empty(); }
  /// Whether the text is in the process's store (false when this value holds its own copy).
  bool shared() const noexcept { return !own_ && !text_.empty(); }

  friend bool operator==(game_text const& a, game_text const& b) noexcept { return a.text_ == b.text_; }
  friend bool operator==(game_text const& a, std::string_view b) noexcept { return a.text_ == b; }

 private:
  std::string_view text_;
  std::shared_ptr<char const[]> own_;  ///< the text, when the store did not take it
};

/// The URL of one of the API's images (badge_urls, icon_urls).
using asset_url = game_text;

std::ostream& operator<<(std::ostream& out, game_text const& text);

/// The bytes the process's store holds: its blocks of texts and its index (at most
/// game_text_store_limit).
std::size_t game_text_store_size() noexcept;

}  // namespace overworld::coc
