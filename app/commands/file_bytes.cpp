#include "commands/file_bytes.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace veche::app {
namespace {

std::string limit_text(std::uintmax_t max_bytes) {
  return std::to_string(max_bytes >> 30) + " GiB";
}

}  // namespace

Result<std::unique_ptr<FileBytes>> FileBytes::open(const std::string& path,
                                                   std::uintmax_t max_bytes) {
  auto bytes = std::unique_ptr<FileBytes>(new FileBytes());
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return not_found("cannot open " + path);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes) {
      ::close(fd);
      return too_large(path + " is over " + limit_text(max_bytes));
    }
    void* map = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ,
                       MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return unavailable("cannot map " + path);
    bytes->map_ = map;
    bytes->size_ = static_cast<std::size_t>(size);
    return bytes;
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return unavailable("cannot read " + path);
    }
    if (bytes->copy_.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(fd);
      return too_large(path + " is over " + limit_text(max_bytes));
    }
    bytes->copy_.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

FileBytes::~FileBytes() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

std::string_view FileBytes::view() const {
  if (map_ != nullptr) return {static_cast<const char*>(map_), size_};
  return copy_;
}

}  // namespace veche::app
