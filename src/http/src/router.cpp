#include "veche/http/router.hpp"

#include <map>

namespace veche::http {
namespace {

std::vector<std::string_view> split_path(std::string_view p) {
  std::vector<std::string_view> out;
  while (!p.empty()) {
    if (p.front() == '/') {
      p.remove_prefix(1);
      continue;
    }
    const auto slash = p.find('/');
    out.push_back(p.substr(0, slash));
    p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash);
  }
  return out;
}

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether the path's segments fit the route's; allocates nothing unless they do.
bool match(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path,
           std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!is_param(pattern[i]) && pattern[i] != path[i]) return false;
  }
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      found.emplace(pattern[i].substr(1, pattern[i].size() - 2), std::string(path[i]));
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(Method method, std::string pattern, std::function<Response(Request&)> handler) {
  std::vector<std::string> segments;
  for (auto part : split_path(pattern)) segments.emplace_back(part);
  routes_.push_back(Route{method, std::move(pattern), std::move(handler), std::move(segments)});
}

Response Router::dispatch(Request& req, const ErrorRenderer& on_error) const {
  const Method wanted = req.method == Method::kHead ? Method::kGet : req.method;
  std::string allow;
  const auto path = split_path(req.path);
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route.segments, path, params)) continue;
    if (route.method == wanted) {
      req.path_params = std::move(params);
      return route.handler(req);
    }
    if (!allow.empty()) allow += ", ";
    allow += method_name(route.method);
  }
  if (!allow.empty()) {
    Response r = on_error(req, 405, "This address does not accept this method.");
    r.header("Allow", allow);
    return r;
  }
  return on_error(req, 404, "There is no page at this address.");
}

}  // namespace veche::http
