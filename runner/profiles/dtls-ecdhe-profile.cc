// security.profile=dtls-ecdhe: CoAP over DTLS 1.2 with ECDHE-ECDSA and certificates.
#include "dtls-profile.h"

#include <memory>

namespace ns3
{

namespace
{

class DtlsEcdheProfile : public DtlsProfile
{
  public:
    DtlsEcdheProfile()
      : DtlsProfile(false)
    {
    }

    std::string GetName() const override
    {
        return "dtls-ecdhe";
    }

    std::string GetHelp() const override
    {
        return "CoAP over DTLS 1.2 with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, P-256 certificates "
               "on both sides (mutual authentication).";
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeDtlsEcdheProfile()
{
    return std::make_unique<DtlsEcdheProfile>();
}

} // namespace ns3
