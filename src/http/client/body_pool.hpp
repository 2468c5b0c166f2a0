// Finished answer bodies kept for the next answers (internal to the client). A body of tens of
// kilobytes freed and allocated again on every request costs more than its copy: the allocator
// hands the pages back to the kernel and each new body faults them in again. The pool keeps a few
// bodies' storage and lends the best-fitting one to an answer of known length.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace overworld::http::detail {

class body_pool {
 public:
  /// Keeps up to `size` bodies, of at most `bytes` of storage in all.
  body_pool(std::size_t size, std::size_t bytes);

  /// Storage for a body of `need` bytes (padding included): the smallest kept one that holds it
  /// without wasting more than its size again, or an empty string when none fits.
  std::string take(std::size_t need);

  /// Keeps `body`'s storage (its contents are dropped), the oldest kept ones making room when the
  /// pool is full; a body bigger than the whole pool is freed. Any thread; never allocates.
  void give(std::string&& body) noexcept;

 private:
  std::mutex mutex_;
  std::vector<std::string> spare_;  ///< oldest first; reserved to size_ up front
  std::size_t size_;
  std::size_t bytes_;
  std::size_t kept_bytes_ = 0;
};

}  // namespace overworld::http::detail
