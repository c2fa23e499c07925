// Fuzzes the TCP length-prefix splitter (dnsd/dns_tcp_framing.hpp) against a plain reference
// reading of the same byte stream. The input chooses the stream and how the "socket" splits
// it into reads, so partial prefixes, partial messages, several messages per read and the
// buffer's compaction are all exercised. Properties: the splitter returns exactly the
// reference's messages in order, stops at a zero-length prefix, never offers an empty buffer
// after draining, and keeps exactly the incomplete tail.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "dnsd/dns_tcp_framing.hpp"
#include "fuzz_check.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

struct Span {
    std::size_t at = 0;
    std::size_t size = 0;
};

struct Reference {
    std::vector<Span> messages;  // where each message lies in the stream
    bool empty_message = false;  // the stream reached a zero length prefix
    std::size_t tail = 0;        // bytes after the last whole message (when !empty_message)
};

Reference read_all(const Bytes& stream) {
    Reference ref;
    std::size_t at = 0;
    while (stream.size() - at >= 2) {
        const std::size_t length = (std::size_t{stream[at]} << 8) | stream[at + 1];
        if (length == 0) {
            ref.empty_message = true;
            return ref;
        }
        if (stream.size() - at - 2 < length) break;
        ref.messages.push_back({at + 2, length});
        at += 2 + length;
    }
    ref.tail = stream.size() - at;
    return ref;
}

// A small deterministic generator: read sizes and synthetic frames come from the input.
struct Rng {
    std::uint32_t state;
    std::uint32_t next() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }
};

// Mode 1: the input lists frames as (length high byte, length low byte, fill byte); the
// stream is those frames, so a short input reaches 64 KiB messages and the compaction.
Bytes synthetic_stream(const std::uint8_t* data, std::size_t size) {
    Bytes stream;
    for (std::size_t i = 0; i + 3 <= size && stream.size() < 200'000; i += 3) {
        const std::size_t length = (std::size_t{data[i]} << 8) | data[i + 1];
        stream.push_back(data[i]);
        stream.push_back(data[i + 1]);
        stream.insert(stream.end(), length, data[i + 2]);
    }
    if (size % 3 != 0) stream.push_back(data[size - 1]);  // a dangling partial prefix
    return stream;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const bool synthetic = (data[0] & 1) != 0;
    // Read sizes: 1..max_read bytes each, from the generator; tiny reads split every prefix.
    const std::size_t max_read = std::size_t{1} << (data[1] % 18);
    Rng rng{0x9e3779b9u ^ data[2] ^ (std::uint32_t{data[1]} << 8)};
    const Bytes stream = synthetic ? synthetic_stream(data + 3, size - 3) : Bytes(data + 3, data + size);
    const Reference ref = read_all(stream);

    dnsd::TcpFrameSplitter splitter;
    std::size_t fed = 0;
    std::size_t got = 0;
    bool saw_empty = false;
    for (;;) {
        const dnsd::Frame frame = splitter.next();
        if (frame.status == dnsd::FrameStatus::message) {
            FUZZ_CHECK(got < ref.messages.size(), "no more messages than the stream holds");
            const Span expected = ref.messages[got];
            FUZZ_CHECK(frame.message.size() == expected.size, "message length");
            FUZZ_CHECK(std::memcmp(frame.message.data(), stream.data() + expected.at, expected.size) == 0,
                       "message bytes");
            ++got;
            continue;
        }
        if (frame.status == dnsd::FrameStatus::empty_message) {
            saw_empty = true;
            break;  // the server closes the connection here
        }
        if (fed == stream.size()) break;
        const std::span<std::uint8_t> space = splitter.free_space();
        FUZZ_CHECK(!space.empty(), "room to read after draining");
        const std::size_t want = 1 + rng.next() % max_read;
        const std::size_t n = std::min({want, space.size(), stream.size() - fed});
        std::memcpy(space.data(), stream.data() + fed, n);
        splitter.commit(n);
        fed += n;
    }
    FUZZ_CHECK(got == ref.messages.size(), "every whole message before the end came out");
    FUZZ_CHECK(saw_empty == ref.empty_message, "a zero length prefix is reported, and only then");
    if (!saw_empty) FUZZ_CHECK(splitter.buffered() == ref.tail, "the incomplete tail stays buffered");
    return 0;
}
