/*
 * Which options OSCORE encrypts and which it leaves for proxies (RFC 8613 section 4.1): Class E
 * options travel only inside the ciphertext, Class U options only outside, Outer Class E
 * options added on the way are discarded by the receiver (section 8.2 / 8.4 step 1), Proxy-Uri
 * is split into an Outer Proxy-Uri and Inner Uri-Path / Uri-Query (4.1.3.3), Inner Block2 is an
 * ordinary Inner option (4.1.3.4.1) and Outer Block1 / Block2 fragment and reassemble the whole
 * OSCORE message hop by hop (4.1.3.4.2).
 */

#include "oscore-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/oscore/oscore-aead.h"
#include "protocols/oscore/oscore-cbor.h"
#include "protocols/oscore/oscore-nonce.h"
#include "protocols/oscore/oscore-option-classes.h"
#include "protocols/oscore/oscore-outer-block.h"
#include "protocols/oscore/oscore-plaintext.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/oscore/oscore-proxy-uri.h"

#include <gtest/gtest.h>

#include <set>

namespace
{

using namespace lpwan;
using namespace lpwan::oscore;
using namespace oscore_test;

struct Peers
{
    SecurityContext client{C2Client()};
    SecurityContext server{Mirror(C2Client())};
};

std::set<uint16_t>
OptionNumbers(const std::vector<lpwan::coap::Option>& options)
{
    std::set<uint16_t> s;
    for (const lpwan::coap::Option& o : options)
    {
        s.insert(o.number);
    }
    return s;
}

/// Decrypts a protected request with the server's keys and parses the plaintext, independently
/// of UnprotectRequest, to see exactly what travelled inside.
Plaintext
InnerOfRequest(const SecurityContext& server, const lpwan::coap::Message& wire)
{
    const auto header = DecodeOptionValue(wire.FindOption(lpwan::coap::option::Oscore)->value);
    EXPECT_TRUE(header && header->partialIv && header->kid);
    const Bytes nonce = BuildNonce(server.GetCommonIv(), *header->kid, *header->partialIv);
    const Bytes aad = EncodeAad(kAesCcm16_64_128, *header->kid, *header->partialIv, Bytes{});
    const auto plaintext = AeadDecrypt(server.GetRecipientKey(), nonce, aad, wire.payload);
    EXPECT_TRUE(plaintext.has_value());
    const auto p = DecodePlaintext(plaintext.value_or(Bytes{}));
    EXPECT_TRUE(p.has_value());
    return p.value_or(Plaintext{});
}

TEST(OscoreOptions, ClassEAndClassUInRequests)
{
    Peers p;
    lpwan::coap::Message get;
    get.code = lpwan::coap::code::Get;
    get.token = Hex("0102");
    get.AddOption(lpwan::coap::option::IfMatch, Hex("aabb"));          // E
    get.AddStringOption(lpwan::coap::option::UriHost, "gw.example");   // U
    get.AddOption(lpwan::coap::option::ETag, Hex("01"));               // E
    get.AddOption(lpwan::coap::option::IfNoneMatch, Bytes{});          // E
    get.AddUintOption(lpwan::coap::option::UriPort, 61616);            // U
    get.SetUriPath("a/b");                                             // E
    get.AddUintOption(lpwan::coap::option::ContentFormat, 50);         // E
    get.AddStringOption(lpwan::coap::option::UriQuery, "k=v");         // E
    get.AddUintOption(lpwan::coap::option::Accept, 60);                // E
    get.AddUintOption(extra_option::HopLimit, 16);                     // U (RFC 8768)
    get.AddUintOption(lpwan::coap::option::Block2, 0x06);              // E (Inner block-wise)
    get.AddStringOption(lpwan::coap::option::ProxyScheme, "coap");     // U
    get.AddOption(lpwan::coap::option::Echo, Hex("0102030405060708")); // E (RFC 9175)
    get.AddOption(extra_option::NoResponse, Hex("1a"));                // E (4.1.3.6)
    get.AddOption(lpwan::coap::option::RequestTag, Hex("07"));         // E (RFC 9175)
    get.AddOption(65000, Hex("c0ffee"));                               // unknown -> E
    get.payload = Str("body");

    ProtectResult req = ProtectRequest(p.client, get);
    ASSERT_TRUE(req.Ok()) << req.diagnostic;
    const lpwan::coap::Message wire = OverTheWire(req.message);
    EXPECT_EQ(OptionNumbers(wire.options),
              (std::set<uint16_t>{lpwan::coap::option::UriHost, lpwan::coap::option::UriPort,
                                  lpwan::coap::option::Oscore, extra_option::HopLimit,
                                  lpwan::coap::option::ProxyScheme}));
    EXPECT_FALSE(Contains(lpwan::coap::Encode(wire), "body"));
    EXPECT_FALSE(Contains(lpwan::coap::Encode(wire), "k=v"));

    const Plaintext inner = InnerOfRequest(p.server, wire);
    EXPECT_EQ(inner.code, lpwan::coap::code::Get);
    EXPECT_EQ(OptionNumbers(inner.options),
              (std::set<uint16_t>{lpwan::coap::option::IfMatch, lpwan::coap::option::ETag,
                                  lpwan::coap::option::IfNoneMatch, lpwan::coap::option::UriPath,
                                  lpwan::coap::option::ContentFormat, lpwan::coap::option::UriQuery,
                                  lpwan::coap::option::Accept, lpwan::coap::option::Block2,
                                  lpwan::coap::option::Echo, extra_option::NoResponse,
                                  lpwan::coap::option::RequestTag, 65000}));
    EXPECT_EQ(inner.payload, Str("body"));

    UnprotectResult atServer = UnprotectRequest(p.server, wire);
    ASSERT_TRUE(atServer.Ok()) << atServer.diagnostic;
    EXPECT_EQ(atServer.message, get);
}

TEST(OscoreOptions, ClassEAndClassUInResponses)
{
    Peers p;
    lpwan::coap::Message get;
    get.code = lpwan::coap::code::Get;
    get.SetUriPath("big");
    ProtectResult req = ProtectRequest(p.client, get);
    UnprotectResult atServer = UnprotectRequest(p.server, OverTheWire(req.message));
    ASSERT_TRUE(atServer.Ok());

    // The response's own Max-Age, ETag, Location-*, Size2 and Inner Block2 are end to end.
    lpwan::coap::Message resp;
    resp.type = lpwan::coap::Type::Acknowledgement;
    resp.code = lpwan::coap::code::Content;
    resp.AddOption(lpwan::coap::option::ETag, Hex("abcd"));
    resp.AddStringOption(lpwan::coap::option::LocationPath, "loc");
    resp.AddUintOption(lpwan::coap::option::ContentFormat, 42);
    resp.AddUintOption(lpwan::coap::option::MaxAge, 300);
    resp.AddStringOption(lpwan::coap::option::LocationQuery, "q");
    resp.AddUintOption(lpwan::coap::option::Block2, (0u << 4) | 0x08u | 2u); // num 0, more, 64 B
    resp.AddUintOption(lpwan::coap::option::Size2, 1000);
    resp.payload = Bytes(64, 0x33);

    ProtectResult pr = ProtectResponse(p.server, resp, atServer.binding);
    ASSERT_TRUE(pr.Ok());
    const lpwan::coap::Message wire = OverTheWire(pr.message);
    EXPECT_EQ(OptionNumbers(wire.options), (std::set<uint16_t>{lpwan::coap::option::Oscore}));
    EXPECT_EQ(wire.code, lpwan::coap::code::Changed);
    UnprotectResult atClient = UnprotectResponse(p.client, wire, req.binding);
    ASSERT_TRUE(atClient.Ok());
    EXPECT_EQ(atClient.message, resp);
}

TEST(OscoreOptions, OuterClassEOptionsAreDiscarded)
{
    Peers p;
    lpwan::coap::Message get;
    get.code = lpwan::coap::code::Get;
    get.AddStringOption(lpwan::coap::option::UriHost, "h");
    get.SetUriPath("real");
    ProtectResult req = ProtectRequest(p.client, get);

    // A proxy adds Outer options: Class E ones (a path, Max-Age, Observe, Block1, an unknown
    // option) must not reach the application; Class U ones (Uri-Port, Hop-Limit) do.
    lpwan::coap::Message wire = OverTheWire(req.message);
    wire.AddStringOption(lpwan::coap::option::UriPath, "evil");
    wire.AddUintOption(lpwan::coap::option::MaxAge, 0);
    wire.AddUintOption(lpwan::coap::option::Observe, 0);
    wire.AddUintOption(lpwan::coap::option::Block1, 0x06);
    wire.AddOption(65000, Hex("01"));
    wire.AddUintOption(lpwan::coap::option::UriPort, 5683);
    wire.AddUintOption(extra_option::HopLimit, 3);
    wire.code = lpwan::coap::code::Delete; // the Outer code is discarded too
    UnprotectResult r = UnprotectRequest(p.server, OverTheWire(wire));
    ASSERT_TRUE(r.Ok()) << r.diagnostic;

    lpwan::coap::Message expected = get;
    expected.AddUintOption(lpwan::coap::option::UriPort, 5683);
    expected.AddUintOption(extra_option::HopLimit, 3);
    EXPECT_EQ(r.message, expected);
    EXPECT_EQ(r.message.GetUriPath(), "real");
    EXPECT_EQ(r.message.code, lpwan::coap::code::Get);
}

TEST(OscoreOptions, ProxyUriIsSplitIntoOuterAndInnerParts)
{
    // The example of section 4.1.3.3.
    Peers p;
    lpwan::coap::Message get;
    get.code = lpwan::coap::code::Get;
    get.AddStringOption(lpwan::coap::option::ProxyUri, "coap://example.com/resource?q=1");
    ProtectResult req = ProtectRequest(p.client, get);
    ASSERT_TRUE(req.Ok()) << req.diagnostic;
    const lpwan::coap::Message wire = OverTheWire(req.message);
    ASSERT_EQ(CountOption(wire, lpwan::coap::option::ProxyUri), 1u);
    EXPECT_EQ(wire.FindOption(lpwan::coap::option::ProxyUri)->value, Str("coap://example.com"));
    EXPECT_FALSE(Contains(lpwan::coap::Encode(wire), "resource"));

    const Plaintext inner = InnerOfRequest(p.server, wire);
    ASSERT_EQ(inner.options.size(), 2u);
    EXPECT_EQ(inner.options[0].number, lpwan::coap::option::UriPath);
    EXPECT_EQ(inner.options[0].value, Str("resource"));
    EXPECT_EQ(inner.options[1].number, lpwan::coap::option::UriQuery);
    EXPECT_EQ(inner.options[1].value, Str("q=1"));

    // The server sees the Outer Proxy-Uri and the Inner path and query.
    UnprotectResult r = UnprotectRequest(p.server, wire);
    ASSERT_TRUE(r.Ok());
    EXPECT_EQ(r.message.GetUriPath(), "resource");
    EXPECT_EQ(r.message.FindOption(lpwan::coap::option::UriQuery)->value, Str("q=1"));
    EXPECT_EQ(r.message.FindOption(lpwan::coap::option::ProxyUri)->value,
              Str("coap://example.com"));

    // Inconsistent originals are refused before any sequence number is used.
    lpwan::coap::Message both = get;
    both.SetUriPath("x");
    EXPECT_EQ(ProtectRequest(p.client, both).status, Status::InvalidInput);
    lpwan::coap::Message bad;
    bad.code = lpwan::coap::code::Get;
    bad.AddStringOption(lpwan::coap::option::ProxyUri, "not a uri");
    EXPECT_EQ(ProtectRequest(p.client, bad).status, Status::InvalidInput);
    EXPECT_EQ(p.client.GetSenderSequenceNumber(), 1u);
}

TEST(OscoreOptions, ProxyUriDecomposition)
{
    auto parts = ParseProxyUri("COAP://Example.COM:5683/a%2Fb/c?x=1&y=%41");
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->scheme, "coap");
    EXPECT_EQ(parts->host, "example.com");
    EXPECT_FALSE(parts->port.has_value()); // the default port is omitted
    EXPECT_EQ(parts->path, (std::vector<std::string>{"a/b", "c"}));
    EXPECT_EQ(parts->query, (std::vector<std::string>{"x=1", "y=A"}));
    EXPECT_EQ(ComposeOuterProxyUri(*parts), "coap://example.com");

