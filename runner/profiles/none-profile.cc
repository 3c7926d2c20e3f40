// security.profile=none: plain CoAP, the baseline every other profile is measured against.
#include "security-profile.h"

#include <memory>

namespace ns3
{

namespace
{

class NoneProfile : public SecurityProfile
{
  public:
    std::string GetName() const override
    {
        return "none";
    }

    std::string GetHelp() const override
    {
        return "plain CoAP.";
    }
};

} // namespace

std::unique_ptr<SecurityProfile>
MakeNoneProfile()
{
    return std::make_unique<NoneProfile>();
}

} // namespace ns3
