#include "dnsd/gossip_auth.hpp"

#include <array>
#include <charconv>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace dnsd {

namespace {

constexpr std::size_t kNonceHexDigits = 16;
constexpr std::size_t kMacHexDigits = 64;
constexpr std::size_t kMaxTimeDigits = 19;  // fits std::int64_t

std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Decimal digits, or lower-case hex digits: the only spelling we sign, so only one to accept.
bool only_digits(std::string_view s, bool hex) {
    for (char c : s) {
        const bool digit = c >= '0' && c <= '9';
        const bool lower_hex = c >= 'a' && c <= 'f';
        if (!digit && !(hex && lower_hex)) return false;
    }
    return true;
}

bool is_decimal(std::string_view s) {
    return !s.empty() && s.size() <= kMaxTimeDigits && only_digits(s, false);
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 0x0f];
    }
    return out;
}

std::string nonce_hex(std::uint64_t value) {
    std::array<unsigned char, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<unsigned char>(value >> (56 - 8 * i));
    return to_hex(bytes.data(), bytes.size());
}

std::uint64_t nonce_value(std::string_view hex) {
    std::uint64_t value = 0;
    std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
    return value;
}

// "name=value" at the front of `rest`, which then moves past it and its ','.
std::optional<std::string_view> take_field(std::string_view& rest, std::string_view name) {
    if (rest.substr(0, name.size()) != name || rest.substr(name.size(), 1) != "=")
        return std::nullopt;
    rest.remove_prefix(name.size() + 1);
    const auto comma = rest.find(',');
    const std::string_view value = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    return value;
}

}  // namespace

std::variant<GossipKey, std::string> parse_gossip_key(std::string_view contents) {
    const std::string_view key = trim(contents);
    if (key.size() < kGossipKeyMinBytes)
        return "the key must be at least " + std::to_string(kGossipKeyMinBytes) +
               " bytes (without surrounding white space), not " + std::to_string(key.size());
    return GossipKey{std::string(key)};
}

GossipKey load_gossip_key(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string prefix = "--gossip-key-file " + file.string() + ": ";
    if (!in) throw std::runtime_error(prefix + "cannot be read");
    const std::string contents{std::istreambuf_iterator<char>(in), {}};
    if (in.bad()) throw std::runtime_error(prefix + "cannot be read");
    auto parsed = parse_gossip_key(contents);
    if (auto* error = std::get_if<std::string>(&parsed)) throw std::runtime_error(prefix + *error);
    return std::get<GossipKey>(std::move(parsed));
}

std::string gossip_mac(const GossipKey& key, std::string_view t, std::string_view nonce,
                       std::string_view method, std::string_view path, std::string_view body) {
    std::string text;
    text.reserve(t.size() + nonce.size() + method.size() + path.size() + body.size() + 4);
    text.append(t).append("\n").append(nonce).append("\n");
    text.append(method).append(" ").append(path).append("\n").append(body);

    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    // The one-shot HMAC() is not deprecated in OpenSSL 3 and cannot fail for SHA-256 with
    // in-memory input short of memory exhaustion.
    if (HMAC(EVP_sha256(), key.secret.data(), static_cast<int>(key.secret.size()),
             reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac.data(),
             &size) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed");
    return to_hex(mac.data(), size);
}

std::optional<GossipAuthFields> parse_gossip_auth(std::string_view header_value) {
    std::string_view rest = trim(header_value);
    const auto t = take_field(rest, "t");
    if (!t || !is_decimal(*t)) return std::nullopt;
    const auto nonce = take_field(rest, "n");
    if (!nonce || nonce->size() != kNonceHexDigits || !only_digits(*nonce, true)) return std::nullopt;
    const auto mac = take_field(rest, "mac");
    if (!mac || mac->size() != kMacHexDigits || !only_digits(*mac, true) || !rest.empty()) return std::nullopt;
    return GossipAuthFields{std::string(*t), std::string(*nonce), std::string(*mac)};
}

std::string format_gossip_auth(const GossipAuthFields& fields) {
    return "t=" + fields.t + ",n=" + fields.nonce + ",mac=" + fields.mac;
}

std::string_view to_string(GossipAuthFailure failure) {
    switch (failure) {
        case GossipAuthFailure::missing: return "missing";
        case GossipAuthFailure::malformed: return "malformed";
        case GossipAuthFailure::bad_mac: return "bad_mac";
        case GossipAuthFailure::replayed: return "replayed";
        case GossipAuthFailure::wrong_reply: return "wrong_reply";
    }
    return "unknown";
}

std::uint64_t GossipAuthCounters::of(GossipAuthFailure reason) const {
    switch (reason) {
        case GossipAuthFailure::missing: return missing;
        case GossipAuthFailure::malformed: return malformed;
        case GossipAuthFailure::bad_mac: return bad_mac;
        case GossipAuthFailure::replayed: return replayed;
        case GossipAuthFailure::wrong_reply: return wrong_reply;
    }
    return 0;
}

GossipAuth::GossipAuth(std::optional<GossipKey> key, const registry::Clock& clock)
    : key_(std::move(key)), clock_(clock), fallback_nonce_(std::random_device{}()) {}

std::string GossipAuth::fresh_nonce() {
    std::uint64_t value = 0;
    std::array<unsigned char, 8> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1) {
        for (unsigned char b : bytes) value = (value << 8) | b;
    } else {
        // Uniqueness is what a nonce needs here, not secrecy: a counter still gives it.
        value = ++fallback_nonce_ * 0x9E3779B97F4A7C15ull;
    }
    return nonce_hex(value);
}

