#pragma once
// The naming rules shared by the HTTP API and the zone: services and instance ids are DNS labels.
#include <string>
#include <string_view>

namespace dnsd::registry {

// The service under which dnsd nodes register themselves (dnsd.svc, the NS records, the
// peers of /status). Reserved: heartbeats may not use it.
inline constexpr std::string_view kNodeService = "dnsd";

// Letters, digits and '-', 1 to 63 characters (SPEC.md); derived ids such as "--1-80" for ::1
// port 80 are valid DNS labels, so a leading or trailing '-' is accepted.
bool is_valid_label(std::string_view label);
// The canonical (lower-case) form under which a label is stored and compared.
std::string canonical_label(std::string_view label);

}  // namespace dnsd::registry
