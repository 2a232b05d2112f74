#include "veche/core/text.hpp"

#include <gtest/gtest.h>

namespace veche::core {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8("Вече — собрание"));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x97\xB3"));  // U+1F5F3 ballot box
  EXPECT_EQ(utf8_length("Вече"), 4u);
}

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xD0"));              // cut short
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(CheckText, EnforcesLengthInCharactersAndNoControls) {
  EXPECT_TRUE(check_text("name", "Вече", 4));
  EXPECT_FALSE(check_text("name", "Вече!", 4));
  EXPECT_FALSE(check_text("name", "a\nb", 10));
  EXPECT_TRUE(check_text("body", "a\nb", 10, true));
  auto s = check_text("title", std::string("a\0b", 3), 10);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("title"), std::string::npos);
}

TEST(Hex, RoundTripsAndRejectsJunk) {
  auto bytes = from_hex("00ff10Ab");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(to_hex(*bytes), "00ff10ab");
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
}

TEST(XmlEscape, EscapesTheFiveCharactersAndNothingElse) {
  EXPECT_EQ(xml_escape(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(xml_escape("Вече"), "Вече");
  EXPECT_EQ(xml_escape(""), "");
}

TEST(Csv, FieldsAreQuotedOnlyWhenNeededAndRecordsAlwaysAndDefused) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_record({"id", "=HYPERLINK(\"x\")", "-1", "@a", "+b", "ok, \"q\""}),
            "\"id\",\"'=HYPERLINK(\"\"x\"\")\",\"'-1\",\"'@a\",\"'+b\",\"ok, \"\"q\"\"\"\r\n");
  EXPECT_EQ(csv_record({}), "\r\n");
}

}  // namespace
}  // namespace veche::core
