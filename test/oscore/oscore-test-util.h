/*
 * Helpers shared by the OSCORE tests: hex strings, CoAP (de)serialization, the RFC 8613
 * Appendix C input parameters and a deterministic RandomSource.
 */
#ifndef LPWAN_TEST_OSCORE_TEST_UTIL_H
#define LPWAN_TEST_OSCORE_TEST_UTIL_H

#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-message.h"
#include "protocols/common/hex.h"
#include "protocols/common/sans-io.h"
#include "protocols/oscore/oscore-security-context.h"
#include "support/seeded-random.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace oscore_test
{

using lpwan::oscore::Bytes;

/// Bytes from hex; whitespace and ':' '-' between bytes are skipped. Throws
/// std::invalid_argument on anything else.
inline Bytes
Hex(const std::string& hex)
{
    std::optional<Bytes> bytes = lpwan::FromHex(hex, " \t\r\n:-");
    if (!bytes)
    {
        throw std::invalid_argument("odd hex string");
    }
    return *bytes;
}

inline Bytes
Str(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

/// Decodes a datagram that must be valid.
inline lpwan::coap::Message
DecodeOk(const Bytes& datagram)
{
    lpwan::coap::DecodeResult r = lpwan::coap::Decode(datagram);
    EXPECT_TRUE(r.ok) << r.error;
    return r.message;
}

/// The message as the peer sees it after the network: encoded, then decoded.
inline lpwan::coap::Message
OverTheWire(const lpwan::coap::Message& m)
{
    return DecodeOk(lpwan::coap::Encode(m));
}

/// Number of options with this number.
inline size_t
CountOption(const lpwan::coap::Message& m, uint16_t number)
{
    size_t n = 0;
    for (const auto& o : m.options)
    {
        n += o.number == number ? 1 : 0;
    }
    return n;
}

/// True when needle occurs in haystack (to show that plaintext does not travel in clear).
inline bool
Contains(const Bytes& haystack, const std::string& needle)
{
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end())
           != haystack.end();
}

/// RFC 8613 Appendix C input parameters.
inline lpwan::oscore::ContextParameters
C1Client()
{
    lpwan::oscore::ContextParameters p;
    p.masterSecret = Hex("0102030405060708090a0b0c0d0e0f10");
    p.masterSalt = Hex("9e7ca92223786340");
    p.senderId = Hex("");
    p.recipientId = Hex("01");
    return p;
}

/// The mirror image: the other endpoint's parameters.
inline lpwan::oscore::ContextParameters
Mirror(lpwan::oscore::ContextParameters p)
{
    std::swap(p.senderId, p.recipientId);
    return p;
}

inline lpwan::oscore::ContextParameters
C2Client()
{
    lpwan::oscore::ContextParameters p;
    p.masterSecret = Hex("0102030405060708090a0b0c0d0e0f10");
    p.senderId = Hex("00");
    p.recipientId = Hex("01");
    return p;
}

inline lpwan::oscore::ContextParameters
C3Client()
{
    lpwan::oscore::ContextParameters p = C1Client();
    p.idContext = Hex("37cbf3210017a2d3");
    return p;
}

/// A deterministic RandomSource for tests (the simulator uses ns-3 streams).
using TestRandom = lpwan_test::SeededRandom;

} // namespace oscore_test

#endif // LPWAN_TEST_OSCORE_TEST_UTIL_H
