#include "commands/credential_sheets.hpp"

#include <fmt/format.h>

#include "veche/core/text.hpp"
#include "veche/http/qr_svg.hpp"

namespace veche::app {
namespace {

// The words of a sheet, as on the registrar's page (web/static/js/registrar-page.mjs).
struct SheetWords {
  const char* lang;
  const char* title;
  const char* voter;  // followed by the voter's number
  const char* how;
  const char* code;
  const char* address;
};

constexpr SheetWords kEnglish{
    "en",
    "Your voting credential",
    "Voter",
    "Scan the QR code with your phone's camera to open the ballot with your code filled in, or "
    "open the address below and type the code. Keep this sheet secret: anyone holding the code "
    "can vote in your place (you can vote again to replace an earlier ballot until the close).",
    "Code",
    "Address"};
constexpr SheetWords kRussian{
    "ru",
    "Ваши данные для голосования",
    "Избиратель",
    "Наведите камеру телефона на QR-код, чтобы открыть бюллетень с уже введённым кодом, или "
    "откройте адрес ниже и введите код. Храните лист в тайне: владелец кода может проголосовать "
    "за вас (до закрытия можно переголосовать, заменив прежний бюллетень).",
    "Код",
    "Адрес"};

constexpr std::string_view kPrintStyle =
    "body{font-family:sans-serif;margin:0}"
    ".credential-sheet{break-after:page;page-break-after:always;font-size:13pt;color:#000;"
    "padding:1.5cm}"
    ".credential-sheet:last-child{break-after:auto;page-break-after:auto}"
    ".qr{display:block;width:6cm;height:6cm;margin:1cm 0}"
    ".sheet-code strong{font-family:monospace;font-size:18pt;letter-spacing:.05em}"
    ".sheet-url span{font-family:monospace;word-break:break-all}";

}  // namespace

Status check_vote_url(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return invalid_argument("--vote-url: the booth's address, starting with https://");
  }
  if (url.size() > 512) return invalid_argument("--vote-url: at most 512 characters");
  for (const char c : url) {
    if (c == '#') return invalid_argument("--vote-url: without a '#' (the code goes there)");
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' ||
        c == '\\' || static_cast<unsigned char>(c) >= 0x7f) {
      return invalid_argument("--vote-url: no spaces, quotes or other characters to escape");
    }
  }
  return ok();
}

std::string vote_link(std::string_view vote_url, std::string_view code) {
  return fmt::format("{}#code={}", vote_url, code);
}

Result<std::string> credential_sheets_html(std::string_view election_title,
                                           std::string_view vote_url,
                                           std::span<const std::string> codes,
                                           std::string_view lang) {
  if (lang != "en" && lang != "ru") return invalid_argument("--lang: en or ru");
  VECHE_TRY(check_vote_url(vote_url));
  const SheetWords& w = lang == "ru" ? kRussian : kEnglish;
  const std::string title = core::xml_escape(election_title);
  const std::string address = core::xml_escape(vote_url);
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}: {}</title>"
      "<style>{}</style></head><body>\n",
      w.lang, w.title, title, kPrintStyle);
  for (std::size_t k = 0; k < codes.size(); ++k) {
    const std::string link = vote_link(vote_url, codes[k]);
    VECHE_ASSIGN_OR_RETURN(auto qr, http::qr_svg(link, fmt::format("{}: {}", w.address, link)));
    html += fmt::format(
        "<article class=\"credential-sheet\"><h2>{}</h2><p class=\"sheet-election\">{}</p>"
        "<p class=\"sheet-voter\">{} {}</p>{}<p class=\"sheet-code\">{}: <strong>{}</strong></p>"
        "<p class=\"sheet-url\">{}: <span>{}</span></p><p class=\"sheet-how\">{}</p></article>\n",
        w.title, title, w.voter, k + 1, qr, w.code, core::xml_escape(codes[k]), w.address, address,
        w.how);
  }
  html += "</body></html>\n";
  return html;
}

std::string credential_csv(std::string_view vote_url, std::span<const std::string> codes) {
  std::string csv = "number,code,url\n";
  for (std::size_t k = 0; k < codes.size(); ++k) {
    csv += fmt::format("{},{},{}\n", k + 1, codes[k], vote_link(vote_url, codes[k]));
  }
  return csv;
}

}  // namespace veche::app
