#include "address_table.hpp"

namespace overworld::http::detail {

address_table::slot& address_table::slot::operator=(slot&& other) noexcept {
  if (this != &other) {
    release();
    table_ = other.table_;
    address_ = std::move(other.address_);
    other.table_ = nullptr;
  }
  return *this;
}

void address_table::slot::release() noexcept {
  if (table_) table_->release(address_);
  table_ = nullptr;
}

address_table::admission address_table::admit(std::string const& address) {
  admission out;
  if (cap_ == 0) {
    out.admitted = true;
    return out;
  }
  std::lock_guard lock{mutex_};
  auto& e = entries_[address];
  if (e.open < cap_) {
    ++e.open;
    out.admitted = true;
    out.open = e.open;
    out.place = slot{this, address};
    return out;
  }
  // An address at the cap has an entry as long as it has connections, so the time of its last
  // line needs no memory of its own: at most max_connections / cap addresses can be logging.
  ++e.refused;
  out.open = e.open;
  out.refused = e.refused;
  auto const now = time_->steady_now();
  if (!e.logged || now - e.last_line >= log_interval) {
    out.log = true;
    e.logged = true;
    e.last_line = now;
    e.refused = 0;
  }
  return out;
}

void address_table::release(std::string const& address) noexcept {
  std::lock_guard lock{mutex_};
  auto it = entries_.find(address);
  if (it == entries_.end()) return;
  if (--it->second.open == 0) entries_.erase(it);
}

std::size_t address_table::addresses() const {
  std::lock_guard lock{mutex_};
  return entries_.size();
}

std::size_t address_table::open(std::string const& address) const {
  std::lock_guard lock{mutex_};
  auto it = entries_.find(address);
  return it == entries_.end() ? 0 : it->second.open;
}

}  // namespace overworld::http::detail
