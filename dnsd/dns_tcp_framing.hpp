#pragma once
// DNS over TCP framing (RFC 1035 §4.2.2): every message is preceded by its length, two bytes
// big-endian. This is the pure part of the TCP listener: bytes go in as the socket gives
// them (any split, several messages in one read when clients pipeline, RFC 7766 §6.2.1),
// whole messages come out. No I/O here, so it is unit-tested and fuzzed on its own.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace dnsd {

enum class FrameStatus {
    need_more,      // no whole message buffered yet: read more into free_space()
    message,        // Frame::message holds the next message
    empty_message,  // a zero length prefix: no DNS message is that short, the peer is broken
};

struct Frame {
    FrameStatus status = FrameStatus::need_more;
    // Valid until the next call to free_space() (which may move the buffered bytes).
    std::span<const std::uint8_t> message;
};

class TcpFrameSplitter {
public:
    // The largest message a 16-bit prefix can announce.
    static constexpr std::size_t max_message = 65535;
    // One largest frame plus read-ahead room, so a pipelined burst is taken in few reads while
    // a connection costs ~68 KiB, not two frames' worth.
    static constexpr std::size_t read_ahead = 4096;
    static constexpr std::size_t capacity = 2 + max_message + read_ahead;

    TcpFrameSplitter();

    // Where the next read should write. Call next() until it says need_more first: then this
    // is never empty, because what is left is less than one frame and the buffer holds more
    // than the largest. (Without draining it may be empty.)
    std::span<std::uint8_t> free_space();
    // `count` bytes were written at the start of free_space().
    void commit(std::size_t count);
    // Takes the next whole message out of the buffer, if there is one.
    Frame next();
    // Bytes received but not yet returned by next(): non-zero means a frame is in progress.
    std::size_t buffered() const { return end_ - begin_; }

private:
    std::unique_ptr<std::uint8_t[]> buffer_;
    std::size_t begin_ = 0;  // first byte not yet consumed
    std::size_t end_ = 0;    // one past the last byte received
};

}  // namespace dnsd
