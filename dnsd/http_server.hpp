#pragma once
// The HTTP side-port (SPEC.md): a listener on the control io_context, one coroutine per
// connection. Everything here runs on the control thread, as the registry requires.
#include <cstdint>
#include <memory>

#include "dnsd/config.hpp"

namespace dnsd {

class Node;

class HttpServer {
public:
    // Binds and listens at once, so a taken port fails start-up with a clear message:
    // std::system_error("cannot listen for HTTP on 127.0.0.1:8054: Address already in use").
    // Port 0 picks a free port (see port()).
    HttpServer(Node& node, const HostPort& listen);
    ~HttpServer();  // stops
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Starts accepting. Call once, then run the control io_context.
    void start();
    // Graceful stop, on the control thread: accepts no more connections and cancels the open
    // ones (waiting blocking queries included); they end within the io_context's next turns.
    void stop();
    // The bound port: the one asked for, or the one the kernel picked for port 0.
    std::uint16_t port() const;

    // Defined in http_server.cpp; named here only so the accept loop there can share it.
    struct State;

private:
    std::shared_ptr<State> state_;  // shared with the connections, which may outlive *this
};

}  // namespace dnsd
