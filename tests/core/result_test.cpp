#include "veche/core/result.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace veche {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return invalid_argument("not a digit");
  return c - '0';
}

Result<int> sum_two(char a, char b) {
  VECHE_ASSIGN_OR_RETURN(int x, parse_digit(a));
  VECHE_ASSIGN_OR_RETURN(int y, parse_digit(b));
  return x + y;
}

Status check_digit(char c) {
  VECHE_TRY(parse_digit(c));
  return ok();
}

TEST(Result, CarriesAValueOrAnError) {
  auto good = sum_two('3', '4');
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(*good, 7);
  auto bad = sum_two('3', 'x');
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "not a digit");
}

TEST(Result, TryPropagatesTheFirstError) {
  EXPECT_TRUE(check_digit('1').has_value());
  EXPECT_EQ(check_digit('z').error().code, ErrorCode::kInvalidArgument);
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  auto p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Result, ValueOfAnErrorAbortsWithItsMessage) {
  Result<int> r = not_found("no such organization");
  EXPECT_DEATH((void)r.value(), "no such organization");
}

TEST(ErrorCode, EveryCodeHasAStableName) {
  EXPECT_STREQ(error_code_name(ErrorCode::kInvalidArgument), "invalid_argument");
  EXPECT_STREQ(error_code_name(ErrorCode::kResourceExhausted), "resource_exhausted");
  EXPECT_STREQ(error_code_name(ErrorCode::kInternal), "internal");
}

}  // namespace
}  // namespace veche
