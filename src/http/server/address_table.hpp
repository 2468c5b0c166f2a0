// Open connections per client address, shared by a listener's threads: the per-address cap
// (http.max_connections_per_address) and the rate-limited line that says who was refused.
#pragma once

#include <overworld/core/clock.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace overworld::http::detail {

class address_table {
 public:
  /// One line per address per this interval at most, however many connections it is refused.
  static constexpr std::chrono::seconds log_interval{60};

  /// `cap` connections per address at most; 0: no cap (then nothing is counted).
  address_table(std::size_t cap, clock const& time) : cap_(cap), time_(&time) {}
  address_table(address_table const&) = delete;
  address_table& operator=(address_table const&) = delete;

  /// A counted connection of one address; releases its place when destroyed.
  class slot {
   public:
    slot() = default;
    slot(slot&& other) noexcept : table_(other.table_), address_(std::move(other.address_)) { other.table_ = nullptr; }
    slot& operator=(slot&& other) noexcept;
    slot(slot const&) = delete;
    slot& operator=(slot const&) = delete;
    ~slot() { release(); }
    bool counted() const noexcept { return table_ != nullptr; }

   private:
    friend class address_table;
    slot(address_table* t, std::string a) : table_(t), address_(std::move(a)) {}
    void release() noexcept;
    address_table* table_ = nullptr;
    std::string address_;
  };

  struct admission {
    bool admitted = false;
    slot place;                 ///< counted when admitted (and the cap is on)
    bool log = false;           ///< refused, and this address's line is due
    std::uint64_t refused = 0;  ///< refusals of this address since its last line (this one included)
    std::size_t open = 0;       ///< connections the address holds
  };

  /// Counts a new connection of `address`, or refuses it when the address holds `cap` already.
  admission admit(std::string const& address);

  std::size_t cap() const noexcept { return cap_; }
  /// Addresses with a connection open now (entries live only while they have one).
  std::size_t addresses() const;
  std::size_t open(std::string const& address) const;

 private:
  struct entry {
    std::size_t open = 0;
    std::uint64_t refused = 0;  // since the last line
    clock::steady_time last_line{};
    bool logged = false;
  };
  void release(std::string const& address) noexcept;

  std::size_t cap_;
  clock const* time_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
};

}  // namespace overworld::http::detail
