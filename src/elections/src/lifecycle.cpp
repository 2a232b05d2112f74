#include "veche/elections/lifecycle.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "veche/core/text.hpp"
#include "veche/crypto/at_rest.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/password.hpp"
#include "veche/crypto/random.hpp"
#include "veche/record/board.hpp"
#include "veche/record/trustee.hpp"

namespace veche::elections {
namespace {

namespace json = boost::json;

constexpr std::string_view kNotRun = "There is no such election run by this site.";
constexpr std::string_view kSealPurpose = "election-admin";
constexpr std::string_view kInvitePurpose = "election-invite";
constexpr std::string_view kInviteHashPurpose = "election-invite-hash";
// Longer than this between two heartbeats counts as an outage even without a rule; the keeper
// beats every minute.
constexpr std::int64_t kMaxWindowSeconds = 366LL * 24 * 3600;

std::string associated(ElectionId id) { return "election/" + std::to_string(id); }

std::string invite_token(const crypto::SecretBytes& key, ElectionId id, Role role,
                         std::uint32_t slot, std::string_view salt) {
  const auto d = crypto::keyed_hash(key, kInvitePurpose,
                                    std::to_string(id) + "/" + role_name(role) + "/" +
                                        std::to_string(slot) + "/" + std::string(salt));
  return crypto::to_hex(crypto::ByteView(d.data(), 20));
}

std::string token_hash(const crypto::SecretBytes& key, std::string_view token) {
  return crypto::to_hex(crypto::keyed_hash(key, kInviteHashPurpose, token));
}

json::object question_json(const record::Question& q) {
  json::array choices;
  for (const auto& c : q.choices) choices.emplace_back(c);
  return json::object{{"id", q.id},
                      {"kind", record::to_string(q.kind)},
                      {"choices", std::move(choices)},
                      {"min", q.min},
                      {"max", q.max},
                      {"blank", q.blank},
                      {"seats", q.seats},
                      {"method", record::to_string(q.method)},
                      {"threshold_permille", q.threshold_permille}};
}

std::string spec_text(const Draft& d) {
  json::array questions, trustees, registrars;
  for (const auto& q : d.questions) questions.push_back(question_json(q));
  for (const auto& t : d.trustees) trustees.emplace_back(t);
  for (const auto& r : d.registrars) registrars.emplace_back(r);
  return json::serialize(json::object{{"title", d.title},
                                      {"questions", std::move(questions)},
                                      {"trustees", std::move(trustees)},
                                      {"threshold", d.threshold},
                                      {"registrars", std::move(registrars)}});
}

std::uint32_t u32(const json::value& v) {
  return static_cast<std::uint32_t>(v.to_number<std::int64_t>());
}

// The spec was written by spec_text(): a stored value, not client input.
Result<Draft> parse_spec(std::string_view text) {
  json::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return data_loss("a stored election spec is not JSON");
  const auto& o = v.as_object();
  Draft d;
  d.title = std::string(o.at("title").as_string());
  for (const auto& qv : o.at("questions").as_array()) {
    const auto& qo = qv.as_object();
    record::Question q;
    q.id = std::string(qo.at("id").as_string());
    VECHE_ASSIGN_OR_RETURN(q.kind, record::parse_question_kind(qo.at("kind").as_string()));
    for (const auto& c : qo.at("choices").as_array()) q.choices.emplace_back(c.as_string());
    q.min = u32(qo.at("min"));
    q.max = u32(qo.at("max"));
    q.blank = qo.at("blank").as_bool();
    q.seats = u32(qo.at("seats"));
    VECHE_ASSIGN_OR_RETURN(q.method, record::parse_seat_method(qo.at("method").as_string()));
    q.threshold_permille = u32(qo.at("threshold_permille"));
    d.questions.push_back(std::move(q));
  }
  for (const auto& t : o.at("trustees").as_array()) d.trustees.emplace_back(t.as_string());
  d.threshold = u32(o.at("threshold"));
  for (const auto& r : o.at("registrars").as_array()) d.registrars.emplace_back(r.as_string());
  return d;
}

struct Loaded {
  Run run;
  store::Blob sealed_admin;
};

// The run (the board's state is kept by Elections).
Result<Loaded> load(store::Transaction& tx, const crypto::SecretBytes& key, ElectionId id) {
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx.query("SELECT d.organizer, e.election_id, d.spec, d.opens_at, d.closes_at, "
               "d.outage_minutes, d.max_extension_hours, d.created_at, d.admin_key, "
               "d.admin_public, d.opened_at, d.extended_seconds "
               "FROM election_drafts d JOIN elections e ON e.id = d.election WHERE d.election = ?",
               {id}));
  if (rows.empty()) return not_found(std::string(kNotRun));
  const auto& r = rows[0];
  Loaded l;
  l.run.id = id;
  l.run.organizer = r.int64(0);
  l.run.election_id = r.text(1);
  VECHE_ASSIGN_OR_RETURN(l.run.draft, parse_spec(r.text(2)));
  l.run.draft.opens_at = core::from_unix(r.int64(3));
  l.run.draft.closes_at = core::from_unix(r.int64(4));
  l.run.draft.extension.outage_minutes = static_cast<std::uint32_t>(r.int64(5));
  l.run.draft.extension.max_hours = static_cast<std::uint32_t>(r.int64(6));
  l.run.created_at = core::from_unix(r.int64(7));
  l.sealed_admin = r.blob(8);
  l.run.administrator = r.text(9);
  if (auto o = r.opt_int64(10)) l.run.opened_at = core::from_unix(*o);
  l.run.extended_seconds = r.int64(11);
  VECHE_ASSIGN_OR_RETURN(auto roles,
                         tx.query("SELECT role, slot, name, invite_salt, public_key "
                                  "FROM election_roles WHERE election = ? ORDER BY role DESC, slot",
                                  {id}));
  for (const auto& rr : roles) {
    RoleSlot s;
    s.role = rr.text(0) == "trustee" ? Role::kTrustee : Role::kRegistrar;
    s.slot = static_cast<std::uint32_t>(rr.int64(1));
    s.name = rr.text(2);
    s.invite_token = invite_token(key, id, s.role, s.slot, rr.text(3));
    s.public_key = rr.opt_text(4).value_or("");
    l.run.roles.push_back(std::move(s));
  }
  return l;
}

Result<crypto::SigningKey> admin_key(const crypto::SecretBytes& key, const Loaded& l) {
  const auto& b = l.sealed_admin;
  VECHE_ASSIGN_OR_RETURN(
      auto seed, crypto::decrypt_at_rest(
                     key, kSealPurpose, associated(l.run.id),
                     crypto::ByteView(reinterpret_cast<const std::uint8_t*>(b.data()), b.size())));
  return crypto::SigningKey::from_seed(seed.expose());
}

std::string phase_of(const record::ElectionState& s) {
  return s.phase() == record::Phase::kEmpty ? "draft" : phase_name(s.phase());
}

std::string random_salt() {
  crypto::SystemRandom rng;
  std::array<std::byte, 16> b{};
  rng.fill(b);
  return crypto::to_hex(
      crypto::ByteView(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()));
}

// `tallies`: the type and payload of the complaint and credentials events, for their counts.
Progress progress_of(const Run& run, const record::ElectionState& st,
                     const std::vector<std::pair<std::string, std::string>>& tallies,
                     core::TimePoint now) {
  Progress p;
  p.phase = phase_of(st);
  const auto n = run.draft.trustees.size();
  p.trustees.resize(n);
  p.registrar_keys.assign(run.draft.registrars.size(), false);
  p.registrar_creds.assign(run.draft.registrars.size(), -1);
  bool all_keys = true;
  for (const auto& s : run.roles) {
    const bool has = !s.public_key.empty();
    all_keys = all_keys && has;
    if (s.slot < 1) continue;
    if (s.role == Role::kTrustee && s.slot <= n) p.trustees[s.slot - 1].key_registered = has;
    if (s.role == Role::kRegistrar && s.slot <= p.registrar_keys.size()) {
      p.registrar_keys[s.slot - 1] = has;
    }
  }
  if (st.has_setup()) {
    for (std::uint32_t i = 1; i <= n; ++i) {
      auto& t = p.trustees[i - 1];
      t.enc_key = st.enc_keys().contains(i);
      t.dealt = st.deals().contains(i);
      t.disqualified = st.disqualified().contains(i);
      t.partial = st.partials().contains(i);
    }
    for (const auto& [type, payload] : tallies) {
      json::error_code ec;
      const auto v = json::parse(payload, ec);
      if (ec || !v.is_object()) continue;
      const auto& o = v.as_object();
      if (type == "trustee_complaint") {
        if (const auto* t = o.if_contains("trustee"); t != nullptr && t->is_int64()) {
          const auto i = static_cast<std::size_t>(t->as_int64());
          if (i >= 1 && i <= n) ++p.trustees[i - 1].complaints;
        }
      } else if (type == "credentials") {
        const auto* r = o.if_contains("registrar");
        const auto* c = o.if_contains("credentials");
        if (r != nullptr && r->is_int64() && c != nullptr && c->is_array()) {
          const auto i = static_cast<std::size_t>(r->as_int64());
          if (i >= 1 && i <= p.registrar_creds.size()) {
            p.registrar_creds[i - 1] = static_cast<std::int64_t>(c->as_array().size());
          }
        }
      }
    }
    p.partials = st.partials().size();
  }
  if (st.phase() == record::Phase::kOpen || st.phase() == record::Phase::kClosed ||
      st.phase() == record::Phase::kDone) {
    p.ballots = st.ballot_events();
  }
  const std::string not_now = "Not in this phase.";
  p.freeze_blocked = st.phase() != record::Phase::kEmpty ? not_now
                     : all_keys                          ? ""
                                : "Every trustee and registrar must register a key first.";
  if (st.phase() != record::Phase::kSetup) {
    p.open_blocked = not_now;
  } else if (st.registrars_done().size() < run.draft.registrars.size()) {
    p.open_blocked = "Every registrar must publish the credentials first.";
  } else if (now < run.draft.opens_at) {
    p.open_blocked = "Not before the announced opening time.";
  } else if (auto joint = st.compute_joint_key(); !joint) {
    p.open_blocked = "Not enough trustees have finished the key ceremony.";
  }
  p.close_blocked = st.phase() != record::Phase::kOpen ? not_now
                    : now < run.effective_close()      ? "Not before the announced close."
                                                       : "";
  p.publish_blocked = st.phase() != record::Phase::kClosed ? not_now
                      : st.partials().size() < st.setup().threshold
                          ? "Not enough partial decryptions yet."
                          : "";
  return p;
}

}  // namespace

