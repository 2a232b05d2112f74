#include "veche/http/qr_svg.hpp"

#include <fmt/format.h>
#include <qrencode.h>

#include <memory>

#include "veche/core/text.hpp"

namespace veche::http {
Result<std::string> qr_svg(std::string_view text, std::string_view label) {
  if (text.empty() || text.size() > 1024 || text.find('\0') != std::string_view::npos) {
    return invalid_argument("a QR code holds 1 to 1,024 bytes of text");
  }
  const std::string z(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(z.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!qr) return invalid_argument("this text does not fit in a QR code");
  constexpr int kQuiet = 4;
  const int width = qr->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module byte is "dark" (qrencode.h).
      if ((qr->data[static_cast<std::size_t>(y * width + x)] & 1) != 0) {
        path += fmt::format("M{} {}h1v1h-1z", x + kQuiet, y + kQuiet);
      }
    }
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"{}\" "
      "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" shape-rendering=\"crispEdges\">"
      "<rect width=\"{}\" height=\"{}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{}\"/></svg>",
      core::xml_escape(label), size, size, size * 5, size * 5, size, size, path);
}

}  // namespace veche::http
