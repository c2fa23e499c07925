// dnsctl does not link the server library, so it compiles Asio and Beast once itself
// (BOOST_*_SEPARATE_COMPILATION), as dnsd/asio_impl.cpp does for the server.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
