// Randomness as an injected dependency. The cryptographically secure source lives in
// `crypto` (libsodium); core only defines the interface and a seeded source for tests
// and for deterministic procedures (tie-breaking seeded from a published hash).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace veche::core {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Thread-safety is the implementation's to state.
  virtual void fill(std::span<std::byte> out) = 0;
  std::uint64_t next_u64();
  // Uniform in [0, bound), without modulo bias. Precondition: bound > 0.
  std::uint64_t uniform(std::uint64_t bound);
};

// xoshiro256** seeded by SplitMix64: deterministic, fast, NOT for secrets. Not thread-safe.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed);
  // Seeds from 32 bytes (for instance a published hash), so a recount repeats the draw.
  explicit SeededRandom(std::span<const std::byte, 32> seed);
  void fill(std::span<std::byte> out) override;

 private:
  std::uint64_t step();
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace veche::core
