// District reports shared by every node through Redis, so that a report accepted by any node is
// in every node's snapshot at its next tick. A node writes each report it accepts (its body as
// sent, stamped with the time it was accepted); at each tick every node lists the stamps, fetches
// the bodies that changed since it last looked and applies them to its own tracker. GETs never
// touch Redis: they are served from each node's snapshot.
//
// Two hashes hold it, `<prefix>:at` (district -> version, small, listed at every tick) and
// `<prefix>:body` (district -> "version body"); a version is "unix-ms:64 random bits", so two
// reports never share one, even across a Redis that lost its data. Writes are one Lua script,
// so a body and its version change together and the district cap holds across nodes; a district
// silent past drop_after is deleted by whichever node lists it first.
#pragma once

#include <overworld/core/error.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace overworld::store {
class redis_client;
}

namespace overworld::world {

/// One district's latest report as stored.
struct shared_report {
  std::string district;
  std::int64_t at_ms = 0;  ///< unix milliseconds when a node accepted it
  std::string body;        ///< the report body as the district sent it
  std::string version;     ///< "ms:random", unique to this report (made by put())
};

/// A district's latest version, as listed at each tick.
struct shared_stamp {
  std::string district;
  std::string version;
};

class shared_reports {
 public:
  /// Reports under `prefix` (default overworld:world:reports); at most `max_districts` districts.
  shared_reports(std::shared_ptr<store::redis_client> redis, std::size_t max_districts,
                 std::string prefix = "overworld:world:reports");

  /// Stores the district's report and answers its version; empty for a new district beyond
  /// max_districts (nothing stored). errc::unavailable when Redis cannot be reached.
  boost::asio::awaitable<result<std::string>> put(shared_report report);
  /// Every district's latest version, after deleting those older than `forget_before_ms`.
  boost::asio::awaitable<result<std::vector<shared_stamp>>> stamps(std::int64_t forget_before_ms);
  /// The reports of `districts` (fetched in batches, so no reply grows past a few MiB); a
  /// district deleted meanwhile is left out.
  boost::asio::awaitable<result<std::vector<shared_report>>> fetch(std::vector<std::string> districts);

 private:
  std::shared_ptr<store::redis_client> redis_;
  std::size_t max_districts_;
  std::string at_key_, body_key_;
};

}  // namespace overworld::world
