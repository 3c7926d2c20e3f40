#include "edhoc-cipher-suite.h"

namespace lpwan
{
namespace edhoc
{

std::optional<CipherSuite>
FindCipherSuite(int64_t id)
{
    CipherSuite s;
    s.id = id;
    switch (id)
    {
        case 0: // AES-CCM-16-64-128, SHA-256, 8, X25519, EdDSA, AES-CCM-16-64-128, SHA-256
            s.curve = Curve::X25519;
            s.signature = SignatureAlgorithm::EdDsa;
            return s;
        case 2: // AES-CCM-16-64-128, SHA-256, 8, P-256, ES256, AES-CCM-16-64-128, SHA-256
            s.curve = Curve::P256;
            s.signature = SignatureAlgorithm::Es256;
            return s;
        default:
            return std::nullopt;
    }
}

bool
IsImplementedSuite(int64_t id)
{
    return FindCipherSuite(id).has_value();
}

} // namespace edhoc
} // namespace lpwan
