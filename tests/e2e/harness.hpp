#pragma once
// The end-to-end harness: one include for tests. They start the real dnsd (DnsdProcess) and
// talk to it as users do: HTTP (http_client.hpp) and DNS over UDP/TCP (dns_client.hpp).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dns_client.hpp"
#include "dns_transport.hpp"
#include "dnsd_process.hpp"
#include "free_port.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

namespace dnsd::e2e {

// Polls `condition` every `step` until it holds or `bound` passes; true when it held.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds bound,
                std::chrono::milliseconds step = std::chrono::milliseconds(50));

// POST /v1/heartbeat with a JSON body (object or array).
HttpResponse heartbeat(const DnsdProcess& dnsd, const std::string& body,
                       std::map<std::string, std::string> headers = {});
// The parsed JSON of a GET, or null when the status is not 200 or the body is not JSON.
boost::json::value get_json(const DnsdProcess& dnsd, const std::string& target);
// The instance object of /v1/services/{service} whose "id" is `id`, or null.
boost::json::value find_instance(const DnsdProcess& dnsd, const std::string& service,
                                 const std::string& id);
// A JSON number as double, whether it was written as an integer or not (0 when not a number).
double number(const boost::json::value& value);

// A test with one freshly started dnsd. Subclasses may change options() before SetUp.
class DnsdTest : public ::testing::Test {
protected:
    void SetUp() override;
    virtual DnsdOptions options() { return {}; }

    DnsdProcess& dnsd() { return *dnsd_; }
    std::uint16_t dns_port() const { return dnsd_->dns_port(); }
    std::uint16_t http_port() const { return dnsd_->http_port(); }

    std::unique_ptr<DnsdProcess> dnsd_;
};

}  // namespace dnsd::e2e
