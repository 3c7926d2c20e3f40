/*
 * Block-wise transfer helpers (RFC 7959); see coap-block.h for what each one does.
 *
 * Every check compares byte offsets, not block numbers: a block number only means something
 * together with its size, and both ends may change the size during a transfer (a client's
 * early negotiation, a server's smaller preference in 2.31 Continue or 4.13). Offsets stay
 * exact because sizes are powers of two and only ever shrink, so an offset reached at one
 * size is always a whole number of blocks at any smaller size.
 */

#include "coap-block.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace coap
{

namespace
{

std::string
Diagnostic(const Message& response)
{
    if (response.payload.empty())
    {
        return "";
    }
    return " (" + std::string(response.payload.begin(), response.payload.end()) + ")";
}

std::vector<uint8_t>
Text(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

uint8_t
SzxOrThrow(size_t blockSize, const char* who)
{
    const std::optional<uint8_t> szx = BlockSizeToSzx(blockSize);
    if (!szx)
    {
        throw std::invalid_argument(std::string(who)
                                    + ": block size must be 16, 32, 64, 128, 256, 512 or 1024");
    }
    return *szx;
}

} // namespace

std::optional<uint8_t>
BlockSizeToSzx(size_t size)
{
    for (uint8_t szx = 0; szx <= kMaxSzx; ++szx)
    {
        if ((size_t{16} << szx) == size)
        {
            return szx;
        }
    }
    return std::nullopt;
}

std::vector<uint8_t>
EncodeBlock(const BlockValue& block)
{
    if (block.num > kMaxBlockNum || block.szx > kMaxSzx)
    {
        throw std::invalid_argument("CoAP Block option: NUM above 2^20-1 or SZX above 6");
    }
    // NUM in the high bits, then M (bit 3) and SZX (bits 0-2), as a minimal uint (section 2.2).
    return EncodeUintOption((block.num << 4) | (block.more ? 0x8u : 0u) | block.szx);
}

std::optional<BlockValue>
DecodeBlock(const std::vector<uint8_t>& value)
{
    if (value.size() > 3)
    {
        return std::nullopt;
    }
    const uint32_t v = DecodeUintOption(value);
    BlockValue b;
    b.szx = static_cast<uint8_t>(v & 0x7);
    if (b.szx > kMaxSzx)
    {
        return std::nullopt; // SZX 7 is BERT, only defined for CoAP over TCP (RFC 8323)
    }
    b.more = (v & 0x8) != 0;
    b.num = v >> 4;
    return b;
}

std::optional<BlockValue>
GetBlock(const Message& message, uint16_t number, bool* invalid)
{
    if (invalid != nullptr)
    {
        *invalid = false;
    }
    const Option* o = message.FindOption(number);
    if (o == nullptr)
    {
        return std::nullopt;
    }
    std::optional<BlockValue> b = DecodeBlock(o->value);
    if (!b && invalid != nullptr)
    {
        *invalid = true;
    }
    return b;
}

void
SetBlock(Message& message, uint16_t number, const BlockValue& block)
{
    std::vector<uint8_t> value = EncodeBlock(block);
    message.RemoveOption(number);
    message.AddOption(number, std::move(value));
}

// ---- Block2Receiver ----

Block2Receiver::Block2Receiver(Message request, size_t maxSize)
  : m_request(std::move(request))
  , m_maxSize(maxSize)
{
    if (std::optional<BlockValue> asked = GetBlock(m_request, option::Block2))
    {
        m_next.szx = asked->szx;
    }
}

Block2Receiver::Status
Block2Receiver::Fail(std::string why)
{
    m_error = std::move(why);
    m_status = Status::Failed;
    return m_status;
}

Block2Receiver::Status
Block2Receiver::OnResponse(const Message& response)
{
    if (m_status != Status::NeedMore)
    {
        return m_status;
    }
    bool invalid = false;
    const std::optional<BlockValue> block = GetBlock(response, option::Block2, &invalid);
    const bool first = m_blocks == 0;
    if (first && ((response.code >> 5) != 2 || (!block && !invalid)))
    {
        // Not block-wise at all: an error, or the whole representation in one response.
        m_response = response;
        m_blocks = 1;
        m_status = Status::Complete;
        return m_status;
    }
    std::vector<uint8_t> body = std::move(m_response.payload);
    m_response = response;
    m_response.payload.clear();
    if ((response.code >> 5) != 2)
    {
        return Fail("block " + std::to_string(m_next.num) + ": server answered "
                    + CodeToString(response.code) + Diagnostic(response));
    }
    if (invalid)
    {
        return Fail("invalid Block2 option in the response");
    }
    if (!block)
    {
        return Fail("response without Block2 in the middle of a block-wise transfer");
    }
    if (block->Offset() != body.size())
    {
        return Fail("server sent the block at offset " + std::to_string(block->Offset())
                    + ", expected offset " + std::to_string(body.size()));
    }
    if (block->more ? response.payload.size() != block->Size()
                    : response.payload.size() > block->Size())
    {
        return Fail("block " + std::to_string(block->num) + " has "
                    + std::to_string(response.payload.size()) + " bytes for a block size of "
                    + std::to_string(block->Size()));
    }
    // RFC 7959 section 2.4: an ETag that changes means the blocks come from different versions.
    const Option* etag = response.FindOption(option::ETag);
    std::optional<std::vector<uint8_t>> tag;
    if (etag != nullptr)
    {
        tag = etag->value;
    }
    if (first)
    {
        m_etag = tag;
    }
    else if (tag != m_etag)
    {
        return Fail("the representation changed during the transfer (ETag)");
    }
    if (body.size() + response.payload.size() > m_maxSize)
    {
        return Fail("representation larger than " + std::to_string(m_maxSize) + " bytes");
    }
    body.insert(body.end(), response.payload.begin(), response.payload.end());
    ++m_blocks;
    m_response.RemoveOption(option::Block2);
    m_response.payload = std::move(body);
    if (!block->more)
    {
        m_status = Status::Complete;
        return m_status;
    }
    // Later requests use the size the server chose (never larger than the one asked for).
    m_next.szx = block->szx;
    const size_t next = m_response.payload.size() / block->Size();
    if (next > kMaxBlockNum)
    {
        return Fail("representation needs more than 2^20 blocks");
    }
    m_next.num = static_cast<uint32_t>(next);
    return m_status;
}

Message
Block2Receiver::NextRequest() const
{
    Message m = m_request;
    m.payload.clear();
    m.token.clear();
    m.messageId = 0;
    m.RemoveOption(option::Block1);
    m.RemoveOption(option::Size1);
    m.RemoveOption(option::Observe);
    SetBlock(m, option::Block2, m_next);
    return m;
}

// ---- Block1Sender ----

Block1Sender::Block1Sender(Message request, size_t blockSize)
  : m_szx(SzxOrThrow(blockSize, "Block1Sender"))
{
    m_body = std::move(request.payload);
    request.payload.clear();
    request.RemoveOption(option::Block1);
    request.RemoveOption(option::Size1);
    m_request = std::move(request);
}

bool
Block1Sender::IsLastBlock() const
{
    return m_offset + (size_t{16} << m_szx) >= m_body.size();
}

Message
Block1Sender::CurrentRequest() const
{
    const size_t size = size_t{16} << m_szx;
    const size_t end = std::min(m_offset + size, m_body.size());
    BlockValue b;
    b.num = static_cast<uint32_t>(m_offset / size);
    b.more = end < m_body.size();
    b.szx = m_szx;
    Message m = m_request;
    SetBlock(m, option::Block1, b);
    if (b.num == 0)
    {
        // RFC 7959 section 4: Size1 tells the server the whole size up front.
        m.AddUintOption(option::Size1, static_cast<uint32_t>(m_body.size()));
    }
    m.payload.assign(m_body.begin() + static_cast<std::ptrdiff_t>(m_offset),
                     m_body.begin() + static_cast<std::ptrdiff_t>(end));
    return m;
}

Block1Sender::Status
Block1Sender::Fail(std::string why)
{
    m_error = std::move(why);
    m_status = Status::Failed;
    return m_status;
}

Block1Sender::Status
Block1Sender::OnResponse(const Message& response)
{
    if (m_status != Status::SendNext)
    {
        return m_status;
    }
    m_response = response;
    const size_t size = size_t{16} << m_szx;
    const uint32_t sentNum = static_cast<uint32_t>(m_offset / size);
    const bool last = IsLastBlock();
    bool invalid = false;
    const std::optional<BlockValue> ack = GetBlock(response, option::Block1, &invalid);
    if (invalid)
    {
        return Fail("invalid Block1 option in the response");
    }
    const bool success = (response.code >> 5) == 2;
    if (success && !last)
    {
        // 2.31 Continue, or another 2.xx from a server that acts on each block as it comes
        // (RFC 7959 section 2.3 only requires 2.31 of atomic ones). Either way the server must
        // acknowledge this very block, or it did not understand Block1 at all.
        if (!ack || ack->num != sentNum)
        {
            return Fail("server answered " + CodeToString(response.code)
                        + " without acknowledging block " + std::to_string(sentNum));
        }
        m_offset += size;
        if (ack->szx < m_szx)
        {
            m_szx = ack->szx; // the server prefers smaller blocks from now on
        }
        return m_status;
    }
    if (success && response.code != code::Continue)
    {
        m_status = Status::Complete;
        return m_status;
    }
    if (response.code == code::RequestEntityTooLarge && ack && ack->szx < m_szx)
    {
        // RFC 7959 section 2.9.3: the server names the block size it can take; start again.
        m_szx = ack->szx;
        m_offset = 0;
        return m_status;
    }
    return Fail("block " + std::to_string(sentNum) + ": server answered "
                + CodeToString(response.code) + Diagnostic(response));
}

// ---- MakeBlock2Response ----

Message
MakeBlock2Response(const Message& request, Message response,
                   const std::vector<uint8_t>& representation, size_t maxBlockSize)
{
    const uint8_t maxSzx = SzxOrThrow(maxBlockSize, "MakeBlock2Response");
    bool invalid = false;
    const std::optional<BlockValue> asked = GetBlock(request, option::Block2, &invalid);
    if (invalid)
    {
        Message error;
        error.code = code::BadRequest;
        error.payload = Text("invalid Block2 option");
        return error;
    }
    response.RemoveOption(option::Block2);
    response.RemoveOption(option::Size2);
    if (!asked && representation.size() <= maxBlockSize)
    {
        response.payload = representation;
        return response;
    }
    const uint8_t szx = asked ? std::min(asked->szx, maxSzx) : maxSzx;
    // The offset is what the client asked for; at a smaller size it is a larger NUM.
    const size_t offset = asked ? asked->Offset() : 0;
    if (offset > 0 && offset >= representation.size())
    {
        Message error;
        error.code = code::BadOption;
        error.payload = Text("Block2 beyond the end of the representation");
        return error;
    }
    const size_t size = size_t{16} << szx;
    const size_t end = std::min(offset + size, representation.size());
    BlockValue b;
    b.num = static_cast<uint32_t>(offset / size);
    b.more = end < representation.size();
    b.szx = szx;
    SetBlock(response, option::Block2, b);
    if (b.num == 0)
    {
        response.AddUintOption(option::Size2, static_cast<uint32_t>(representation.size()));
    }
    response.payload.assign(representation.begin() + static_cast<std::ptrdiff_t>(offset),
                            representation.begin() + static_cast<std::ptrdiff_t>(end));
    return response;
}

// ---- Block1Receiver ----

Block1Receiver::Block1Receiver(size_t maxSize, size_t preferredBlockSize)
  : m_maxSize(maxSize)
  , m_preferredSzx(SzxOrThrow(preferredBlockSize, "Block1Receiver"))
{
}

Block1Receiver::Result
Block1Receiver::Fail(uint8_t code, const std::string& why)
{
    m_body.clear();
    m_inProgress = false;
    m_last.reset();
    Result r;
    r.status = Status::Failed;
    r.response.code = code;
    if (code == code::RequestEntityTooLarge)
    {
        r.response.AddUintOption(option::Size1, static_cast<uint32_t>(m_maxSize));
    }
    r.response.payload = Text(why); // a diagnostic payload (RFC 7252 section 5.5.2)
    return r;
}

Block1Receiver::Result
Block1Receiver::OnRequest(const Message& request)
{
    bool invalid = false;
    const std::optional<BlockValue> block = GetBlock(request, option::Block1, &invalid);
    if (invalid)
    {
        return Fail(code::BadRequest, "invalid Block1 option");
    }
    if (!block)
    {
        if (request.payload.size() > m_maxSize)
        {
            return Fail(code::RequestEntityTooLarge, "request body too large");
        }
        m_body = request.payload;
        m_inProgress = false;
        m_last.reset();
        return Result();
    }
    if (block->num == 0)
    {
        m_body.clear(); // a new upload replaces any unfinished one
        m_inProgress = true;
        m_last.reset();
    }
    else if (!m_inProgress || block->Offset() != m_body.size())
    {
        return Fail(code::RequestEntityIncomplete,
                    "block " + std::to_string(block->num) + " does not continue the upload");
    }
    if (block->more ? request.payload.size() != block->Size()
                    : request.payload.size() > block->Size())
    {
        return Fail(code::BadRequest, "block payload does not match its SZX");
    }
    if (m_body.size() + request.payload.size() > m_maxSize)
    {
        return Fail(code::RequestEntityTooLarge, "request body too large");
    }
    m_body.insert(m_body.end(), request.payload.begin(), request.payload.end());
    Result r;
    if (block->more)
    {
        r.status = Status::Continue;
        r.response.code = code::Continue;
        BlockValue ack = *block;
        ack.szx = std::min(block->szx, m_preferredSzx); // ask for smaller blocks if need be
        SetBlock(r.response, option::Block1, ack);
        return r;
    }
    m_inProgress = false;
    m_last = *block;
    return r;
}

void
Block1Receiver::EchoBlock1(Message& finalResponse) const
{
    if (m_last)
    {
        SetBlock(finalResponse, option::Block1, *m_last);
    }
}

} // namespace coap
} // namespace lpwan
