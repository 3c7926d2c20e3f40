#include "radio-subnets.h"

namespace ns3
{

std::optional<Ipv4Mask>
RadioSubnetMask(uint64_t devicesPerSubnet, uint64_t subnets)
{
    uint32_t hostBits = 16;
    while ((uint64_t{1} << hostBits) < devicesPerSubnet + 3 && hostBits < 24)
    {
        ++hostBits;
    }
    if ((uint64_t{1} << hostBits) < devicesPerSubnet + 3 || subnets == 0
        || subnets > (uint64_t{1} << (24 - hostBits)))
    {
        return std::nullopt;
    }
    return Ipv4Mask(~((uint32_t{1} << hostBits) - 1));
}

uint64_t
MaxDevicesPerRadioSubnet(uint64_t subnets)
{
    for (uint32_t hostBits = 24; hostBits >= 16; --hostBits)
    {
        if (subnets > 0 && subnets <= (uint64_t{1} << (24 - hostBits)))
        {
            return (uint64_t{1} << hostBits) - 3;
        }
    }
    return 0;
}

} // namespace ns3
