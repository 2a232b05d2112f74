// Recounting a published petition list: a signer finds their hash from the receipt, anyone
// recounts, and a tampered list (a dropped, doubled or forged hash, a wrong count) is caught.
#include "veche/campaigns/petition.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "veche/crypto/random.hpp"

namespace veche::campaigns {
namespace {

std::string published(std::int64_t petition, std::vector<std::string> hashes, std::int64_t count) {
  boost::json::array list;
  for (const auto& h : hashes) list.emplace_back(h);
  return boost::json::serialize(boost::json::object{{"petition", petition},
                                                    {"count", count},
                                                    {"hashes", std::move(list)},
                                                    {"digest", list_digest(petition, hashes)}});
}

class PetitionRecount : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    for (int i = 0; i < 5; ++i) {
      receipts_.push_back("RECEIPT" + std::to_string(i));
      hashes_.push_back(signature_hash(7, receipts_.back()));
    }
    std::sort(hashes_.begin(), hashes_.end());
  }
  std::vector<std::string> receipts_, hashes_;
};

TEST_F(PetitionRecount, AnHonestListRecountsAndEachSignerFindsTheirHash) {
  auto r = recount(published(7, hashes_, 5), receipts_[3]);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->counted, 5);
  EXPECT_TRUE(r->digest_matches);
  EXPECT_EQ(r->receipt_found, true);
  EXPECT_EQ(recount(published(7, hashes_, 5), "NOT-A-RECEIPT")->receipt_found, false);
  // The hash depends on the petition: a receipt of another petition is not found.
  EXPECT_EQ(recount(published(8, hashes_, 5), receipts_[3])->receipt_found, false);
}

TEST_F(PetitionRecount, ATamperedListIsCaught) {
  auto dropped = hashes_;
  dropped.pop_back();
  EXPECT_FALSE(recount(published(7, dropped, 5))->ok());  // states 5, holds 4
  auto doubled = hashes_;
  doubled.push_back(doubled.back());
  EXPECT_FALSE(recount(published(7, doubled, 6))->ok());
  auto forged = hashes_;
  forged[0] = std::string(64, 'z');
  EXPECT_FALSE(recount(published(7, forged, 5))->ok());
  auto unsorted = hashes_;
  std::swap(unsorted[0], unsorted[1]);
  EXPECT_FALSE(recount(published(7, unsorted, 5))->ok());
  // A list changed after its digest was published.
  auto v = boost::json::parse(published(7, hashes_, 5)).as_object();
  v["hashes"].as_array().pop_back();
  v["count"] = 4;
  auto r = recount(boost::json::serialize(v));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->digest_matches);
  EXPECT_EQ(recount("[1,2]").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(recount("{\"petition\": 1}").error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace veche::campaigns
