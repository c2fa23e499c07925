#include "dnsd/dnsctl_list_view.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <map>

#include "dnsd/dnsctl_table.hpp"

namespace dnsd::ctl {

namespace json = boost::json;

std::string cell_text(const json::value* value) {
    if (value == nullptr || value->is_null()) return "-";
    if (value->is_string()) return value->get_string().empty() ? "-" : std::string(value->get_string());
    return json::serialize(*value);
}

std::string services_table(const json::value& answer) {
    std::map<std::string, TableRow> sorted;
    if (const auto* services = answer.is_object() ? answer.as_object().if_contains("services") : nullptr;
        services && services->is_object()) {
        for (const auto& [name, info] : services->as_object()) {
            const json::object* o = info.if_object();
            sorted[std::string(name)] = {std::string(name), cell_text(o ? o->if_contains("instances") : nullptr),
                                         cell_text(o ? o->if_contains("index") : nullptr)};
        }
    }
    std::vector<TableRow> rows;
    for (auto& [name, row] : sorted) rows.push_back(std::move(row));
    return format_table({"SERVICE", "INSTANCES", "INDEX"}, rows);
}

std::string instances_table(const json::value& answer) {
    static const std::vector<std::string> fields = {"id",      "address",    "port", "weight", "priority",
                                                    "version", "expires_in", "node"};
    const json::array* instances = nullptr;
    if (answer.is_object())
        if (const auto* found = answer.as_object().if_contains("instances")) instances = found->if_array();
    bool any_health = false;
    if (instances)
        for (const auto& instance : *instances)
            if (instance.is_object() && instance.as_object().contains("health")) any_health = true;

    TableRow header;
    for (const auto& field : fields) {
        std::string name = field;
        for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        header.push_back(name);
    }
    if (any_health) header.push_back("HEALTH");

    std::vector<TableRow> rows;
    if (instances) {
        for (const auto& instance : *instances) {
            const json::object* o = instance.if_object();
            if (!o) continue;
            TableRow row;
            for (const auto& field : fields) row.push_back(cell_text(o->if_contains(field)));
            if (any_health) row.push_back(cell_text(o->if_contains("health")));
            rows.push_back(std::move(row));
        }
    }
    std::sort(rows.begin(), rows.end());
    return format_table(header, rows);
}

}  // namespace dnsd::ctl
