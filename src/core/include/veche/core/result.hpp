// Result<T> and Error: expected failures as values (see STYLE.md, "Errors").
//
// Result<T> has the shape of std::expected<T, Error> so it can become one later:
// has_value(), operator bool, value(), error(), operator*, operator->.
// Propagate with VECHE_TRY(expr) and VECHE_ASSIGN_OR_RETURN(decl, expr).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace veche {

// What went wrong, in terms the edges can map: `http` maps each code to one HTTP status,
// `app` maps each code to one exit code. Keep the two tables in step with this list.
enum class ErrorCode {
  kInvalidArgument,     // the input is malformed or out of range (4xx: 400)
  kNotFound,            // the thing asked for does not exist (404)
  kAlreadyExists,       // a unique thing exists already (409)
  kConflict,            // the state changed under the caller, or a rule forbids it now (409)
  kFailedPrecondition,  // the system is not in a state where this can be done (409/422)
  kUnauthenticated,     // who is asking is unknown (401)
  kPermissionDenied,    // the asker may not do this (403)
  kResourceExhausted,   // a quota or rate limit is reached (429)
  kTooLarge,            // the input exceeds a size limit (413)
  kUnavailable,         // a dependency (the database) is not reachable now (503)
  kDataLoss,            // stored data is corrupt or a chain is broken
  kInternal,            // a bug or an unexpected failure of a library
};

// Stable lowercase name of a code, used in JSON errors and logs ("invalid_argument").
const char* error_code_name(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // for people; no secrets, no personal data

  friend bool operator==(const Error&, const Error&) = default;
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}
inline Error invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error already_exists(std::string m) { return {ErrorCode::kAlreadyExists, std::move(m)}; }
inline Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Error failed_precondition(std::string m) {
  return {ErrorCode::kFailedPrecondition, std::move(m)};
}
inline Error unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
inline Error permission_denied(std::string m) {
  return {ErrorCode::kPermissionDenied, std::move(m)};
}
inline Error resource_exhausted(std::string m) {
  return {ErrorCode::kResourceExhausted, std::move(m)};
}
inline Error too_large(std::string m) { return {ErrorCode::kTooLarge, std::move(m)}; }
inline Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Error data_loss(std::string m) { return {ErrorCode::kDataLoss, std::move(m)}; }
inline Error internal_error(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

[[noreturn]] void check_failed(const char* cond, const char* why, const char* file, int line);

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  using value_type = T;

  Result(const T& v) : v_(std::in_place_index<0>, v) {}  // NOLINT(google-explicit-constructor)
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}    // NOLINT
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT
  template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::decay_t<U>, T> &&
                                              !std::is_same_v<std::decay_t<U>, Error> &&
                                              !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& u) : v_(std::in_place_index<0>, T(std::forward<U>(u))) {}  // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    must_hold();
    return std::get<0>(v_);
  }
  const T& value() const& {
    must_hold();
    return std::get<0>(v_);
  }
  T&& value() && {
    must_hold();
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    if (has_value()) check_failed("!has_value()", "error() on a value", __FILE__, __LINE__);
    return std::get<1>(v_);
  }
  Error&& error() && {
    if (has_value()) check_failed("!has_value()", "error() on a value", __FILE__, __LINE__);
    return std::get<1>(std::move(v_));
  }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void must_hold() const {
    if (!has_value()) {
      check_failed("has_value()", std::get<1>(v_).message.c_str(), __FILE__, __LINE__);
    }
  }
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : error_(std::move(e)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) check_failed("has_value()", error_.message.c_str(), __FILE__, __LINE__);
  }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;
inline Status ok() { return {}; }

}  // namespace veche

#define VECHE_CONCAT_INNER_(a, b) a##b
#define VECHE_CONCAT_(a, b) VECHE_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Result) from the enclosing function, if it holds one.
#define VECHE_TRY(expr) VECHE_TRY_IMPL_(VECHE_CONCAT_(veche_try_, __COUNTER__), expr)
#define VECHE_TRY_IMPL_(tmp, expr)                       \
  do {                                                   \
    auto&& tmp = (expr);                                 \
    if (!tmp.has_value()) return std::move(tmp).error(); \
  } while (false)

#define VECHE_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr)  \
  auto tmp = (expr);                                   \
  if (!tmp.has_value()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()

// `VECHE_ASSIGN_OR_RETURN(auto x, f());` declares x from f()'s value or returns its error.
#define VECHE_ASSIGN_OR_RETURN(decl, expr) \
  VECHE_ASSIGN_OR_RETURN_IMPL_(VECHE_CONCAT_(veche_aor_, __COUNTER__), decl, expr)

// Aborts in every build when an invariant does not hold. `why` says why it must hold.
// Never use it on anything a client can send.
#define VECHE_CHECK(cond, why)                                          \
  do {                                                                  \
    if (!(cond)) ::veche::check_failed(#cond, why, __FILE__, __LINE__); \
  } while (false)
