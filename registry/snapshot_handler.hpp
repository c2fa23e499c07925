#pragma once
// Builds SnapshotData straight from the JSON parser's events, checking each value as it comes:
// no JSON tree of the file is ever built, which for a million instances saves most of the
// load time and more memory than the decoded data itself takes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/string_view.hpp>
#include <boost/system/error_code.hpp>

#include "registry/snapshot_fields.hpp"
#include "registry/snapshot_format.hpp"

namespace dnsd::registry {

// The handler of a boost::json::basic_parser. The first problem found is kept; which one that
// is can depend on format_version: a file of another version is refused as such, even if the
// version comes after entries this version cannot read. Fields it does not know are skipped.
class SnapshotHandler {
public:
    using error_code = boost::system::error_code;
    using string_view = boost::json::string_view;
    static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
    static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code& ec) { return open(JsonScalar::Kind::object, ec); }
    bool on_object_end(std::size_t, error_code& ec) { return close(ec); }
    bool on_array_begin(error_code& ec) { return open(JsonScalar::Kind::array, ec); }
    bool on_array_end(std::size_t, error_code& ec) { return close(ec); }
    bool on_key_part(string_view s, std::size_t, error_code&);
    bool on_key(string_view s, std::size_t, error_code&);
    bool on_string_part(string_view s, std::size_t, error_code&);
    bool on_string(string_view s, std::size_t, error_code& ec);
    bool on_number_part(string_view s, error_code&);
    bool on_int64(std::int64_t i, string_view s, error_code& ec);
    bool on_uint64(std::uint64_t u, string_view s, error_code& ec);
    bool on_double(double, string_view s, error_code& ec);
    bool on_bool(bool b, error_code& ec);
    bool on_null(error_code& ec);
    bool on_comment_part(string_view, error_code&) { return true; }
    bool on_comment(string_view, error_code&) { return true; }

    // --- Decoding a file in parts on several threads (snapshot_split_decode.hpp) -------------
    // A part that starts inside the instances list is given to its parser behind the text
    // `{"instances":[`; the first part said format_version already, so an error stops at once.
    void resume_inside_instances();
    // The document seen is a part: the checks of the whole document (every top-level field
    // present, no instance twice) are left to whoever joins the parts (root_problem below).
    void defer_document_checks() { defer_document_checks_ = true; }
    // True when the text so far ends right after a complete entry of the instances list, with
    // nothing wrong found: a part may end here (a ',' and the next entry follow in the file).
    bool between_instances() const;
    // The top-level fields seen, one bit each (see root_problem).
    std::uint32_t root_fields_seen() const { return root_seen_; }
    // Sizes the instances list for this many entries (a guess from the file's size).
    void reserve_instances(std::size_t n) { data_.instances.reserve(n); }

    // The checks of a whole document, given every top-level field seen: the first problem, or
    // an empty string. finish_root runs them; so does the join of a file decoded in parts.
    static std::string root_problem(std::uint32_t root_seen, const SnapshotData& data);
    // Joins the data of the part that follows `into` in the file, as one parser would have
    // seen them: its top-level values replace those before it, its entries come after.
    static void append_part(SnapshotData& into, std::uint32_t& into_seen, SnapshotData&& part,
                            std::uint32_t part_seen);

    // True once the handler stopped the parser: the parser's error is then this one's.
    bool aborted() const { return aborted_; }
    // Empty if the document was complete and valid.
    const std::string& error() const { return error_; }
    SnapshotData& data() { return data_; }

private:
    enum class Section : std::uint8_t { instances, tombstones, known_services };

    bool open(JsonScalar::Kind container, error_code& ec);
    bool close(error_code& ec);
    bool scalar(const JsonScalar& value, error_code& ec);
    bool root_value(const JsonScalar& value, error_code& ec);
    bool check_version(const JsonScalar& value, error_code& ec);
    bool entry_value(const JsonScalar& value, error_code& ec);
    bool instance_value(const JsonScalar& value, error_code& ec);
    bool tombstone_value(const JsonScalar& value, error_code& ec);
    bool known_service_value(const JsonScalar& value, error_code& ec);
    bool meta_value(const JsonScalar& value, error_code& ec);
    void start_entry();
    bool finish_entry(error_code& ec);
    bool finish_root(error_code& ec);

    template <typename T, typename U>
    bool store(T& out, std::optional<U>&& checked, std::string_view wanted, const JsonScalar& value,
               error_code& ec);
    bool store_label(std::string& out, const JsonScalar& value, error_code& ec);
    template <typename T>
    bool store_integer(T& out, const JsonScalar& value, std::int64_t lo, std::int64_t hi,
                       error_code& ec);
    bool mismatch(std::string path, std::string_view wanted, const JsonScalar& found,
                  error_code& ec);
    bool fail(std::string message, error_code& ec, bool opening_container = false);
    bool abort(error_code& ec);

    std::string_view section_name() const;
    std::span<const std::string_view> entry_fields() const;  // of the current section
    std::string entry_path() const;                          // "instances[3]"
    std::string field_path() const;                          // "instances[3].port", "index"
    std::string_view field_name() const;

    // Nesting: 0 outside the document, 1 the top object, 2 a list, 3 an entry, 4 its meta.
    // Everything else (values of unknown fields) is passed over, counted by skip_.
    int depth_ = 0;
    int skip_ = 0;
    Section section_ = Section::instances;
    std::size_t element_ = 0;  // of the current list
    int key_ = -1;             // the current field, an index into the names of its level
    int next_key_ = 0;         // the field the writer puts next: looked at first
    std::uint32_t seen_ = 0;   // fields of the current entry, one bit per index
    std::uint32_t root_seen_ = 0;
    std::string meta_key_;

    // Pieces of a key, string or number split across two buffers of input.
    std::string key_buf_, string_buf_, number_buf_;

    SnapshotInstance* instance_ = nullptr;  // the entry being decoded, in data_.instances
    SnapshotTombstone tombstone_;
    SnapshotKnownService known_service_;
    SnapshotData data_;

    bool defer_document_checks_ = false;
    bool version_ok_ = false;
    bool failed_ = false;  // a problem found before format_version: only the version matters now
    bool aborted_ = false;
    std::string error_;
};

}  // namespace dnsd::registry