    parts = ParseProxyUri("coaps://[2001:db8::1]:61616");
    ASSERT_TRUE(parts.has_value());
    EXPECT_EQ(parts->host, "[2001:db8::1]");
    EXPECT_EQ(parts->port, std::optional<uint16_t>(61616));
    EXPECT_TRUE(parts->path.empty());
    EXPECT_EQ(ComposeOuterProxyUri(*parts), "coaps://[2001:db8::1]:61616");

    parts = ParseProxyUri("http://example.org/");
    ASSERT_TRUE(parts.has_value());
    EXPECT_TRUE(parts->path.empty());

    for (const char* bad :
         {"", "coap:/x", "://x", "coap://", "coap://h/#f", "coap://u@h/", "coap://h:99999/",
          "coap://h:8x/", "coap://h/%4", "coap://h/%zz", "1coap://h/", "coap://[::1/"})
    {
        EXPECT_FALSE(ParseProxyUri(bad).has_value()) << bad;
    }
}

TEST(OscoreOptions, ObserveIsInnerAndOuter)
{
    Peers p;
    lpwan::coap::Message cancel;
    cancel.code = lpwan::coap::code::Get;
    cancel.SetUriPath("obs");
    cancel.AddUintOption(lpwan::coap::option::Observe, 1);
    ProtectResult req = ProtectRequest(p.client, cancel);
    const lpwan::coap::Message wire = OverTheWire(req.message);
    EXPECT_EQ(wire.code, lpwan::coap::MakeCode(0, 5)); // FETCH
    EXPECT_EQ(wire.FindOption(lpwan::coap::option::Observe)->value, Hex("01"));
    const Plaintext inner = InnerOfRequest(p.server, wire);
    EXPECT_EQ(OptionNumbers(inner.options),
              (std::set<uint16_t>{lpwan::coap::option::Observe, lpwan::coap::option::UriPath}));
    EXPECT_EQ(inner.options[0].value, Hex("01"));
    EXPECT_FALSE(req.binding.observe); // a cancellation is not a registration

    // A notification: Outer Observe carries the server's value, the Inner one is empty
    // (section 4.1.3.5.2), and the client delivers the Partial IV's low bytes instead.
    lpwan::coap::Message reg = cancel;
    reg.RemoveOption(lpwan::coap::option::Observe);
    reg.AddUintOption(lpwan::coap::option::Observe, 0);
    ProtectResult regReq = ProtectRequest(p.client, reg);
    UnprotectResult atServer = UnprotectRequest(p.server, OverTheWire(regReq.message));
    ASSERT_TRUE(atServer.Ok());
    lpwan::coap::Message n;
    n.code = lpwan::coap::code::Content;
    n.AddUintOption(lpwan::coap::option::Observe, 0x123456);
    n.payload = Str("v");
    p.server.SetSenderSequenceNumber(0x0a0b0c0d);
    ProtectResult pn = ProtectResponse(p.server, n, atServer.binding, true);
    ASSERT_TRUE(pn.Ok());
    const lpwan::coap::Message wn = OverTheWire(pn.message);
    EXPECT_EQ(wn.FindOption(lpwan::coap::option::Observe)->value, Hex("123456"));
    const Bytes piv = Hex("0a0b0c0d");
    const auto plaintext = AeadDecrypt(
        p.client.GetRecipientKey(),
        BuildNonce(p.client.GetCommonIv(), p.client.GetRecipientId(), piv),
        EncodeAad(kAesCcm16_64_128, regReq.binding.requestKid, regReq.binding.requestPiv, Bytes{}),
        wn.payload);
    ASSERT_TRUE(plaintext.has_value());
    const auto innerN = DecodePlaintext(*plaintext);
    ASSERT_TRUE(innerN.has_value());
    ASSERT_EQ(innerN->options.size(), 1u);
    EXPECT_EQ(innerN->options[0].number, lpwan::coap::option::Observe);
    EXPECT_TRUE(innerN->options[0].value.empty());
    UnprotectResult atClient = UnprotectResponse(p.client, wn, regReq.binding);
    ASSERT_TRUE(atClient.Ok());
    EXPECT_EQ(atClient.message.FindOption(lpwan::coap::option::Observe)->value, Hex("0b0c0d"));
}

