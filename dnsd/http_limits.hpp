#pragma once
// Bounds on what one HTTP client can make the control thread hold or wait for.
#include <chrono>
#include <cstddef>

namespace dnsd {

inline constexpr std::size_t kHttpBodyLimit = 64 * 1024;    // SPEC.md: larger bodies get 413
// POST /v1/gossip (between nodes, not the public API): a full-state pull reply is large.
inline constexpr std::size_t kGossipBodyLimit = 16 * 1024 * 1024;
inline constexpr std::size_t kHttpHeaderLimit = 16 * 1024;  // larger headers get 431
// Deadline of every read and write; an idle keep-alive connection is closed after it.
inline constexpr std::chrono::seconds kHttpIoTimeout{30};
// Open connections beyond this are closed at once: file descriptors are shared with DNS/TCP.
inline constexpr std::size_t kHttpMaxConnections = 1024;

}  // namespace dnsd
