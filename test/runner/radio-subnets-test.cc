// The built-in networks' radio subnets (runner/networks/radio-subnets.h): a /16 per cell while
// its devices fit, as before devices.count went past 60,000 (so the catalogue's traces stay
// byte-identical), wider beyond, and never outside 10.0.0.0/8.
#include "networks/radio-subnets.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(RadioSubnets, SixteenBitsWhileTheDevicesFit)
{
    EXPECT_EQ(RadioSubnetMask(1, 1), Ipv4Mask("255.255.0.0"));
    EXPECT_EQ(RadioSubnetMask(65533, 64), Ipv4Mask("255.255.0.0"));
}

TEST(RadioSubnets, WiderWhenACellHoldsMore)
{
    // 65,533 devices + network, broadcast and base station fill a /16; one more needs a /15.
    EXPECT_EQ(RadioSubnetMask(65534, 1), Ipv4Mask("255.254.0.0"));
    EXPECT_EQ(RadioSubnetMask(100000, 10), Ipv4Mask("255.254.0.0"));
    EXPECT_EQ(RadioSubnetMask(16777213, 1), Ipv4Mask("255.0.0.0"));
}

TEST(RadioSubnets, NothingOutside10Slash8)
{
    EXPECT_FALSE(RadioSubnetMask(16777214, 1));
    EXPECT_FALSE(RadioSubnetMask(65533, 257)); // 257 /16s
    EXPECT_FALSE(RadioSubnetMask(262142, 64)); // 64 cells of 2^18 + 1 addresses
    EXPECT_TRUE(RadioSubnetMask(262141, 64));
    EXPECT_EQ(MaxDevicesPerRadioSubnet(1), 16777213u);
    EXPECT_EQ(MaxDevicesPerRadioSubnet(64), 262141u);
    EXPECT_EQ(MaxDevicesPerRadioSubnet(0), 0u);
}
