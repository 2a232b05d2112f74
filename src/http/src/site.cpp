#include "veche/http/site.hpp"

#include <cmark-gfm.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "site_impl.hpp"
#include "veche/elections/elections.hpp"

namespace veche::http {

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 422;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDataLoss:
      return 500;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string markdown_to_html(std::string_view markdown) {
  // CMARK_OPT_DEFAULT is safe in cmark-gfm 0.29: raw HTML and javascript: links are removed.
  char* html = cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
  std::string out(html);
  std::free(html);
  return out;
}

Response Site::Impl::page(const Request& req, const std::string& page_name, Data data,
                          const std::string& title, int status) const {
  const Lang l = lang(req);
  const auto code = std::string(lang_code(l));
  data.set("lang", code);
  const std::string content = templates.render(page_name, code, data);

  Data layout;
  layout.set("lang", code);
  layout.set("title", title);
  layout.set("content", content);
  layout.set("version", options.version);
  layout.set("is_ru", l == Lang::kRu);
  // The switcher returns the reader to the page they were on (a local path only).
  layout.set("back", percent_encode(req.path));
  add_account_header(req, layout);
  Response r = Response::html(templates.render("layout", code, layout), status);
  r.header("Content-Language", code);
  r.header("Vary", "Accept-Language, Cookie");
  r.header("Cache-Control", "no-cache");
  return r;
}

Response Site::Impl::error(const Request& req, int status, std::string_view message) const {
  const Lang l = lang(req);
  const std::string text = translator.tr(l, message);
  if (req.wants_json()) {
    boost::json::object o;
    o["error"] = {{"status", status}, {"message", text}, {"request_id", req.request_id}};
    return Response::json(boost::json::serialize(o), status);
  }
  Data d;
  d.set("status", std::to_string(status));
  d.set("message", text);
  d.set("request_id", req.request_id);
  return page(req, "error", std::move(d), translator.tr(l, "Error"), status);
}

Response Site::Impl::error(const Request& req, const Error& e) const {
  const int status = status_for(e.code);
  if (status >= 500) {
    spdlog::error("request {}: {}: {}", req.request_id, error_code_name(e.code), e.message);
    return error(req, status, "Something went wrong on our side. Please try again later.");
  }
  return error(req, status, e.message);
}

Result<std::vector<registry::Organization>> Site::Impl::organizations_sorted(Lang l) const {
  VECHE_ASSIGN_OR_RETURN(auto orgs, registry.organizations());
  return sort_neutrally(std::move(orgs), l);
}

std::vector<registry::Organization> Site::Impl::sort_neutrally(
    std::vector<registry::Organization> orgs, Lang l) const {
  const auto code = lang_code(l);
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(orgs.size());
  for (std::size_t i = 0; i < orgs.size(); ++i) {
    keys.emplace_back(translator.sort_key(l, orgs[i].name.in(code)), i);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<registry::Organization> sorted;
  sorted.reserve(orgs.size());
  for (const auto& k : keys) sorted.push_back(std::move(orgs[k.second]));
  return sorted;
}

Site::Site() = default;
Site::~Site() = default;

Result<std::unique_ptr<Site>> Site::create(const SiteOptions& options, store::Database& db,
                                           const core::Clock& clock) {
  // Templates are translated once, at start-up, for each language.
  const Translator translator(options.locale_dir);
  std::vector<std::pair<std::string, TranslateFn>> languages;
  for (Lang l : {Lang::kEn, Lang::kRu}) {
    languages.emplace_back(std::string(lang_code(l)),
                           [&translator, l](std::string_view id) { return translator.tr(l, id); });
  }
  VECHE_ASSIGN_OR_RETURN(auto templates,
                         Templates::load(options.web_root + "/templates", languages));
  for (const char* required : {"layout", "error", "home", "join", "login", "me"}) {
    if (!templates.has(required)) {
      return not_found(std::string("template ") + required + ".mustache is missing in " +
                       options.web_root + "/templates");
    }
  }
  if (options.data_key_file.empty()) {
    return failed_precondition("the site needs a data key file (data_key_file)");
  }
  VECHE_ASSIGN_OR_RETURN(auto data_key, registry::load_or_create_data_key(options.data_key_file));
  std::unique_ptr<Site> site(new Site());
  site->impl_ = std::make_unique<Impl>(options, db, clock, std::move(templates));
  site->impl_->fallback = options.default_language == "ru" ? Lang::kRu : Lang::kEn;
  site->impl_->accounts_web =
      std::make_unique<AccountsWeb>(db, clock, std::move(data_key), options.secure_cookies);
  site->impl_->add_charter();
  site->impl_->add_pages();
  site->impl_->add_api();
  site->impl_->add_accounts();
  site->impl_->add_security();
  site->impl_->add_organization_admin();
  site->impl_->add_decisions();
  site->impl_->add_agenda();
  site->impl_->add_coordination();
  site->impl_->add_campaigns();
  site->impl_->add_conversations();
  site->impl_->add_election_admin();
  site->impl_->add_elections();
  return site;
}

Response Site::handle(Request& req) const {
  if (!req.malformed.empty()) return impl_->error(req, 400, req.malformed);
  if (req.path.starts_with("/static/") &&
      (req.method == Method::kGet || req.method == Method::kHead)) {
    if (auto r = impl_->static_files.serve(req)) return std::move(*r);
  }
  return impl_->router.dispatch(req, [this](Request& r, int status, std::string_view msg) {
    return impl_->error(r, status, msg);
  });
}

const Router& Site::router() const { return impl_->router; }

std::uint64_t Site::body_limit(Method method, std::string_view target) {
  return election_event_body_limit(method, target);
}

Status Site::warm() const {
  if (!impl_->elections_service) return ok();
  VECHE_ASSIGN_OR_RETURN(const auto boards, impl_->elections_service->warm_open());
  if (boards > 0) spdlog::info("read the boards of {} open election(s)", boards);
  return ok();
}

}  // namespace veche::http