const char* role_name(Role r) { return r == Role::kTrustee ? "trustee" : "registrar"; }

Status validate(const Draft& d) {
  VECHE_TRY(core::check_text("title", d.title, 300));
  if (core::trim(d.title).empty()) return invalid_argument("The election needs a title.");
  if (d.questions.empty()) return invalid_argument("The election needs at least one question.");
  if (d.questions.size() > record::kMaxQuestions) {
    return invalid_argument("An election has at most 64 questions.");
  }
  std::set<std::string> ids;
  for (const auto& q : d.questions) {
    if (auto st = record::validate(q); !st) return invalid_argument(st.error().message);
    if (!ids.insert(q.id).second) return invalid_argument("Two questions have the same text.");
  }
  for (const auto* list : {&d.trustees, &d.registrars}) {
    for (const auto& name : *list) {
      VECHE_TRY(core::check_text("name", name, 200));
      if (core::trim(name).empty()) return invalid_argument("A name is empty.");
    }
    if (std::set<std::string>(list->begin(), list->end()).size() != list->size()) {
      return invalid_argument("Two trustees or two registrars have the same name.");
    }
  }
  if (d.trustees.empty() || d.trustees.size() > kMaxRoleSlots) {
    return invalid_argument("An election has 1 to 64 trustees.");
  }
  if (d.threshold < 1 || d.threshold > d.trustees.size()) {
    return invalid_argument("The threshold must be between 1 and the number of trustees.");
  }
  if (d.registrars.empty() || d.registrars.size() > kMaxRoleSlots) {
    return invalid_argument("An election has 1 to 64 registrars.");
  }
  if (d.closes_at <= d.opens_at) return invalid_argument("The close must come after the opening.");
  if (d.closes_at - d.opens_at > std::chrono::seconds(kMaxWindowSeconds)) {
    return invalid_argument("Voting may last at most a year.");
  }
  if (d.extension.outage_minutes > 24 * 60) {
    return invalid_argument("The outage that extends voting is at most 1440 minutes.");
  }
  if (d.extension.outage_minutes > 0 &&
      (d.extension.max_hours < 1 || d.extension.max_hours > 168)) {
    return invalid_argument("The longest extension is 1 to 168 hours.");
  }
  return ok();
}