// ---- Outer block-wise (section 4.1.3.4.2) ----

TEST(OscoreOptions, OuterBlock1CarriesALargeRequest)
{
    Peers p;
    lpwan::coap::Message post;
    post.code = lpwan::coap::code::Post;
    post.token = Hex("77");
    post.SetUriPath("upload");
    for (int i = 0; i < 300; ++i)
    {
        post.payload.push_back(static_cast<uint8_t>(i));
    }
    ProtectResult req = ProtectRequest(p.client, post);
    ASSERT_TRUE(req.Ok());
    const size_t total = req.message.payload.size();

    const std::vector<lpwan::coap::Message> blocks
        = FragmentOuter(req.message, 2); // 64-byte blocks
    ASSERT_EQ(blocks.size(), (total + 63) / 64);
    OuterBlockAssembler assembler(1024);
    for (size_t i = 0; i < blocks.size(); ++i)
    {
        const lpwan::coap::Message wire = OverTheWire(blocks[i]);
        const auto block = DecodeBlockValue(wire.FindOption(lpwan::coap::option::Block1)->value);
        ASSERT_TRUE(block.has_value());
        EXPECT_EQ(block->num, i);
        EXPECT_EQ(block->more, i + 1 < blocks.size());
        EXPECT_EQ(block->szx, 2);
        EXPECT_EQ(wire.FindOption(lpwan::coap::option::Size1) != nullptr, i == 0);
        if (i == 0)
        {
            EXPECT_EQ(
                lpwan::coap::DecodeUintOption(wire.FindOption(lpwan::coap::option::Size1)->value),
                total);
        }
        // The block alone does not verify: it is not the whole OSCORE message.
        const auto outcome = assembler.Add(wire);
        EXPECT_EQ(outcome, i + 1 < blocks.size() ? OuterBlockAssembler::Outcome::Incomplete
                                                 : OuterBlockAssembler::Outcome::Complete);
    }
    EXPECT_EQ(assembler.GetMessage(), req.message);
    UnprotectResult r = UnprotectRequest(p.server, assembler.GetMessage());
    ASSERT_TRUE(r.Ok()) << r.diagnostic;
    EXPECT_EQ(r.message, post);

    // A message that fits one block is left as it is.
    EXPECT_EQ(FragmentOuter(req.message, 6).size(), 1u);
    OuterBlockAssembler fresh;
    EXPECT_EQ(fresh.Add(req.message), OuterBlockAssembler::Outcome::NotBlockwise);
}

