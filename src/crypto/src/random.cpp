#include "veche/crypto/random.hpp"

#include <sodium.h>

namespace veche::crypto {

Status initialize() {
  if (sodium_init() < 0) return internal_error("libsodium failed to initialize");
  return ok();
}

void SystemRandom::fill(std::span<std::byte> out) { randombytes_buf(out.data(), out.size()); }

}  // namespace veche::crypto
