#include <overworld/store/worker.hpp>

#include <boost/asio/post.hpp>

#include <future>

namespace overworld::store {

void worker::post(std::function<void()> work) { boost::asio::post(pool_, std::move(work)); }

void worker::run_blocking(std::function<void()> work) {
  std::promise<void> done;
  boost::asio::post(pool_, [&] {
    work();
    done.set_value();
  });
  done.get_future().get();
}

}  // namespace overworld::store
