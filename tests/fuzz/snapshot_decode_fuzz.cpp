// Fuzzes the cache.json decoder (registry/snapshot_decode.hpp). cache.json survives crashes
// and disk trouble, so anything may be in it. The first input byte picks where the text is
// split for the incremental decoder. Properties: no crash or sanitizer report; decoding in
// two pieces gives the same verdict as decoding whole; an accepted file holds only valid
// entries, and a refusal says why.
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "registry/names.hpp"
#include "registry/snapshot_decode.hpp"

namespace {

std::string without_position(const std::string& error) {
    static const std::regex position("near byte [0-9]+");
    return std::regex_replace(error, position, "near byte N");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t split = text.empty() ? 0 : data[0] % (text.size() + 1);

    const dnsd::registry::SnapshotDecodeResult whole = dnsd::registry::decode_snapshot(text);
    dnsd::registry::SnapshotDecoder decoder;
    if (decoder.write(text.substr(0, split))) decoder.write(text.substr(split));
    const dnsd::registry::SnapshotDecodeResult pieces = decoder.finish();

    FUZZ_CHECK(whole.ok() == pieces.ok(), "the split does not change the verdict");
    // Known and reported: Boost.JSON's write_some reports a different consumed count on a
    // syntax error depending on where the input was split, so "near byte N" may differ by a
    // few bytes (e.g. "t{l": byte 0 whole, byte 1 in pieces). The reason itself must not.
    FUZZ_CHECK(without_position(whole.error) == without_position(pieces.error),
               "the split does not change the reason");
    if (!whole.ok()) return 0;
    FUZZ_CHECK(whole.data.instances.size() == pieces.data.instances.size(), "same instances");
    for (const auto& instance : whole.data.instances) {
        FUZZ_CHECK(dnsd::registry::is_valid_label(instance.spec.service), "service is a label");
        FUZZ_CHECK(dnsd::registry::is_valid_label(instance.spec.id), "id is a label");
        FUZZ_CHECK(instance.spec.port >= 1, "port is 1-65535");
        FUZZ_CHECK(instance.spec.ttl_ms >= dnsd::registry::snapshot_limit::min_ttl_ms &&
                       instance.spec.ttl_ms <= dnsd::registry::snapshot_limit::max_ttl_ms,
                   "ttl within SPEC's bounds");
    }
    return 0;
}
