// Shared state of the site's page and API handlers (private to src/http).
#pragma once

#include <kainjow/mustache.hpp>
#include <variant>

#include "accounts_web.hpp"
#include "i18n.hpp"
#include "static_files.hpp"
#include "templates.hpp"
#include "veche/http/router.hpp"
#include "veche/http/site.hpp"
#include "veche/registry/registry.hpp"

namespace veche::elections {
class Elections;
}

namespace veche::http {

using Data = kainjow::mustache::data;

// election_admin_pages.cpp: Site::body_limit for the routes that take a whole event.
std::uint64_t election_event_body_limit(Method method, std::string_view target);

struct Site::Impl {
  SiteOptions options;
  store::Database& db;
  const core::Clock& clock;
  Translator translator;
  Templates templates;
  StaticFiles static_files;
  registry::Registry registry;
  Router router;
  Lang fallback = Lang::kEn;
  std::unique_ptr<AccountsWeb> accounts_web;  // set by Site::create before add_accounts()

  Impl(const SiteOptions& o, store::Database& d, const core::Clock& c, Templates t)
      : options(o),
        db(d),
        clock(c),
        translator(o.locale_dir),
        templates(std::move(t)),
        static_files(StaticFiles::load(o.web_root + "/static")),
        registry(d, c) {
    static_files.add_vendor(o.web_root + "/vendor.txt", o.web_root + "/node_modules");
  }

  // Renders `page` inside the layout, in the request's language.
  Response page(const Request& req, const std::string& page, Data data, const std::string& title,
                int status = 200) const;
  // An error in the request's language: an HTML page or a JSON object.
  Response error(const Request& req, int status, std::string_view message) const;
  Response error(const Request& req, const Error& e) const;
  Lang lang(const Request& req) const { return choose_language(req, fallback); }
  // The organizations in the neutral order for `lang`: alphabetical as its readers sort.
  Result<std::vector<registry::Organization>> organizations_sorted(Lang lang) const;
  std::vector<registry::Organization> sort_neutrally(std::vector<registry::Organization> orgs,
                                                     Lang lang) const;

  void add_pages();
  void add_api();
  // Accounts (accounts_pages.cpp): /join, /login, /logout, /me, and the layout's account link.
  void add_accounts();
  void add_account_header(const Request& req, Data& layout) const;
  // Delegates' and registrars' pages and API (organization_admin.cpp).
  void add_organization_admin();
  // The principal when it may use `role` for the organization `slug` now (or is the operator):
  // kUnauthenticated without one, kPermissionDenied (saying why) otherwise.
  Result<Principal> org_power(const Request& req, registry::Role role, std::string_view slug) const;
  // org_error: a page answers an anonymous request with the login page, the API with 401.
  Response org_error(const Request& req, const Error& e) const;
  // Who makes an API write: 401 with WWW-Authenticate without credentials, 403 for a session
  // cookie without the X-CSRF-Token header; the principal otherwise (roles are checked after).
  std::variant<Principal, Response> api_writer(Request& req) const;
  Response manage_page(const Request& req, const registry::Organization& o,
                       const registry::OrganizationProfile& shown, std::string_view message,
                       int status) const;
  Response codes_page(const Request& req, const registry::Organization& o,
                      const std::vector<std::string>& new_codes, std::string_view message,
                      int status) const;
  // Grants or revokes a delegate or registrar role as `p`; never removes the last delegate.
  Status change_org_role(const Principal& p, std::string_view slug, const std::string& handle,
                         registry::Role role, bool revoke) const;
  // charter_pages.cpp, audit_pages.cpp, data_pages.cpp: signatures, /audit, /me/data.
  void add_charter();
  void add_audit();         // called by add_charter()
  void add_data();          // called by add_charter()
  void add_security();      // security_pages.cpp: /login/totp, /me/security, /me/tokens, /recover
  void add_decisions();     // decisions_pages.cpp: /motions, /consultations, /decisions and API
  void add_agenda();        // agenda_pages.cpp: /agenda, /agenda/..., /mandate, /api/v1/agenda/...
  void add_coordination();  // coordination_pages.cpp: /coordination/... and its API
  void add_campaigns();     // campaign_pages.cpp: /campaigns, /petitions, /track-record and API
  // conversation_pages.cpp: /conversations/... and /api/v1/conversations/...
  void add_conversations();
  void add_elections();  // election_pages.cpp: /elections/... and /api/v1/elections/...
  // election_admin_pages.cpp: site-run elections (organizer, trustees, registrars); added
  // before add_elections() so that /elections/new is not taken for an election id.
  void add_election_admin();
  // The one elections service of the site: its per-election state cache follows each board.
  std::shared_ptr<elections::Elections> elections_service;
  // The schedule and extension rule of a site-run election into a page's data ("schedule").
  void election_schedule(const Request& req, std::int64_t id, Data& d) const;
  // election_booth_pages.cpp: the booth /elections/{id}/vote and the result (page and API).
  void add_election_booth(std::shared_ptr<elections::Elections> service);
  Response account_form(const Request& req, const std::string& name, Data data,
                        std::string_view title, std::string_view error_message, int status) const;
};

// Safe Markdown to HTML (cmark-gfm; raw HTML and dangerous links are dropped).
std::string markdown_to_html(std::string_view markdown);

}  // namespace veche::http
