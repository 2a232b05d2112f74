#include "libpq_loader.hpp"

#include <dlfcn.h>

#include <string>

namespace veche::store {
namespace {

struct Loaded {
  Libpq functions;
  std::string error;  // empty when every function was found
};

Loaded load() {
  Loaded out;
  void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.error = std::string("store: PostgreSQL needs libpq (Debian package libpq5): ") +
                (why != nullptr ? why : "libpq.so.5 not found");
    return out;
  }
  // The handle stays open for the life of the process: connections may outlive any one
  // database object.
#define VECHE_LIBPQ_LOOKUP(name)                                                    \
  out.functions.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));   \
  if (out.functions.name == nullptr && out.error.empty()) {                         \
    out.error = "store: libpq.so.5 has no " #name " (libpq 10 or later is needed)"; \
  }
  VECHE_LIBPQ_FUNCTIONS(VECHE_LIBPQ_LOOKUP)
#undef VECHE_LIBPQ_LOOKUP
  return out;
}

const Loaded& loaded() {
  static const Loaded instance = load();
  return instance;
}

}  // namespace

Result<const Libpq*> load_libpq() {
  const Loaded& l = loaded();
  if (!l.error.empty()) return failed_precondition(l.error);
  return &l.functions;
}

const Libpq& pq() { return loaded().functions; }

}  // namespace veche::store
