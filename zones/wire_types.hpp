#pragma once
// The vocabulary shared by the wire reader, the writer and everything that builds answers:
// header layout, RR types, classes, opcodes, rcodes and the limits RFC 1035/6891 put on them.
// Types and classes are enums over their full 16-bit range because a query may carry any value;
// only the ones dnsd handles are named.
#include <cstddef>
#include <cstdint>

namespace dnsd::zones {

enum class RrType : std::uint16_t {
    a = 1,
    ns = 2,
    cname = 5,
    soa = 6,
    ptr = 12,
    hinfo = 13,
    txt = 16,
    aaaa = 28,
    srv = 33,
    opt = 41,
    ixfr = 251,
    axfr = 252,
    any = 255,
};

enum class RrClass : std::uint16_t {
    in = 1,
    ch = 3,
    hs = 4,
    none = 254,
    any = 255,
};

enum class Opcode : std::uint8_t {
    query = 0,
};

// Extended rcodes (> 15) need an OPT record to carry their upper 8 bits (RFC 6891 §6.1.3).
enum class Rcode : std::uint16_t {
    noerror = 0,
    formerr = 1,
    servfail = 2,
    nxdomain = 3,
    notimp = 4,
    refused = 5,
    badvers = 16,
};

constexpr std::uint16_t to_u16(RrType t) { return static_cast<std::uint16_t>(t); }
constexpr std::uint16_t to_u16(RrClass c) { return static_cast<std::uint16_t>(c); }
constexpr std::uint16_t to_u16(Rcode r) { return static_cast<std::uint16_t>(r); }

// The fixed 12-byte header: byte offsets of its fields and the bits of the flags word.
namespace header {
constexpr std::size_t size = 12;
constexpr std::size_t id = 0;
constexpr std::size_t flags = 2;
constexpr std::size_t qdcount = 4;
constexpr std::size_t ancount = 6;
constexpr std::size_t nscount = 8;
constexpr std::size_t arcount = 10;

constexpr std::uint16_t qr = 0x8000;
constexpr std::uint16_t opcode_mask = 0x7800;
constexpr int opcode_shift = 11;
constexpr std::uint16_t aa = 0x0400;
constexpr std::uint16_t tc = 0x0200;
constexpr std::uint16_t rd = 0x0100;
constexpr std::uint16_t ra = 0x0080;
constexpr std::uint16_t ad = 0x0020;
constexpr std::uint16_t cd = 0x0010;
constexpr std::uint16_t rcode_mask = 0x000f;
}  // namespace header

namespace limits {
constexpr std::size_t max_name = 255;    // wire length, root byte included (RFC 1035 §3.1)
constexpr std::size_t max_label = 63;
constexpr std::size_t max_labels = 127;  // 255 bytes hold at most 127 one-byte labels + root
constexpr std::size_t max_message = 65535;
constexpr std::size_t classic_udp = 512;       // without EDNS (RFC 1035 §4.2.1)
constexpr std::size_t edns_udp = 1232;         // what we advertise and the cap on the client's
constexpr std::size_t opt_record = 11;         // root owner, type, class, ttl, rdlength 0
constexpr std::uint16_t max_pointer = 0x3fff;  // a compression pointer has 14 bits
}  // namespace limits

// Sections of a message, in wire order.
enum class Section : std::uint8_t { answer, authority, additional };

}  // namespace dnsd::zones
