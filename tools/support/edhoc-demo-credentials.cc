#include "edhoc-demo-credentials.h"

#include "protocols/common/hex.h"
#include "protocols/edhoc/edhoc-ecdh.h"
#include "protocols/edhoc/edhoc-key-schedule.h"
#include "protocols/edhoc/edhoc-signature.h"

namespace lpwan
{
namespace tools
{

namespace
{

using namespace lpwan::edhoc;

/// The keys below are literals of this file: always valid hex.
Bytes
FromHex(const char* hex)
{
    return lpwan::FromHex(hex).value();
}

struct Keys
{
    Bytes ed25519;
    Bytes x25519;
    Bytes p256;
};

LocalCredential
Make(KeyType type, const Bytes& privateKey, uint8_t kid, const std::string& subject)
{
    std::optional<Bytes> pub;
    switch (type)
    {
        case KeyType::Ed25519:
            pub = SignaturePublicKey(SignatureAlgorithm::EdDsa, privateKey);
            break;
        case KeyType::X25519:
            pub = DhPublicKey(Curve::X25519, privateKey);
            break;
        case KeyType::P256:
            pub = DhPublicKey(Curve::P256, privateKey);
            break;
    }
    return {MakeCcsCredential(subject, Bytes{kid}, type, *pub), privateKey};
}

std::vector<LocalCredential>
Credentials(const Keys& k, uint8_t firstKid, const std::string& subject)
{
    return {Make(KeyType::Ed25519, k.ed25519, firstKid, subject),
            Make(KeyType::X25519, k.x25519, firstKid + 1, subject),
            Make(KeyType::P256, k.p256, firstKid + 2, subject)};
}

Keys
InitiatorKeys()
{
    return {FromHex("4c5b25878f507c6b9dae68fbd4fd3ff997533db0af00b25d324ea28e6c213bc8"),
            Hash(Bytes{'l', 'p', 'w', 'a', 'n', '-', 'I'}),
            FromHex("fb13adeb6518cee5f88417660841142e830a81fe334380a953406a1305e8706b")};
}

Keys
ResponderKeys()
{
    return {FromHex("ef140ff900b0ab03f0c08d879cbbd4b31ea71e6e7ee7ffcb7e7955777a332799"),
            Hash(Bytes{'l', 'p', 'w', 'a', 'n', '-', 'R'}),
            FromHex("72cc4761dbd4c78f758931aa589d348d1ef874a7e303ede2f140dcf3e6aa4aac")};
}

// kids: 0x01..0x03 for the client, 0x11..0x13 for the server (one-byte ints on the wire)
constexpr uint8_t kClientKid = 0x01;
constexpr uint8_t kServerKid = 0x11;

} // namespace

PartyConfig
DemoInitiatorParty()
{
    PartyConfig p;
    p.credentials = Credentials(InitiatorKeys(), kClientKid, "lpwan-coap-client");
    for (const LocalCredential& c : Credentials(ResponderKeys(), kServerKid, "lpwan-coap-server"))
    {
        p.peerCredentials.push_back(c.credential);
    }
    return p;
}

PartyConfig
DemoResponderParty()
{
    PartyConfig p;
    p.credentials = Credentials(ResponderKeys(), kServerKid, "lpwan-coap-server");
    for (const LocalCredential& c : Credentials(InitiatorKeys(), kClientKid, "lpwan-coap-client"))
    {
        p.peerCredentials.push_back(c.credential);
    }
    return p;
}

} // namespace tools
} // namespace lpwan
