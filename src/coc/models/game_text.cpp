// The process's store of game texts: 64 KiB blocks that are never freed, indexed by a hash set
// under a mutex, with a cache per thread in front so that a text seen before is found without
// taking the lock.
#include <overworld/coc/models/game_text.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <unordered_set>
#include <utility>
#include <vector>

namespace overworld::coc {
namespace {

constexpr std::size_t block_bytes = std::size_t{64} * 1024;
/// What the index costs per text (a hash set node and its bucket), counted against the limit.
constexpr std::size_t index_entry_bytes = 48;
static_assert(game_text_max_shared <= block_bytes, "a stored text fits in one block");

class text_store {
 public:
  /// The stored copy of `text`, or an empty view when the store has no room for it.
  std::string_view find_or_add(std::string_view text) {
    std::lock_guard lock{mutex_};
    if (auto it = texts_.find(text); it != texts_.end()) return *it;
    bool const new_block = text.size() > block_bytes - used_in_block_;
    if (footprint() + index_entry_bytes + (new_block ? block_bytes : 0) > game_text_store_limit) return {};
    if (new_block) {
      blocks_.push_back(std::make_unique<char[]>(block_bytes));
      used_in_block_ = 0;
    }
    char* at = blocks_.back().get() + used_in_block_;
    std::memcpy(at, text.data(), text.size());
    used_in_block_ += text.size();
    return *texts_.emplace(at, text.size()).first;
  }

  std::size_t bytes() const {
    std::lock_guard lock{mutex_};
    return footprint();
  }

 private:
  /// The blocks and the index, as counted against game_text_store_limit.
  std::size_t footprint() const noexcept { return blocks_.size() * block_bytes + texts_.size() * index_entry_bytes; }

  mutable std::mutex mutex_;
  std::unordered_set<std::string_view> texts_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_in_block_ = block_bytes;  ///< of the last block (full when there is none)
};

// Never destroyed: game_texts in static objects may point into it while the process exits.
text_store& store() {
  static auto* s = new text_store;
  return *s;
}

/// One text this thread found: where it is in the store, and its hash's top half.
struct cache_slot {
  std::uint32_t tag = 0;
  std::uint32_t size = 0;
  char const* data = nullptr;

  bool holds(std::uint32_t t, std::string_view text) const noexcept {
    return tag == t && size == text.size() && data != nullptr && std::memcmp(data, text.data(), size) == 0;
  }
};
static_assert(game_text_max_shared <= UINT32_MAX, "a stored text's size fits a slot");

/// The texts this thread found last (each points into the store): 512 sets of two by text_hash,
/// the one used last first, 16 KiB that stay in the core's cache beside the answer being read.
/// Made on a thread's first text: threads that decode none pay nothing.
class recent_texts {
 public:
  static constexpr std::size_t sets = 512;

  std::string_view find(std::size_t hash, std::string_view text) noexcept {
    auto& set = sets_[hash % sets];
    auto const t = tag_of(hash);
    if (set[0].holds(t, text)) return {set[0].data, set[0].size};
    if (set[1].holds(t, text)) {
      std::swap(set[0], set[1]);
      return {set[0].data, set[0].size};
    }
    return {};
  }

  void add(std::size_t hash, std::string_view stored) noexcept {
    auto& set = sets_[hash % sets];
    set[1] = set[0];
    set[0] = {tag_of(hash), static_cast<std::uint32_t>(stored.size()), stored.data()};
  }

 private:
  static std::uint32_t tag_of(std::size_t hash) noexcept { return static_cast<std::uint32_t>(hash >> 32); }

  std::array<std::array<cache_slot, 2>, sets> sets_{};
};

recent_texts& recent() {
  thread_local auto const mine = std::make_unique<recent_texts>();
  return *mine;
}

template <class Word>
Word load(char const* at) noexcept {
  Word w;
  std::memcpy(&w, at, sizeof w);
  return w;
}

/// A hash of the whole text, 16 bytes a step in two independent lanes, the last step overlapping
/// the one before (every load a whole word: no byte-wise copy to stall on). Sizes of one image
/// differ only in the middle of their URLs ("/leagues/72/…" and "/leagues/36/…"), so every byte
/// counts. It only picks a set of `recent`, and a hit is compared whole: texts made to share a
/// hash only miss the cache.
std::size_t text_hash(std::string_view text) noexcept {
  auto const n = text.size();
  char const* p = text.data();
  std::uint64_t a = n * 0x9e3779b97f4a7c15U;
  std::uint64_t b = 0;
  auto mix = [&](std::uint64_t x, std::uint64_t y) {
    a = (a ^ x) * 0xbf58476d1ce4e5b9U;
    b = (b ^ y) * 0x94d049bb133111ebU;
  };
  if (n >= 16) {
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) mix(load<std::uint64_t>(p + i), load<std::uint64_t>(p + i + 8));
    if (i < n) mix(load<std::uint64_t>(p + n - 16), load<std::uint64_t>(p + n - 8));
  } else if (n >= 8) {
    mix(load<std::uint64_t>(p), load<std::uint64_t>(p + n - 8));
  } else if (n >= 4) {
    mix(load<std::uint32_t>(p), load<std::uint32_t>(p + n - 4));
  } else if (n > 0) {
    auto const byte = [&](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])}; };
    mix((byte(0) << 16) | (byte(n / 2) << 8) | byte(n - 1), 0);
  }
  auto const h = a ^ ((b << 32) | (b >> 32));
  return static_cast<std::size_t>(h ^ (h >> 29));
}

std::string_view shared_copy(std::string_view text) {
  auto const hash = text_hash(text);
  auto& cache = recent();
  if (auto const seen = cache.find(hash, text); !seen.empty()) return seen;
  auto const stored = store().find_or_add(text);
  if (!stored.empty()) cache.add(hash, stored);
  return stored;
}

}  // namespace

game_text::game_text(std::string_view text) {
  if (text.empty()) return;
  if (text.size() <= game_text_max_shared) {
    text_ = shared_copy(text);
    if (!text_.empty()) return;
  }
  auto own = std::make_shared_for_overwrite<char[]>(text.size());
  std::memcpy(own.get(), text.data(), text.size());
  text_ = std::string_view{own.get(), text.size()};
  own_ = std::move(own);
}

std::ostream& operator<<(std::ostream& out, game_text const& text) { return out << text.view(); }

std::size_t game_text_store_size() noexcept { return store().bytes(); }

}  // namespace overworld::coc
