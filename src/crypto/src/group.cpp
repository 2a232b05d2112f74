// docs/protocol.md §1 (group), §13 (multi-scalar multiplication for batch verification).
#include "veche/crypto/group.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

#include "decaf_access.hpp"

namespace veche::crypto {

using detail::dp;
using detail::ds;

Scalar::Scalar() = default;

Scalar Scalar::from_u64(std::uint64_t v) {
  Scalar s;
  decaf_255_scalar_set_unsigned(ds(s), v);
  return s;
}

Result<Scalar> Scalar::from_bytes(ByteView bytes) {
  if (bytes.size() != kScalarBytes) {
    return invalid_argument("a scalar is 32 bytes, got " + std::to_string(bytes.size()));
  }
  Scalar s;
  if (decaf_255_scalar_decode(ds(s), bytes.data()) != DECAF_SUCCESS) {
    return invalid_argument("scalar is not canonical (>= group order)");
  }
  return s;
}

Scalar Scalar::from_bytes_wide(ByteView bytes) {
  Scalar s;
  decaf_255_scalar_decode_long(ds(s), bytes.data(), bytes.size());
  return s;
}

Scalar Scalar::random(core::Random& rng) {
  for (;;) {
    std::array<std::uint8_t, 64> buf{};
    rng.fill(std::as_writable_bytes(std::span(buf)));
    Scalar s = from_bytes_wide(buf);
    sodium_memzero(buf.data(), buf.size());
    if (!s.is_zero()) return s;
  }
}

ScalarBytes Scalar::to_bytes() const {
  ScalarBytes out{};
  decaf_255_scalar_encode(out.data(), ds(*this));
  return out;
}

bool Scalar::is_zero() const { return decaf_255_scalar_eq(ds(*this), decaf_255_scalar_zero) != 0; }

Scalar Scalar::inverse() const {
  Scalar out;
  const decaf_error_t e = decaf_255_scalar_invert(ds(out), ds(*this));
  VECHE_CHECK(e == DECAF_SUCCESS, "inverse() of zero is a caller bug");
  return out;
}

Scalar operator+(const Scalar& a, const Scalar& b) {
  Scalar out;
  decaf_255_scalar_add(ds(out), ds(a), ds(b));
  return out;
}
Scalar operator-(const Scalar& a, const Scalar& b) {
  Scalar out;
  decaf_255_scalar_sub(ds(out), ds(a), ds(b));
  return out;
}
Scalar operator*(const Scalar& a, const Scalar& b) {
  Scalar out;
  decaf_255_scalar_mul(ds(out), ds(a), ds(b));
  return out;
}
Scalar Scalar::operator-() const { return Scalar() - *this; }
bool operator==(const Scalar& a, const Scalar& b) { return decaf_255_scalar_eq(ds(a), ds(b)) != 0; }

Point::Point() { decaf_255_point_copy(dp(*this), decaf_255_point_identity); }

const Point& Point::generator() {
  static const Point g = [] {
    Point p;
    decaf_255_point_copy(dp(p), decaf_255_point_base);
    return p;
  }();
  return g;
}

const Point& Point::identity() {
  static const Point o;
  return o;
}

Result<Point> Point::from_bytes(ByteView bytes) {
  if (bytes.size() != kPointBytes) {
    return invalid_argument("a point is 32 bytes, got " + std::to_string(bytes.size()));
  }
  Point p;
  if (decaf_255_point_decode(dp(p), bytes.data(), DECAF_TRUE) != DECAF_SUCCESS) {
    return invalid_argument("not a canonical Ristretto255 point encoding");
  }
  return p;
}

Point Point::from_hash(const std::array<std::uint8_t, 64>& h) {
  PointBytes enc{};
  crypto_core_ristretto255_from_hash(enc.data(), h.data());
  auto p = from_bytes(enc);
  VECHE_CHECK(p.has_value(), "libsodium's hash to group yields a canonical point");
  return *p;
}

PointBytes Point::to_bytes() const {
  PointBytes out{};
  decaf_255_point_encode(out.data(), dp(*this));
  return out;
}

bool Point::is_identity() const {
  return decaf_255_point_eq(dp(*this), decaf_255_point_identity) != 0;
}

Point Point::base_mul(const Scalar& s) {
  Point out;
  decaf_255_precomputed_scalarmul(dp(out), decaf_255_precomputed_base, ds(s));
  return out;
}

Point Point::base_double_mul_vartime(const Scalar& a, const Point& p, const Scalar& b) {
  Point out;
  decaf_255_base_double_scalarmul_non_secret(dp(out), ds(a), dp(p), ds(b));
  return out;
}

Point Point::double_mul(const Scalar& a, const Point& p, const Scalar& b, const Point& q) {
  Point out;
  decaf_255_point_double_scalarmul(dp(out), dp(p), ds(a), dp(q), ds(b));
  return out;
}

Point operator+(const Point& a, const Point& b) {
  Point out;
  decaf_255_point_add(dp(out), dp(a), dp(b));
  return out;
}
Point operator-(const Point& a, const Point& b) {
  Point out;
  decaf_255_point_sub(dp(out), dp(a), dp(b));
  return out;
}
Point Point::operator-() const {
  Point out;
  decaf_255_point_negate(dp(out), dp(*this));
  return out;
}
Point& Point::operator+=(const Point& o) {
  decaf_255_point_add(dp(*this), dp(*this), dp(o));
  return *this;
}
Point Point::doubled() const {
  Point out;
  decaf_255_point_double(dp(out), dp(*this));
  return out;
}
Point operator*(const Scalar& s, const Point& p) {
  Point out;
  decaf_255_point_scalarmul(dp(out), dp(p), ds(s));
  return out;
}
bool operator==(const Point& a, const Point& b) { return decaf_255_point_eq(dp(a), dp(b)) != 0; }

FixedBase::FixedBase(const Point& p) : point_(p) {
  const std::size_t align = std::max<std::size_t>(decaf_255_alignof_precomputed_s, 16);
  table_ = ::operator new(decaf_255_sizeof_precomputed_s, std::align_val_t(align));
  decaf_255_precompute(static_cast<decaf_255_precomputed_s*>(table_), dp(point_));
}

FixedBase::~FixedBase() {
  if (table_ != nullptr) {
    const std::size_t align = std::max<std::size_t>(decaf_255_alignof_precomputed_s, 16);
    decaf_255_precomputed_destroy(static_cast<decaf_255_precomputed_s*>(table_));
    ::operator delete(table_, std::align_val_t(align));
  }
}

FixedBase::FixedBase(FixedBase&& o) noexcept : point_(o.point_), table_(o.table_) {
  o.table_ = nullptr;
}

FixedBase& FixedBase::operator=(FixedBase&& o) noexcept {
  if (this != &o) {
    this->~FixedBase();
    point_ = o.point_;
    table_ = o.table_;
    o.table_ = nullptr;
  }
  return *this;
}

Point FixedBase::mul(const Scalar& s) const {
  Point out;
  decaf_255_precomputed_scalarmul(dp(out), static_cast<const decaf_255_precomputed_s*>(table_),
                                  ds(s));
  return out;
}

namespace {

// Bits [pos, pos + width) of a 32-byte little-endian scalar.
unsigned window_digit(const ScalarBytes& s, unsigned pos, unsigned width) {
  unsigned v = 0;
  for (unsigned b = 0; b < width && pos + b < 256; ++b) {
    const unsigned bit = pos + b;
    v |= static_cast<unsigned>((s[bit / 8] >> (bit % 8)) & 1U) << b;
  }
  return v;
}

}  // namespace

Point multi_scalar_mul(std::span<const Scalar> scalars, std::span<const Point> points) {
  VECHE_CHECK(scalars.size() == points.size(), "one scalar per point");
  const std::size_t n = scalars.size();
  if (n == 0) return Point();
  if (n == 1) return scalars[0] * points[0];
  if (n == 2) return Point::double_mul(scalars[0], points[0], scalars[1], points[1]);
  unsigned c = 1;
  while ((std::size_t{1} << (c + 2)) < n && c < 16) ++c;  // c ≈ log2(n) - 2
  std::vector<ScalarBytes> enc(n);
  for (std::size_t i = 0; i < n; ++i) enc[i] = scalars[i].to_bytes();
  const unsigned windows = (253 + c - 1) / c;
  std::vector<Point> buckets(std::size_t{1} << c);
  std::vector<bool> used(buckets.size());
  Point acc;
  for (unsigned w = windows; w-- > 0;) {
    for (unsigned k = 0; k < c; ++k) acc = acc.doubled();
    std::fill(used.begin(), used.end(), false);
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned d = window_digit(enc[i], w * c, c);
      if (d == 0) continue;
      if (used[d]) {
        buckets[d] += points[i];
      } else {
        buckets[d] = points[i];
        used[d] = true;
      }
    }
    Point running;
    Point sum;
    for (std::size_t d = buckets.size() - 1; d > 0; --d) {
      if (used[d]) running += buckets[d];
      sum += running;
    }
    acc += sum;
  }
  return acc;
}

Scalar BatchVerifier::weight(core::Random& rng) {
  std::array<std::uint8_t, 16> b{};
  rng.fill(std::as_writable_bytes(std::span(b)));
  return Scalar::from_bytes_wide(b);
}

bool BatchVerifier::verify() const {
  const Point sum =
      multi_scalar_mul(scalars_, points_) + Point::double_mul(g_, Point::generator(), h_, h_point_);
  return sum.is_identity();
}

ByteView group_description() {
  static constexpr std::string_view kName = "ristretto255";
  static const std::array<std::uint8_t, 12 + 64> gd = [] {
    std::array<std::uint8_t, 12 + 64> out{};
    std::memcpy(out.data(), kName.data(), kName.size());
    const PointBytes g = Point::generator().to_bytes();
    std::memcpy(out.data() + 12, g.data(), g.size());
    const ScalarBytes lm1 = (-Scalar::from_u64(1)).to_bytes();
    std::memcpy(out.data() + 44, lm1.data(), lm1.size());
    return out;
  }();
  return gd;
}

}  // namespace veche::crypto
