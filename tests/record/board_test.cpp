#include "veche/record/board.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace veche::record {
namespace {

Board small_board() {
  Board b;
  boost::json::object p1;
  p1["a"] = 1;
  b.append("setup", p1);
  boost::json::object p2;
  p2["b"] = "x";
  b.append("ballot", p2);
  return b;
}

TEST(Board, SerializesAndParsesBack) {
  const Board b = small_board();
  const std::string text = b.serialize();
  auto events = parse_board(text);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  ASSERT_EQ(events->size(), 2U);
  EXPECT_EQ((*events)[1].prev, (*events)[0].hash);
  EXPECT_EQ((*events)[1].payload, "{\"b\":\"x\"}");
  EXPECT_EQ((*events)[1].hash, event_hash(1, (*events)[0].hash, "ballot", "{\"b\":\"x\"}"));
}

TEST(Board, RejectsNonCanonicalLines) {
  const std::string text = small_board().serialize();
  auto expect_rejected = [](const std::string& t, const std::string& why) {
    auto r = parse_board(t);
    EXPECT_FALSE(r.has_value()) << why;
  };
  std::string spaced = text;
  spaced.insert(1, " ");
  expect_rejected(spaced, "a space");
  std::string upper = text;
  const auto pos = upper.find("\"hash\":\"") + 8;
  for (std::size_t i = pos; i < pos + 64; ++i) {
    if (upper[i] >= 'a' && upper[i] <= 'f') {
      upper[i] = static_cast<char>(upper[i] - 32);
      break;
    }
  }
  expect_rejected(upper, "uppercase hex");
  expect_rejected(text.substr(0, text.size() - 1), "no final newline");
  expect_rejected("", "empty");
  expect_rejected(text + text, "seq restarts");
  std::string extra = text;
  extra.replace(extra.find("{\"seq\""), 1, "{\"x\":1,");
  expect_rejected(extra, "unknown key");
  expect_rejected("{\"seq\":0}\n", "missing keys");
  expect_rejected("[1,2]\n", "not an object");
  expect_rejected("\xff\n", "not JSON");
}

TEST(Board, SignedPayloadsCheckTheSigner) {
  core::SeededRandom rng(1);
  const auto key = crypto::SigningKey::generate(rng);
  const auto other = crypto::SigningKey::generate(rng);
  boost::json::object p;
  p["x"] = 1;
  sign_payload(p, "close", key);
  EXPECT_TRUE(check_payload_signature(p, "close", key.verify_key()).has_value());
  EXPECT_FALSE(check_payload_signature(p, "open", key.verify_key()).has_value());
  EXPECT_FALSE(check_payload_signature(p, "close", other.verify_key()).has_value());
  p["x"] = 2;
  EXPECT_FALSE(check_payload_signature(p, "close", key.verify_key()).has_value());
}

}  // namespace
}  // namespace veche::record
