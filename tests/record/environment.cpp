// Initializes libsodium once for the record tests.
#include <gtest/gtest.h>

#include "veche/crypto/random.hpp"

namespace {

class CryptoEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_TRUE(veche::crypto::initialize().has_value()); }
};

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new CryptoEnvironment);

}  // namespace
