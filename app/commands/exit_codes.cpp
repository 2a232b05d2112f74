#include <cstdio>

#include "commands/commands.hpp"

namespace veche::app {

// sysexits.h values, so scripts can tell bad input from an unreachable database.
int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 65;  // EX_DATAERR
    case ErrorCode::kTooLarge:
      return 65;
    case ErrorCode::kNotFound:
      return 66;  // EX_NOINPUT
    case ErrorCode::kAlreadyExists:
      return 73;  // EX_CANTCREAT
    case ErrorCode::kConflict:
      return 75;  // EX_TEMPFAIL
    case ErrorCode::kFailedPrecondition:
      return 78;  // EX_CONFIG
    case ErrorCode::kUnauthenticated:
      return 77;  // EX_NOPERM
    case ErrorCode::kPermissionDenied:
      return 77;
    case ErrorCode::kResourceExhausted:
      return 75;
    case ErrorCode::kUnavailable:
      return 69;  // EX_UNAVAILABLE
    case ErrorCode::kDataLoss:
      return 76;  // EX_PROTOCOL: the data does not check out
    case ErrorCode::kInternal:
      return 70;  // EX_SOFTWARE
  }
  return 70;
}

int report_error(const Error& error) {
  std::fprintf(stderr, "veche: %s\n", error.message.c_str());
  return exit_code_for(error.code);
}

}  // namespace veche::app