Result<SubmittedEvent> parse_submitted(std::string_view text) {
  text = core::trim(text);
  if (text.size() > record::kMaxLineBytes) return invalid_argument("The event is too large.");
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return invalid_argument("The event is not a JSON object.");
  auto& o = v.as_object();
  const auto* type = o.if_contains("type");
  auto* payload = o.if_contains("payload");
  if (type == nullptr || !type->is_string() || payload == nullptr || !payload->is_object()) {
    return invalid_argument("The event needs \"type\" (a string) and \"payload\" (an object).");
  }
  SubmittedEvent e{std::string(type->as_string()), std::move(payload->as_object())};
  static const std::set<std::string, std::less<>> kAllowed = {
      "trustee_key", "trustee_deal", "trustee_complaint", "credentials", "partial_decryption"};
  if (!kAllowed.contains(e.type)) {
    return invalid_argument(
        "Trustees and registrars publish only trustee_key, trustee_deal, "
        "trustee_complaint, credentials and partial_decryption events.");
  }
  return e;
}

Result<std::int64_t> reseal_admin_keys(store::Database& db, const crypto::SecretBytes& old_key,
                                       const crypto::SecretBytes& new_key) {
  std::int64_t n = 0;
  VECHE_TRY(store::with_write(
      db,
      [&](store::Transaction& tx) -> Status {
        n = 0;
        VECHE_ASSIGN_OR_RETURN(auto rows,
                               tx.query("SELECT election, admin_key FROM election_drafts"));
        for (const auto& r : rows) {
          const auto id = r.int64(0);
          const auto& b = r.blob(1);
          VECHE_ASSIGN_OR_RETURN(
              auto seed,
              crypto::decrypt_at_rest(
                  old_key, kSealPurpose, associated(id),
                  crypto::ByteView(reinterpret_cast<const std::uint8_t*>(b.data()), b.size())));
          const auto sealed =
              crypto::encrypt_at_rest(new_key, kSealPurpose, associated(id), seed.expose());
          store::Blob blob(sealed.size());
          std::transform(sealed.begin(), sealed.end(), blob.begin(),
                         [](std::uint8_t x) { return static_cast<std::byte>(x); });
          VECHE_TRY(tx.exec("UPDATE election_drafts SET admin_key = ? WHERE election = ?",
                            {std::move(blob), id}));
          ++n;
        }
        return ok();
      },
      store::Durability::kFull));
  return n;
}

