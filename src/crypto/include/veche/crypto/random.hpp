// Secure randomness (libsodium) and library initialization.
#pragma once

#include "veche/core/random.hpp"
#include "veche/core/result.hpp"

namespace veche::crypto {

// Initializes libsodium (sodium_init). Call once from main (or a test environment) before any
// other function of this module. kInternal when libsodium cannot initialize. Idempotent.
Status initialize();

// core::Random over libsodium's randombytes_buf (the OS CSPRNG). Thread-safe.
class SystemRandom final : public core::Random {
 public:
  void fill(std::span<std::byte> out) override;
};

}  // namespace veche::crypto
