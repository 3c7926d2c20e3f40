/*
 * Block-wise transfers (RFC 7959): the Block1/Block2 option value and four small sans-I/O
 * helpers that an application puts between itself and the Endpoint. Each block is an
 * ordinary request/response exchange of the endpoint; the helpers only decide what the next
 * request or response is and put the representation back together. They hold no timers and
 * see no peers, so the same code runs under ns-3 and over real sockets, and a message-layer
 * security filter (OSCORE protects each block, RFC 8613 section 4.1.3.4) sits below them.
 *
 *   client download  Block2Receiver: feed it each response, send NextRequest() until Complete
 *   client upload    Block1Sender:   send CurrentRequest(), feed it the response, repeat
 *   server download  MakeBlock2Response(): slices a representation for the block asked for
 *   server upload    Block1Receiver: feed it each request, answer with what it returns
 *
 * Block sizes are 16..1024 bytes (SZX 0..6); BERT (SZX 7) is for CoAP over TCP and refused.
 */
#ifndef LPWAN_COAP_BLOCK_H
#define LPWAN_COAP_BLOCK_H

#include "coap-message.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace coap
{

/// Largest block number the option can carry (20 bits).
constexpr uint32_t kMaxBlockNum = (1u << 20) - 1;
/// Largest SZX outside BERT: 1024-byte blocks.
constexpr uint8_t kMaxSzx = 6;

/// A Block1 or Block2 option value (RFC 7959 section 2.2): NUM, M and SZX.
struct BlockValue
{
    uint32_t num = 0;      ///< block number, at most kMaxBlockNum
    bool more = false;     ///< M: more blocks follow (in a request's Block2: always 0)
    uint8_t szx = kMaxSzx; ///< block size 2^(SZX + 4) bytes

    size_t Size() const
    {
        return size_t{16} << szx;
    }

    /// Byte offset of this block in the whole body.
    size_t Offset() const
    {
        return static_cast<size_t>(num) * Size();
    }

    bool operator==(const BlockValue& o) const
    {
        return num == o.num && more == o.more && szx == o.szx;
    }
};

/// The SZX of a block size of 16, 32, ..., 1024 bytes; nullopt for any other size.
std::optional<uint8_t> BlockSizeToSzx(size_t size);

/// Encodes a value as a uint option (0 to 3 bytes). Throws std::invalid_argument when NUM
/// exceeds kMaxBlockNum or SZX exceeds kMaxSzx.
std::vector<uint8_t> EncodeBlock(const BlockValue& block);
/// Decodes an option value; nullopt when it is longer than 3 bytes or has SZX 7.
std::optional<BlockValue> DecodeBlock(const std::vector<uint8_t>& value);

/// The message's Block1 or Block2 option (number: option::Block1 or option::Block2).
/// nullopt when absent; when present but invalid, also nullopt and *invalid is set.
std::optional<BlockValue> GetBlock(const Message& message, uint16_t number,
                                   bool* invalid = nullptr);
/// Replaces the message's option `number` by block.
void SetBlock(Message& message, uint16_t number, const BlockValue& block);

/// Client: reassembles a representation the server sends in Block2 blocks (RFC 7959 2.4).
class Block2Receiver
{
  public:
    enum class Status
    {
        NeedMore, ///< send NextRequest() and feed its response
        Complete, ///< Response() is the whole answer
        Failed,   ///< Error() says why; Response() holds the last response
    };

    /// request: the request whose answer is collected. A Block2 option in it asks for a block
    /// size (early negotiation). maxSize: larger representations are refused.
    explicit Block2Receiver(Message request, size_t maxSize = 1u << 20);

    /// Feeds the response to the request last sent (the original one, then NextRequest()).
    Status OnResponse(const Message& response);
    /// The request for the next block: the original request without payload, Block1 and
    /// Observe (RFC 7959 sections 2.6 and 3.2), with Block2 naming the block; its message ID
    /// and token are left for the endpoint to assign.
    Message NextRequest() const;

    Status GetStatus() const
    {
        return m_status;
    }

    /// The answer: the last response's code and options without Block2, the whole payload.
    const Message& Response() const
    {
        return m_response;
    }

    const std::string& Error() const
    {
        return m_error;
    }

    uint32_t BlocksReceived() const
    {
        return m_blocks;
    }

  private:
    Status Fail(std::string why);

    Message m_request;
    size_t m_maxSize;
    Message m_response;
    Status m_status = Status::NeedMore;
    std::string m_error;
    uint32_t m_blocks = 0;
    BlockValue m_next;
    std::optional<std::vector<uint8_t>> m_etag; ///< of the first block; must not change
};

/// Client: uploads a request payload in Block1 blocks (RFC 7959 section 2.5).
class Block1Sender
{
  public:
    enum class Status
    {
        SendNext, ///< send CurrentRequest() (the next block) and feed its response
        Complete, ///< the final response arrived: Response()
        Failed,   ///< Error() says why; Response() holds the server's answer
    };

    /// request: method, options and the whole payload; blockSize: 16..1024, a power of two
    /// (throws std::invalid_argument otherwise).
    Block1Sender(Message request, size_t blockSize);

    /// The request carrying the current block: Block1 (NUM, M, SZX), the payload slice, and
    /// Size1 (the whole size) on block 0. Message ID and token are for the endpoint.
    Message CurrentRequest() const;
    /// Feeds the response to CurrentRequest(). A 2.31 Continue moves to the next block (at the
    /// server's smaller block size if it asks for one); a 4.13 naming a smaller size restarts
    /// with it; a final response to the last block completes; anything else fails.
    Status OnResponse(const Message& response);

    Status GetStatus() const
    {
        return m_status;
    }

    const Message& Response() const
    {
        return m_response;
    }

    const std::string& Error() const
    {
        return m_error;
    }

    /// True when CurrentRequest() carries the last block.
    bool IsLastBlock() const;

  private:
    Status Fail(std::string why);

    Message m_request;
    std::vector<uint8_t> m_body;
    size_t m_offset = 0;
    uint8_t m_szx;
    Message m_response;
    Status m_status = Status::SendNext;
    std::string m_error;
};

/// Server: the response that serves `representation` for `request`, block-wise when needed.
/// response carries the code and options (Content-Format, ETag, ...). When the request has no
/// Block2 option and the representation fits in maxBlockSize, the response carries it whole;
/// otherwise it carries the block the request asks for (block 0 by default) at the smaller of
/// the requested size and maxBlockSize, with Size2 on block 0. A block beyond the end draws
/// 4.02 Bad Option and an invalid Block2 option 4.00 Bad Request.
Message MakeBlock2Response(const Message& request, Message response,
                           const std::vector<uint8_t>& representation, size_t maxBlockSize = 1024);

/// Server: reassembles one Block1 upload (atomic: the request is acted on at its last block).
/// The application keeps one per client and resource (RFC 7959 section 2.5).
class Block1Receiver
{
  public:
    enum class Status
    {
        Continue, ///< send Result::response (2.31 Continue); more blocks will come
        Complete, ///< Payload() is the whole body: act on it, answer with EchoBlock1() applied
        Failed,   ///< send Result::response (4.00, 4.08 or 4.13); the upload is forgotten
    };

    struct Result
    {
        Status status = Status::Complete;
        Message response; ///< the code and options to send for Continue and Failed
    };

    /// maxSize: larger bodies are refused with 4.13; preferredBlockSize (16..1024) is offered
    /// to a client that sends larger blocks.
    explicit Block1Receiver(size_t maxSize = 64 * 1024, size_t preferredBlockSize = 1024);

    /// Feeds a request to the resource. A request without Block1 completes at once with its
    /// own payload; block 0 starts a new upload; a block that does not continue the upload
    /// exactly (a gap, or another upload's block) fails with 4.08 Request Entity Incomplete.
    Result OnRequest(const Message& request);
    /// The body received so far (whole once Complete).
    const std::vector<uint8_t>& Payload() const
    {
        return m_body;
    }

    /// Adds to the final response the Block1 option acknowledging the last block (RFC 7959
    /// section 2.3); does nothing when the request was not block-wise.
    void EchoBlock1(Message& finalResponse) const;
    /// True between block 0 and the last block.
    bool InProgress() const
    {
        return m_inProgress;
    }

  private:
    Result Fail(uint8_t code, const std::string& why);

    size_t m_maxSize;
    uint8_t m_preferredSzx;
    std::vector<uint8_t> m_body;
    bool m_inProgress = false;
    std::optional<BlockValue> m_last; ///< the last block of a completed block-wise upload
};

} // namespace coap
} // namespace lpwan

#endif // LPWAN_COAP_BLOCK_H
