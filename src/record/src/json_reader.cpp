#include "json_reader.hpp"

#include "veche/core/text.hpp"

namespace veche::record::detail {

namespace json = boost::json;

ObjectReader::ObjectReader(const json::value& v, std::string where)
    : obj_(v.if_object()), where_(std::move(where)) {}

Status ObjectReader::expect_keys(std::initializer_list<std::string_view> keys) const {
  if (obj_ == nullptr) return invalid_argument(where_ + ": expected an object");
  if (obj_->size() != keys.size()) {
    return invalid_argument(where_ + ": expected " + std::to_string(keys.size()) + " keys, got " +
                            std::to_string(obj_->size()));
  }
  auto it = obj_->begin();
  for (const std::string_view k : keys) {
    if (it->key() != k) {
      return invalid_argument(where_ + ": expected key \"" + std::string(k) + "\", got \"" +
                              std::string(it->key()) + "\"");
    }
    ++it;
  }
  return ok();
}

Error ObjectReader::fail(std::string_view key, std::string_view what) const {
  return invalid_argument(where_ + "." + std::string(key) + ": " + std::string(what));
}

Result<std::uint64_t> as_integer(const json::value& v, std::uint64_t max, std::string_view where) {
  std::uint64_t out = 0;
  if (const auto* i = v.if_int64()) {
    if (*i < 0) return invalid_argument(std::string(where) + ": negative");
    out = static_cast<std::uint64_t>(*i);
  } else if (const auto* u = v.if_uint64()) {
    out = *u;
  } else {
    return invalid_argument(std::string(where) + ": expected an integer");
  }
  if (out > max) {
    return invalid_argument(std::string(where) + ": " + std::to_string(out) + " exceeds " +
                            std::to_string(max));
  }
  return out;
}

Result<std::string> as_text(const json::value& v, std::size_t max_bytes, std::string_view where) {
  const auto* s = v.if_string();
  if (s == nullptr) return invalid_argument(std::string(where) + ": expected a string");
  if (s->size() > max_bytes) return invalid_argument(std::string(where) + ": too long");
  std::string out(s->data(), s->size());
  if (!core::is_valid_utf8(out)) return invalid_argument(std::string(where) + ": not UTF-8");
  return out;
}

Result<std::string> ObjectReader::text(std::string_view key, std::size_t max_bytes) const {
  return as_text(obj_->at(key), max_bytes, where_ + "." + std::string(key));
}

Result<std::uint64_t> ObjectReader::integer(std::string_view key, std::uint64_t max) const {
  return as_integer(obj_->at(key), max, where_ + "." + std::string(key));
}

Result<bool> ObjectReader::boolean(std::string_view key) const {
  const auto* b = obj_->at(key).if_bool();
  if (b == nullptr) return fail(key, "expected true or false");
  return *b;
}

Result<const json::array*> ObjectReader::array(std::string_view key, std::size_t max_items) const {
  const auto* a = obj_->at(key).if_array();
  if (a == nullptr) return fail(key, "expected an array");
  if (a->size() > max_items) return fail(key, "too many items");
  return a;
}

Result<const json::object*> ObjectReader::object(std::string_view key) const {
  const auto* o = obj_->at(key).if_object();
  if (o == nullptr) return fail(key, "expected an object");
  return o;
}

Result<crypto::Bytes> ObjectReader::hex(std::string_view key, std::size_t bytes) const {
  const auto* s = obj_->at(key).if_string();
  if (s == nullptr) return fail(key, "expected a hex string");
  if (s->size() != 2 * bytes) {
    return fail(key, "expected " + std::to_string(2 * bytes) + " hex digits");
  }
  auto b = crypto::from_hex(std::string_view(s->data(), s->size()));
  if (!b) return fail(key, b.error().message);
  return b;
}

Result<crypto::Digest> ObjectReader::digest(std::string_view key) const {
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes b, hex(key, 32));
  crypto::Digest d{};
  std::copy(b.begin(), b.end(), d.begin());
  return d;
}

Result<crypto::Point> ObjectReader::point(std::string_view key) const {
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes b, hex(key, 32));
  auto p = crypto::Point::from_bytes(b);
  if (!p) return fail(key, p.error().message);
  return p;
}

Result<crypto::Scalar> ObjectReader::scalar(std::string_view key) const {
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes b, hex(key, 32));
  auto s = crypto::Scalar::from_bytes(b);
  if (!s) return fail(key, s.error().message);
  return s;
}

Result<crypto::VerifyKey> ObjectReader::verify_key(std::string_view key) const {
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes b, hex(key, 32));
  auto k = crypto::VerifyKey::from_bytes(b);
  if (!k) return fail(key, k.error().message);
  return k;
}

Result<crypto::Ciphertext> ObjectReader::ciphertext(std::string_view key) const {
  std::array<std::uint8_t, 64> encoded{};
  return ciphertext(key, encoded);
}

Result<crypto::Ciphertext> ObjectReader::ciphertext(std::string_view key,
                                                    std::array<std::uint8_t, 64>& encoded) const {
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes b, hex(key, 64));
  auto c = crypto::Ciphertext::from_bytes(b);
  if (!c) return fail(key, c.error().message);
  std::copy(b.begin(), b.end(), encoded.begin());
  return c;
}

}  // namespace veche::record::detail
