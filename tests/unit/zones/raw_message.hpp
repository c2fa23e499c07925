#pragma once
// Hand-made messages for the malformed cases no library would write.
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "zones/query_name.hpp"
#include "zones/wire_reader.hpp"

namespace dnsd::zones::test {

class RawMessage {
public:
    RawMessage& header(std::uint16_t id, std::uint16_t flags, std::uint16_t qd, std::uint16_t an,
                       std::uint16_t ns, std::uint16_t ar) {
        for (std::uint16_t v : {id, flags, qd, an, ns, ar}) u16(v);
        return *this;
    }
    RawMessage& u8(std::uint8_t v) {
        bytes_.push_back(v);
        return *this;
    }
    RawMessage& u16(std::uint16_t v) {
        bytes_.push_back(static_cast<std::uint8_t>(v >> 8));
        bytes_.push_back(static_cast<std::uint8_t>(v));
        return *this;
    }
    RawMessage& u32(std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v >> 16));
        return u16(static_cast<std::uint16_t>(v));
    }
    RawMessage& raw(std::initializer_list<std::uint8_t> data) {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
        return *this;
    }
    // Uncompressed, root byte included; "" is the root.
    RawMessage& name(std::string_view dotted) {
        while (!dotted.empty()) {
            const std::size_t dot = dotted.find('.');
            const std::string_view label = dotted.substr(0, dot);
            u8(static_cast<std::uint8_t>(label.size()));
            bytes_.insert(bytes_.end(), label.begin(), label.end());
            dotted = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot + 1);
        }
        return u8(0);
    }
    // name, type, class
    RawMessage& question(std::string_view dotted, std::uint16_t type = 1, std::uint16_t cls = 1) {
        return name(dotted).u16(type).u16(cls);
    }
    // An OPT record: root owner unless `owner` is given.
    RawMessage& opt(std::uint16_t udp = 1232, std::uint8_t version = 0,
                    std::vector<std::uint8_t> rdata = {}) {
        u8(0).u16(41).u16(udp).u8(0).u8(version).u16(0);
        u16(static_cast<std::uint16_t>(rdata.size()));
        bytes_.insert(bytes_.end(), rdata.begin(), rdata.end());
        return *this;
    }
    std::size_t size() const { return bytes_.size(); }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    operator const std::vector<std::uint8_t>&() const { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

// A question name as the query parser leaves it, from dotted text.
inline QueryName query_name(std::string_view dotted) {
    const RawMessage m = RawMessage().name(dotted);
    WireReader reader(m.bytes());
    QueryName name;
    EXPECT_EQ(reader.read_question_name(name), NameStatus::ok);
    return name;
}

}  // namespace dnsd::zones::test
