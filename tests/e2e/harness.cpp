#include "harness.hpp"

#include <thread>

namespace dnsd::e2e {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds bound,
                std::chrono::milliseconds step) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    // The count bound backs up the time bound should the clock or `step` misbehave.
    for (int round = 0; round < 10000; ++round) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
    return false;
}

HttpResponse heartbeat(const DnsdProcess& dnsd, const std::string& body,
                       std::map<std::string, std::string> headers) {
    return http_post_json(dnsd.http_port(), "/v1/heartbeat", body, std::move(headers));
}

boost::json::value get_json(const DnsdProcess& dnsd, const std::string& target) {
    const HttpResponse response = http_get(dnsd.http_port(), target);
    if (response.status != 200) return nullptr;
    auto json = response.json();
    return json ? *json : boost::json::value(nullptr);
}

boost::json::value find_instance(const DnsdProcess& dnsd, const std::string& service,
                                 const std::string& id) {
    const boost::json::value detail = get_json(dnsd, "/v1/services/" + service);
    if (!detail.is_object()) return nullptr;
    const auto* instances = detail.as_object().if_contains("instances");
    if (instances == nullptr || !instances->is_array()) return nullptr;
    for (const auto& instance : instances->as_array()) {
        const auto* instance_id = instance.is_object() ? instance.as_object().if_contains("id") : nullptr;
        if (instance_id != nullptr && instance_id->is_string() && instance_id->as_string() == id) {
            return instance;
        }
    }
    return nullptr;
}

double number(const boost::json::value& value) {
    if (value.is_int64()) return static_cast<double>(value.as_int64());
    if (value.is_uint64()) return static_cast<double>(value.as_uint64());
    if (value.is_double()) return value.as_double();
    return 0.0;
}

void DnsdTest::SetUp() {
    dnsd_ = std::make_unique<DnsdProcess>(options());
    ASSERT_TRUE(dnsd_->started()) << dnsd_->start_failure();
}

}  // namespace dnsd::e2e
