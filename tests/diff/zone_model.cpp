#include "zone_model.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace dnsd::diff {

namespace {

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c > 0x7e) {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\%03u", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string txt_rdata(const ModelInstance& instance) {
    const std::vector<std::string> strings = instance_txt(instance);
    if (strings.empty()) return " \"\"";  // RFC 6763 §6.1: an empty TXT is one empty string
    std::string out;
    for (const std::string& t : strings) out += " " + quoted(t);
    return out;
}

std::uint16_t u16_field(const boost::json::object& o, const char* key, std::string& error) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) {
        error = std::string("instance field ") + key + " is missing or not a number";
        return 0;
    }
    return static_cast<std::uint16_t>(v->to_number<std::int64_t>());
}

std::string string_field(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

const ModelService* ZoneModel::find(const std::string& name) const {
    for (const ModelService& s : services)
        if (s.name == name) return &s;
    return nullptr;
}

std::vector<std::string> instance_txt(const ModelInstance& instance) {
    std::vector<std::string> strings;
    if (!instance.version.empty()) strings.push_back("version=" + instance.version);
    for (const auto& [key, value] : instance.meta) strings.push_back(key + "=" + value);
    return strings;
}

std::string read_model(const boost::json::value& services_list,
                       const std::map<std::string, boost::json::value>& details, ZoneModel& model) {
    if (!services_list.is_object()) return "/v1/services is not a JSON object";
    const auto* index = services_list.as_object().if_contains("index");
    if (index == nullptr || !index->is_number()) return "/v1/services has no numeric index";
    model.serial = static_cast<std::uint32_t>(index->to_number<std::uint64_t>());
    model.services.clear();
    for (const auto& [name, detail] : details) {
        if (!detail.is_object()) return "/v1/services/" + name + " is not a JSON object";
        const auto* instances = detail.as_object().if_contains("instances");
        if (instances == nullptr || !instances->is_array())
            return "/v1/services/" + name + " has no instances array";
        ModelService service{name, {}};
        for (const auto& item : instances->as_array()) {
            if (!item.is_object()) return "/v1/services/" + name + ": an instance is not an object";
            const auto& o = item.as_object();
            std::string error;
            ModelInstance instance;
            instance.id = string_field(o, "id");
            instance.address = string_field(o, "address");
            instance.port = u16_field(o, "port", error);
            instance.weight = u16_field(o, "weight", error);
            instance.priority = u16_field(o, "priority", error);
            instance.version = string_field(o, "version");
            if (const auto* meta = o.if_contains("meta"); meta != nullptr && meta->is_object())
                for (const auto& [k, v] : meta->as_object())
                    if (v.is_string()) instance.meta[std::string(k)] = std::string(v.as_string());
            if (!error.empty()) return "/v1/services/" + name + ": " + error;
            if (instance.id.empty() || instance.address.empty())
                return "/v1/services/" + name + ": an instance lacks id or address";
            service.instances.push_back(std::move(instance));
        }
        std::sort(service.instances.begin(), service.instances.end(),
                  [](const ModelInstance& a, const ModelInstance& b) { return a.id < b.id; });
        model.services.push_back(std::move(service));
    }
    return {};
}

std::string zone_file(const ZoneModel& model) {
    const std::string apex = model.apex + ".";
    std::ostringstream z;
    z << "$ORIGIN " << apex << "\n$TTL " << model.ttl << "\n";

    // NS: every dnsd node of the registry (service "dnsd"), the first one also SOA MNAME.
    std::vector<std::string> name_servers;
    if (const ModelService* nodes = model.find("dnsd"))
        for (const ModelInstance& i : nodes->instances) name_servers.push_back(i.id + ".dnsd." + apex);
    if (name_servers.empty()) name_servers.push_back(model.node_name + ".dnsd." + apex);
    z << "@ SOA " << name_servers.front() << " hostmaster." << apex << " " << model.serial
      << " 3600 600 1209600 " << model.ttl << "\n";
    for (const std::string& ns : name_servers) z << "@ NS " << ns << "\n";

    // DNS-SD (RFC 6763): service type enumeration, instance enumeration, instance SRV/TXT.
    for (const ModelService& s : model.services) {
        if (s.instances.empty()) continue;
        const std::string type_name = "_" + s.name + "._tcp." + apex;
        z << "_services._dns-sd._udp." << apex << " PTR " << type_name << "\n";
        for (const ModelInstance& i : s.instances) {
            const std::string dnssd = i.id + "." + type_name;
            z << type_name << " PTR " << dnssd << "\n";
            z << dnssd << " SRV " << i.priority << " " << i.weight << " " << i.port << " " << i.id
              << "." << s.name << "." << apex << "\n";
            z << dnssd << " TXT" << txt_rdata(i) << "\n";
        }
    }

    for (const ModelService& s : model.services) {
        if (s.instances.empty()) continue;  // known-but-empty: see zone_file's comment
        const std::string owner = s.name + "." + apex;
        for (const ModelInstance& i : s.instances) {
            const std::string target = i.id + "." + owner;
            const char* address_type = i.is_v6() ? "AAAA" : "A";
            const std::string srv = std::to_string(i.priority) + " " + std::to_string(i.weight) +
                                    " " + std::to_string(i.port) + " " + target;
            z << owner << " " << address_type << " " << i.address << "\n";
            z << owner << " SRV " << srv << "\n";
            z << "_" << s.name << "._tcp." << apex << " SRV " << srv << "\n";
            z << target << " " << address_type << " " << i.address << "\n";
            z << target << " SRV " << srv << "\n";
            z << target << " TXT" << txt_rdata(i) << "\n";
        }
    }
    return z.str();
}

}  // namespace dnsd::diff
