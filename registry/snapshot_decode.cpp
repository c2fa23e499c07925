#include "registry/snapshot_decode.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include "registry/snapshot_handler.hpp"

namespace dnsd::registry {

namespace {

boost::json::parse_options parse_options() {
    boost::json::parse_options options;
    // The snapshot writer copies strings byte for byte; one odd byte in a meta value must not
    // cost the whole registry.
    options.allow_invalid_utf8 = true;
    return options;
}

// What stands before a part that starts inside the instances list, and after one that ends
// there, so that its parser sees a complete document of the same nesting.
constexpr std::string_view part_opening = R"({"instances":[)";
constexpr std::string_view part_closing = "]}";

bool starts_inside_instances(SnapshotPart part) {
    return part == SnapshotPart::middle || part == SnapshotPart::last;
}

bool ends_inside_instances(SnapshotPart part) {
    return part == SnapshotPart::first || part == SnapshotPart::middle;
}

}  // namespace

struct SnapshotDecoder::Impl {
    boost::json::basic_parser<SnapshotHandler> parser{parse_options()};
    SnapshotPart part = SnapshotPart::whole;
    std::size_t bytes = 0;  // fed so far
    std::string error;      // the first problem, once known

    // A problem the handler found, or else one in the JSON syntax at `at_byte`.
    void record(const boost::system::error_code& ec, std::size_t at_byte) {
        if (!parser.handler().error().empty())
            error = parser.handler().error();
        else
            error = "the file is not valid JSON (" + ec.message() + " near byte " +
                    std::to_string(at_byte) + ")";
    }
};

SnapshotDecoder::SnapshotDecoder() : impl_(std::make_unique<Impl>()) {}

SnapshotDecoder::SnapshotDecoder(SnapshotPart part, std::size_t expected_instances)
    : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.part = part;
    SnapshotHandler& handler = d.parser.handler();
    if (expected_instances > 0) handler.reserve_instances(expected_instances);
    if (part != SnapshotPart::whole) handler.defer_document_checks();
    if (starts_inside_instances(part)) {
        handler.resume_inside_instances();
        boost::system::error_code ec;
        d.parser.write_some(true, part_opening.data(), part_opening.size(), ec);
        if (ec) d.error = "the opening of a part was refused (" + ec.message() + ")";
    }
}

SnapshotDecoder::~SnapshotDecoder() = default;

bool SnapshotDecoder::write(std::string_view piece) {
    Impl& d = *impl_;
    if (!d.error.empty()) return false;
    std::size_t used = 0;
    if (!d.parser.done()) {
        boost::system::error_code ec;
        used = d.parser.write_some(true, piece.data(), piece.size(), ec);
        if (ec) d.record(ec, d.bytes + used);
    }
    // The parser stops where the document ends; only white space may follow it.
    if (d.error.empty()) {
        const std::size_t junk = piece.find_first_not_of(" \t\r\n", used);
        if (junk != std::string_view::npos)
            d.error = "the file goes on after the end of its JSON document (near byte " +
                      std::to_string(d.bytes + junk) + ")";
    }
    d.bytes += piece.size();
    return d.error.empty();
}

SnapshotDecodeResult SnapshotDecoder::finish() {
    Impl& d = *impl_;
    SnapshotDecodeResult result;
    if (d.error.empty() && d.bytes == 0) d.error = "the file is empty";
    if (d.error.empty() && ends_inside_instances(d.part)) {
        if (d.parser.done() || !d.parser.handler().between_instances()) {
            d.error = "the part does not end between two instances";
        } else {
            boost::system::error_code ec;
            d.parser.write_some(false, part_closing.data(), part_closing.size(), ec);
            if (ec) d.record(ec, d.bytes);
            else if (!d.parser.done()) d.error = "the part does not end between two instances";
        }
    }
    if (d.error.empty() && !d.parser.done()) {
        boost::system::error_code ec;
        d.parser.write_some(false, "", 0, ec);
        if (ec) d.record(ec, d.bytes);
    }
    if (d.error.empty() && !d.parser.handler().error().empty())
        d.error = d.parser.handler().error();
    if (!d.error.empty()) {
        result.error = d.error;
    } else {
        result.data = std::move(d.parser.handler().data());
        result.root_fields_seen = d.parser.handler().root_fields_seen();
    }
    return result;
}

SnapshotDecodeResult decode_snapshot(std::string_view json_text) {
    SnapshotDecoder decoder;
    decoder.write(json_text);
    return decoder.finish();
}

}  // namespace dnsd::registry
