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

bool match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string>& params) {
  const auto ps = split_path(pattern);
  const auto xs = split_path(path);
  if (ps.size() != xs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}') {
      found.emplace(std::string(ps[i].substr(1, ps[i].size() - 2)), std::string(xs[i]));
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(Method method, std::string pattern, std::function<Response(Request&)> handler) {
  routes_.push_back(Route{method, std::move(pattern), std::move(handler)});
}

Response Router::dispatch(Request& req, const ErrorRenderer& on_error) const {
  const Method wanted = req.method == Method::kHead ? Method::kGet : req.method;
  std::string allow;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route.pattern, req.path, params)) continue;
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
