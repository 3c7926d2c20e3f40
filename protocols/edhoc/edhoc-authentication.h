/*
 * The authentication steps both roles share (RFC 9528 sections 5.3.2 and 5.4.2): MAC_2 /
 * MAC_3 from EDHOC_KDF over context_2 / context_3, and Signature_or_MAC_x, which is the MAC
 * itself for static DH authentication or a COSE_Sign1 signature over
 *   Sig_structure = [ "Signature1", << ID_CRED_x >>, << TH_x, CRED_x, ? EAD_x >>, MAC_x ].
 */
#ifndef LPWAN_EDHOC_AUTHENTICATION_H
#define LPWAN_EDHOC_AUTHENTICATION_H

#include "../common/random-bytes.h"
#include "edhoc-cipher-suite.h"
#include "edhoc-credential.h"

namespace lpwan
{
namespace edhoc
{

/// The fields one side authenticates.
struct AuthenticatedFields
{
    Bytes connectionId; ///< C_R for context_2 (encoded compactly); empty and unused for context_3
    bool withConnectionId = false;
    Bytes idCred;
    Bytes th;
    Bytes cred;
    Bytes eadEncoded;
};

/// context_2 = << C_R, ID_CRED_R, TH_2, CRED_R, ? EAD_2 >> or
/// context_3 = << ID_CRED_I, TH_3, CRED_I, ? EAD_3 >> (the sequence, not yet bstr-wrapped).
Bytes MacContext(const AuthenticatedFields& f);

/// The COSE Sig_structure that Signature_or_MAC signs.
Bytes SigStructure(const AuthenticatedFields& f, const Bytes& mac);

/// Signature_or_MAC of the authenticating party: mac itself when !signs, else the signature.
std::optional<Bytes> MakeSignatureOrMac(const CipherSuite& suite, bool signs,
                                        const AuthenticatedFields& f, const Bytes& mac,
                                        const Bytes& privateKey, RandomSource& random);

/// Checks a received Signature_or_MAC against the expected mac and the peer's credential.
bool VerifySignatureOrMac(const CipherSuite& suite, bool signs, const AuthenticatedFields& f,
                          const Bytes& mac, const Credential& peer, const Bytes& received);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_AUTHENTICATION_H
