#include "tls-handshake-pricing.h"

namespace ns3
{

CryptoOps
PriceTlsHandshakes(const lpwan::tls::HandshakeFigures& f, bool ecdhe)
{
    CryptoOps ops;
    for (uint64_t k = 0; k < f.completed - f.abbreviated; ++k)
    {
        ops += CryptoOps::DtlsHandshake(ecdhe, false);
    }
    for (uint64_t k = 0; k < f.abbreviated; ++k)
    {
        ops += CryptoOps::DtlsHandshake(ecdhe, true);
    }
    return ops;
}

} // namespace ns3
