// security.profile=dtls-psk: CoAP over DTLS 1.2 with a pre-shared key per device.
#include "dtls-profile.h"

#include <memory>

namespace ns3
{

namespace
{

class DtlsPskProfile : public DtlsProfile
{
  public:
    DtlsPskProfile()
      : DtlsProfile(true)
    {
    }

    std::string GetName() const override
    {
        return "dtls-psk";
    }

    std::string GetHelp() const override
    {
        return "CoAP over DTLS 1.2 with TLS_PSK_WITH_AES_128_CCM_8 and a pre-shared key per "
               "device.";
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeDtlsPskProfile()
{
    return std::make_unique<DtlsPskProfile>();
}

} // namespace ns3
