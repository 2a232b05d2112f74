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

// Signed-digit recoding (§13): s = Σ d_w·2^(c·w) with every d_w in [-2^(c-1), 2^(c-1)), so a
// window needs 2^(c-1) buckets and a negative digit adds the negated point. `out` gets
// `windows` digits, digit w at out[w * stride] (window-major: one pass over a window reads its
// digits in order); scalars are < ℓ < 2^253 and windows·c >= 254 leaves room for the carry.
void signed_digits(const Scalar& s, unsigned c, unsigned windows, std::size_t stride,
                   std::int32_t* out) {
  const ScalarBytes b = s.to_bytes();
  std::array<std::uint64_t, 5> limb{};
  std::memcpy(limb.data(), b.data(), b.size());
  const std::uint64_t mask = (std::uint64_t{1} << c) - 1;
  const std::int64_t half = std::int64_t{1} << (c - 1);
  std::int64_t carry = 0;
  for (unsigned w = 0; w < windows; ++w) {
    const unsigned pos = w * c;
    const unsigned li = pos / 64;
    const unsigned sh = pos % 64;
    std::uint64_t bits = li < 5 ? limb[li] >> sh : 0;
    if (sh != 0 && li + 1 < 5) bits |= limb[li + 1] << (64 - sh);
    std::int64_t v = static_cast<std::int64_t>(bits & mask) + carry;
    carry = v >= half ? 1 : 0;
    v -= carry << c;
    out[w * stride] = static_cast<std::int32_t>(v);
  }
}

// Point additions of the bucket method for n points with window width c (bucket sums cost two
// additions per bucket per window; about 200 bits per scalar on average in batch verification).
double msm_cost(std::size_t n, unsigned c) {
  const double windows = (254.0 + c - 1) / c;
  return static_cast<double>(n) * 200.0 / c + windows * static_cast<double>(std::size_t{1} << c);
}

}  // namespace

Point multi_scalar_mul(std::span<const Scalar> scalars, std::span<const Point> points) {
  VECHE_CHECK(scalars.size() == points.size(), "one scalar per point");
  const std::size_t n = scalars.size();
  if (n == 0) return Point();
  if (n == 1) return scalars[0] * points[0];
  if (n == 2) return Point::double_mul(scalars[0], points[0], scalars[1], points[1]);
  unsigned c = 2;
  for (unsigned k = 3; k <= 20; ++k) {
    if (msm_cost(n, k) < msm_cost(n, c)) c = k;
  }
  const unsigned windows = (254 + c - 1) / c;
  std::vector<std::int32_t> digits(n * windows);
  for (std::size_t i = 0; i < n; ++i) signed_digits(scalars[i], c, windows, n, &digits[i]);
  const std::size_t buckets_n = std::size_t{1} << (c - 1);
  std::vector<Point> buckets(buckets_n + 1);  // bucket d holds the points with digit ±d
  std::vector<unsigned char> used(buckets_n + 1);
  Point acc;
  for (unsigned w = windows; w-- > 0;) {
    for (unsigned k = 0; k < c; ++k) acc = acc.doubled();
    std::fill(used.begin(), used.end(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t d = digits[w * n + i];
      if (d == 0) continue;
      const auto idx = static_cast<std::size_t>(d > 0 ? d : -d);
      auto* bucket = detail::dp(buckets[idx]);
      const auto* p = detail::dp(points[i]);
      if (used[idx] != 0) {
        if (d > 0) {
          decaf_255_point_add(bucket, bucket, p);
        } else {
          decaf_255_point_sub(bucket, bucket, p);
        }
      } else if (d > 0) {
        decaf_255_point_copy(bucket, p);
        used[idx] = 1;
      } else {
        decaf_255_point_negate(bucket, p);
        used[idx] = 1;
      }
    }
    // Σ d·bucket_d as a running sum from the top bucket down.
    Point running;
    Point sum;
    bool any = false;
    for (std::size_t d = buckets_n; d > 0; --d) {
      if (used[d] != 0) {
        running += buckets[d];
        any = true;
      }
      if (any) sum += running;
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
