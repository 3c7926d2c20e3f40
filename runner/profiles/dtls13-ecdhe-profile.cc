// security.profile=dtls13-ecdhe: CoAP over DTLS 1.3 with raw public keys and P-256 ECDHE.
#include "dtls13-profile.h"

#include <memory>

namespace ns3
{

namespace
{

class Dtls13EcdheProfile : public Dtls13Profile
{
  public:
    Dtls13EcdheProfile()
      : Dtls13Profile(false)
    {
    }

    std::string GetName() const override
    {
        return "dtls13-ecdhe";
    }

    std::string GetHelp() const override
    {
        return "CoAP over DTLS 1.3 (RFC 9147) with TLS_AES_128_CCM_8_SHA256, P-256 ECDHE and "
               "ECDSA raw public keys (RFC 7250) on both sides, and connection IDs "
               "(dtls13.connection_id).";
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeDtls13EcdheProfile()
{
    return std::make_unique<Dtls13EcdheProfile>();
}

} // namespace ns3
