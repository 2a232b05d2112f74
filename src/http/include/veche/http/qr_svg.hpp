// QR codes as inline SVG (libqrencode), for pages that must work without JavaScript and
// without external images, and for the registrar's printable credential sheets.
#pragma once

#include <string>
#include <string_view>

#include "veche/core/result.hpp"

namespace veche::http {

// An <svg> element drawing `text` as a QR code (error correction level M, a 4-module quiet
// zone, one <path> with presentation attributes only, so the page's CSP needs no inline style).
// `label` becomes its accessible name (escaped here). kInvalidArgument for text that
// libqrencode refuses (empty, holds NUL, too long for a QR code).
Result<std::string> qr_svg(std::string_view text, std::string_view label);

}  // namespace veche::http
