// HTTP messages as plain values, so that only src/http includes Beast.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace veche::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view method_name(Method m);

struct Request {
  Method method = Method::kGet;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, valid UTF-8 (checked by the server)
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // names lowercased
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> path_params;  // filled by the router
  std::string body;
  std::string request_id;  // random, for correlating a log line with an error page
  // Set by the server when the request line could not be decoded (bad %XX, bad UTF-8): the
  // site answers 400 with this reason in the reader's language, and nothing else runs.
  std::string malformed;

  // The first query value named `name`, if any.
  std::optional<std::string> query_param(std::string_view name) const;
  // A header by lowercase name, or "" when absent.
  std::string_view header(std::string_view lowercase_name) const;
  // True when the client asked for JSON (an /api/ path or Accept: application/json).
  bool wants_json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the security headers
  std::string body;

  static Response html(std::string body, int status = 200);
  static Response json(std::string body, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response redirect(std::string location, int status = 303);
  Response& header(std::string name, std::string value);
};

// Builds a Request from what arrived on the wire: lowercases header names (repeated headers
// joined with ", ", cookies with "; "), decodes and checks the path and the query. A target
// that is not an origin-form path, broken %XX escapes, bad UTF-8 or a NUL in the path set
// `malformed` (and leave path and query empty) instead of failing.
Request make_request(Method method, std::string target,
                     std::vector<std::pair<std::string, std::string>> headers, std::string body);

// Parses "a=1; b=2" into a map. Malformed pairs are skipped; values are not decoded.
std::map<std::string, std::string> parse_cookies(std::string_view header);

// Decodes %XX escapes (and '+' as a space when `plus_as_space`). Returns nullopt for a broken
// escape or a result that is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space);

// Percent-encodes everything but unreserved characters and '/', for a path in a query value.
std::string percent_encode(std::string_view s);

// Decodes an application/x-www-form-urlencoded body (or a query string). Returns nullopt
// when the encoding is broken (bad %XX) or a name/value is not valid UTF-8.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view s);

}  // namespace veche::http
