/*
 * A run's network: what the run pipeline (run-pipeline.h) asks of the network a scenario
 * describes. One builder per kind of network, chosen by the scenario's keys:
 *
 *   star-network.h      the generic LPWAN star (link.kind=lpwan): devices around a gateway
 *   cell-network.h      NB-IoT / LTE-M cells (link.kind=nbiot|ltem) on the gateway node
 *   topology-network.h  a topology (topology.file or topology.generator): gateways, cells,
 *                       routers, proxies that terminate hop-by-hop security, adversaries
 *
 * The pipeline builds the network, installs the security profile's server and meters on it,
 * lets the network add what it has around them (proxies, adversaries, energy models), runs,
 * and lets the network add its sections to summary.json. Adding a kind of network is one
 * builder and one line in MakeRunNetwork (docs/architecture.md).
 */
#ifndef LPWAN_RUN_NETWORK_H
#define LPWAN_RUN_NETWORK_H

#include "profiles/security-profile.h"
#include "raw-ip-pcap-helper.h"
#include "scenario-config.h"
#include "scenario-validation.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class MeterAppHelper;

class RunNetwork
{
  public:
    virtual ~RunNetwork() = default;

    /// Nodes, links, Internet stacks, addresses and routes (after the RNG is seeded).
    virtual void Build() = 0;

    /// The node the server side runs on, and the address it answers on when it must bind.
    virtual Ptr<Node> GetServerNode() const = 0;
    virtual std::optional<Ipv4Address> GetServerBindAddress() const = 0;
    /// Where the devices send their reports unless the network says otherwise per device.
    virtual Ipv4Address GetServerAddress() const = 0;
    /// The devices' nodes, in device index order.
    virtual NodeContainer GetDeviceNodes() const = 0;

    /// How long the ledger keeps a finished report's record open beyond its exchange lifetime,
    /// and the run continues beyond its end (a topology's adversaries replay and delay copies).
    virtual double GetExtraLingerS() const
    {
        return 0;
    }

    /// Byte accounting of every radio link's frames (and what else watches the ledger).
    virtual void Attach(Ptr<LinkAccounting> accounting, Ptr<MessageLedger> ledger) = 0;

    /// Watches the ledger's reports beyond the messages.csv writer (what adversaries did).
    virtual void ObserveReports(Ptr<MessageLedger> ledger) {}

    /// The devices' attributes the network decides for all of them (e.g. NAT timeouts).
    virtual void ConfigureDevices(MeterAppHelper& meters) const {}

    /// After the profile's server is installed and started, before the devices': what the
    /// network puts between them (proxies that terminate hops) and what it tells the profile
    /// (apps' topology fields). Returns whether the network's security architecture runs OSCORE
    /// from end to end inside a profile that does not (the layered architecture).
    virtual bool InstallRelays(const ProfileRunContext& run, const SecurityProfile& profile,
                               ProfileApps& apps)
    {
        return false;
    }

    /// After the devices' applications are installed: where each sends its reports when that
    /// is not the server (its first hop), and the NAT on its way.
    virtual void AddressDevices(const ProfileApps& apps, uint16_t port) {}

    /// Adversaries on compromised nodes (topologies), active until stop.
    virtual void InstallAdversaries(Time stop) {}

    /// Fixed random streams of the links (called before the applications' streams).
    virtual void AssignLinkStreams() = 0;
    /// Fixed random streams of what InstallAround and InstallAdversaries added, from stream on.
    virtual void AssignOwnAppStreams(int64_t stream) {}

    /// PCAP captures (trace.pcap) and other files that describe the network.
    virtual void CaptureTraces(RawIpPcapHelper& pcap, const std::string& outDir) = 0;

    /// Time the last exchanges need to cross the network after the reports stop, beyond CoAP's
    /// exchange lifetime and the server's processing: the longest path both ways.
    virtual double GetPathDrainS() const = 0;

    /// The devices' cellular interfaces with energy models (empty: no energy report).
    virtual NetDeviceContainer GetEnergyDevices() const
    {
        return NetDeviceContainer();
    }

    /// After the run, before the summary: figures the network adds.
    virtual void Finish(const ProfileApps& apps, RunFigures& figures) {}

    /// The network's sections of summary.json and its own output files.
    virtual void Summarize(nlohmann::json& summary, const std::string& outDir) = 0;

    // ---- faults (runner/faults/fault-kinds.cc) ----

    /// Whether the network has a backhaul the faults can cut, and a radio to take down.
    virtual bool HasBackhaul() const
    {
        return false;
    }

    virtual uint32_t GetRadioCount() const
    {
        return 0;
    }

    /// The link between the radio network and the server (gateway, core) is down from start
    /// for duration, both directions. Only when HasBackhaul().
    virtual void AddBackhaulOutage(Time start, Time duration) {}

    /// Base station (or LPWAN gateway radio) `radio` < GetRadioCount() is down from start for
    /// duration.
    virtual void AddRadioOutage(uint32_t radio, Time start, Time duration) {}

    /// The indices of the devices radio `radio` serves.
    virtual std::vector<uint32_t> GetDevicesServedBy(uint32_t radio) const
    {
        return {};
    }
};

/// The builder the scenario's keys choose (the scenario as validated: its topology read once).
std::unique_ptr<RunNetwork> MakeRunNetwork(const ValidatedScenario& scenario);

} // namespace ns3

#endif // LPWAN_RUN_NETWORK_H
