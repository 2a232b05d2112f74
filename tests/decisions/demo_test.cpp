#include "veche/decisions/demo.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "veche/decisions/consultations.hpp"
#include "veche/decisions/motions.hpp"

namespace veche::decisions {
namespace {

class DemoTest : public DecisionsTest {
 protected:
  DemoTest() { with_organizations_ = false; }
};

TEST_P(DemoTest, TheDemoShowsMotionsAndConsultationsInEveryState) {
  core::ManualClock clock(kStart);
  auto loaded = registry::load_demo(*db_, clock);
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto demo = load_demo(*db_, clock, key_);
  ASSERT_TRUE(demo) << demo.error().message;
  auto motions = Motions(*db_, clock).list();
  ASSERT_TRUE(motions);
  ASSERT_EQ(motions->size(), 3u);
  int closed = 0;
  for (const auto& m : *motions) {
    if (m.closed) {
      ++closed;
      EXPECT_EQ(m.outcome, Outcome::kPassed);
    }
  }
  EXPECT_EQ(closed, 1);
  auto consultations = Consultations(*db_, clock, key_).list();
  ASSERT_TRUE(consultations);
  ASSERT_EQ(consultations->size(), 2u);
  EXPECT_FALSE(consultations->front().closed());
  EXPECT_TRUE(consultations->back().closed());
  EXPECT_EQ(consultations->back().ballots, 6);
  // The demo's story is told in order: the log's times never go back.
  const auto entries = log();
  for (std::size_t i = 1; i < entries.size(); ++i) {
    EXPECT_LE(entries[i - 1].time, entries[i].time) << "entry " << entries[i].seq;
  }
  auto report = verify_log(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->first_broken);
  EXPECT_EQ(load_demo(*db_, clock, key_).error().code, ErrorCode::kAlreadyExists);
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         backend_name);

}  // namespace
}  // namespace veche::decisions
