// The authorization matrix: every route of the site, taken from the router itself, is called
// by every kind of principal (anonymous, a constituent, a delegate and a registrar of the
// organization in the path, a delegate and registrar of another organization, the operator),
// and each gets exactly the access the design gives it: refused with 401/403 (or sent to the
// login page) where the role is missing, never refused for want of a role where it is held.
// A route without an entry in the table below fails the test, so no endpoint is added
// without deciding who may use it.
#include <set>

#include "site_fixture.hpp"

namespace veche::http {
namespace {

using registry::Role;

// Who may use a route.
enum class Access {
  kPublic,       // anyone
  kAccount,      // any logged-in account (the account's own data)
  kDelegate,     // a delegate of the organization in the path, or the operator
  kRegistrar,    // a registrar of the organization in the path, or the operator
  kFlow,         // a step of logging in or recovering: anyone, its own checks apply
  kAnyDelegate,  // a delegate of any organization, second factor passed (never the operator)
  kCoordinator,  // a coordinator with a second-factor session (never the operator)
  kModerator,    // a moderator with a second-factor session, or the operator
  kOpener,       // a delegate of any organization, a moderator or the operator
  kOrganizer,    // a delegate of any organization (second factor passed) or the operator
};

const std::map<std::string, Access>& table() {
  static const std::map<std::string, Access> t = {
      {"GET /", Access::kPublic},
      {"GET /healthz", Access::kPublic},
      {"GET /readyz", Access::kPublic},
      {"GET /lang/{code}", Access::kPublic},
      {"GET /organizations", Access::kPublic},
      {"GET /organizations/{slug}", Access::kPublic},
      {"GET /charter", Access::kPublic},
      {"GET /audit", Access::kPublic},
      {"GET /join", Access::kFlow},
      {"POST /join", Access::kFlow},
      {"GET /login", Access::kFlow},
      {"POST /login", Access::kFlow},
      {"GET /login/totp", Access::kFlow},
      {"POST /login/totp", Access::kFlow},
      {"GET /recover", Access::kFlow},
      {"POST /recover", Access::kFlow},
      {"POST /logout", Access::kFlow},  // without a session it has nothing to end
      {"GET /me", Access::kAccount},
      {"GET /me/security", Access::kAccount},
      {"POST /me/totp/begin", Access::kAccount},
      {"POST /me/totp/confirm", Access::kAccount},
      {"POST /me/totp/disable", Access::kAccount},
      {"POST /me/recovery", Access::kAccount},
      {"GET /me/tokens", Access::kAccount},
      {"POST /me/tokens", Access::kAccount},
      {"POST /me/tokens/{id}/revoke", Access::kAccount},
      {"GET /me/data", Access::kAccount},
      {"GET /me/data.json", Access::kAccount},
      {"POST /me/data/name", Access::kAccount},
      {"POST /me/data/contact", Access::kAccount},
      {"POST /me/data/erase", Access::kAccount},
      {"POST /charter/{version}/sign", Access::kAccount},
      {"POST /charter/{version}/withdraw", Access::kAccount},
      {"GET /organizations/{slug}/manage", Access::kDelegate},
      {"POST /organizations/{slug}/profile", Access::kDelegate},
      {"POST /organizations/{slug}/roles", Access::kDelegate},
      {"GET /organizations/{slug}/codes", Access::kRegistrar},
      {"POST /organizations/{slug}/codes", Access::kRegistrar},
      {"POST /organizations/{slug}/codes/revoke", Access::kRegistrar},
      {"GET /api/v1/coalition", Access::kPublic},
      {"GET /api/v1/organizations", Access::kPublic},
      {"GET /api/v1/organizations/{slug}", Access::kPublic},
      {"GET /api/v1/organizations/{slug}/roles", Access::kPublic},
      {"GET /api/v1/charter", Access::kPublic},
      {"GET /api/v1/audit", Access::kPublic},
      {"GET /api/v1/me", Access::kAccount},
      {"GET /api/v1/me/tokens", Access::kAccount},
      {"DELETE /api/v1/me/tokens/{id}", Access::kAccount},
      {"GET /api/v1/me/data", Access::kAccount},
      {"POST /api/v1/charter/{version}/signatures", Access::kAccount},
      {"DELETE /api/v1/charter/{version}/signatures", Access::kAccount},
      {"PUT /api/v1/organizations/{slug}/profile", Access::kDelegate},
      {"POST /api/v1/organizations/{slug}/roles", Access::kDelegate},
      {"DELETE /api/v1/organizations/{slug}/roles/{role}/{handle}", Access::kDelegate},
      {"GET /api/v1/organizations/{slug}/codes", Access::kRegistrar},
      {"POST /api/v1/organizations/{slug}/codes", Access::kRegistrar},
      {"POST /api/v1/organizations/{slug}/codes/revoke", Access::kRegistrar},
      // Decisions: reading is public; delegates of any organization propose, vote (for their
      // own organization, named in the body), recuse and close; constituents cast ballots.
      {"GET /motions", Access::kPublic},
      {"GET /motions/new", Access::kAnyDelegate},
      {"POST /motions", Access::kAnyDelegate},
      {"GET /motions/{id}", Access::kPublic},
      {"POST /motions/{id}/vote", Access::kAnyDelegate},
      {"POST /motions/{id}/conflict", Access::kAnyDelegate},
      {"POST /motions/{id}/close", Access::kAnyDelegate},
      {"GET /consultations", Access::kPublic},
      {"GET /consultations/new", Access::kAnyDelegate},
      {"POST /consultations", Access::kAnyDelegate},
      {"POST /api/v1/consultations", Access::kAnyDelegate},
      {"GET /consultations/{id}", Access::kPublic},
      {"POST /consultations/{id}/ballot", Access::kAccount},
      {"GET /decisions", Access::kPublic},
      {"GET /api/v1/motions", Access::kPublic},
      {"POST /api/v1/motions", Access::kAnyDelegate},
      {"GET /api/v1/motions/{id}", Access::kPublic},
      {"POST /api/v1/motions/{id}/votes", Access::kAnyDelegate},
      {"POST /api/v1/motions/{id}/conflicts", Access::kAnyDelegate},
      {"POST /api/v1/motions/{id}/close", Access::kAnyDelegate},
      {"GET /api/v1/consultations", Access::kPublic},
      {"GET /api/v1/consultations/{id}", Access::kPublic},
      {"GET /api/v1/consultations/{id}/result", Access::kPublic},
      {"GET /api/v1/consultations/{id}/ballot", Access::kAccount},
      {"POST /api/v1/consultations/{id}/ballot", Access::kAccount},
      {"GET /api/v1/decisions", Access::kPublic},
      // Agenda: reading is public; every write needs an account (all test principals are
      // constituents; moderation actions check the moderator role, bad input is 400).
      {"GET /elections", Access::kPublic},
      {"GET /elections/{id}", Access::kPublic},
      {"GET /elections/{id}/board", Access::kPublic},
      {"GET /elections/{id}/verify", Access::kPublic},
      {"GET /elections/{id}/record", Access::kPublic},
      {"GET /api/v1/elections", Access::kPublic},
      {"GET /api/v1/elections/{id}", Access::kPublic},
      {"GET /api/v1/elections/{id}/ballots", Access::kPublic},
      // No login: the credential's signature is the authorization (docs/elections.md).
      {"POST /api/v1/elections/{id}/ballots", Access::kFlow},
      // The booth and the result: public (the booth's code never reaches the server).
      {"GET /elections/{id}/vote", Access::kPublic},
      {"GET /elections/{id}/result", Access::kPublic},
      {"GET /api/v1/elections/{id}/result", Access::kPublic},
      {"GET /agenda", Access::kPublic},
      {"GET /agenda/new", Access::kAccount},
      {"POST /agenda/new", Access::kAccount},
      {"GET /agenda/rounds/{id}", Access::kPublic},
      {"POST /agenda/rounds/{id}/ballot", Access::kAccount},
      {"POST /agenda/rounds", Access::kModerator},
      {"POST /agenda/rounds/{id}/close", Access::kModerator},
      {"POST /api/v1/agenda/rounds", Access::kModerator},
      {"POST /api/v1/agenda/rounds/{id}/close", Access::kModerator},
      {"GET /api/v1/agenda/reports", Access::kModerator},
      {"GET /agenda/{id}", Access::kPublic},
      {"POST /agenda/{id}/support", Access::kAccount},
      {"POST /agenda/{id}/withdraw", Access::kAccount},
      {"POST /agenda/{id}/report", Access::kAccount},
      {"POST /agenda/{id}/moderate", Access::kAccount},
      {"GET /mandate", Access::kPublic},
      {"GET /api/v1/agenda/issues", Access::kPublic},
      {"POST /api/v1/agenda/issues", Access::kAccount},
      {"GET /api/v1/agenda/issues/{id}", Access::kPublic},
      {"POST /api/v1/agenda/issues/{id}/support", Access::kAccount},
      {"DELETE /api/v1/agenda/issues/{id}/support", Access::kAccount},
      {"POST /api/v1/agenda/issues/{id}/reports", Access::kAccount},
      {"POST /api/v1/agenda/issues/{id}/moderation", Access::kAccount},
      {"GET /api/v1/agenda/rounds", Access::kPublic},
      {"GET /api/v1/agenda/rounds/{id}", Access::kPublic},
      {"PUT /api/v1/agenda/rounds/{id}/ballot", Access::kAccount},
      {"GET /api/v1/agenda/mandate", Access::kPublic},
      // Coordination: everyone reads the public view; writes need a coordinator.
      {"GET /coordination", Access::kPublic},
      {"GET /coordination/initiatives", Access::kPublic},
      {"POST /coordination/initiatives", Access::kCoordinator},
      {"GET /coordination/initiatives/{id}", Access::kPublic},
      {"POST /coordination/initiatives/{id}/assessments", Access::kCoordinator},
      {"POST /coordination/initiatives/{id}/conflicts", Access::kCoordinator},
      {"GET /coordination/initiatives/{id}/edit", Access::kCoordinator},
      {"POST /coordination/initiatives/{id}", Access::kCoordinator},
      {"POST /coordination/support/{id}/remove", Access::kCoordinator},
      {"POST /coordination/events/{id}/remove", Access::kCoordinator},
      {"GET /coordination/support", Access::kPublic},
      {"POST /coordination/support", Access::kCoordinator},
      {"GET /coordination/overlap", Access::kPublic},
      {"GET /coordination/plurality", Access::kPublic},
      {"POST /coordination/events", Access::kCoordinator},
      {"GET /coordination/report", Access::kPublic},
      {"GET /coordination/export/initiatives.csv", Access::kPublic},
      {"GET /coordination/export/support.csv", Access::kPublic},
      {"GET /coordination/export/events.csv", Access::kPublic},
      {"GET /api/v1/coordination", Access::kPublic},
      {"GET /api/v1/coordination/initiatives", Access::kPublic},
      {"POST /api/v1/coordination/initiatives", Access::kCoordinator},
      {"GET /api/v1/coordination/initiatives/{id}", Access::kPublic},
      {"POST /api/v1/coordination/initiatives/{id}/assessments", Access::kCoordinator},
      {"POST /api/v1/coordination/initiatives/{id}/conflicts", Access::kCoordinator},
      {"GET /api/v1/coordination/support", Access::kPublic},
      {"POST /api/v1/coordination/support", Access::kCoordinator},
      {"GET /api/v1/coordination/overlap", Access::kPublic},
      {"GET /api/v1/coordination/plurality", Access::kPublic},
      {"POST /api/v1/coordination/events", Access::kCoordinator},
      {"GET /api/v1/coordination/export", Access::kPublic},
      // Campaigns: the record is public; delegates (second factor) start campaigns and record
      // for them (the running organization is checked by the service: 404 first here, as the
      // campaign does not exist); constituents sign petitions.
      {"GET /campaigns", Access::kPublic},
      {"GET /campaigns/log", Access::kPublic},
      {"GET /campaigns/new", Access::kAnyDelegate},
      {"POST /campaigns", Access::kAnyDelegate},
      {"GET /campaigns/{id}", Access::kPublic},
      {"GET /campaigns/{id}/export.csv", Access::kPublic},
      {"GET /campaigns/{id}/export.json", Access::kPublic},
      {"POST /campaigns/{id}/join", Access::kAnyDelegate},
      {"POST /campaigns/{id}/actions", Access::kAnyDelegate},
      {"POST /campaigns/{id}/corrections", Access::kAnyDelegate},
      {"POST /campaigns/{id}/milestones", Access::kAnyDelegate},
      {"POST /campaigns/{id}/milestone-status", Access::kAnyDelegate},
      {"POST /campaigns/{id}/outcome", Access::kAnyDelegate},
      {"POST /campaigns/{id}/petitions", Access::kAnyDelegate},
      {"GET /petitions/{id}", Access::kPublic},
      {"POST /petitions/{id}/sign", Access::kAccount},
      {"GET /track-record/organizations/{slug}", Access::kPublic},
      {"GET /track-record/organizations/{slug}/export.csv", Access::kPublic},
      {"GET /track-record/organizations/{slug}/export.json", Access::kPublic},
      {"GET /track-record/organizations/{slug}/timeline.svg", Access::kPublic},
      {"GET /track-record/issues/{id}", Access::kPublic},
      {"GET /api/v1/campaigns", Access::kPublic},
      {"POST /api/v1/campaigns", Access::kAnyDelegate},
      {"GET /api/v1/campaigns/log", Access::kPublic},
      {"GET /api/v1/campaigns/{id}", Access::kPublic},
      {"POST /api/v1/campaigns/{id}/organizations", Access::kAnyDelegate},
      {"POST /api/v1/campaigns/{id}/actions", Access::kAnyDelegate},
      {"POST /api/v1/campaigns/{id}/corrections", Access::kAnyDelegate},
      {"POST /api/v1/campaigns/{id}/milestones", Access::kAnyDelegate},
      {"POST /api/v1/campaigns/{id}/milestone-status", Access::kAnyDelegate},
      {"POST /api/v1/campaigns/{id}/outcome", Access::kAnyDelegate},
      {"POST /api/v1/campaigns/{id}/petitions", Access::kAnyDelegate},
      {"GET /api/v1/petitions/{id}", Access::kPublic},
      {"GET /api/v1/petitions/{id}/signatures", Access::kPublic},
      {"POST /api/v1/petitions/{id}/signatures", Access::kAccount},
      {"GET /api/v1/track-record/organizations/{slug}", Access::kPublic},
      {"GET /api/v1/track-record/issues/{id}", Access::kPublic},
      {"GET /conversations", Access::kPublic},
      {"GET /conversations/new", Access::kOpener},
      {"POST /conversations/new", Access::kOpener},
      {"GET /conversations/{id}", Access::kPublic},
      {"POST /conversations/{id}/vote", Access::kAccount},
      {"POST /conversations/{id}/statements", Access::kAccount},
      {"GET /conversations/{id}/moderation", Access::kModerator},
      {"POST /conversations/{id}/moderation", Access::kModerator},
      {"GET /conversations/{id}/report", Access::kPublic},
      {"GET /conversations/{id}/map.svg", Access::kPublic},
      {"GET /conversations/{id}/report.csv", Access::kPublic},
      {"GET /conversations/{id}/report.json", Access::kPublic},
      {"GET /api/v1/conversations", Access::kPublic},
      {"POST /api/v1/conversations", Access::kOpener},
      {"GET /api/v1/conversations/{id}", Access::kPublic},
      {"GET /api/v1/conversations/{id}/next", Access::kAccount},
      {"PUT /api/v1/conversations/{id}/votes/{statement}", Access::kAccount},
      {"POST /api/v1/conversations/{id}/statements", Access::kAccount},
      {"GET /api/v1/conversations/{id}/report", Access::kPublic},
      // Site-run elections: organizers (delegates, the operator) manage them (the election's own
      // organizer is checked after: 404 first here); invitees need no account (the invite token,
      // then the signature by the key in the setup, authorize them).
      {"GET /elections/new", Access::kOrganizer},
      {"POST /elections/new", Access::kOrganizer},
      {"GET /elections/{id}/preview", Access::kPublic},
      {"GET /elections/{id}/manage", Access::kOrganizer},
      {"POST /elections/{id}/manage", Access::kOrganizer},
      {"POST /api/v1/elections", Access::kOrganizer},
      {"POST /api/v1/elections/{id}/setup", Access::kOrganizer},
      {"POST /api/v1/elections/{id}/open", Access::kOrganizer},
      {"POST /api/v1/elections/{id}/close", Access::kOrganizer},
      {"POST /api/v1/elections/{id}/publish", Access::kOrganizer},
      {"POST /api/v1/elections/{id}/role-keys", Access::kFlow},
      {"POST /api/v1/elections/{id}/events", Access::kFlow},
      {"GET /elections/{id}/join/{token}", Access::kPublic},
      {"POST /elections/{id}/join/{token}", Access::kPublic},
      {"GET /elections/{id}/trustees/{slot}", Access::kPublic},
      {"POST /elections/{id}/trustees/{slot}", Access::kPublic},
      {"GET /elections/{id}/registrars/{slot}", Access::kPublic},
      {"POST /elections/{id}/registrars/{slot}", Access::kPublic},
  };
  return t;
}

struct Principal {
  std::string name;
  std::map<std::string, std::string> cookies;  // empty: anonymous
  std::set<Access> holds;                      // the org-scoped powers it has for the path's org
  bool logged_in = false;
};

std::string fill(std::string pattern) {
  const std::map<std::string, std::string> values = {
      {"{slug}", "northern-forum"}, {"{version}", "1"},          {"{id}", "987654"},
      {"{role}", "registrar"},      {"{handle}", "nobody-here"}, {"{code}", "en"},
      {"{statement}", "987655"},    {"{token}", "0000"},         {"{slot}", "1"}};
  for (const auto& [k, v] : values) {
    for (auto at = pattern.find(k); at != std::string::npos; at = pattern.find(k)) {
      pattern.replace(at, k.size(), v);
    }
  }
  return pattern;
}

class AuthorizationMatrix : public SiteFixture {
 protected:
  Principal make(const std::string& name, std::optional<Role> role, const std::string& org,
                 std::set<Access> holds) {
    if (role) {
      role_holder(name, *role, org);
    } else {
      cookies_.clear();
      join(name);
      EXPECT_EQ(login(name).status, 303);
    }
    clock_.advance(std::chrono::seconds(61));  // a fresh minute for the login rate limits
    return Principal{name, cookies_, std::move(holds), true};
  }
};

TEST_F(AuthorizationMatrix, EveryRouteGivesEveryPrincipalExactlyItsAccess) {
  std::vector<Principal> principals;
  principals.push_back(Principal{"anonymous", {}, {}, false});
  principals.push_back(make("constituent", std::nullopt, "", {}));
  principals.push_back(make("delegate", Role::kDelegate, "northern-forum", {Access::kDelegate}));
  principals.push_back(make("registrar", Role::kRegistrar, "northern-forum", {Access::kRegistrar}));
  principals.push_back(make("outsider", Role::kDelegate, "volga-federalists", {}));
  ASSERT_TRUE(accounts_->grant_role("operator", "outsider", Role::kRegistrar, "volga-federalists"));
  principals.push_back(make("operator", Role::kOperator, "",
                            {Access::kDelegate, Access::kRegistrar, Access::kModerator}));
  principals.push_back(make("moderator", Role::kModerator, "", {Access::kModerator}));
  principals.push_back(make("coordinator", Role::kCoordinator, "", {Access::kCoordinator}));

  // Every route has an entry; logging out goes last so the other routes keep their sessions.
  std::vector<const Route*> routes;
  for (const auto& r : site_->router().routes()) {
    const std::string key = std::string(method_name(r.method)) + " " + r.pattern;
    EXPECT_TRUE(table().count(key)) << key << " has no entry in the authorization matrix";
    if (table().count(key)) routes.push_back(&r);
  }
  std::stable_partition(routes.begin(), routes.end(),
                        [](const Route* r) { return r->pattern != "/logout"; });

  for (auto& who : principals) {
    for (const Route* route : routes) {
      const std::string key = std::string(method_name(route->method)) + " " + route->pattern;
      const Access access = table().at(key);
      if (access == Access::kFlow) continue;  // tested by the flows' own tests
      clock_.advance(std::chrono::seconds(61));
      cookies_ = who.cookies;
      const bool api = route->pattern.starts_with("/api/");
      std::string csrf;
      if (route->method != Method::kGet) {
        csrf = csrf_in(send(Method::kGet, who.logged_in ? "/me" : "/login").body);
      }
      std::map<std::string, std::string> headers;
      std::string body;
      if (api) {
        headers = {{"accept", "application/json"}, {"content-type", "application/json"}};
        if (!csrf.empty()) headers["x-csrf-token"] = csrf;
        body = "{}";
      } else if (!csrf.empty()) {
        body = "csrf=" + csrf;
      }
      const Response r = send(route->method, fill(route->pattern), body, headers);
      const bool allowed =
          access == Access::kPublic || (access == Access::kAccount && who.logged_in) ||
          who.holds.count(access) > 0 ||
          (access == Access::kAnyDelegate && (who.name == "delegate" || who.name == "outsider")) ||
          (access == Access::kOpener && (who.name == "delegate" || who.name == "outsider" ||
                                         who.name == "operator" || who.name == "moderator")) ||
          (access == Access::kOrganizer &&
           (who.name == "delegate" || who.name == "outsider" || who.name == "operator"));
      const std::string location = header(r, "Location");
      const bool to_login = r.status == 303 && location.starts_with("/login");
      const bool refused = r.status == 401 || r.status == 403 || to_login;
      const std::string what = who.name + " " + key + " -> " + std::to_string(r.status);
      if (allowed) {
        // Erasing the account asks for the passphrase again: an empty one is refused as 401.
        if (key != "POST /me/data/erase") {
          EXPECT_NE(r.status, 401) << what;
        }
        EXPECT_FALSE(to_login) << what;
        // Turning TOTP off is refused (403, saying why) while a role needs the second factor.
        if (r.status == 403 && key != "POST /me/totp/disable") {
          // Refusals for bad input are fine; refusals for want of a role or a form token not.
          for (const char* denial :
               {"Only a", "second factor", "expired or did not come", "X-CSRF-Token", "operator"}) {
            EXPECT_EQ(r.body.find(denial), std::string::npos) << what << ": " << r.body;
          }
        }
      } else {
        EXPECT_TRUE(refused) << what << " should be refused: " << r.body.substr(0, 300);
      }
      EXPECT_LT(r.status, 500) << what;
    }
  }
}

}  // namespace
}  // namespace veche::http
