#include "veche/crypto/random.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace veche::crypto {

Status initialize() {
  if (sodium_init() < 0) return internal_error("libsodium failed to initialize");
  return ok();
}

void SystemRandom::fill(std::span<std::byte> out) { randombytes_buf(out.data(), out.size()); }

StreamRandom::StreamRandom() { randombytes_buf(key_.data(), key_.size()); }

StreamRandom::~StreamRandom() {
  sodium_memzero(key_.data(), key_.size());
  sodium_memzero(buffer_.data(), buffer_.size());
}

void StreamRandom::refill() {
  std::array<std::uint8_t, crypto_stream_chacha20_ietf_NONCEBYTES> nonce{};
  std::memcpy(nonce.data(), &block_, sizeof block_);
  ++block_;
  crypto_stream_chacha20_ietf(buffer_.data(), buffer_.size(), nonce.data(), key_.data());
  used_ = 0;
}

void StreamRandom::fill(std::span<std::byte> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (used_ == buffer_.size()) refill();
    const std::size_t n = std::min(out.size() - done, buffer_.size() - used_);
    std::memcpy(out.data() + done, buffer_.data() + used_, n);
    used_ += n;
    done += n;
  }
}

}  // namespace veche::crypto
