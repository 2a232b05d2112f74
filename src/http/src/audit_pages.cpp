// The audit log for readers: /audit and /api/v1/audit. Everyone sees the public entries (role
// changes of delegates, registrars and trustees; organizations' charter signatures); operators
// see every entry on the same page. Newest first, 50 a page (?before=seq), each entry with its
// hash and the previous one so that a reader can check the chain.
#include <boost/json.hpp>

#include "charter_routes.hpp"
#include "veche/registry/personal_data.hpp"

namespace veche::http {
namespace {

// Whether the request may see the whole log: an operator's session (operator powers need a
// session with the second factor, never a token).
bool sees_everything(AccountsWeb& web, const Request& req) {
  const auto p = web.principal(req);
  return p && p->may_act_as(registry::Role::kOperator);
}

// The `before` parameter: absent, or a positive entry number (anything else is refused).
Result<std::optional<std::int64_t>> before_param(const Request& req) {
  const auto q = req.query_param("before");
  if (!q) return std::optional<std::int64_t>();
  const auto v = parse_positive(*q);
  if (!v) return invalid_argument("'before' must be a positive entry number.");
  return std::optional<std::int64_t>(*v);
}

}  // namespace

void Site::Impl::add_audit() {
  router.add(Method::kGet, "/audit", [&site = *this](Request& req) {
    const Lang l = site.lang(req);
    auto before = before_param(req);
    if (!before) return site.error(req, before.error());
    const bool all = sees_everything(*site.accounts_web, req);
    auto page = registry::audit_page(site.db, !all, *before);
    if (!page) return site.error(req, page.error());
    Data list = Data::type::list;
    for (const auto& e : page->entries) {
      Data d;
      d.set("seq", std::to_string(e.seq));
      d.set("time", core::to_iso8601(e.time));
      d.set("actor", e.actor);
      d.set("action", e.action);
      d.set("subject", e.subject);
      d.set("private", !e.is_public);
      d.set("hash", e.hash);
      d.set("prev_hash", e.prev_hash);
      list.push_back(d);
    }
    Data d;
    d.set("entries", list);
    d.set("empty", page->entries.empty());
    d.set("operator_view", all);
    if (page->next_before) d.set("older", std::to_string(*page->next_before));
    Response r = site.page(req, "audit", std::move(d), site.translator.tr(l, "Audit log"));
    if (all) {
      std::erase_if(r.headers, [](const auto& h) { return h.first == "Cache-Control"; });
      r.header("Cache-Control", "no-store");
    }
    return r;
  });

  router.add(Method::kGet, "/api/v1/audit", [&site = *this](Request& req) {
    auto before = before_param(req);
    if (!before) return site.error(req, before.error());
    const bool all = sees_everything(*site.accounts_web, req);
    auto page = registry::audit_page(site.db, !all, *before);
    if (!page) return site.error(req, page.error());
    boost::json::array entries;
    for (const auto& e : page->entries) {
      entries.push_back({{"seq", e.seq},
                         {"at", core::to_iso8601(e.time)},
                         {"actor", e.actor},
                         {"action", e.action},
                         {"subject", e.subject},
                         {"public", e.is_public},
                         {"prev_hash", e.prev_hash},
                         {"hash", e.hash}});
    }
    boost::json::object o{{"entries", std::move(entries)},
                          {"scope", all ? "all" : "public"},
                          {"page_size", registry::kAuditPageSize}};
    if (page->next_before) {
      o["next"] = "/api/v1/audit?before=" + std::to_string(*page->next_before);
    } else {
      o["next"] = nullptr;
    }
    Response r = Response::json(boost::json::serialize(o));
    if (all) r.header("Cache-Control", "no-store");
    return r;
  });
}

}  // namespace veche::http
