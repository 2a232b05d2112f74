// Private: views of the opaque storage of Scalar and Point as libdecaf types.
#pragma once

#include <decaf/point_255.h>

#include "veche/crypto/group.hpp"

namespace veche::crypto::detail {

static_assert(sizeof(decaf_255_scalar_s) == 32, "Scalar storage must match decaf_255_scalar_s");
static_assert(sizeof(decaf_255_point_s) <= 256, "Point storage must hold decaf_255_point_s");
static_assert(alignof(decaf_255_point_s) <= 32, "Point storage alignment");

inline decaf_255_scalar_s* ds(Scalar& s) {
  return reinterpret_cast<decaf_255_scalar_s*>(s.limbs());
}
inline const decaf_255_scalar_s* ds(const Scalar& s) {
  return reinterpret_cast<const decaf_255_scalar_s*>(s.limbs());
}
inline decaf_255_point_s* dp(Point& p) { return static_cast<decaf_255_point_s*>(p.raw()); }
inline const decaf_255_point_s* dp(const Point& p) {
  return static_cast<const decaf_255_point_s*>(p.raw());
}

}  // namespace veche::crypto::detail
