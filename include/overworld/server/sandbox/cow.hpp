// Copy-on-write pieces of a dataset. A change copies the dataset it edits, which copies only
// pointers; each piece it then edits is copied on its first edit and owned by the copy from then
// on. A dataset that has been published is never edited again, so readers need no locks, and a
// change costs the pieces it touches, not the size of the world.
//
// Ownership is read from the reference count: a piece is edited in place only when the dataset
// being edited is its one holder, which is true only of pieces that dataset made itself. The rule
// that makes this sound: edit a copy of a dataset that stays alive until the edit is done (the
// sandbox service keeps the one it copied), so a piece shared with it can never look unshared.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace overworld::sandbox {

/// One value shared by the datasets that did not change it.
template <typename T>
class cow {
 public:
  cow() = default;
  cow(T value) : p_(std::make_shared<T>(std::move(value))) {}  // NOLINT: implicit, as for the value

  T const& operator*() const noexcept { return p_ ? *p_ : empty(); }
  T const* operator->() const noexcept { return &**this; }
  /// The value to edit: copied first when another dataset holds it too.
  T& write() {
    if (!p_) {
      p_ = std::make_shared<T>();
    } else if (p_.use_count() != 1) {
      p_ = std::make_shared<T>(*p_);
    }
    return *p_;
  }
  /// Whether two datasets share this very value (no copy was made).
  bool shares_with(cow const& other) const noexcept { return p_ == other.p_; }

 private:
  static T const& empty() {
    static T const value{};
    return value;
  }
  std::shared_ptr<T> p_;
};

struct string_key_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct string_key_equal {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

/// A map from text keys (tags) to values, split into `Shards` shards that are shared between
/// datasets: an edit copies the one shard it touches. Open addressing inside a shard keeps the
/// lookup, the sandbox's hottest step after the HTTP core, one probe group and no modulo.
template <typename V, std::size_t Shards = 1024>
class cow_map {
  static_assert((Shards & (Shards - 1)) == 0, "a power of two");

 public:
  using shard_type = boost::unordered_flat_map<std::string, V, string_key_hash, string_key_equal>;
  using value_type = typename shard_type::value_type;

  V const* find(std::string_view key) const {
    auto const hash = string_key_hash{}(key);
    auto const& shard = shards_[hash & (Shards - 1)];
    if (!shard) return nullptr;
    auto it = shard->find(key);
    return it == shard->end() ? nullptr : &it->second;
  }
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  V const& at(std::string_view key) const {
    if (auto const* v = find(key)) return *v;
    throw std::out_of_range("no entry " + std::string{key});
  }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  /// The entry to edit (made when absent), its shard copied first when it is shared.
  V& operator[](std::string_view key) {
    auto& shard = writable(string_key_hash{}(key) & (Shards - 1));
    auto [it, inserted] = shard.try_emplace(std::string{key});
    if (inserted) ++size_;
    return it->second;
  }
  /// The entry to edit, or null when absent (nothing is copied then).
  V* find_for_edit(std::string_view key) {
    auto const i = string_key_hash{}(key) & (Shards - 1);
    if (!shards_[i] || !shards_[i]->contains(key)) return nullptr;
    return &writable(i).find(key)->second;
  }
  bool erase(std::string_view key) {
    auto const i = string_key_hash{}(key) & (Shards - 1);
    if (!shards_[i] || !shards_[i]->contains(key)) return false;
    writable(i).erase(writable(i).find(key));
    --size_;
    return true;
  }

  /// Entries in a fixed order for a given content (shard by shard), for reading only.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = typename shard_type::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = value_type const*;
    using reference = value_type const&;

    const_iterator() = default;
    reference operator*() const { return *it_; }
    pointer operator->() const { return &*it_; }
    const_iterator& operator++() {
      ++it_;
      settle();
      return *this;
    }
    const_iterator operator++(int) {
      auto old = *this;
      ++*this;
      return old;
    }
    bool operator==(const_iterator const& o) const { return shard_ == o.shard_ && (shard_ == Shards || it_ == o.it_); }

   private:
    friend class cow_map;
    const_iterator(cow_map const* map, std::size_t shard) : map_(map), shard_(shard) {
      if (shard_ < Shards && map_->shards_[shard_]) it_ = map_->shards_[shard_]->begin();
      settle();
    }
    void settle() {
      while (shard_ < Shards && (!map_->shards_[shard_] || it_ == map_->shards_[shard_]->end())) {
        ++shard_;
        if (shard_ < Shards && map_->shards_[shard_]) it_ = map_->shards_[shard_]->begin();
      }
    }
    cow_map const* map_ = nullptr;
    std::size_t shard_ = Shards;
    typename shard_type::const_iterator it_{};
  };
  const_iterator begin() const { return const_iterator{this, 0}; }
  const_iterator end() const { return const_iterator{this, Shards}; }

  /// How many shards two maps share (a measure of what a change copied).
  std::size_t shared_shards(cow_map const& other) const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < Shards; ++i) n += shards_[i] && shards_[i] == other.shards_[i];
    return n;
  }

 private:
  shard_type& writable(std::size_t i) {
    auto& shard = shards_[i];
    if (!shard) {
      shard = std::make_shared<shard_type>();
    } else if (shard.use_count() != 1) {
      shard = std::make_shared<shard_type>(*shard);
    }
    return *shard;
  }

  std::array<std::shared_ptr<shard_type>, Shards> shards_{};
  std::size_t size_ = 0;
};

}  // namespace overworld::sandbox
