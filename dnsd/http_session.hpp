#pragma once
// One HTTP/1.1 connection: read a request, answer it, again while the client keeps it alive.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace dnsd {

class Node;

// Returns when the client closes, a deadline passes, the request is unreadable (after an
// error reply), or the coroutine is cancelled (server stop). Does not throw for network errors.
boost::asio::awaitable<void> serve_connection(Node& node, boost::asio::ip::tcp::socket socket);

}  // namespace dnsd
