// The inline SVG QR code draws exactly libqrencode's modules, with a quiet zone, an escaped
// accessible name and nothing the page's CSP would block (no style, no script).
#include "veche/http/qr_svg.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <memory>
#include <regex>
#include <set>

namespace veche::http {
namespace {

TEST(QrSvg, DrawsEveryDarkModuleOfLibqrencodeAndNothingElse) {
  const std::string uri =
      "otpauth://totp/Veche:sadko?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Veche&"
      "algorithm=SHA1&digits=6&period=30";
  auto svg = qr_svg(uri, "QR <code> & \"key\"");
  ASSERT_TRUE(svg) << svg.error().message;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(uri.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  ASSERT_TRUE(qr);
  std::set<std::pair<int, int>> expected;
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      if ((qr->data[static_cast<std::size_t>(y * qr->width + x)] & 1) != 0) {
        expected.emplace(x + 4, y + 4);
      }
    }
  }
  std::set<std::pair<int, int>> drawn;
  const std::regex square(R"(M(\d+) (\d+)h1v1h-1z)");
  for (std::sregex_iterator it(svg->begin(), svg->end(), square), end; it != end; ++it) {
    drawn.emplace(std::stoi((*it)[1]), std::stoi((*it)[2]));
  }
  EXPECT_EQ(drawn, expected);
  const int size = qr->width + 8;
  EXPECT_NE(svg->find("viewBox=\"0 0 " + std::to_string(size) + " " + std::to_string(size) + "\""),
            std::string::npos);
  EXPECT_NE(svg->find("aria-label=\"QR &lt;code&gt; &amp; &quot;key&quot;\""), std::string::npos);
  EXPECT_EQ(svg->find("style"), std::string::npos);
  EXPECT_EQ(svg->find("script"), std::string::npos);
}

TEST(QrSvg, RefusesTextThatCannotBeACode) {
  EXPECT_EQ(qr_svg("", "x").error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(qr_svg(std::string("a\0b", 3), "x"));
  EXPECT_FALSE(qr_svg(std::string(5000, 'a'), "x"));
}

}  // namespace
}  // namespace veche::http
