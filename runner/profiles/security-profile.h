/*
 * A security profile (security.profile): everything a run needs to know about the security a
 * device and its server use, in one object. The run pipeline asks the profile for its server and
 * device applications, provisions them through it, asks it how long its handshakes may outlast
 * the reports, collects its figures for summary.json and asks it how to price its crypto on a
 * device. Outside a profile's own file no code compares profile names: the pipeline, the
 * schema (allowed values, help) and the docs ask the registry (profile-registry.h).
 *
 * Adding a profile: one file in this folder that defines the class and a factory function,
 * and one line in profile-registry.cc (docs/architecture.md has the recipe).
 */
#ifndef LPWAN_SECURITY_PROFILE_H
#define LPWAN_SECURITY_PROFILE_H

#include "protocols/coap/coap-transmission-parameters.h"
#include "run-summary.h"
#include "scenario-config.h"
#include "topology/topology.h"

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/type-id.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace ns3
{

class CoapProxyApp;
class MeterAppHelper;
class MessageLedger;

namespace topology
{
class FlowPlan;
}

/// What every profile's applications share in a run.
struct ProfileRunContext
{
    const ScenarioConfig& config;
    lpwan::coap::TransmissionParameters coap;
    Ptr<MessageLedger> ledger;
};

/// The applications of a run, as a profile provisions them and collects their figures.
struct ProfileApps
{
    ApplicationContainer meters; ///< one per device, in device index order
    ApplicationContainer server; ///< the server side: its first application is the server
    /// Topology runs: the topology, its flow plan and the terminating proxies (by vertex).
    const topology::Topology* topology = nullptr;
    const topology::FlowPlan* plan = nullptr;
    const std::map<topology::Vertex, Ptr<CoapProxyApp>>* proxies = nullptr;
};

class SecurityProfile
{
  public:
    virtual ~SecurityProfile() = default;

    /// The value of security.profile that selects it.
    virtual std::string GetName() const = 0;
    /// What it is, for the schema's help and docs/scenario-keys.md.
    virtual std::string GetHelp() const = 0;

    // ---- what it runs (the topologies' security architectures are built from these) ----

    /// OSCORE protects every request and response from the device to the server.
    virtual bool ProtectsEndToEnd() const
    {
        return false;
    }

    /// DTLS (or TLS) protects each transport hop (device -> first hop -> ... -> server).
    virtual bool ProtectsHops() const
    {
        return false;
    }

    /// Its messages are CoAP, which a topology's proxies relay and adversaries parse;
    /// otherwise (MQTT over TCP) a topology's gateways only route it.
    virtual bool RunsOverCoap() const
    {
        return true;
    }

    /// Runs on a topology; otherwise *why names what is missing.
    virtual bool RunsOnTopology(std::string* why) const
    {
        return true;
    }

    /// The server's UDP or TCP port.
    virtual uint16_t GetServerPort() const
    {
        return 5683;
    }

    /// What one device costs a run in memory, in KiB: its node, stack and application and
    /// its share of the server's state (sessions, contexts). Fitted to measured runs (the
    /// slope of perf.json's peak_memory_mib between 1,000 and 4,000 devices on the star; see
    /// runner/memory-estimate.cc for the command). This one: plain CoAP.
    virtual double GetDeviceMemoryKiB() const
    {
        return 24;
    }

    // ---- scenario keys ----

    /// Checks the relations between keys the profile depends on (ScenarioConfig::Fail).
    virtual void ValidateRelations(const ScenarioConfig& c) const {}

    // ---- applications ----

    /// Installs the server side on node (address: the address it answers on, if it must be
    /// bound to one). The default: the CoAP server.
    virtual ApplicationContainer InstallServer(const ProfileRunContext& run, Ptr<Node> node,
                                               std::optional<Ipv4Address> address) const;
    /// The devices' application type. The default: the CoAP meter (MeterApp).
    virtual TypeId GetDeviceType() const;
    /// Sets the device applications' profile-specific attributes. The default: CoAP's.
    virtual void ConfigureDevices(const ProfileRunContext& run, MeterAppHelper& helper) const;
    /// Credentials and contexts for the devices and the server (and a topology's proxies).
    virtual void Provision(const ScenarioConfig& c, const ProfileApps& apps) const {}

    /// Fixed random streams of the server side from `stream` on; returns how many it used.
    virtual int64_t AssignServerStreams(ApplicationContainer server, int64_t stream) const;

    /// How long after the last report its handshakes may still need (added to the run's end).
    virtual double GetHandshakeAllowanceS(const ScenarioConfig& c,
                                          const lpwan::coap::TransmissionParameters& coap) const
    {
        return 0;
    }

    // ---- results ----

    /// The profile's figures for summary.json (CoAP's own counters are collected by the
    /// pipeline for every CoAP profile).
    virtual void CollectFigures(const ProfileApps& apps, RunFigures& figures) const {}
};

} // namespace ns3

#endif // LPWAN_SECURITY_PROFILE_H
