#include "veche/core/random.hpp"

#include <cstring>

#include "veche/core/result.hpp"

namespace veche::core {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t Random::next_u64() {
  std::array<std::byte, 8> b{};
  fill(b);
  std::uint64_t v = 0;
  std::memcpy(&v, b.data(), sizeof v);
  return v;
}

std::uint64_t Random::uniform(std::uint64_t bound) {
  VECHE_CHECK(bound > 0, "uniform() needs a non-empty range");
  // Rejection sampling: drop the top partial block so every residue is equally likely.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  for (;;) {
    const std::uint64_t v = next_u64();
    if (v < limit) return v % bound;
  }
}

SeededRandom::SeededRandom(std::uint64_t seed) {
  for (auto& w : s_) w = splitmix64(seed);
}

SeededRandom::SeededRandom(std::span<const std::byte, 32> seed) {
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t w = 0;
    std::memcpy(&w, seed.data() + 8 * i, 8);
    s_[i] = w;
  }
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state never moves
}

std::uint64_t SeededRandom::step() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

void SeededRandom::fill(std::span<std::byte> out) {
  std::size_t i = 0;
  while (i < out.size()) {
    const std::uint64_t v = step();
    const std::size_t n = std::min<std::size_t>(8, out.size() - i);
    std::memcpy(out.data() + i, &v, n);
    i += n;
  }
}

}  // namespace veche::core
