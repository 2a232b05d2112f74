// Shared by charter_pages.cpp, audit_pages.cpp (Site::Impl::add_audit: /audit,
// /api/v1/audit) and data_pages.cpp (Site::Impl::add_data: /me/data, /api/v1/me/data).
// Private to src/http.
#pragma once

#include <optional>
#include <string_view>

#include "site_impl.hpp"

namespace veche::http {

inline constexpr std::string_view kCharterBadCsrf =
    "This form has expired or did not come from this site. Please reload the page and try again.";

// A positive decimal number of at most 18 digits, or nullopt.
std::optional<std::int64_t> parse_positive(std::string_view s);

}  // namespace veche::http