Result<ElectionId> Lifecycle::create(std::int64_t organizer, const Draft& d) {
  VECHE_TRY(validate(d));
  crypto::SystemRandom rng;
  const auto admin = crypto::SigningKey::generate(rng);
  const std::string election_id = "veche-" + random_salt();
  const auto now = core::to_unix(clock_.now());
  ElectionId id = 0;
  VECHE_TRY(store::with_write(
      db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(id, tx.insert("INSERT INTO elections (election_id, title, "
                                             "imported_at) VALUES (?, ?, ?) RETURNING id",
                                             {election_id, d.title, now}));
        const auto seed = admin.export_secret_seed();
        const auto sealed = crypto::encrypt_at_rest(key_, kSealPurpose, associated(id), seed);
        store::Blob blob(sealed.size());
        std::transform(sealed.begin(), sealed.end(), blob.begin(),
                       [](std::uint8_t b) { return static_cast<std::byte>(b); });
        VECHE_TRY(tx.exec(
            "INSERT INTO election_drafts (election, organizer, spec, opens_at, closes_at, "
            "outage_minutes, max_extension_hours, created_at, admin_key, admin_public) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {id, organizer, spec_text(d), core::to_unix(d.opens_at), core::to_unix(d.closes_at),
             static_cast<std::int64_t>(d.extension.outage_minutes),
             static_cast<std::int64_t>(d.extension.max_hours), now, std::move(blob),
             crypto::to_hex(admin.verify_key().bytes())}));
        for (const auto& [role, names] :
             {std::pair{Role::kTrustee, &d.trustees}, std::pair{Role::kRegistrar, &d.registrars}}) {
          for (std::size_t i = 0; i < names->size(); ++i) {
            const auto salt = random_salt();
            const auto slot = static_cast<std::uint32_t>(i + 1);
            VECHE_TRY(
                tx.exec("INSERT INTO election_roles (election, role, slot, name, invite_salt, "
                        "token_hash) VALUES (?, ?, ?, ?, ?, ?)",
                        {id, role_name(role), static_cast<std::int64_t>(slot), (*names)[i], salt,
                         token_hash(key_, invite_token(key_, id, role, slot, salt))}));
          }
        }
        return ok();
      },
      store::Durability::kFull));
  return id;
}

