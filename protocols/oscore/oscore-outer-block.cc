/*
 * Outer Block1/Block2 fragmentation and reassembly of OSCORE messages.
 */

#include "oscore-outer-block.h"

#include <algorithm>

namespace lpwan
{
namespace oscore
{

namespace
{

uint16_t
BlockOption(const coap::Message& m)
{
    return m.IsRequest() ? coap::option::Block1 : coap::option::Block2;
}

uint16_t
SizeOption(const coap::Message& m)
{
    return m.IsRequest() ? coap::option::Size1 : coap::option::Size2;
}

/// The message without its Outer block and size options.
coap::Message
WithoutBlockOptions(coap::Message m)
{
    m.RemoveOption(BlockOption(m));
    m.RemoveOption(SizeOption(m));
    return m;
}

} // namespace

Bytes
EncodeBlockValue(const BlockValue& block)
{
    return coap::EncodeUintOption((block.num << 4) | (block.more ? 0x08u : 0u) | (block.szx & 7u));
}

std::optional<BlockValue>
DecodeBlockValue(const Bytes& value)
{
    if (value.size() > 3)
    {
        return std::nullopt;
    }
    const uint32_t v = coap::DecodeUintOption(value);
    BlockValue b;
    b.num = v >> 4;
    b.more = (v & 0x08u) != 0;
    b.szx = static_cast<uint8_t>(v & 0x07u);
    if (b.szx == 7)
    {
        return std::nullopt;
    }
    return b;
}

std::vector<coap::Message>
FragmentOuter(const coap::Message& oscoreMessage, uint8_t szx)
{
    BlockValue block;
    block.szx = szx > 6 ? 6 : szx;
    const size_t size = block.BlockSize();
    const Bytes& payload = oscoreMessage.payload;
    if (payload.size() <= size)
    {
        return {oscoreMessage};
    }
    std::vector<coap::Message> blocks;
    for (size_t offset = 0; offset < payload.size(); offset += size)
    {
        coap::Message m = oscoreMessage;
        const size_t end = std::min(payload.size(), offset + size);
        m.payload.assign(payload.begin() + offset, payload.begin() + end);
        block.num = static_cast<uint32_t>(offset / size);
        block.more = end < payload.size();
        m.AddOption(BlockOption(m), EncodeBlockValue(block));
        if (offset == 0)
        {
            m.AddUintOption(SizeOption(m), static_cast<uint32_t>(payload.size()));
        }
        blocks.push_back(std::move(m));
    }
    return blocks;
}

OuterBlockAssembler::OuterBlockAssembler(size_t maxUnfragmentedSize)
  : m_max(maxUnfragmentedSize)
{
}

void
OuterBlockAssembler::Reset()
{
    m_started = false;
    m_nextNum = 0;
    m_message = coap::Message();
}

OuterBlockAssembler::Outcome
OuterBlockAssembler::Add(const coap::Message& m)
{
    const coap::Option* option = m.FindOption(BlockOption(m));
    if (option == nullptr)
    {
        if (m_started)
        {
            Reset();
            return Outcome::Rejected;
        }
        return Outcome::NotBlockwise;
    }
    const auto block = DecodeBlockValue(option->value);
    if (!block || (block->more && m.payload.size() != block->BlockSize())
        || m.payload.size() > block->BlockSize())
    {
        Reset();
        return Outcome::Rejected;
    }
    if (block->num == 0)
    {
        Reset();
        m_started = true;
        m_szx = block->szx;
        m_message = WithoutBlockOptions(m);
    }
    else
    {
        const coap::Message rest = WithoutBlockOptions(m);
        // Each block must belong to the same OSCORE message: same code and Outer options.
        if (!m_started || block->num != m_nextNum || block->szx != m_szx
            || rest.code != m_message.code || rest.options != m_message.options)
        {
            Reset();
            return Outcome::Rejected;
        }
        if (m_message.payload.size() + m.payload.size() > m_max)
        {
            Reset(); // section 4.1.3.4.2: over MAX_UNFRAGMENTED_SIZE -> discard
            return Outcome::Rejected;
        }
        m_message.payload.insert(m_message.payload.end(), m.payload.begin(), m.payload.end());
    }
    if (m_message.payload.size() > m_max)
    {
        Reset();
        return Outcome::Rejected;
    }
    m_nextNum = block->num + 1;
    if (block->more)
    {
        return Outcome::Incomplete;
    }
    m_started = false;
    return Outcome::Complete;
}

} // namespace oscore
} // namespace lpwan
