// The Ristretto255 group over libdecaf's decaf_255 (docs/protocol.md §1).
//
// Points are kept in libdecaf's internal (extended Edwards) form; they are encoded only to hash
// or to write them out. Parsing (from_bytes) is the one place where canonical encodings are
// enforced: a non-canonical point or a scalar >= ℓ is rejected there, once, for every input.
// The identity is an ordinary value here (libsodium refuses to return it; libdecaf does not).
// All types are values, cheap to copy, thread-compatible.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "veche/core/random.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/bytes.hpp"

namespace veche::crypto {

inline constexpr std::size_t kPointBytes = 32;
inline constexpr std::size_t kScalarBytes = 32;
using PointBytes = std::array<std::uint8_t, kPointBytes>;
using ScalarBytes = std::array<std::uint8_t, kScalarBytes>;

// An integer mod ℓ (the group order).
class Scalar {
 public:
  Scalar();  // zero
  static Scalar from_u64(std::uint64_t v);
  // 32 little-endian bytes, < ℓ. kInvalidArgument when the length is wrong or it is >= ℓ.
  static Result<Scalar> from_bytes(ByteView bytes);
  // Any number of bytes read little-endian and reduced mod ℓ (hash to scalar, §2).
  static Scalar from_bytes_wide(ByteView bytes);
  // Uniform non-zero scalar: 64 random bytes reduced mod ℓ, redrawn if zero (§4).
  static Scalar random(core::Random& rng);

  ScalarBytes to_bytes() const;
  bool is_zero() const;
  // Multiplicative inverse. Precondition: not zero.
  Scalar inverse() const;

  friend Scalar operator+(const Scalar& a, const Scalar& b);
  friend Scalar operator-(const Scalar& a, const Scalar& b);
  friend Scalar operator*(const Scalar& a, const Scalar& b);
  Scalar operator-() const;
  Scalar& operator+=(const Scalar& o) { return *this = *this + o; }
  friend bool operator==(const Scalar& a, const Scalar& b);

  const std::uint64_t* limbs() const { return limbs_.data(); }
  std::uint64_t* limbs() { return limbs_.data(); }

 private:
  alignas(8) std::array<std::uint64_t, 4> limbs_{};
};

// A Ristretto255 group element.
class Point {
 public:
  Point();  // the identity O
  static const Point& generator();
  static const Point& identity();
  // 32-byte canonical Ristretto255 encoding; the identity (32 zero bytes) is accepted.
  // kInvalidArgument for a wrong length or a non-canonical / invalid encoding.
  static Result<Point> from_bytes(ByteView bytes);
  // Hash to the group (libsodium's crypto_core_ristretto255_from_hash of 64 bytes).
  static Point from_hash(const std::array<std::uint8_t, 64>& h);

  PointBytes to_bytes() const;
  bool is_identity() const;

  // s·G with libdecaf's precomputed base table (constant time).
  static Point base_mul(const Scalar& s);
  // a·G + b·P, variable time: for verification only (public inputs).
  static Point base_double_mul_vartime(const Scalar& a, const Point& p, const Scalar& b);
  // a·P + b·Q (constant time).
  static Point double_mul(const Scalar& a, const Point& p, const Scalar& b, const Point& q);

  friend Point operator+(const Point& a, const Point& b);
  friend Point operator-(const Point& a, const Point& b);
  Point operator-() const;
  Point& operator+=(const Point& o);
  Point doubled() const;
  friend Point operator*(const Scalar& s, const Point& p);  // constant time
  friend bool operator==(const Point& a, const Point& b);

  const void* raw() const { return raw_.data(); }
  void* raw() { return raw_.data(); }

 private:
  alignas(32) std::array<unsigned char, 256> raw_;
};

// A precomputed table of multiples of a fixed point (the election key, a trustee key) for fast
// constant-time s·P. Move-only; the table lives on the heap.
class FixedBase {
 public:
  explicit FixedBase(const Point& p);
  ~FixedBase();
  FixedBase(FixedBase&&) noexcept;
  FixedBase& operator=(FixedBase&&) noexcept;
  FixedBase(const FixedBase&) = delete;
  FixedBase& operator=(const FixedBase&) = delete;

  const Point& point() const { return point_; }
  Point mul(const Scalar& s) const;

 private:
  Point point_;
  void* table_ = nullptr;
};

// Σ scalars[i]·points[i], variable time (Pippenger's bucket method; for verification).
// Precondition: equal lengths.
Point multi_scalar_mul(std::span<const Scalar> scalars, std::span<const Point> points);

// Batch verification (docs/protocol.md §13): accumulates equations Σ s_i·P_i + g·G + h·H = O,
// each already multiplied by its own random weight (weight()), and checks their sum with one
// multi-scalar multiplication. A false equation passes with probability about 2^-128.
// Not thread-safe; use one per thread.
class BatchVerifier {
 public:
  explicit BatchVerifier(const Point& h) : h_point_(h) {}
  // A fresh random 128-bit weight from the verifier's own randomness.
  static Scalar weight(core::Random& rng);
  void add_g(const Scalar& s) { g_ += s; }
  void add_h(const Scalar& s) { h_ += s; }
  void add(const Scalar& s, const Point& p) {
    scalars_.push_back(s);
    points_.push_back(p);
  }
  // Room for `points` more points without reallocating (a hint; large batches grow less).
  void reserve(std::size_t points) {
    scalars_.reserve(scalars_.size() + points);
    points_.reserve(points_.size() + points);
  }
  // True when every equation added holds (with overwhelming probability).
  bool verify() const;
  std::size_t size() const { return points_.size(); }

 private:
  Point h_point_;
  Scalar g_;
  Scalar h_;
  std::vector<Scalar> scalars_;
  std::vector<Point> points_;
};

// The group description GD of §1, hashed into every proof transcript.
ByteView group_description();

}  // namespace veche::crypto