TEST(OscoreOptions, OuterBlock2CarriesALargeResponseAndTamperingIsDetected)
{
    Peers p;
    lpwan::coap::Message get;
    get.code = lpwan::coap::code::Get;
    get.SetUriPath("log");
    ProtectResult req = ProtectRequest(p.client, get);
    UnprotectResult atServer = UnprotectRequest(p.server, OverTheWire(req.message));
    ASSERT_TRUE(atServer.Ok());
    lpwan::coap::Message resp;
    resp.code = lpwan::coap::code::Content;
    resp.payload = Bytes(200, 0x41);
    ProtectResult pr = ProtectResponse(p.server, resp, atServer.binding);
    ASSERT_TRUE(pr.Ok());

    std::vector<lpwan::coap::Message> blocks = FragmentOuter(pr.message, 1); // 32-byte blocks
    ASSERT_GT(blocks.size(), 2u);
    for (const lpwan::coap::Message& b : blocks)
    {
        EXPECT_NE(b.FindOption(lpwan::coap::option::Block2), nullptr);
    }

    // A proxy changes one byte of block 1: the reassembled message fails verification.
    std::vector<lpwan::coap::Message> tampered = blocks;
    tampered[1].payload[5] ^= 0x80;
    OuterBlockAssembler assembler;
    OuterBlockAssembler::Outcome outcome = OuterBlockAssembler::Outcome::Incomplete;
    for (const lpwan::coap::Message& b : tampered)
    {
        outcome = assembler.Add(OverTheWire(b));
    }
    ASSERT_EQ(outcome, OuterBlockAssembler::Outcome::Complete);
    RequestBinding binding = req.binding;
    EXPECT_EQ(UnprotectResponse(p.client, assembler.GetMessage(), binding).status,
              Status::DecryptionFailed);

    // The genuine blocks verify.
    for (const lpwan::coap::Message& b : blocks)
    {
        outcome = assembler.Add(OverTheWire(b));
    }
    ASSERT_EQ(outcome, OuterBlockAssembler::Outcome::Complete);
    UnprotectResult r = UnprotectResponse(p.client, assembler.GetMessage(), req.binding);
    ASSERT_TRUE(r.Ok()) << r.diagnostic;
    EXPECT_EQ(r.message, resp);
}

