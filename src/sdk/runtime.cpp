#include <overworld/sdk/runtime.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <thread>

namespace overworld::sdk {
namespace {

// An io_context whose pending work can be destroyed before the objects that work refers to go
// away, while the context's services still exist.
class owned_context : public boost::asio::io_context {
 public:
  using boost::asio::io_context::io_context;
  void abandon_pending() { shutdown(); }
};

}  // namespace

struct io_thread::impl {
  owned_context ioc{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;
  std::atomic<bool> stopped{false};

  impl() {
    thread = std::thread{[this] { ioc.run(); }};
  }
};

io_thread::io_thread() : impl_(std::make_unique<impl>()) {}
io_thread::~io_thread() { stop(); }

void io_thread::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->work.reset();
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->ioc.abandon_pending();
}

boost::asio::any_io_executor io_thread::executor() const { return impl_->ioc.get_executor(); }
bool io_thread::running_here() const noexcept { return impl_->ioc.get_executor().running_in_this_thread(); }

}  // namespace overworld::sdk
