/*
 * The radio subnets of the built-in networks (the star's one; one per NB-IoT/LTE-M cell), all
 * inside 10.0.0.0/8: a /16 each while its devices fit, as every scenario was addressed when
 * devices.count stopped at 60,000 (so their traces did not change when it stopped), and
 * the narrowest wider mask beyond. Topology runs size a subnet per hub themselves
 * (helper/topology-helper.cc), in the same 10.0.0.0/8.
 */
#ifndef LPWAN_RADIO_SUBNETS_H
#define LPWAN_RADIO_SUBNETS_H

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <optional>

namespace ns3
{

/// The first address of the radio subnets (10.0.0.0/8).
const Ipv4Address kRadioNetworkBase("10.0.0.0");

/// The mask of `subnets` equal radio subnets holding `devicesPerSubnet` devices each (plus the
/// network and broadcast addresses and the hub's), laid out one after the other from
/// 10.0.0.0; nullopt when they do not fit 10.0.0.0/8.
std::optional<Ipv4Mask> RadioSubnetMask(uint64_t devicesPerSubnet, uint64_t subnets);

/// The most devices each of `subnets` radio subnets can hold (0 when even a /16 each does not fit).
uint64_t MaxDevicesPerRadioSubnet(uint64_t subnets);

} // namespace ns3

#endif // LPWAN_RADIO_SUBNETS_H
