// Secrets: move-only, on sodium_malloc'd memory (guarded, locked), wiped on destruction,
// compared in constant time, printed as <redacted>. Reading the value for computation goes
// through expose(); writing it out needs export_secret_bytes(), whose name says so.
#pragma once

#include <cstddef>
#include <ostream>

#include "veche/core/random.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/group.hpp"

namespace veche::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView bytes);
  static SecretBytes random(std::size_t n, core::Random& rng);
  ~SecretBytes();
  SecretBytes(SecretBytes&& o) noexcept;
  SecretBytes& operator=(SecretBytes&& o) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::size_t size() const { return size_; }
  ByteView expose() const { return {data_, size_}; }
  Bytes export_secret_bytes() const { return Bytes(data_, data_ + size_); }
  // Constant time in the length.
  friend bool operator==(const SecretBytes& a, const SecretBytes& b);
  friend std::ostream& operator<<(std::ostream& os, const SecretBytes&) {
    return os << "<redacted>";
  }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

class SecretScalar {
 public:
  SecretScalar();  // zero
  explicit SecretScalar(const Scalar& s);
  static SecretScalar random(core::Random& rng);
  // Strict 32-byte canonical scalar.
  static Result<SecretScalar> import_secret_bytes(ByteView bytes);
  ~SecretScalar();
  SecretScalar(SecretScalar&& o) noexcept;
  SecretScalar& operator=(SecretScalar&& o) noexcept;
  SecretScalar(const SecretScalar&) = delete;
  SecretScalar& operator=(const SecretScalar&) = delete;

  const Scalar& expose() const { return *value_; }
  ScalarBytes export_secret_bytes() const { return value_->to_bytes(); }
  friend bool operator==(const SecretScalar& a, const SecretScalar& b);
  friend std::ostream& operator<<(std::ostream& os, const SecretScalar&) {
    return os << "<redacted>";
  }

 private:
  Scalar* value_ = nullptr;
};

}  // namespace veche::crypto
