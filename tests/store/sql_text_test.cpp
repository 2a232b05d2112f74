#include "veche/store/sql_text.hpp"

#include <gtest/gtest.h>

namespace veche::store {
namespace {

TEST(NumberPlaceholders, NumbersPlaceholdersLeftToRight) {
  const NumberedSql n = number_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)");
  EXPECT_EQ(n.text, "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(n.placeholders, 3u);
}

TEST(NumberPlaceholders, LeavesQuestionMarkInsideStringLiteral) {
  const NumberedSql n = number_placeholders("SELECT 'what?', ? WHERE x = 'it''s ?'");
  EXPECT_EQ(n.text, "SELECT 'what?', $1 WHERE x = 'it''s ?'");
  EXPECT_EQ(n.placeholders, 1u);
}

TEST(NumberPlaceholders, LeavesQuestionMarkInsideQuotedIdentifier) {
  const NumberedSql n = number_placeholders("SELECT \"odd?\"\"name\" FROM t WHERE id = ?");
  EXPECT_EQ(n.text, "SELECT \"odd?\"\"name\" FROM t WHERE id = $1");
  EXPECT_EQ(n.placeholders, 1u);
}

TEST(NumberPlaceholders, HonoursBackslashEscapesOnlyInEscapeStrings) {
  // In E'' a backslash escapes the quote; in a plain literal it does not.
  EXPECT_EQ(number_placeholders("SELECT E'a\\'?', ?").text, "SELECT E'a\\'?', $1");
  EXPECT_EQ(number_placeholders("SELECT 'a\\', ?").text, "SELECT 'a\\', $1");
  // An identifier ending in e before a quote is not an escape-string prefix.
  EXPECT_EQ(number_placeholders("SELECT name'x\\', ?").text, "SELECT name'x\\', $1");
}

TEST(NumberPlaceholders, LeavesCommentsAndDollarQuotesAlone) {
  EXPECT_EQ(number_placeholders("SELECT ? -- why?\n, ?").text, "SELECT $1 -- why?\n, $2");
  EXPECT_EQ(number_placeholders("SELECT /* a /* nested? */ b? */ ?").text,
            "SELECT /* a /* nested? */ b? */ $1");
  EXPECT_EQ(number_placeholders("SELECT $$?$$, $tag$ ? $$ ? $tag$, ?").text,
            "SELECT $$?$$, $tag$ ? $$ ? $tag$, $1");
  // A dollar inside an identifier or before a digit does not open a dollar quote.
  EXPECT_EQ(number_placeholders("SELECT a$b$c, ?, $9").text, "SELECT a$b$c, $1, $9");
}

TEST(NumberPlaceholders, UnterminatedQuoteKeepsTheRestUnchanged) {
  const NumberedSql n = number_placeholders("SELECT ?, 'open ?");
  EXPECT_EQ(n.text, "SELECT $1, 'open ?");
  EXPECT_EQ(n.placeholders, 1u);
  EXPECT_EQ(number_placeholders("").text, "");
}

TEST(NumberPlaceholders, CountsTwoDigitPlaceholders) {
  std::string sql = "VALUES (";
  for (int i = 0; i < 12; ++i) sql += i == 0 ? "?" : ", ?";
  sql += ")";
  const NumberedSql n = number_placeholders(sql);
  EXPECT_EQ(n.placeholders, 12u);
  EXPECT_NE(n.text.find("$12)"), std::string::npos);
  EXPECT_NE(n.text.find("$10, $11"), std::string::npos);
}

}  // namespace
}  // namespace veche::store
