// The URL of one of the API's images: a league's, a league tier's or a label's icon, a clan's
// badge. The same URLs come back in nearly every answer (each member of a clan carries its
// league's and its league tier's icons: about 220 URLs in a clan of 50, 25 of them distinct),
// so the SDK keeps one copy of each URL per process and an asset_url points at it. Decoding one
// is a hash lookup instead of an allocation; copying one copies a pointer.
//
// The process's store is bounded: it keeps URLs of at most asset_url_max_shared bytes, up to
// asset_url_store_limit bytes in all (its index counted), and is never emptied (an asset_url may
// point into it for as long as the process lives). Once it is full, or for a longer URL, an
// asset_url keeps its own copy, as a string would: answers that send ever new URLs cost memory
// once, then cost what strings would.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace overworld::coc {

/// How many bytes of URLs the process keeps in all (4 MiB: about 40,000 URLs of the API's length).
inline constexpr std::size_t asset_url_store_limit = std::size_t{4} << 20;
/// The longest URL the store keeps; a longer one is kept by its asset_url.
inline constexpr std::size_t asset_url_max_shared = 1024;

class asset_url {
 public:
  asset_url() noexcept = default;
  /// Keeps `url`: in the process's store when it has room, else in this value.
  explicit asset_url(std::string_view url);

  std::string_view view() const noexcept { return text_; }
  operator std::string_view() const noexcept { return text_; }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string{text_}; }
  char const* data() const noexcept { return text_.data(); }
  std::size_t size() const noexcept { return text_.size(); }
  bool empty() const noexcept { return text_.empty(); }
  /// Whether the URL is in the process's store (false when this value holds its own copy).
  bool shared() const noexcept { return !own_ && !text_.empty(); }

  friend bool operator==(asset_url const& a, asset_url const& b) noexcept { return a.text_ == b.text_; }
  friend bool operator==(asset_url const& a, std::string_view b) noexcept { return a.text_ == b; }

 private:
  std::string_view text_;
  std::shared_ptr<char const[]> own_;  ///< the URL, when the store did not take it
};

std::ostream& operator<<(std::ostream& out, asset_url const& url);

/// The bytes the process's store holds: its blocks of URLs and its index (at most
/// asset_url_store_limit).
std::size_t asset_url_store_size() noexcept;

}  // namespace overworld::coc
