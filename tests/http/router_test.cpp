#include "veche/http/router.hpp"

#include <gtest/gtest.h>

namespace veche::http {
namespace {

Response on_error(Request&, int status, std::string_view message) {
  return Response::text(std::string(message), status);
}

Router make_router() {
  Router r;
  r.add(Method::kGet, "/", [](Request&) { return Response::text("home"); });
  r.add(Method::kGet, "/organizations/{slug}",
        [](Request& q) { return Response::text("org " + q.path_params.at("slug")); });
  r.add(Method::kPost, "/organizations/{slug}", [](Request&) { return Response::text("edit"); });
  return r;
}

Response get(const Router& router, Method m, std::string path) {
  Request q;
  q.method = m;
  q.path = std::move(path);
  return router.dispatch(q, on_error);
}

TEST(Router, MatchesLiteralsAndPlaceholders) {
  auto router = make_router();
  EXPECT_EQ(get(router, Method::kGet, "/").body, "home");
  EXPECT_EQ(get(router, Method::kGet, "/organizations/volga").body, "org volga");
  EXPECT_EQ(get(router, Method::kPost, "/organizations/volga").body, "edit");
}

TEST(Router, HeadIsServedByGet) { EXPECT_EQ(get(make_router(), Method::kHead, "/").body, "home"); }

TEST(Router, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto router = make_router();
  EXPECT_EQ(get(router, Method::kGet, "/organizations").status, 404);
  EXPECT_EQ(get(router, Method::kGet, "/organizations/a/b").status, 404);
  auto r = get(router, Method::kDelete, "/organizations/x");
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "GET, POST");
}

TEST(Router, RoutesAreEnumerable) { EXPECT_EQ(make_router().routes().size(), 3u); }

}  // namespace
}  // namespace veche::http
