// The HTTP server: Beast + Asio C++20 coroutines on a few I/O threads; request handlers run
// on a separate worker pool so a slow database call never stalls the I/O threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"
#include "veche/http/message.hpp"

namespace veche::http {

// Turns a request into a response. Called on a worker thread, concurrently: must be
// thread-safe. Exceptions are caught by the server, logged with the request id and
// answered with a generic error; handlers should return error responses instead.
using Handler = std::function<Response(Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;    // 0 picks a free port; see Server::port()
  unsigned io_threads = 0;      // 0 = one per core
  unsigned worker_threads = 0;  // 0 = four per core (handlers wait for fsync)
  std::uint32_t max_header_bytes = 16 << 10;
  std::uint64_t max_body_bytes = 1 << 20;
  // The few routes that take more (a registrar's credentials for a large electorate): called
  // with the method and target once the request's header is read, it returns that request's
  // body limit, or 0 for max_body_bytes. Such a body may arrive slowly: its timeout counts from
  // the last bytes received, within request_timeout plus a second per 8 KiB for the whole body;
  // at most max_large_bodies of them are read at once (others get 503).
  std::function<std::uint64_t(Method, std::string_view target)> body_limit_for;
  unsigned max_large_bodies = 4;
  std::chrono::seconds request_timeout{15};  // a slow client gets this long per request
  std::chrono::seconds drain_timeout{5};     // graceful shutdown waits this long at most
  bool log_addresses = false;                // the access log omits client addresses by default
  bool handle_signals = true;                // SIGTERM/SIGINT start a graceful shutdown
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kUnavailable when the address is taken or not ours.
  Status listen();
  // The bound port (after listen()).
  std::uint16_t port() const;
  // Serves until stop() or a signal; returns after the graceful drain.
  void run();
  // Asks run() to return: stops accepting, lets in-flight requests finish. Thread-safe.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace veche::http
