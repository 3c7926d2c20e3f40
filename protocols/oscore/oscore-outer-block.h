/*
 * Outer block-wise transfer of OSCORE messages (RFC 8613 section 4.1.3.4.2): a proxy (or the
 * sender) may fragment a whole OSCORE message hop by hop with Outer Block1 (requests) or Block2
 * (responses) options (RFC 7959). The blocks are neither encrypted nor integrity protected, so
 * the receiver reassembles them -- up to MAX_UNFRAGMENTED_SIZE -- before UnprotectRequest /
 * UnprotectResponse verifies the whole. Inner block-wise (the application fragmenting before
 * OSCORE) needs nothing here: Block options of an original message are simply Inner options.
 *
 * This covers payload fragmentation and reassembly only; the 2.31 Continue / next-block request
 * exchanges belong to the CoAP layer that carries the blocks.
 */
#ifndef LPWAN_OSCORE_OUTER_BLOCK_H
#define LPWAN_OSCORE_OUTER_BLOCK_H

#include "../coap/coap-message.h"
#include "oscore-types.h"

#include <optional>
#include <vector>

namespace lpwan
{
namespace oscore
{

/// The fields of a Block1/Block2 option value (RFC 7959 section 2.2).
struct BlockValue
{
    uint32_t num = 0;
    bool more = false;
    uint8_t szx = 6; ///< block size 2^(szx + 4); 7 is reserved

    size_t BlockSize() const
    {
        return size_t{1} << (szx + 4);
    }
};

Bytes EncodeBlockValue(const BlockValue& block);
/// nullopt for values longer than 3 bytes or szx 7.
std::optional<BlockValue> DecodeBlockValue(const Bytes& value);

/// Splits an OSCORE message's payload into blocks of 2^(szx+4) bytes with Outer Block1 (for a
/// request) or Block2 (for a response) options; the first block also carries Outer Size1 /
/// Size2 with the total payload size. A payload that fits one block is returned unsplit.
/// Precondition: szx <= 6.
std::vector<coap::Message> FragmentOuter(const coap::Message& oscoreMessage, uint8_t szx);

/// Reassembles Outer blocks into the whole OSCORE message.
class OuterBlockAssembler
{
  public:
    enum class Outcome
    {
        NotBlockwise, ///< the message has no Outer block option: use it as it is
        Incomplete,   ///< block stored, more to come
        Complete,     ///< GetMessage() holds the reassembled message
        Rejected,     ///< out of order, inconsistent, or over maxUnfragmentedSize: discarded
    };

    /// maxUnfragmentedSize: MAX_UNFRAGMENTED_SIZE of section 4.1.3.4.2 (payload bytes).
    explicit OuterBlockAssembler(size_t maxUnfragmentedSize = 4096);

    Outcome Add(const coap::Message& block);

    /// The reassembled message after Complete: header and options of the first block without
    /// the Outer block and size options, all payload bytes.
    const coap::Message& GetMessage() const
    {
        return m_message;
    }

    void Reset();

  private:
    size_t m_max;
    bool m_started = false;
    uint32_t m_nextNum = 0;
    uint8_t m_szx = 0;
    coap::Message m_message;
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_OUTER_BLOCK_H
