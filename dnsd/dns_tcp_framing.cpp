#include "dnsd/dns_tcp_framing.hpp"

#include <cstring>

namespace dnsd {

// Not value-initialised: bytes are only ever read after a read wrote them.
TcpFrameSplitter::TcpFrameSplitter() : buffer_(std::make_unique_for_overwrite<std::uint8_t[]>(capacity)) {}

std::span<std::uint8_t> TcpFrameSplitter::free_space() {
    // Move the unconsumed tail (less than one frame, when drained) to the front only when the
    // frame it begins could not end inside the buffer, or no room is left: most reads then
    // cost no copy.
    std::size_t frame_end = begin_ + 2;
    if (buffered() >= 2) frame_end += (std::size_t{buffer_[begin_]} << 8) | buffer_[begin_ + 1];
    if (frame_end > capacity || end_ == capacity) {
        const std::size_t kept = buffered();
        if (kept > 0) std::memmove(buffer_.get(), buffer_.get() + begin_, kept);
        begin_ = 0;
        end_ = kept;
    }
    return {buffer_.get() + end_, capacity - end_};
}

void TcpFrameSplitter::commit(std::size_t count) {
    // A read cannot write past what free_space() offered; clamp rather than trust the caller.
    end_ += count <= capacity - end_ ? count : capacity - end_;
}

Frame TcpFrameSplitter::next() {
    if (buffered() < 2) return {};
    const std::uint8_t* at = buffer_.get() + begin_;
    const std::size_t length = (std::size_t{at[0]} << 8) | at[1];
    if (length == 0) return {FrameStatus::empty_message, {}};
    if (buffered() < 2 + length) return {};
    begin_ += 2 + length;
    if (begin_ == end_) begin_ = end_ = 0;  // nothing left: the next read starts at the front
    return {FrameStatus::message, {at + 2, length}};
}

}  // namespace dnsd
