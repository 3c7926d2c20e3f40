/*
 * An Initiator and a Responder with fresh credentials for every key type (Ed25519, X25519,
 * P-256), so that any method and suite 0 or 2 can run between them.
 */
#ifndef LPWAN_TEST_EDHOC_TEST_PARTIES_H
#define LPWAN_TEST_EDHOC_TEST_PARTIES_H

#include "edhoc-test-util.h"
#include "protocols/edhoc/edhoc-ecdh.h"
#include "protocols/edhoc/edhoc-initiator.h"
#include "protocols/edhoc/edhoc-responder.h"
#include "protocols/edhoc/edhoc-signature.h"

namespace edhoc_test
{

using namespace lpwan::edhoc;

/// A CCS credential with a fresh key of the given type, identified by kid.
inline LocalCredential
MakeLocalCredential(KeyType type, const Bytes& kid, lpwan::RandomSource& random)
{
    for (;;)
    {
        LocalCredential c;
        c.privateKey = RandomBytes(random, 32);
        std::optional<Bytes> pub;
        switch (type)
        {
            case KeyType::Ed25519:
                pub = SignaturePublicKey(SignatureAlgorithm::EdDsa, c.privateKey);
                break;
            case KeyType::X25519:
                pub = DhPublicKey(Curve::X25519, c.privateKey);
                break;
            case KeyType::P256:
                pub = DhPublicKey(Curve::P256, c.privateKey);
                break;
        }
        if (pub)
        {
            c.credential = MakeCcsCredential("test-party", kid, type, *pub);
            return c;
        }
    }
}

/// Credentials of both parties for all key types; kids 0x0a.. (I) and 0x1a.. (R) are sent
/// compactly as integers, 'abc'-style kids would be byte strings.
struct Parties
{
    InitiatorConfig initiator;
    ResponderConfig responder;
};

inline Parties
MakeParties(Method method, int64_t suite, uint32_t seed)
{
    SeededRandom random(seed);
    Parties p;
    const KeyType types[] = {KeyType::Ed25519, KeyType::X25519, KeyType::P256};
    uint8_t kid = 0;
    for (KeyType t : types)
    {
        LocalCredential ci
            = MakeLocalCredential(t, Bytes{static_cast<uint8_t>(0x0a + kid)}, random);
        LocalCredential cr
            = MakeLocalCredential(t, Bytes{static_cast<uint8_t>(0x21 + kid), 0x42}, random);
        ++kid;
        p.initiator.credentials.push_back(ci);
        p.initiator.peerCredentials.push_back(cr.credential);
        p.responder.credentials.push_back(cr);
        p.responder.peerCredentials.push_back(ci.credential);
    }
    p.initiator.method = method;
    p.initiator.suites = {suite};
    p.initiator.connectionId = Bytes{0x05};
    p.responder.suites = {0, 2};
    p.responder.connectionId = Bytes{0xa0, 0x01};
    return p;
}

} // namespace edhoc_test

#endif // LPWAN_TEST_EDHOC_TEST_PARTIES_H
