#include "veche/http/message.hpp"

#include <gtest/gtest.h>

#include "i18n.hpp"

namespace veche::http {
namespace {

TEST(ParseForm, DecodesPlusAndPercentAndKeepsOrder) {
  auto f = parse_form("a=1&b=hello+world&c=%D0%92%D0%B5%D1%87%D0%B5&&d");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[1].second, "hello world");
  EXPECT_EQ((*f)[2].second, "Вече");
  EXPECT_EQ((*f)[3].first, "d");
  EXPECT_EQ((*f)[3].second, "");
}

TEST(ParseForm, RejectsBrokenEscapesAndBadUtf8) {
  EXPECT_FALSE(parse_form("a=%zz"));
  EXPECT_FALSE(parse_form("a=%4"));
  EXPECT_FALSE(parse_form("a=%ff"));
}

TEST(PercentCoding, PathRoundTrips) {
  const std::string path = "/organizations/a b&c?d#e/Вече";
  auto back = percent_decode(percent_encode(path), false);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, path);
  EXPECT_EQ(percent_encode("/a&b"), "/a%26b");
  EXPECT_EQ(*percent_decode("a+b", false), "a+b");
}

TEST(ParseCookies, SplitsPairsAndSkipsJunk) {
  auto c = parse_cookies("lang=ru; session=abc; junk; =x");
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c["lang"], "ru");
}

TEST(ChooseLanguage, CookieBeatsAcceptLanguageWhichBeatsDefault) {
  Request r;
  EXPECT_EQ(choose_language(r, Lang::kEn), Lang::kEn);
  EXPECT_EQ(choose_language(r, Lang::kRu), Lang::kRu);
  r.headers["accept-language"] = "fr-FR, ru;q=0.7, en;q=0.3";
  EXPECT_EQ(choose_language(r, Lang::kEn), Lang::kRu);
  r.headers["accept-language"] = "ru;q=0.2, EN-gb;q=0.9";
  EXPECT_EQ(choose_language(r, Lang::kRu), Lang::kEn);
  r.headers["accept-language"] = "ru;q=abc, en;q=7";  // malformed weights are ignored
  EXPECT_EQ(choose_language(r, Lang::kRu), Lang::kRu);
  r.cookies["lang"] = "en";
  r.headers["accept-language"] = "ru";
  EXPECT_EQ(choose_language(r, Lang::kRu), Lang::kEn);
  r.cookies["lang"] = "xx";
  EXPECT_EQ(choose_language(r, Lang::kEn), Lang::kRu);
}

TEST(Request, WantsJsonForApiPathsAndJsonOnlyAccept) {
  Request r;
  r.path = "/api/v1/x";
  EXPECT_TRUE(r.wants_json());
  r.path = "/x";
  EXPECT_FALSE(r.wants_json());
  r.headers["accept"] = "application/json";
  EXPECT_TRUE(r.wants_json());
  r.headers["accept"] = "text/html,application/json";
  EXPECT_FALSE(r.wants_json());
}

}  // namespace
}  // namespace veche::http

namespace veche::http {
namespace {

TEST(MakeRequest, DecodesPathQueryHeadersAndCookies) {
  auto r = make_request(Method::kGet, "/organizations/%D0%B2?lang=ru&x=a+b",
                        {{"Accept-Language", "ru"}, {"Cookie", "a=1"}, {"cookie", "b=2"}}, "");
  EXPECT_TRUE(r.malformed.empty());
  EXPECT_EQ(r.path, "/organizations/в");
  EXPECT_EQ(r.query_param("x"), "a b");
  EXPECT_EQ(r.header("accept-language"), "ru");
  EXPECT_EQ(r.cookies.at("a"), "1");
  EXPECT_EQ(r.cookies.at("b"), "2");
}

TEST(MakeRequest, MarksWhatCannotBeDecodedAsMalformed) {
  for (const char* t : {"", "*", "http://x/", "/%zz", "/%00", "/%C0%AF", "/?q=%ff"}) {
    auto r = make_request(Method::kGet, t, {}, "");
    EXPECT_FALSE(r.malformed.empty()) << t;
    EXPECT_TRUE(r.path.empty()) << t;
  }
}

}  // namespace
}  // namespace veche::http
