#include "edhoc-authentication.h"

#include "edhoc-connection-id.h"
#include "edhoc-key-schedule.h"
#include "edhoc-signature.h"

namespace lpwan
{
namespace edhoc
{

Bytes
MacContext(const AuthenticatedFields& f)
{
    CborWriter w;
    if (f.withConnectionId)
    {
        w.Raw(EncodeCompactBstr(f.connectionId));
    }
    return w.Raw(f.idCred).Bstr(f.th).Raw(f.cred).Raw(f.eadEncoded).Take();
}

Bytes
SigStructure(const AuthenticatedFields& f, const Bytes& mac)
{
    const Bytes externalAad = CborWriter().Bstr(f.th).Raw(f.cred).Raw(f.eadEncoded).Take();
    return CborWriter()
        .ArrayHeader(4)
        .Tstr("Signature1")
        .Bstr(f.idCred)
        .Bstr(externalAad)
        .Bstr(mac)
        .Take();
}

std::optional<Bytes>
MakeSignatureOrMac(const CipherSuite& suite, bool signs, const AuthenticatedFields& f,
                   const Bytes& mac, const Bytes& privateKey, RandomSource& random)
{
    if (!signs)
    {
        return mac;
    }
    return Sign(suite.signature, privateKey, SigStructure(f, mac), random);
}

bool
VerifySignatureOrMac(const CipherSuite& suite, bool signs, const AuthenticatedFields& f,
                     const Bytes& mac, const Credential& peer, const Bytes& received)
{
    if (!signs)
    {
        return ConstantTimeEqual(mac, received);
    }
    return Verify(suite.signature, peer.publicKey, SigStructure(f, mac), received);
}

} // namespace edhoc
} // namespace lpwan