std::string GossipAuth::sign(std::string_view nonce, std::string_view method,
                             std::string_view path, std::string_view body) const {
    const std::string t = std::to_string(clock_.wall_ms());
    return format_gossip_auth({t, std::string(nonce), gossip_mac(*key_, t, nonce, method, path, body)});
}

GossipSignature GossipAuth::sign_request(std::string_view method, std::string_view path,
                                         std::string_view body) {
    if (!key_) return {};
    std::string nonce = fresh_nonce();
    std::string header = sign(nonce, method, path, body);
    return {std::move(header), std::move(nonce)};
}

std::string GossipAuth::sign_reply(std::string_view request_nonce, std::string_view path,
                                   std::string_view body) {
    if (!key_ || request_nonce.empty()) return {};
    return sign(request_nonce, kGossipReplyMethod, path, body);
}

std::string GossipAuth::nonce_of(std::string_view header) {
    const auto fields = parse_gossip_auth(header);
    return fields ? fields->nonce : std::string{};
}

std::optional<GossipAuthFailure> GossipAuth::count(std::optional<GossipAuthFailure> failure) {
    if (!failure) return failure;
    switch (*failure) {
        case GossipAuthFailure::missing: ++counters_.missing; break;
        case GossipAuthFailure::malformed: ++counters_.malformed; break;
        case GossipAuthFailure::bad_mac: ++counters_.bad_mac; break;
        case GossipAuthFailure::replayed: ++counters_.replayed; break;
        case GossipAuthFailure::wrong_reply: ++counters_.wrong_reply; break;
    }
    return failure;
}

std::optional<GossipAuthFailure> GossipAuth::check(std::string_view header,
                                                   std::string_view method,
                                                   std::string_view path, std::string_view body,
                                                   std::optional<std::string_view> expected_nonce) {
    if (!key_) return std::nullopt;
    if (trim(header).empty()) return GossipAuthFailure::missing;
    const auto fields = parse_gossip_auth(header);
    if (!fields) return GossipAuthFailure::malformed;
    const std::string expected = gossip_mac(*key_, fields->t, fields->nonce, method, path, body);
    // Both are 64 hex digits (the parser checked): only the contents can differ, and
    // CRYPTO_memcmp takes the same time wherever they do.
    if (CRYPTO_memcmp(expected.data(), fields->mac.data(), expected.size()) != 0)
        return GossipAuthFailure::bad_mac;
    if (expected_nonce) {
        if (fields->nonce != *expected_nonce) return GossipAuthFailure::wrong_reply;
        return std::nullopt;
    }
    // Only after the MAC holds: forged traffic must not fill the cache.
    if (!replays_.first_sight(nonce_value(fields->nonce), clock_.mono_ms()))
        return GossipAuthFailure::replayed;
    return std::nullopt;
}

std::optional<GossipAuthFailure> GossipAuth::check_request(std::string_view header,
                                                           std::string_view method,
                                                           std::string_view path,
                                                           std::string_view body) {
    return count(check(header, method, path, body, std::nullopt));
}

std::optional<GossipAuthFailure> GossipAuth::check_reply(std::string_view header,
                                                         std::string_view request_nonce,
                                                         std::string_view path,
                                                         std::string_view body) {
    return count(check(header, kGossipReplyMethod, path, body, request_nonce));
}

}  // namespace dnsd
