/*
 * Bytes attributed to each layer of the stack (DESIGN.md principle 4). Every figure comes from
 * real encoded bytes: the application payload and CoAP encoding from the CoAP codec, transport
 * and IP from the headers ns-3 put on the packet, radio from the link's own header and trailer.
 */
#ifndef LPWAN_LAYER_BYTES_H
#define LPWAN_LAYER_BYTES_H

#include <cstdint>

namespace ns3
{

struct LayerBytes
{
    uint64_t app = 0;       ///< application payload
    uint64_t coap = 0;      ///< CoAP header, token, options, payload marker
    uint64_t security = 0;  ///< OSCORE / DTLS / TLS overhead (0 without security)
    uint64_t transport = 0; ///< UDP (or TCP) header
    uint64_t ip = 0;        ///< IPv4 header
    uint64_t radio = 0;     ///< link-layer header and trailer on the air

    uint64_t Total() const
    {
        return app + coap + security + transport + ip + radio;
    }

    LayerBytes& operator+=(const LayerBytes& o)
    {
        app += o.app;
        coap += o.coap;
        security += o.security;
        transport += o.transport;
        ip += o.ip;
        radio += o.radio;
        return *this;
    }
};

} // namespace ns3

#endif // LPWAN_LAYER_BYTES_H
