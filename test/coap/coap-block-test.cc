/*
 * Block-wise transfers (RFC 7959): the option encoding against hand-computed bytes, the
 * client and server helpers against each other at every block size and at awkward body
 * sizes, size negotiation in both directions (the exchanges of RFC 7959's figures), every
 * failure path, and one download through two real Endpoints.
 */

#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-endpoint.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace
{

using namespace lpwan::coap;
using Bytes = std::vector<uint8_t>;

Bytes
Body(size_t size, uint32_t seed = 1)
{
    std::mt19937 rng(seed);
    Bytes b(size);
    for (auto& x : b)
    {
        x = static_cast<uint8_t>(rng());
    }
    return b;
}

Bytes
Str(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

Message
Request(uint8_t c, const std::string& path, Bytes payload = {})
{
    Message m;
    m.code = c;
    m.SetUriPath(path);
    m.payload = std::move(payload);
    return m;
}

Message
Response(uint8_t c)
{
    Message m;
    m.code = c;
    return m;
}

BlockValue
B(uint32_t num, bool more, uint8_t szx)
{
    BlockValue b;
    b.num = num;
    b.more = more;
    b.szx = szx;
    return b;
}

// ---- the option value ----

TEST(CoapBlock, OptionValueBytes)
{
    EXPECT_EQ(EncodeBlock(B(0, false, 0)), Bytes{});
    EXPECT_EQ(EncodeBlock(B(0, false, 6)), Bytes{0x06});
    EXPECT_EQ(EncodeBlock(B(1, true, 6)), Bytes{0x1e});
    EXPECT_EQ(EncodeBlock(B(2, false, 2)), Bytes{0x22});
    EXPECT_EQ(EncodeBlock(B(16, false, 6)), (Bytes{0x01, 0x06}));
    EXPECT_EQ(EncodeBlock(B(4095, true, 5)), (Bytes{0xff, 0xfd}));
    EXPECT_EQ(EncodeBlock(B(4096, false, 0)), (Bytes{0x01, 0x00, 0x00}));
    EXPECT_EQ(EncodeBlock(B(kMaxBlockNum, true, 6)), (Bytes{0xff, 0xff, 0xfe}));
    EXPECT_THROW(EncodeBlock(B(kMaxBlockNum + 1, false, 0)), std::invalid_argument);
    EXPECT_THROW(EncodeBlock(B(0, false, 7)), std::invalid_argument);

    EXPECT_EQ(DecodeBlock({}), B(0, false, 0));
    EXPECT_EQ(DecodeBlock({0x1e}), B(1, true, 6));
    EXPECT_EQ(DecodeBlock({0xff, 0xff, 0xfe}), B(kMaxBlockNum, true, 6));
    EXPECT_FALSE(DecodeBlock({0x07}).has_value());                   // SZX 7: BERT
    EXPECT_FALSE(DecodeBlock({0x00, 0x00, 0x00, 0x06}).has_value()); // 4 bytes

    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i)
    {
        const BlockValue b = B(rng() % (kMaxBlockNum + 1), rng() % 2, rng() % 7);
        EXPECT_EQ(DecodeBlock(EncodeBlock(b)), b);
    }
    EXPECT_EQ(B(3, false, 4).Size(), 256u);
    EXPECT_EQ(B(3, false, 4).Offset(), 768u);
}

TEST(CoapBlock, SizesAndMessageOptions)
{
    EXPECT_EQ(BlockSizeToSzx(16), 0);
    EXPECT_EQ(BlockSizeToSzx(1024), 6);
    EXPECT_FALSE(BlockSizeToSzx(0).has_value());
    EXPECT_FALSE(BlockSizeToSzx(100).has_value());
    EXPECT_FALSE(BlockSizeToSzx(2048).has_value());

    Message m = Request(code::Get, "a/b");
    EXPECT_FALSE(GetBlock(m, option::Block2).has_value());
    SetBlock(m, option::Block2, B(1, false, 3));
    SetBlock(m, option::Block2, B(2, false, 3)); // replaces, never repeats
    EXPECT_EQ(GetBlock(m, option::Block2), B(2, false, 3));
    EXPECT_EQ(Decode(Encode(m)).message, m); // options stay in order on the wire
    bool invalid = false;
    m.RemoveOption(option::Block2);
    m.AddOption(option::Block2, {0x0f});
    EXPECT_FALSE(GetBlock(m, option::Block2, &invalid).has_value());
    EXPECT_TRUE(invalid);
}

// ---- downloads: MakeBlock2Response against Block2Receiver ----

/// Runs a whole download; returns the reassembled answer and the number of requests.
Message
Download(const Bytes& representation, Message request, size_t serverMax, int* requests)
{
    Block2Receiver rx(request);
    Message next = request;
    *requests = 0;
    while (true)
    {
        ++*requests;
        Message rsp = MakeBlock2Response(next, Response(code::Content), representation, serverMax);
        // Every block the server sends must survive the wire format.
        rsp = Decode(Encode(rsp)).message;
        const Block2Receiver::Status s = rx.OnResponse(rsp);
        if (s != Block2Receiver::Status::NeedMore)
        {
            EXPECT_EQ(s, Block2Receiver::Status::Complete) << rx.Error();
            return rx.Response();
        }
        next = rx.NextRequest();
        EXPECT_LT(*requests, 5000);
    }
}

TEST(CoapBlock, DownloadsEveryBodySizeAtEveryBlockSize)
{
    const size_t bodySizes[] = {0, 1, 15, 16, 17, 1023, 1024, 1025, 2048, 5000};
    for (size_t n : bodySizes)
    {
        const Bytes body = Body(n, static_cast<uint32_t>(n));
        for (uint8_t serverSzx = 0; serverSzx <= kMaxSzx; ++serverSzx)
        {
            int requests = 0;
            const size_t serverMax = size_t{16} << serverSzx;
            const Message got = Download(body, Request(code::Get, "large"), serverMax, &requests);
            EXPECT_EQ(got.payload, body) << n << " bytes, blocks of " << serverMax;
            EXPECT_EQ(got.code, code::Content);
            EXPECT_FALSE(got.FindOption(option::Block2));
            const size_t blocks = n <= serverMax ? 1 : (n + serverMax - 1) / serverMax;
            EXPECT_EQ(static_cast<size_t>(requests), blocks);
        }
    }
}

TEST(CoapBlock, EarlyNegotiationUsesTheSmallerOfBothSizes)
{
    const Bytes body = Body(2048);
    for (uint8_t clientSzx = 0; clientSzx <= kMaxSzx; ++clientSzx)
    {
        Message get = Request(code::Get, "large");
        SetBlock(get, option::Block2, B(0, false, clientSzx));
        int requests = 0;
        const Message got = Download(body, get, 256, &requests);
        EXPECT_EQ(got.payload, body);
        const size_t used = std::min<size_t>(size_t{16} << clientSzx, 256);
        EXPECT_EQ(static_cast<size_t>(requests), 2048 / used);
    }
    // A small body asked for block-wise still comes with a Block2 option (M = 0).
    Message get = Request(code::Get, "small");
    SetBlock(get, option::Block2, B(0, false, 6));
    const Message rsp = MakeBlock2Response(get, Response(code::Content), Str("hi"));
    EXPECT_EQ(GetBlock(rsp, option::Block2), B(0, false, 6));
    EXPECT_EQ(rsp.payload, Str("hi"));
}

TEST(CoapBlock, ServerSlicesAtItsSmallerSize)
{
    // The client asks for block 1 of 1024 bytes; the server only does 256: that is block 4.
    const Bytes body = Body(3000);
    Message get = Request(code::Get, "large");
    SetBlock(get, option::Block2, B(1, false, 6));
    const Message rsp = MakeBlock2Response(get, Response(code::Content), body, 256);
    EXPECT_EQ(GetBlock(rsp, option::Block2), B(4, true, 4));
    EXPECT_EQ(rsp.payload, Bytes(body.begin() + 1024, body.begin() + 1280));
    EXPECT_FALSE(rsp.FindOption(option::Size2)); // Size2 only on block 0
    SetBlock(get, option::Block2, B(0, false, 6));
    const Message first = MakeBlock2Response(get, Response(code::Content), body, 256);
    ASSERT_TRUE(first.FindOption(option::Size2));
    EXPECT_EQ(DecodeUintOption(first.FindOption(option::Size2)->value), 3000u);
}

TEST(CoapBlock, ServerRefusesBadBlock2Requests)
{
    const Bytes body = Body(100);
    Message get = Request(code::Get, "x");
    SetBlock(get, option::Block2, B(7, false, 4)); // offset 1792 > 100
    EXPECT_EQ(MakeBlock2Response(get, Response(code::Content), body).code, code::BadOption);
    get.RemoveOption(option::Block2);
    get.AddOption(option::Block2, {0x07});
    EXPECT_EQ(MakeBlock2Response(get, Response(code::Content), body).code, code::BadRequest);
    EXPECT_THROW(MakeBlock2Response(Request(code::Get, "x"), Response(code::Content), body, 100),
                 std::invalid_argument);
}

TEST(CoapBlock, NextRequestRepeatsTheRequestWithoutBodyOrObserve)
{
    Message post = Request(code::Post, "echo", Str("payload"));
    post.type = Type::NonConfirmable;
    post.token = {1, 2};
    post.AddUintOption(option::Observe, 0);
    post.AddUintOption(option::ContentFormat, 0);
    SetBlock(post, option::Block1, B(2, false, 6));
    Block2Receiver rx(post);
    Message rsp = Response(code::Changed);
    SetBlock(rsp, option::Block2, B(0, true, 5));
    rsp.payload = Body(512);
    ASSERT_EQ(rx.OnResponse(rsp), Block2Receiver::Status::NeedMore);
    const Message next = rx.NextRequest();
    EXPECT_EQ(next.code, code::Post);
    EXPECT_EQ(next.type, Type::NonConfirmable);
    EXPECT_EQ(next.GetUriPath(), "echo");
    EXPECT_TRUE(next.payload.empty());
    EXPECT_TRUE(next.token.empty());
    EXPECT_FALSE(next.FindOption(option::Observe));
    EXPECT_FALSE(next.FindOption(option::Block1));
    EXPECT_TRUE(next.FindOption(option::ContentFormat));
    EXPECT_EQ(GetBlock(next, option::Block2), B(1, false, 5));
}

TEST(CoapBlock, ReceiverTakesPlainAndErrorAnswersAsComplete)
{
    Block2Receiver plain(Request(code::Get, "x"));
    Message whole = Response(code::Content);
    whole.payload = Str("all of it");
    EXPECT_EQ(plain.OnResponse(whole), Block2Receiver::Status::Complete);
    EXPECT_EQ(plain.Response().payload, Str("all of it"));
    EXPECT_EQ(plain.BlocksReceived(), 1u);
    // Further input changes nothing.
    EXPECT_EQ(plain.OnResponse(Response(code::NotFound)), Block2Receiver::Status::Complete);

    Block2Receiver missing(Request(code::Get, "x"));
    EXPECT_EQ(missing.OnResponse(Response(code::NotFound)), Block2Receiver::Status::Complete);
    EXPECT_EQ(missing.Response().code, code::NotFound);
}

/// A receiver that has taken block 0 (of 64 bytes, more to come) of a 200-byte body.
Block2Receiver
AfterFirstBlock(const Bytes& body, const Bytes& etag = {})
{
    Block2Receiver rx(Request(code::Get, "x"), 1000);
    Message rsp = Response(code::Content);
    if (!etag.empty())
    {
        rsp.AddOption(option::ETag, etag);
    }
    SetBlock(rsp, option::Block2, B(0, true, 2));
    rsp.payload.assign(body.begin(), body.begin() + 64);
    EXPECT_EQ(rx.OnResponse(rsp), Block2Receiver::Status::NeedMore);
    return rx;
}

TEST(CoapBlock, ReceiverFailures)
{
    const Bytes body = Body(200);
    auto block = [&](uint32_t num, bool more, size_t len)
    {
        Message m = Response(code::Content);
        SetBlock(m, option::Block2, B(num, more, 2));
        m.payload.assign(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(len));
        return m;
    };
    struct Case
    {
        std::string what;
        Message response;
        std::string error;
    };
    std::vector<Case> cases = {
        {"error mid-way", Response(code::InternalServerError), "server answered 5.00"},
        {"no Block2", Response(code::Content), "without Block2"},
        {"wrong block", block(2, true, 64), "offset 128, expected offset 64"},
        {"short block", block(1, true, 10), "10 bytes for a block size of 64"},
        {"long last block", block(1, false, 65), "65 bytes"},
    };
    for (Case& c : cases)
    {
        Block2Receiver rx = AfterFirstBlock(body);
        EXPECT_EQ(rx.OnResponse(c.response), Block2Receiver::Status::Failed) << c.what;
        EXPECT_NE(rx.Error().find(c.error), std::string::npos) << c.what << ": " << rx.Error();
    }

    Block2Receiver changed = AfterFirstBlock(body, {0xaa});
    Message other = block(1, true, 64);
    other.AddOption(option::ETag, {0xbb});
    EXPECT_EQ(changed.OnResponse(other), Block2Receiver::Status::Failed);
    EXPECT_NE(changed.Error().find("ETag"), std::string::npos);

    Block2Receiver sameTag = AfterFirstBlock(body, {0xaa});
    Message same = block(1, false, 64);
    same.AddOption(option::ETag, {0xaa});
    EXPECT_EQ(sameTag.OnResponse(same), Block2Receiver::Status::Complete);

    Block2Receiver small(Request(code::Get, "x"), 100); // at most 100 bytes wanted
    Message first = block(0, true, 64);
    ASSERT_EQ(small.OnResponse(first), Block2Receiver::Status::NeedMore);
    Message second = block(1, true, 64);
    EXPECT_EQ(small.OnResponse(second), Block2Receiver::Status::Failed);
    EXPECT_NE(small.Error().find("larger than 100"), std::string::npos);
}

// ---- uploads: Block1Sender against Block1Receiver ----

/// Runs a whole upload; returns the number of requests and the body the server assembled.
Bytes
Upload(const Bytes& body, size_t clientBlock, size_t serverBlock, int* requests,
       Message* finalResponse = nullptr)
{
    Block1Sender tx(Request(code::Put, "echo", body), clientBlock);
    Block1Receiver rx(1u << 20, serverBlock);
    *requests = 0;
    while (true)
    {
        ++*requests;
        const Message req = Decode(Encode(tx.CurrentRequest())).message;
        const Block1Receiver::Result r = rx.OnRequest(req);
        Message rsp = r.response;
        if (r.status == Block1Receiver::Status::Complete)
        {
            rsp = Response(code::Changed);
            rx.EchoBlock1(rsp);
        }
        const Block1Sender::Status s = tx.OnResponse(Decode(Encode(rsp)).message);
        if (s != Block1Sender::Status::SendNext)
        {
            EXPECT_EQ(s, Block1Sender::Status::Complete) << tx.Error();
            if (finalResponse != nullptr)
            {
                *finalResponse = tx.Response();
            }
            return rx.Payload();
        }
        EXPECT_LT(*requests, 5000);
    }
}

TEST(CoapBlock, UploadsEveryBodySizeAtEveryBlockSize)
{
    const size_t bodySizes[] = {0, 1, 16, 17, 1024, 1025, 3000};
    for (size_t n : bodySizes)
    {
        const Bytes body = Body(n, static_cast<uint32_t>(n) + 100);
        for (uint8_t szx = 0; szx <= kMaxSzx; ++szx)
        {
            const size_t bs = size_t{16} << szx;
            int requests = 0;
            EXPECT_EQ(Upload(body, bs, 1024, &requests), body) << n << " bytes in " << bs;
            const size_t blocks = n == 0 ? 1 : (n + bs - 1) / bs;
            EXPECT_EQ(static_cast<size_t>(requests), blocks);
        }
    }
}

TEST(CoapBlock, UploadAdoptsTheServersSmallerBlockSize)
{
    // RFC 7959 figure 6: block 0 goes out at 1024 bytes, the server asks for 128 in its 2.31,
    // so the next request is block 8 of 128 bytes.
    const Bytes body = Body(1500);
    Block1Sender tx(Request(code::Put, "echo", body), 1024);
    Block1Receiver rx(1u << 20, 128);
    const Message first = tx.CurrentRequest();
    EXPECT_EQ(GetBlock(first, option::Block1), B(0, true, 6));
    ASSERT_TRUE(first.FindOption(option::Size1));
    EXPECT_EQ(DecodeUintOption(first.FindOption(option::Size1)->value), 1500u);
    const Block1Receiver::Result r = rx.OnRequest(first);
    ASSERT_EQ(r.status, Block1Receiver::Status::Continue);
    EXPECT_EQ(r.response.code, code::Continue);
    EXPECT_EQ(GetBlock(r.response, option::Block1), B(0, true, 3));
    ASSERT_EQ(tx.OnResponse(r.response), Block1Sender::Status::SendNext);
    const Message second = tx.CurrentRequest();
    EXPECT_EQ(GetBlock(second, option::Block1), B(8, true, 3));
    EXPECT_FALSE(second.FindOption(option::Size1));
    EXPECT_EQ(second.payload.size(), 128u);

    int requests = 0;
    Message final;
    EXPECT_EQ(Upload(body, 1024, 128, &requests, &final), body);
    EXPECT_EQ(requests, 1 + 4); // 1024 bytes, then 476 in 128-byte blocks
    EXPECT_EQ(final.code, code::Changed);
    EXPECT_EQ(GetBlock(final, option::Block1), B(11, false, 3));
}

TEST(CoapBlock, UploadRestartsWithTheSizeA413Names)
{
    const Bytes body = Body(300);
    Block1Sender tx(Request(code::Post, "x", body), 256);
    tx.OnResponse(Response(code::Continue)); // block 0 acknowledged? no Block1: must fail
    EXPECT_EQ(tx.GetStatus(), Block1Sender::Status::Failed);

    Block1Sender retry(Request(code::Post, "x", body), 256);
    Message tooLarge = Response(code::RequestEntityTooLarge);
    SetBlock(tooLarge, option::Block1, B(0, false, 2));
    ASSERT_EQ(retry.OnResponse(tooLarge), Block1Sender::Status::SendNext);
    EXPECT_EQ(GetBlock(retry.CurrentRequest(), option::Block1), B(0, true, 2));
    // The same answer again, with no smaller size to go to, is final.
    EXPECT_EQ(retry.OnResponse(tooLarge), Block1Sender::Status::Failed);
    EXPECT_NE(retry.Error().find("4.13"), std::string::npos);
}

TEST(CoapBlock, SenderFailures)
{
    const Bytes body = Body(100);
    Block1Sender refused(Request(code::Post, "x", body), 64);
    Message bad = Response(code::BadOption);
    bad.payload = Str("Block1 not supported");
    EXPECT_EQ(refused.OnResponse(bad), Block1Sender::Status::Failed);
    EXPECT_NE(refused.Error().find("4.02 (Block1 not supported)"), std::string::npos);
    EXPECT_EQ(refused.Response().code, code::BadOption);

    // A 2.04 to block 0 that does not acknowledge it: the server took block 0 as the body.
    Block1Sender ignorant(Request(code::Post, "x", body), 64);
    EXPECT_EQ(ignorant.OnResponse(Response(code::Changed)), Block1Sender::Status::Failed);

    // A 2.31 to the last block is a protocol error.
    Block1Sender oneBlock(Request(code::Post, "x", Body(10)), 64);
    EXPECT_TRUE(oneBlock.IsLastBlock());
    Message cont = Response(code::Continue);
    SetBlock(cont, option::Block1, B(0, true, 2));
    EXPECT_EQ(oneBlock.OnResponse(cont), Block1Sender::Status::Failed);

    EXPECT_THROW(Block1Sender(Request(code::Post, "x"), 2048), std::invalid_argument);
}

TEST(CoapBlock, Block1ReceiverRefusals)
{
    Block1Receiver rx(200, 64);
    // A block that continues no upload.
    Message req = Request(code::Put, "x", Body(64));
    SetBlock(req, option::Block1, B(1, true, 2));
    Block1Receiver::Result r = rx.OnRequest(req);
    EXPECT_EQ(r.status, Block1Receiver::Status::Failed);
    EXPECT_EQ(r.response.code, code::RequestEntityIncomplete);
    // A gap.
    SetBlock(req, option::Block1, B(0, true, 2));
    EXPECT_EQ(rx.OnRequest(req).status, Block1Receiver::Status::Continue);
    EXPECT_TRUE(rx.InProgress());
    SetBlock(req, option::Block1, B(2, true, 2));
    EXPECT_EQ(rx.OnRequest(req).response.code, code::RequestEntityIncomplete);
    EXPECT_FALSE(rx.InProgress());
    // A non-final block shorter than its size.
    Message shortBlock = Request(code::Put, "x", Body(10));
    SetBlock(shortBlock, option::Block1, B(0, true, 2));
    EXPECT_EQ(rx.OnRequest(shortBlock).response.code, code::BadRequest);
    // Too large overall: 4.13 with Size1 naming the limit.
    for (uint32_t i = 0; i < 3; ++i)
    {
        SetBlock(req, option::Block1, B(i, true, 2));
        EXPECT_EQ(rx.OnRequest(req).status, Block1Receiver::Status::Continue);
    }
    SetBlock(req, option::Block1, B(3, true, 2));
    r = rx.OnRequest(req);
    EXPECT_EQ(r.response.code, code::RequestEntityTooLarge);
    ASSERT_TRUE(r.response.FindOption(option::Size1));
    EXPECT_EQ(DecodeUintOption(r.response.FindOption(option::Size1)->value), 200u);
    EXPECT_EQ(rx.OnRequest(Request(code::Put, "x", Body(201))).response.code,
              code::RequestEntityTooLarge);
    // An invalid option.
    Message invalid = Request(code::Put, "x", Body(10));
    invalid.AddOption(option::Block1, {0x0f});
    EXPECT_EQ(rx.OnRequest(invalid).response.code, code::BadRequest);
    // A plain request completes at once and its final response gets no Block1.
    r = rx.OnRequest(Request(code::Put, "x", Str("small")));
    EXPECT_EQ(r.status, Block1Receiver::Status::Complete);
    EXPECT_EQ(rx.Payload(), Str("small"));
    Message final = Response(code::Changed);
    rx.EchoBlock1(final);
    EXPECT_FALSE(final.FindOption(option::Block1));
}

TEST(CoapBlock, UploadWhoseAnswerComesBackBlockWise)
{
    // RFC 7959 section 3.3: a POST uploaded with Block1 whose response needs Block2; the later
    // blocks of the response are fetched by repeating the POST with Block2 and no payload.
    const Bytes body = Body(700);
    Message post = Request(code::Post, "echo", body);
    Block1Sender tx(post, 256);
    Block1Receiver up;
    Message rsp;
    while (true)
    {
        const Message req = tx.CurrentRequest();
        const Block1Receiver::Result r = up.OnRequest(req);
        if (r.status == Block1Receiver::Status::Complete)
        {
            rsp = MakeBlock2Response(req, Response(code::Changed), up.Payload(), 256);
            up.EchoBlock1(rsp);
        }
        else
        {
            rsp = r.response;
        }
        if (tx.OnResponse(rsp) != Block1Sender::Status::SendNext)
        {
            break;
        }
    }
    ASSERT_EQ(tx.GetStatus(), Block1Sender::Status::Complete);
    Block2Receiver down(post);
    Block2Receiver::Status s = down.OnResponse(tx.Response());
    const Bytes stored = up.Payload(); // what the server keeps for the follow-up requests
    while (s == Block2Receiver::Status::NeedMore)
    {
        const Message req = down.NextRequest();
        EXPECT_EQ(req.code, code::Post);
        EXPECT_TRUE(req.payload.empty());
        s = down.OnResponse(MakeBlock2Response(req, Response(code::Changed), stored, 256));
    }
    ASSERT_EQ(s, Block2Receiver::Status::Complete) << down.Error();
    EXPECT_EQ(down.Response().payload, body);
    EXPECT_EQ(down.BlocksReceived(), 3u);
}

// ---- through two endpoints ----

class FixedRandom : public RandomSource
{
  public:
    double Uniform01() override
    {
        return 0.5;
    }

    uint32_t Uint32() override
    {
        return m_next += 0x01010101;
    }

  private:
    uint32_t m_next = 0;
};

TEST(CoapBlock, DownloadThroughTwoEndpoints)
{
    FixedRandom rc;
    FixedRandom rs;
    Endpoint client(TransmissionParameters(), rc);
    Endpoint server(TransmissionParameters(), rs);
    const PeerId cId = lpwan::MakePeerId(0x7f000001, 40000);
    const PeerId sId = lpwan::MakePeerId(0x7f000001, 5683);
    const Bytes large = Body(2048);

    Message get = Request(code::Get, "large");
    SetBlock(get, option::Block2, B(0, false, 4));
    Block2Receiver rx(get);
    client.SendRequest(sId, get, 0);
    int exchanges = 0;
    while (rx.GetStatus() == Block2Receiver::Status::NeedMore && exchanges < 100)
    {
        ++exchanges;
        for (const Datagram& d : client.TakeDatagrams())
        {
            server.Receive(cId, d.bytes.data(), d.bytes.size(), 0);
        }
        for (const Event& e : server.TakeEvents())
        {
            ASSERT_EQ(e.kind, Event::Kind::RequestReceived);
            server.Respond(e.handle, MakeBlock2Response(e.message, Response(code::Content), large),
                           0);
        }
        for (const Datagram& d : server.TakeDatagrams())
        {
            client.Receive(sId, d.bytes.data(), d.bytes.size(), 0);
        }
        for (const Event& e : client.TakeEvents())
        {
            ASSERT_EQ(e.kind, Event::Kind::ResponseReceived);
            if (rx.OnResponse(e.message) == Block2Receiver::Status::NeedMore)
            {
                client.SendRequest(sId, rx.NextRequest(), 0);
            }
        }
    }
    ASSERT_EQ(rx.GetStatus(), Block2Receiver::Status::Complete) << rx.Error();
    EXPECT_EQ(rx.Response().payload, large);
    EXPECT_EQ(exchanges, 8); // 2048 bytes in 256-byte blocks
}

} // namespace
