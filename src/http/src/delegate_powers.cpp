#include "accounts_web.hpp"

namespace veche::http {

std::vector<std::string> delegate_orgs(const Principal& p) {
  std::vector<std::string> out;
  for (const auto& g : p.roles) {
    if (g.role == registry::Role::kDelegate &&
        p.may_act_as(registry::Role::kDelegate, g.organization)) {
      out.push_back(g.organization);
    }
  }
  return out;
}

Status check_any_delegate(const Principal& p) {
  if (!delegate_orgs(p).empty()) return ok();
  for (const auto& g : p.roles) {
    if (g.role == registry::Role::kDelegate) {
      if (!p.second_factor) {
        return permission_denied(
            "Your roles need a second factor. Set up an authenticator app and log in with it "
            "before you use them.");
      }
      return permission_denied("This token lacks the delegate scope.");
    }
  }
  return permission_denied("Only a delegate of a member organization can do that.");
}

}  // namespace veche::http
