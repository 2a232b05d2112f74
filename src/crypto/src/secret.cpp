#include "veche/crypto/secret.hpp"

#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

namespace veche::crypto {

namespace {

void* secure_alloc(std::size_t n) {
  void* p = sodium_malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

SecretBytes::SecretBytes(ByteView bytes)
    : data_(static_cast<std::uint8_t*>(secure_alloc(bytes.size()))), size_(bytes.size()) {
  if (size_ > 0) std::memcpy(data_, bytes.data(), size_);
}

SecretBytes SecretBytes::random(std::size_t n, core::Random& rng) {
  SecretBytes s;
  s.data_ = static_cast<std::uint8_t*>(secure_alloc(n));
  s.size_ = n;
  rng.fill(std::span<std::byte>(reinterpret_cast<std::byte*>(s.data_), n));
  return s;
}

SecretBytes::~SecretBytes() {
  if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes before freeing
}

SecretBytes::SecretBytes(SecretBytes&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept {
  if (this != &o) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

bool operator==(const SecretBytes& a, const SecretBytes& b) {
  if (a.size_ != b.size_) return false;
  if (a.size_ == 0) return true;
  return sodium_memcmp(a.data_, b.data_, a.size_) == 0;
}

SecretScalar::SecretScalar() : SecretScalar(Scalar()) {}

SecretScalar::SecretScalar(const Scalar& s)
    : value_(new (secure_alloc(sizeof(Scalar))) Scalar(s)) {}

SecretScalar SecretScalar::random(core::Random& rng) { return SecretScalar(Scalar::random(rng)); }

Result<SecretScalar> SecretScalar::import_secret_bytes(ByteView bytes) {
  VECHE_ASSIGN_OR_RETURN(Scalar s, Scalar::from_bytes(bytes));
  return SecretScalar(s);
}

SecretScalar::~SecretScalar() {
  if (value_ != nullptr) sodium_free(value_);
}

SecretScalar::SecretScalar(SecretScalar&& o) noexcept : value_(std::exchange(o.value_, nullptr)) {}

SecretScalar& SecretScalar::operator=(SecretScalar&& o) noexcept {
  if (this != &o) {
    if (value_ != nullptr) sodium_free(value_);
    value_ = std::exchange(o.value_, nullptr);
  }
  return *this;
}

bool operator==(const SecretScalar& a, const SecretScalar& b) {
  const ScalarBytes x = a.value_->to_bytes();
  const ScalarBytes y = b.value_->to_bytes();
  const bool eq = sodium_memcmp(x.data(), y.data(), x.size()) == 0;
  return eq;
}

}  // namespace veche::crypto