Result<Run> Lifecycle::run(ElectionId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto l, load(*tx, key_, id));
  return std::move(l.run);
}

Result<Progress> Lifecycle::progress(ElectionId id) const {
  Run run;
  std::vector<std::pair<std::string, std::string>> tallies;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto l, load(*tx, key_, id));
    run = std::move(l.run);
    VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT type, payload FROM election_events WHERE "
                                                "election = ? AND type IN "
                                                "('trustee_complaint', 'credentials') ORDER BY seq",
                                                {id}));
    for (const auto& r : rows) tallies.emplace_back(r.text(0), r.text(1));
  }
  Progress p;
  VECHE_TRY(board_.inspect(id, [&](const record::ElectionState& st) {
    p = progress_of(run, st, tallies, clock_.now());
  }));
  return p;
}

Result<RoleSlot> Lifecycle::invitee(ElectionId id, std::string_view token) const {
  if (token.size() != 40) return permission_denied("This invitation link is not valid.");
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx->query("SELECT role, slot, name, public_key FROM "
                                   "election_roles WHERE election = ? AND token_hash = ?",
                                   {id, token_hash(key_, token)}));
  if (rows.empty()) {
    return permission_denied("This invitation link is not valid (a newer one may replace it).");
  }
  RoleSlot s;
  s.role = rows[0].text(0) == "trustee" ? Role::kTrustee : Role::kRegistrar;
  s.slot = static_cast<std::uint32_t>(rows[0].int64(1));
  s.name = rows[0].text(2);
  s.public_key = rows[0].opt_text(3).value_or("");
  return s;
}

Result<std::string> Lifecycle::renew_invite(ElectionId id, Role role, std::uint32_t slot) {
  std::string token;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto events, tx.query("SELECT COUNT(*) FROM election_events WHERE "
                                                 "election = ?",
                                                 {id}));
    if (events[0].int64(0) > 0) {
      return failed_precondition("The setup is frozen: invitations cannot change any more.");
    }
    VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT public_key FROM election_roles WHERE "
                                               "election = ? AND role = ? AND slot = ?",
                                               {id, role_name(role), std::int64_t{slot}}));
    if (rows.empty()) return not_found("There is no such trustee or registrar.");
    if (!rows[0].is_null(0)) {
      return failed_precondition("This slot has registered its key already.");
    }
    const auto salt = random_salt();
    token = invite_token(key_, id, role, slot, salt);
    VECHE_TRY(
        tx.exec("UPDATE election_roles SET invite_salt = ?, token_hash = ? WHERE "
                "election = ? AND role = ? AND slot = ?",
                {salt, token_hash(key_, token), id, role_name(role), std::int64_t{slot}}));
    return ok();
  }));
  return token;
}

