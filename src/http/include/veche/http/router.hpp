// Maps (method, path pattern) to a handler. Patterns are literal segments and {name}
// parameters: "/organizations/{slug}". The route table is enumerable so that tests can
// check every route (authorization matrix, OpenAPI document).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "veche/http/message.hpp"

namespace veche::http {

struct Route {
  Method method;
  std::string pattern;
  std::function<Response(Request&)> handler;
  std::vector<std::string> segments;  // the pattern split at '/', once, when it is added
};

class Router {
 public:
  using ErrorRenderer = std::function<Response(Request&, int status, std::string_view message)>;

  void add(Method method, std::string pattern, std::function<Response(Request&)> handler);
  // Finds the route, fills req.path_params and calls it. No route: 404; the path exists with
  // other methods: 405 with an Allow header. HEAD is served by GET routes.
  Response dispatch(Request& req, const ErrorRenderer& on_error) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace veche::http
