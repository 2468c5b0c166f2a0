#include <overworld/server/world/events.hpp>

#include <overworld/core/log.hpp>
#include <overworld/server/world/snapshot.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>

namespace overworld::world {
namespace {

std::string status_json(district_view const& d) {
  std::string out = "{\"district\":\"";
  append_json_escaped(out, d.name);
  out += "\",\"districtId\":\"" + d.id + "\",\"status\":\"";
  out += to_string(d.status);
  out += "\",\"population\":" + std::to_string(d.population) + "}";
  return out;
}

std::string gone_json(district_view const& d) {
  std::string out = "{\"district\":\"";
  append_json_escaped(out, d.name);
  out += "\",\"districtId\":\"" + d.id + "\",\"status\":\"gone\",\"population\":0}";
  return out;
}

}  // namespace

std::vector<world_event> diff_views(std::vector<district_view> const& previous,
                                    std::vector<district_view> const& current) {
  std::map<std::string_view, district_view const*> before;
  for (auto const& d : previous) before.emplace(d.name, &d);
  std::vector<world_event> out;
  for (auto const& d : current) {
    auto const it = before.find(d.name);
    district_view const* old = it == before.end() ? nullptr : it->second;
    if (!old || old->status != d.status) out.push_back({0, "district.status", status_json(d)});
    bool const had = old && old->current;
    if (had && (!d.current || old->invasion_id != d.invasion_id)) {
      out.push_back({0, "invasion.ended", v2_invasion_json(*old)});
    }
    if (d.current) {
      if (!had || old->invasion_id != d.invasion_id) {
        out.push_back({0, "invasion.started", v2_invasion_json(d)});
      } else if (old->current->defeated != d.current->defeated) {
        out.push_back({0, "invasion.progress", v2_invasion_json(d)});
      }
    }
    if (old) before.erase(it);
  }
  for (auto const& [name, old] : before) {  // dropped districts
    if (old->current) out.push_back({0, "invasion.ended", v2_invasion_json(*old)});
    out.push_back({0, "district.status", gone_json(*old)});
  }
  return out;
}

void event_ring::append(std::vector<world_event> events) {
  std::lock_guard lock{mutex_};
  for (auto& e : events) {
    e.id = next_id_++;
    events_.push_back(std::move(e));
    if (events_.size() > capacity_) events_.pop_front();
  }
}

std::vector<world_event> event_ring::since(std::uint64_t after) const {
  std::lock_guard lock{mutex_};
  std::vector<world_event> out;
  for (auto const& e : events_) {
    if (e.id > after) out.push_back(e);
  }
  return out;
}

std::uint64_t event_ring::last_id() const {
  std::lock_guard lock{mutex_};
  return next_id_ - 1;
}

namespace {

class sse_stream final : public http::stream_source {
 public:
  sse_stream(std::shared_ptr<event_ring const> ring, std::uint64_t after, std::chrono::milliseconds heartbeat,
             std::chrono::milliseconds poll)
      : ring_(std::move(ring)), last_(after), heartbeat_(heartbeat), poll_(poll) {}

  boost::asio::awaitable<std::optional<std::string>> next() override {
    if (!started_) {
      started_ = true;
      last_beat_ = std::chrono::steady_clock::now();
      co_return std::string{"retry: 3000\n\n"};  // how long an EventSource waits before reconnecting
    }
    if (!timer_) timer_.emplace(co_await boost::asio::this_coro::executor);
    while (!stopped_) {
      auto events = ring_->since(last_);
      if (!events.empty()) {
        std::string out;
        for (auto const& e : events) {
          out += "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.data + "\n\n";
          last_ = e.id;
        }
        last_beat_ = std::chrono::steady_clock::now();
        co_return out;
      }
      if (std::chrono::steady_clock::now() - last_beat_ >= heartbeat_) {
        last_beat_ = std::chrono::steady_clock::now();
        co_return std::string{": heartbeat\n\n"};  // a comment line: keeps proxies from timing out
      }
      timer_->expires_after(poll_);
      co_await timer_->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_return std::nullopt;
  }

  void stop() override {
    stopped_ = true;
    if (timer_) timer_->cancel();
  }

 private:
  std::shared_ptr<event_ring const> ring_;
  std::uint64_t last_;
  std::chrono::milliseconds heartbeat_;
  std::chrono::milliseconds poll_;
  std::optional<boost::asio::steady_timer> timer_;
  bool started_ = false;
  bool stopped_ = false;
  std::chrono::steady_clock::time_point last_beat_{};
};

}  // namespace

std::shared_ptr<http::stream_source> make_event_stream(std::shared_ptr<event_ring const> ring, std::uint64_t after,
                                                       std::chrono::milliseconds heartbeat,
                                                       std::chrono::milliseconds poll) {
  return std::make_shared<sse_stream>(std::move(ring), after, heartbeat, poll);
}

}  // namespace overworld::world
