// Secure randomness (libsodium) and library initialization.
#pragma once

#include <array>
#include <cstdint>

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

// A ChaCha20 stream under a key drawn once from the OS CSPRNG: for the verifier's batch weights
// (§13), hundreds per ballot, where a system call per draw would dominate. Secure (the key is
// secret and fresh per object), not for long-term secrets. Not thread-safe: one per thread.
class StreamRandom final : public core::Random {
 public:
  StreamRandom();
  ~StreamRandom() override;
  StreamRandom(const StreamRandom&) = delete;
  StreamRandom& operator=(const StreamRandom&) = delete;
  void fill(std::span<std::byte> out) override;

 private:
  void refill();
  std::array<std::uint8_t, 32> key_{};
  std::uint64_t block_ = 0;
  std::array<std::uint8_t, 4096> buffer_{};
  std::size_t used_ = 4096;
};

}  // namespace veche::crypto