TEST(OscoreOptions, OuterBlockAssemblerRejectsInconsistentBlocks)
{
    Peers p;
    lpwan::coap::Message post;
    post.code = lpwan::coap::code::Post;
    post.payload = Bytes(250, 1);
    ProtectResult req = ProtectRequest(p.client, post);
    const std::vector<lpwan::coap::Message> blocks = FragmentOuter(req.message, 2);
    ASSERT_GE(blocks.size(), 4u);

    // Out of order.
    OuterBlockAssembler a;
    EXPECT_EQ(a.Add(blocks[0]), OuterBlockAssembler::Outcome::Incomplete);
    EXPECT_EQ(a.Add(blocks[2]), OuterBlockAssembler::Outcome::Rejected);
    // A later block without a first one.
    EXPECT_EQ(a.Add(blocks[1]), OuterBlockAssembler::Outcome::Rejected);
    // A block of another message (different Outer options) in the middle.
    EXPECT_EQ(a.Add(blocks[0]), OuterBlockAssembler::Outcome::Incomplete);
    lpwan::coap::Message other = blocks[1];
    other.AddStringOption(lpwan::coap::option::UriHost, "other");
    EXPECT_EQ(a.Add(other), OuterBlockAssembler::Outcome::Rejected);
    // A "more" block of the wrong size.
    EXPECT_EQ(a.Add(blocks[0]), OuterBlockAssembler::Outcome::Incomplete);
    lpwan::coap::Message shortBlock = blocks[1];
    shortBlock.payload.pop_back();
    EXPECT_EQ(a.Add(shortBlock), OuterBlockAssembler::Outcome::Rejected);
    // Reserved szx 7.
    lpwan::coap::Message szx7 = blocks[0];
    szx7.RemoveOption(lpwan::coap::option::Block1);
    szx7.AddUintOption(lpwan::coap::option::Block1, 0x0f);
    EXPECT_EQ(a.Add(szx7), OuterBlockAssembler::Outcome::Rejected);
    // MAX_UNFRAGMENTED_SIZE: more than 128 bytes are discarded.
    OuterBlockAssembler small(128);
    EXPECT_EQ(small.Add(blocks[0]), OuterBlockAssembler::Outcome::Incomplete);
    EXPECT_EQ(small.Add(blocks[1]), OuterBlockAssembler::Outcome::Incomplete);
    EXPECT_EQ(small.Add(blocks[2]), OuterBlockAssembler::Outcome::Rejected);
}

} // namespace
