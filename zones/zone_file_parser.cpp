#include "zones/zone_file_parser.hpp"

#include <ldns/ldns.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dnsd::zones {

namespace {

// ldns hands out malloc'ed C strings and objects with their own free functions.
std::string take_text(char* text) {
    std::string copy = text ? text : "";
    std::free(text);
    return copy;
}

struct RrFree {
    void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct BufferFree {
    void operator()(ldns_buffer* buffer) const { ldns_buffer_free(buffer); }
};
struct FileClose {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

// A name that ldns replaces as it reads ($ORIGIN, the previous owner): ours to free at the end.
class LdnsName {
public:
    explicit LdnsName(ldns_rdf* rdf = nullptr) : rdf_(rdf) {}
    ~LdnsName() { ldns_rdf_deep_free(rdf_); }
    LdnsName(const LdnsName&) = delete;
    LdnsName& operator=(const LdnsName&) = delete;
    ldns_rdf** slot() { return &rdf_; }

private:
    ldns_rdf* rdf_;
};

// Byte offset to 1-based line number.
class LineIndex {
public:
    explicit LineIndex(std::string_view text) {
        for (std::size_t at = 0; at < text.size(); ++at)
            if (text[at] == '\n') newlines_.push_back(at);
    }
    std::size_t line_of(std::size_t offset) const {
        const auto before = std::lower_bound(newlines_.begin(), newlines_.end(), offset);
        return 1 + static_cast<std::size_t>(before - newlines_.begin());
    }

private:
    std::vector<std::size_t> newlines_;
};

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// ldns reads blank lines and comments together with the next statement, and its own line
// counter runs past trailing blank lines; so the line of a statement is found here, as the
// first byte of [from, to) that is neither blank nor comment. `to` when there is none.
std::size_t statement_start(std::string_view text, std::size_t from, std::size_t to) {
    std::size_t at = from;
    while (at < to) {
        if (text[at] == ';') {
            while (at < to && text[at] != '\n') ++at;
        } else if (is_blank(text[at])) {
            ++at;
        } else {
            return at;
        }
    }
    return to;
}

// The statement's first line as the operator wrote it, shortened, for error messages.
std::string quote_line(std::string_view text, std::size_t start) {
    std::string_view line = text.substr(start, text.find('\n', start) - start);
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    constexpr std::size_t kMax = 60;
    return "'" + std::string(line.substr(0, kMax)) + (line.size() > kMax ? "...'" : "'");
}

// The words of a directive line, up to a comment.
std::vector<std::string> words_of(std::string_view line) {
    line = line.substr(0, line.find_first_of(";\n"));
    std::vector<std::string> words;
    std::size_t at = 0;
    while (at < line.size()) {
        while (at < line.size() && is_blank(line[at])) ++at;
        const std::size_t end = std::find_if(line.begin() + static_cast<std::ptrdiff_t>(at), line.end(),
                                             is_blank) - line.begin();
        if (end > at) words.emplace_back(line.substr(at, end - at));
        at = end;
    }
    return words;
}

// ldns accepts a $TTL that is not a time (as 0) and a relative $ORIGIN (as if absolute):
// both are almost surely mistakes, so they are refused here. Empty when the directive is fine.
std::string directive_fault(std::string_view text, std::size_t start) {
    const std::vector<std::string> words = words_of(text.substr(start));
    if (words.empty()) return {};
    if (words[0] == "$TTL") {
        const char* end = nullptr;
        if (words.size() == 2) ldns_str2period(words[1].c_str(), &end);
        if (words.size() != 2 || !end || *end != '\0')
            return "$TTL needs one time value such as 3600 or 1h30m, not " + quote_line(text, start);
    } else if (words[0] == "$ORIGIN") {
        if (words.size() != 2 || words[1].back() != '.')
            return "$ORIGIN needs one fully qualified name ending in '.', such as 'sub.svc.', not " +
                   quote_line(text, start);
    }
    return {};
}

using OwnerOrReason = std::variant<DnsName, std::string>;

// Owners are host-name-like: what a resolver or nginx would ask for. Escaped bytes and
// wildcards are refused rather than half supported.
OwnerOrReason owner_name(const ldns_rdf* owner) {
    const auto* data = ldns_rdf_data(owner);
    const std::size_t size = ldns_rdf_size(owner);
    std::string text;
    std::size_t at = 0;
    while (at < size && data[at] != 0) {
        const std::size_t length = data[at];
        if (at + 1 + length >= size) break;
        const std::string_view label(reinterpret_cast<const char*>(data + at + 1), length);
        if (label == "*") return std::string("wildcard owner names ('*') are not supported");
        for (char c : label) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_';
            if (!ok)
                return "owner name " + take_text(ldns_rdf2str(owner)) +
                       " may hold only letters, digits, '-' and '_'";
        }
        text.append(label).push_back('.');
        at += 1 + length;
    }
    if (at >= size) return std::string("owner name is not a complete domain name");
    auto name = DnsName::from_text(text.empty() ? "." : text);
    if (!name) return "owner name " + text + " is too long";
    return *name;
}

std::variant<StaticRecord, std::string> to_record(const ldns_rr* rr, std::size_t line) {
    if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
        return "class " + take_text(ldns_rr_class2str(ldns_rr_get_class(rr))) +
               " is not supported: dnsd serves class IN only";
    OwnerOrReason owner = owner_name(ldns_rr_owner(rr));
    if (auto* reason = std::get_if<std::string>(&owner)) return std::move(*reason);

    const std::unique_ptr<ldns_buffer, BufferFree> wire(ldns_buffer_new(LDNS_MAX_PACKETLEN));
    if (!wire || ldns_rr_rdata2buffer_wire(wire.get(), rr) != LDNS_STATUS_OK)
        return std::string("the record's data cannot be put in wire form");
    const auto* begin = ldns_buffer_begin(wire.get());
    StaticRecord record{std::get<DnsName>(std::move(owner)),
                        static_cast<std::uint16_t>(ldns_rr_get_type(rr)),
                        ldns_rr_ttl(rr),
                        std::vector<std::uint8_t>(begin, begin + ldns_buffer_position(wire.get())),
                        line};
    if (record.rdata.size() > 65535) return std::string("the record's data is over 65535 bytes");
    return record;
}

}  // namespace

StaticZone::Built parse_zone_text(std::string_view text, const DnsName& apex, std::uint32_t max_ttl) {
    const LineIndex lines(text);
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        return ZoneFileError{lines.line_of(nul), "a NUL byte: this is not a text zone file"};
    std::vector<StaticRecord> records;
    if (text.empty()) return StaticZone::build(apex, records, max_ttl);

    std::string buffer(text);  // fmemopen wants a writable buffer even to read
    const std::unique_ptr<std::FILE, FileClose> in(fmemopen(buffer.data(), buffer.size(), "r"));
    if (!in) return ZoneFileError{0, std::string("cannot parse it: ") + std::strerror(errno)};

    LdnsName origin(ldns_dname_new_frm_str(apex.to_text().c_str()));
    LdnsName previous_owner;
    // ldns's own default; whatever it is, every TTL ends up capped at --max-ttl.
    std::uint32_t default_ttl = LDNS_DEFAULT_TTL;
    while (true) {
        const long from = std::ftell(in.get());
        ldns_rr* raw = nullptr;
        const ldns_status status =
            ldns_rr_new_frm_fp_l(&raw, in.get(), &default_ttl, origin.slot(), previous_owner.slot(), nullptr);
        const std::unique_ptr<ldns_rr, RrFree> rr(raw);
        const long to = std::ftell(in.get());
        const bool at_end = std::feof(in.get()) != 0;
        if (from < 0 || to < from || (to == from && !at_end))
            return ZoneFileError{0, "cannot parse it: the reader stopped advancing"};
        const std::size_t start =
            statement_start(text, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
        const std::size_t line = lines.line_of(start);
        const bool blank = start == static_cast<std::size_t>(to);

        if (status == LDNS_STATUS_OK) {
            auto record = to_record(rr.get(), line);
            if (auto* reason = std::get_if<std::string>(&record)) return ZoneFileError{line, std::move(*reason)};
            records.push_back(std::get<StaticRecord>(std::move(record)));
        } else if (status == LDNS_STATUS_SYNTAX_TTL || status == LDNS_STATUS_SYNTAX_ORIGIN) {
            if (std::string why = directive_fault(text, start); !why.empty())
                return ZoneFileError{line, std::move(why)};
        } else if (status == LDNS_STATUS_SYNTAX_INCLUDE) {
            return ZoneFileError{line, "$INCLUDE is not supported: keep every record in this one file"};
        } else if (status != LDNS_STATUS_SYNTAX_EMPTY && !blank) {
            return ZoneFileError{line, "cannot parse " + quote_line(text, start) + ": " +
                                           ldns_get_errorstr_by_id(status)};
        }
        if (at_end) break;
    }
    return StaticZone::build(apex, records, max_ttl);
}

StaticZone::Built load_zone_file(const std::filesystem::path& file, const DnsName& apex,
                                 std::uint32_t max_ttl) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        return ZoneFileError{0, "cannot read it: it is a directory"};
    std::ifstream in(file, std::ios::binary);
    if (!in) return ZoneFileError{0, std::string("cannot read it: ") + std::strerror(errno)};
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return ZoneFileError{0, std::string("cannot read it: ") + std::strerror(errno)};
    return parse_zone_text(text, apex, max_ttl);
}

}  // namespace dnsd::zones
