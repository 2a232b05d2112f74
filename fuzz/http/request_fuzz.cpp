// Fuzzes what a client controls: the raw request bytes through Beast's parser with the
// server's limits, then decoding (make_request), form and cookie parsing, language choice
// and routing. Nothing may crash, hang or read out of bounds.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "i18n.hpp"
#include "veche/http/message.hpp"
#include "veche/http/router.hpp"

namespace http = veche::http;
namespace bhttp = boost::beast::http;

namespace {

const http::Router& router() {
  static const http::Router r = [] {
    http::Router x;
    auto ok = [](http::Request& q) { return http::Response::text(q.path); };
    x.add(http::Method::kGet, "/", ok);
    x.add(http::Method::kGet, "/organizations/{slug}", ok);
    x.add(http::Method::kPost, "/organizations/{slug}/edit", ok);
    x.add(http::Method::kGet, "/api/v1/{a}/{b}", ok);
    return x;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_header_done()) return 0;
  auto br = parser.release();
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& f : br)
    headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  http::Request req = http::make_request(http::Method::kGet, std::string(br.target()),
                                         std::move(headers), std::move(br.body()));
  (void)http::parse_form(req.body);
  (void)http::choose_language(req, http::Lang::kEn);
  (void)req.wants_json();
  if (req.malformed.empty()) {
    (void)http::percent_encode(req.path);
    (void)router().dispatch(req, [](http::Request&, int status, std::string_view m) {
      return http::Response::text(std::string(m), status);
    });
  }
  return 0;
}
