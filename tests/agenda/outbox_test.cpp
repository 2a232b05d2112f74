// The notification outbox on both backends: entries commit or roll back with the caller's
// transaction, are offered oldest first until acknowledged, and bad input is refused.
#include "veche/agenda/outbox.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace veche::agenda {
namespace {

class OutboxTest : public AgendaDatabaseTest {
 protected:
  core::TimePoint t0_ = core::from_unix(1'800'000'000);

  Status add(std::string_view topic, std::string_view payload) {
    return store::with_write(
        *db_, [&](store::Transaction& tx) { return enqueue(tx, topic, payload, t0_); });
  }
};

TEST_P(OutboxTest, EntriesArePendingOldestFirstUntilDelivered) {
  ASSERT_TRUE(add("agenda.issue.admitted", R"({"issue":1})"));
  ASSERT_TRUE(add("agenda.round.opened", R"({"round":2})"));
  auto first = pending(*db_, 10);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].topic, "agenda.issue.admitted");
  EXPECT_EQ((*first)[0].payload, R"({"issue":1})");
  EXPECT_EQ((*first)[0].created_at, t0_);
  EXPECT_FALSE((*first)[0].delivered_at);
  EXPECT_EQ((*first)[1].topic, "agenda.round.opened");

  ASSERT_TRUE(mark_delivered(*db_, (*first)[0].id, t0_ + std::chrono::seconds(5)));
  auto second = pending(*db_, 10);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].topic, "agenda.round.opened");

  auto all = recent(*db_, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].delivered_at, t0_ + std::chrono::seconds(5));
}

TEST_P(OutboxTest, LimitBoundsThePage) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(add("t", "{}"));
  auto page = pending(*db_, 3);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->size(), 3u);
  EXPECT_EQ(pending(*db_, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(pending(*db_, kMaxPendingLimit + 1).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(OutboxTest, AnEntryRollsBackWithItsTransaction) {
  auto s = store::with_write(
      *db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_TRY(enqueue(tx, "agenda.issue.raised", "{}", t0_));
        return conflict("the change failed");
      },
      store::Durability::kNormal, 1);
  EXPECT_FALSE(s);
  auto page = pending(*db_, 10);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->empty());
}

TEST_P(OutboxTest, AcknowledgingTwiceKeepsTheFirstTime) {
  ASSERT_TRUE(add("t", "{}"));
  auto page = pending(*db_, 1);
  ASSERT_TRUE(page);
  std::int64_t id = (*page)[0].id;
  ASSERT_TRUE(mark_delivered(*db_, id, t0_ + std::chrono::seconds(1)));
  ASSERT_TRUE(mark_delivered(*db_, id, t0_ + std::chrono::seconds(9)));
  auto all = recent(*db_, 1);
  ASSERT_TRUE(all);
  EXPECT_EQ((*all)[0].delivered_at, t0_ + std::chrono::seconds(1));
  EXPECT_EQ(mark_delivered(*db_, id + 100, t0_).error().code, ErrorCode::kNotFound);
}

TEST_P(OutboxTest, BadTopicsAndPayloadsAreRefusedAndNothingIsWritten) {
  for (std::string_view topic : {"", "Agenda", "1abc", "a b", "a/b", "é"}) {
    EXPECT_EQ(add(topic, "{}").error().code, ErrorCode::kInvalidArgument) << topic;
  }
  EXPECT_EQ(add(std::string(kMaxTopicBytes + 1, 'a'), "{}").error().code,
            ErrorCode::kInvalidArgument);
  for (std::string_view payload : {"", "[]", "1", "{", "{\"a\":}", "null"}) {
    EXPECT_EQ(add("t", payload).error().code, ErrorCode::kInvalidArgument) << payload;
  }
  std::string big = "{\"a\":\"" + std::string(kMaxPayloadBytes, 'x') + "\"}";
  EXPECT_EQ(add("t", big).error().code, ErrorCode::kInvalidArgument);
  auto page = pending(*db_, 10);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::agenda
