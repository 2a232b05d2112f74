#include "i18n.hpp"

#include <boost/locale.hpp>
#include <charconv>

#include "veche/core/text.hpp"

namespace veche::http {

std::string_view lang_code(Lang l) { return l == Lang::kRu ? "ru" : "en"; }

Translator::Translator(const std::string& locale_dir) {
  boost::locale::generator gen;
  gen.add_messages_path(locale_dir);
  gen.add_messages_domain("veche");
  gen.categories(boost::locale::category_t::message | boost::locale::category_t::collation |
                 boost::locale::category_t::information | boost::locale::category_t::convert);
  en_ = gen("en_US.UTF-8");
  ru_ = gen("ru_RU.UTF-8");
}

const std::locale& Translator::locale(Lang lang) const { return lang == Lang::kRu ? ru_ : en_; }

std::string Translator::tr(Lang lang, std::string_view msgid) const {
  return boost::locale::translate(std::string(msgid)).str(locale(lang));
}

bool Translator::less(Lang lang, std::string_view a, std::string_view b) const {
  const auto& coll = std::use_facet<boost::locale::collator<char>>(locale(lang));
  const int c = coll.compare(boost::locale::collate_level::identical, a.data(), a.data() + a.size(),
                             b.data(), b.data() + b.size());
  return c < 0;
}

std::string Translator::sort_key(Lang lang, std::string_view s) const {
  const auto& coll = std::use_facet<boost::locale::collator<char>>(locale(lang));
  return coll.transform(boost::locale::collate_level::identical, s.data(), s.data() + s.size());
}

Lang choose_language(const Request& req, Lang fallback) {
  if (auto it = req.cookies.find("lang"); it != req.cookies.end()) {
    if (it->second == "ru") return Lang::kRu;
    if (it->second == "en") return Lang::kEn;
  }
  // Accept-Language: "ru-RU,ru;q=0.9,en;q=0.8". Pick the supported tag with the highest q.
  std::string_view header = req.header("accept-language");
  double best_q = -1;
  Lang best = fallback;
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = core::trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    double q = 1.0;
    if (const auto semi = item.find(';'); semi != std::string_view::npos) {
      auto param = core::trim(item.substr(semi + 1));
      item = core::trim(item.substr(0, semi));
      if (param.starts_with("q=")) {
        param.remove_prefix(2);
        double v = 0;
        auto [p, ec] = std::from_chars(param.data(), param.data() + param.size(), v);
        if (ec != std::errc{} || v < 0 || v > 1) continue;
        q = v;
      }
    }
    const auto tag = item.substr(0, item.find('-'));
    std::optional<Lang> lang;
    if (tag.size() == 2 && (tag[0] | 0x20) == 'r' && (tag[1] | 0x20) == 'u') lang = Lang::kRu;
    if (tag.size() == 2 && (tag[0] | 0x20) == 'e' && (tag[1] | 0x20) == 'n') lang = Lang::kEn;
    if (lang && q > best_q) {
      best_q = q;
      best = *lang;
    }
  }
  return best;
}

}  // namespace veche::http