Result<RoleSlot> Lifecycle::register_key(ElectionId id, std::string_view token,
                                         std::string_view key_hex) {
  auto raw = crypto::from_hex_fixed<32>(key_hex);
  if (!raw) return invalid_argument("The key must be 64 hexadecimal digits.");
  auto key = crypto::VerifyKey::from_bytes(*raw);
  if (!key) return invalid_argument("This is not a valid Ed25519 public key.");
  VECHE_ASSIGN_OR_RETURN(auto slot, invitee(id, token));
  const std::string hex = crypto::to_hex(key->bytes());
  VECHE_TRY(store::with_write(
      db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(auto events, tx.query("SELECT COUNT(*) FROM election_events "
                                                     "WHERE election = ?",
                                                     {id}));
        if (events[0].int64(0) > 0) {
          return conflict("The setup is frozen: keys cannot be registered any more.");
        }
        VECHE_ASSIGN_OR_RETURN(auto same, tx.query("SELECT 1 FROM election_roles WHERE "
                                                   "election = ? AND public_key = ?",
                                                   {id, hex}));
        if (!same.empty()) {
          return already_exists("This key is registered for another slot of this election.");
        }
        VECHE_ASSIGN_OR_RETURN(
            const auto changed,
            tx.exec("UPDATE election_roles SET public_key = ?, registered_at = ? WHERE "
                    "election = ? AND role = ? AND slot = ? AND public_key IS NULL",
                    {hex, core::to_unix(clock_.now()), id, role_name(slot.role),
                     std::int64_t{slot.slot}}));
        if (changed == 0) return already_exists("This slot has registered its key already.");
        return ok();
      },
      store::Durability::kFull));
  slot.public_key = hex;
  return slot;
}

Result<std::uint64_t> Lifecycle::admin_step(ElectionId id, std::string_view step) {
  Loaded l;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(l, load(*tx, key_, id));
  }
  VECHE_ASSIGN_OR_RETURN(auto admin, admin_key(key_, l));
  const auto now = clock_.now();
  const std::string type = step == "publish" ? "result" : std::string(step);
  auto make = [&](const record::ElectionState& st) -> Result<json::object> {
    const auto p = progress_of(l.run, st, {}, now);
    if (step == "setup") {
      if (!p.freeze_blocked.empty()) return failed_precondition(p.freeze_blocked);
      record::Setup s;
      s.election_id = l.run.election_id;
      s.title = l.run.draft.title;
      s.questions = l.run.draft.questions;
      s.threshold = l.run.draft.threshold;
      s.administrator = admin.verify_key();
      for (const auto& r : l.run.roles) {
        VECHE_ASSIGN_OR_RETURN(auto bytes, crypto::from_hex_fixed<32>(r.public_key));
        VECHE_ASSIGN_OR_RETURN(auto k, crypto::VerifyKey::from_bytes(bytes));
        (r.role == Role::kTrustee ? s.trustees : s.registrars).push_back({r.name, k});
      }
      return record::make_setup(s, admin);
    }
    if (step == "open") {
      if (!p.open_blocked.empty()) return failed_precondition(p.open_blocked);
      auto made = record::make_open(st, admin);
      if (!made) return failed_precondition(made.error().message);
      return made;
    }
    if (step == "close") {
      if (!p.close_blocked.empty()) return failed_precondition(p.close_blocked);
      return record::make_close(st, admin);
    }
    if (!p.publish_blocked.empty()) return failed_precondition(p.publish_blocked);
    auto made = record::make_result(st, admin);
    if (!made) return failed_precondition(made.error().message);
    return made;
  };
  auto also = [&](store::Transaction& tx, const record::ElectionState&) -> Status {
    if (step != "open") return ok();
    VECHE_TRY(tx.exec("UPDATE election_drafts SET opened_at = ? WHERE election = ?",
                      {core::to_unix(now), id}));
    return ok();
  };
  VECHE_ASSIGN_OR_RETURN(auto e, board_.append(id, type, make, also));
  return e.seq;
}

Result<std::uint64_t> Lifecycle::freeze_setup(ElectionId id) { return admin_step(id, "setup"); }
Result<std::uint64_t> Lifecycle::open(ElectionId id) { return admin_step(id, "open"); }
Result<std::uint64_t> Lifecycle::close(ElectionId id) { return admin_step(id, "close"); }
Result<std::uint64_t> Lifecycle::publish(ElectionId id) { return admin_step(id, "publish"); }

Result<Lifecycle::Appended> Lifecycle::append(ElectionId id, const SubmittedEvent& submitted) {
  const bool ceremony = submitted.type == "trustee_key" || submitted.type == "trustee_deal" ||
                        submitted.type == "trustee_complaint" || submitted.type == "credentials";
  auto make = [&](const record::ElectionState& st) -> Result<json::object> {
    const auto phase = st.phase();
    if (phase == record::Phase::kEmpty) {
      return conflict("The setup is not frozen yet: nothing can be published.");
    }
    if (ceremony && phase != record::Phase::kSetup) {
      return conflict("The key ceremony and the credentials are over.");
    }
    if (submitted.type == "partial_decryption" && phase != record::Phase::kClosed) {
      return conflict("Partial decryptions come after the close, before the result.");
    }
    return submitted.payload;
  };
  VECHE_ASSIGN_OR_RETURN(auto e, board_.append(id, submitted.type, make));
  return Appended{e.seq, crypto::to_hex(e.hash)};
}

