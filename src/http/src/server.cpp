#include "veche/http/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <tuple>

#include "security.hpp"
#include "veche/core/random.hpp"
#include "veche/core/text.hpp"

namespace veche::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

Method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
      return Method::kGet;
    case bhttp::verb::head:
      return Method::kHead;
    case bhttp::verb::post:
      return Method::kPost;
    case bhttp::verb::put:
      return Method::kPut;
    case bhttp::verb::patch:
      return Method::kPatch;
    case bhttp::verb::delete_:
      return Method::kDelete;
    case bhttp::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

std::string new_request_id() {
  thread_local core::SeededRandom rng(
      std::hash<std::thread::id>{}(std::this_thread::get_id()) ^
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::array<std::byte, 8> b{};
  rng.fill(b);
  return core::to_hex(b);
}

using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

BeastResponse to_beast(Response&& r, unsigned version, bool keep_alive, bool head) {
  BeastResponse res{static_cast<bhttp::status>(r.status), version};
  res.set(bhttp::field::server, "veche");
  res.set(bhttp::field::content_type, r.content_type);
  for (const auto& [name, value] : security_headers(r.content_type)) res.set(name, value);
  for (auto& [name, value] : r.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  const auto size = r.body.size();
  if (!head) res.body() = std::move(r.body);
  res.content_length(size);
  return res;
}

// A small error response for requests that never reached a handler (unparseable requests).
BeastResponse early_error(int status, std::string_view message) {
  Response r = Response::text(std::string(message) + "\n", status);
  return to_beast(std::move(r), 11, false, false);
}

}  // namespace

// Counts a large body being read (ServerOptions::body_limit_for) for as long as it lives.
struct LargeBody {
  explicit LargeBody(std::atomic<int>& n) : n_(n) { ++n_; }
  ~LargeBody() { --n_; }
  LargeBody(const LargeBody&) = delete;
  LargeBody& operator=(const LargeBody&) = delete;

 private:
  std::atomic<int>& n_;
};

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};
  std::atomic<int> large_bodies{0};
  std::uint16_t bound_port = 0;

  Impl(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        ioc(static_cast<int>(threads(options.io_threads))),
        workers(worker_threads(options.worker_threads)) {}

  static unsigned threads(unsigned wanted) {
    if (wanted > 0) return wanted;
    return std::max(1u, std::thread::hardware_concurrency());
  }
  // Handlers block on the disk (a durable write waits for its fsync): with one worker per core
  // a core would idle through every fsync, and writes that could share one (the election
  // ballots' group commit) would queue one by one. Four per core keeps the cores busy.
  static unsigned worker_threads(unsigned wanted) {
    if (wanted > 0) return wanted;
    return std::max(4u, 4 * std::thread::hardware_concurrency());
  }

  Response call_handler(Request& req) {
    try {
      return handler(req);
    } catch (const std::exception& e) {
      spdlog::error("request {} failed: {}", req.request_id, e.what());
    } catch (...) {
      spdlog::error("request {} failed with an unknown exception", req.request_id);
    }
    return Response::text("internal error; request id " + req.request_id + "\n", 500);
  }

  // Converts the parsed Beast request into a plain Request (decoded and checked there).
  static Request convert(BeastRequest& br) {
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& field : br) {
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    Request req = make_request(to_method(br.method()), std::string(br.target()), std::move(headers),
                               std::move(br.body()));
    req.request_id = new_request_id();
    return req;
  }

  asio::awaitable<void> session(beast::tcp_stream stream) {
    ++active;
    struct Leave {
      std::atomic<int>& n;
      ~Leave() { --n; }
    } leave{active};
    beast::flat_buffer buffer;
    std::string peer;
    if (options.log_addresses) {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) peer = ep.address().to_string();
    }
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(options.max_header_bytes);
      // Beast checks a Content-Length against the limit as the header ends, so the route's own
      // limit is applied just after (below); a chunked body is held to it as it arrives.
      parser.body_limit(boost::none);
      stream.expires_after(options.request_timeout);
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser,
                                                       asio::as_tuple(asio::use_awaitable));
      std::optional<LargeBody> large;
      if (!ec && !parser.is_done()) {
        const auto& head = parser.get();
        std::uint64_t limit = options.max_body_bytes;
        if (options.body_limit_for) {
          limit = std::max(limit, options.body_limit_for(to_method(head.method()), head.target()));
        }
        const auto declared = parser.content_length();  // none for a chunked body
        if (declared && *declared > limit) {
          ec = bhttp::error::body_limit;
        } else if (limit > options.max_body_bytes) {
          large.emplace(large_bodies);
          if (large_bodies.load() > static_cast<int>(options.max_large_bodies)) {
            auto res = early_error(503, "too many large uploads at once; try again in a minute");
            res.set(bhttp::field::retry_after, "60");
            co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            break;
          }
          parser.body_limit(limit);
          // A slow connection keeps the upload alive as long as bytes keep arriving, up to a
          // whole-body deadline of the usual timeout plus a second per 8 KiB, so that a trickle
          // cannot hold one of the few places for ever.
          const auto deadline =
              std::chrono::steady_clock::now() + options.request_timeout +
              std::chrono::seconds(static_cast<std::int64_t>(declared.value_or(limit) >> 13));
          while (!ec && !parser.is_done()) {
            stream.expires_at(
                std::min(deadline, std::chrono::steady_clock::now() + options.request_timeout));
            std::tie(ec, n) = co_await bhttp::async_read_some(stream, buffer, parser,
                                                              asio::as_tuple(asio::use_awaitable));
          }
        } else {
          parser.body_limit(limit);
          std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser,
                                                       asio::as_tuple(asio::use_awaitable));
        }
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
          ec == beast::error::timeout || ec == asio::error::eof ||
          ec == asio::error::connection_reset) {
        break;
      }
      if (ec) {
        int status = 400;
        std::string msg = "bad request: " + ec.message();
        if (ec == bhttp::error::body_limit) {
          status = 413;
          msg = "request body too large";
        } else if (ec == bhttp::error::header_limit) {
          status = 431;
          msg = "request headers too large";
        }
        auto res = early_error(status, msg);
        co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        break;
      }
      BeastRequest br = parser.release();
      const auto start = std::chrono::steady_clock::now();
      const bool keep_alive = br.keep_alive() && !stopping.load();
      const bool head = br.method() == bhttp::verb::head;
      const unsigned version = br.version();
      Request req = convert(br);
      const std::string log_target = req.malformed.empty() ? req.path : std::string("-");
      const std::string request_id = req.request_id;
      // Run the handler on the worker pool; resume here on the I/O thread.
      Response response = co_await asio::co_spawn(
          workers, [this, &req]() -> asio::awaitable<Response> { co_return call_handler(req); },
          asio::use_awaitable);
      const int status = response.status;
      auto res = to_beast(std::move(response), version, keep_alive, head);
      const auto bytes = res.body().size();
      auto [wec, wn] =
          co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      if (spdlog::should_log(spdlog::level::info)) {
        // Paths only (no query strings: they can carry codes); no addresses unless enabled.
        if (options.log_addresses) {
          spdlog::info("{} {} {} {} {}B {}us id={}", peer, method_name(to_method(br.method())),
                       log_target, status, bytes, us, request_id);
        } else {
          spdlog::info("{} {} {} {}B {}us id={}", method_name(to_method(br.method())), log_target,
                       status, bytes, us, request_id);
        }
      }
      if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::awaitable<void> accept_loop() {
    while (!stopping.load()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) break;
        continue;  // a transient accept failure (EMFILE, ECONNABORTED): keep serving
      }
      asio::co_spawn(acceptor.get_executor(), session(beast::tcp_stream(std::move(socket))),
                     asio::detached);
    }
  }

  void begin_shutdown() {
    if (stopping.exchange(true)) return;
    asio::post(ioc, [this] {
      beast::error_code ec;
      acceptor.close(ec);
      drain(std::chrono::steady_clock::now() + options.drain_timeout);
    });
  }

  // Polls until in-flight sessions end or the drain deadline passes, then stops the loop.
  void drain(std::chrono::steady_clock::time_point deadline) {
    if (active.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
      ioc.stop();
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(50));
    timer->async_wait([this, timer, deadline](const beast::error_code&) { drain(deadline); });
  }
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { impl_->workers.join(); }

Status Server::listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec)
    return invalid_argument("listen address '" + impl_->options.host + "' is not an IP address");
  tcp::endpoint ep{address, impl_->options.port};
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return unavailable("cannot listen on " + impl_->options.host + ":" +
                       std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->bound_port = acc.local_endpoint().port();
  return ok();
}

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() {
  auto& impl = *impl_;
  asio::signal_set signals(impl.ioc);
  if (impl.options.handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([&impl](const beast::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info("signal {}: shutting down gracefully", sig);
      impl.begin_shutdown();
    });
  }
  asio::co_spawn(impl.ioc, impl.accept_loop(), asio::detached);
  const unsigned n = Impl::threads(impl.options.io_threads);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() { impl_->begin_shutdown(); }

}  // namespace veche::http
