// security.profile=dtls13-psk: CoAP over DTLS 1.3 with an external PSK per device.
#include "dtls13-profile.h"

#include <memory>

namespace ns3
{

namespace
{

class Dtls13PskProfile : public Dtls13Profile
{
  public:
    Dtls13PskProfile()
      : Dtls13Profile(true)
    {
    }

    std::string GetName() const override
    {
        return "dtls13-psk";
    }

    std::string GetHelp() const override
    {
        return "CoAP over DTLS 1.3 (RFC 9147) with TLS_AES_128_CCM_8_SHA256, an external PSK "
               "per device (psk_ke) and connection IDs (dtls13.connection_id).";
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeDtls13PskProfile()
{
    return std::make_unique<Dtls13PskProfile>();
}

} // namespace ns3
