/*
 * OSCORE message assembly and disassembly.
 */

#include "oscore-message-assembly.h"

#include "../coap/coap-codec.h"

#include <exception>

namespace lpwan
{
namespace oscore
{

coap::Message
BuildOscoreMessage(const coap::Message& original, uint8_t outerCode, const SplitOptions& split,
                   const OptionValue& header, Bytes ciphertext)
{
    coap::Message m;
    // Type, Message ID and Token are Class U (section 4.2): the CoAP layer's business.
    m.type = original.type;
    m.messageId = original.messageId;
    m.token = original.token;
    m.code = outerCode;
    m.options = split.outer; // already in ascending order
    m.AddOption(coap::option::Oscore, EncodeOptionValue(header));
    m.payload = std::move(ciphertext);
    return m;
}

coap::Message
BuildPlainMessage(const coap::Message& received, Plaintext plaintext)
{
    coap::Message m;
    m.type = received.type;
    m.messageId = received.messageId;
    m.token = received.token;
    m.code = plaintext.code; // the Outer code is discarded (section 4.2)
    m.options = MergeReceivedOptions(received, plaintext.options);
    m.payload = std::move(plaintext.payload);
    return m;
}

size_t
CountOscoreOptions(const coap::Message& message)
{
    size_t n = 0;
    for (const coap::Option& o : message.options)
    {
        n += o.number == coap::option::Oscore ? 1 : 0;
    }
    return n;
}

size_t
EncodedSize(const coap::Message& message)
{
    try
    {
        return coap::Encode(message).size();
    }
    catch (const std::exception&)
    {
        return 0;
    }
}

} // namespace oscore
} // namespace lpwan
