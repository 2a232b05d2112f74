// libpq, loaded when the first PostgreSQL database is opened (private to src/store).
//
// `veche` links no libpq: the library and what it pulls in (Kerberos, LDAP, GnuTLS, SASL: 25
// shared objects) cost every command about 7 ms of start-up, and a deployment on SQLite needs
// none of them installed. The functions below are looked up once with dlsym; their types come
// from <libpq-fe.h>, so a call through them is checked like a direct call.
#pragma once

#include <libpq-fe.h>

#include "veche/core/result.hpp"

namespace veche::store {

// clang-format off
#define VECHE_LIBPQ_FUNCTIONS(X) \
  X(PQclear) \
  X(PQcmdStatus) \
  X(PQcmdTuples) \
  X(PQconnectdbParams) \
  X(PQconninfoFree) \
  X(PQconninfoParse) \
  X(PQerrorMessage) \
  X(PQexec) \
  X(PQexecParams) \
  X(PQfinish) \
  X(PQfreemem) \
  X(PQftype) \
  X(PQgetisnull) \
  X(PQgetlength) \
  X(PQgetvalue) \
  X(PQnfields) \
  X(PQntuples) \
  X(PQresultErrorField) \
  X(PQresultErrorMessage) \
  X(PQresultStatus) \
  X(PQsetNoticeProcessor) \
  X(PQstatus) \
  X(PQtransactionStatus) \
  X(PQunescapeBytea)
// clang-format on

struct Libpq {
#define VECHE_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
  VECHE_LIBPQ_FUNCTIONS(VECHE_LIBPQ_MEMBER)
#undef VECHE_LIBPQ_MEMBER
};

// Loads libpq.so.5 and its functions on the first call (thread-safe); later calls return the
// same table. kFailedPrecondition, naming the Debian package, when it cannot be loaded.
Result<const Libpq*> load_libpq();

// The table; only after load_libpq() succeeded (every open PostgreSQL database implies it).
const Libpq& pq();

}  // namespace veche::store
