// Fictional demo decisions for `veche serve --demo` (no real organizations or people).
#pragma once

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/store/database.hpp"

namespace veche::decisions {

// Adds motions (one decided, one in its voting window, one in discussion) and consultations
// (one closed with its result, one open) voted by the demo delegates and demo constituents of
// registry::load_demo. kAlreadyExists when motions exist (nothing changes); demo accounts that
// are missing are skipped. `key` is the data key (consultation voter keys).
Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

}  // namespace veche::decisions