Result<std::optional<core::TimePoint>> Lifecycle::next_close() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT MIN(d.closes_at + d.extended_seconds) FROM election_drafts d WHERE "
                "d.opened_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM election_events e WHERE "
                "e.election = d.election AND e.type = 'close')"));
  if (rows.empty() || rows[0].is_null(0)) return std::optional<core::TimePoint>();
  return std::optional<core::TimePoint>(core::from_unix(rows[0].int64(0)));
}

Result<int> Lifecycle::keep_deadlines() {
  const auto now = clock_.now();
  const auto now_s = core::to_unix(now);
  std::optional<std::int64_t> last_beat;
  std::vector<ElectionId> open;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto beat,
                           tx.query("SELECT last_beat FROM election_keeper WHERE id = 1"));
    if (!beat.empty()) last_beat = beat[0].int64(0);
    if (last_beat && *last_beat >= now_s) return ok();  // another keeper beat already
    if (last_beat) {
      VECHE_TRY(tx.exec("UPDATE election_keeper SET last_beat = ? WHERE id = 1", {now_s}));
    } else {
      VECHE_TRY(tx.exec("INSERT INTO election_keeper (id, last_beat) VALUES (1, ?)", {now_s}));
    }
    // Open elections: opened by the site and not closed yet (no replay of their boards here).
    VECHE_ASSIGN_OR_RETURN(
        auto rows, tx.query("SELECT d.election FROM election_drafts d WHERE d.opened_at IS NOT "
                            "NULL AND NOT EXISTS (SELECT 1 FROM election_events e WHERE "
                            "e.election = d.election AND e.type = 'close') ORDER BY d.election"));
    for (const auto& r : rows) open.push_back(r.int64(0));
    return ok();
  }));
  int done = 0;
  std::optional<Error> first_error;
  for (const auto id : open) {
    bool due = false;
    auto st = store::with_write(
        db_,
        [&](store::Transaction& tx) -> Status {
          due = false;
          VECHE_ASSIGN_OR_RETURN(auto l, load(tx, key_, id));
          const auto& rule = l.run.draft.extension;
          const auto close_s = core::to_unix(l.run.effective_close());
          const auto opened_s = core::to_unix(*l.run.opened_at);
          if (rule.outage_minutes > 0 && last_beat &&
              now_s - *last_beat > std::int64_t{rule.outage_minutes} * 60) {
            // The part of the outage while voting was open.
            const auto from = std::max(*last_beat, opened_s);
            const auto to = std::min(now_s, close_s);
            if (to - from > std::int64_t{rule.outage_minutes} * 60) {
              const auto scheduled = core::to_unix(l.run.draft.closes_at);
              const auto limit = scheduled + std::int64_t{rule.max_hours} * 3600;
              const auto moved = std::min(std::max(close_s, now_s) + (to - from), limit);
              if (moved > close_s) {
                VECHE_TRY(
                    tx.exec("UPDATE election_drafts SET extended_seconds = ? WHERE "
                            "election = ?",
                            {moved - scheduled, id}));
                VECHE_TRY(
                    tx.exec("INSERT INTO election_extensions (election, outage_from, "
                            "outage_to, close_moved_to) VALUES (?, ?, ?, ?)",
                            {id, from, to, moved}));
                ++done;
                return ok();
              }
            }
          }
          due = now >= l.run.effective_close();
          return ok();
        },
        store::Durability::kFull);
    if (st && due) {
      auto closed = close(id);
      if (closed) {
        ++done;
      } else if (closed.error().code != ErrorCode::kFailedPrecondition) {
        st = closed.error();
      }
    }
    if (!st && !first_error) first_error = st.error();
  }
  if (first_error) return *first_error;
  return done;
}

}  // namespace veche::elections
