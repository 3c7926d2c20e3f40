#include "topology-keys.h"

#include "profiles/profile-registry.h"
#include "topology/topology-dot.h"
#include "topology/topology-generators.h"

#include <filesystem>
#include <sstream>

namespace ns3
{

using namespace topology;

namespace
{

[[noreturn]] void
KeyError(const ScenarioConfig& c, const std::string& key, const std::string& message)
{
    throw ScenarioError(c.Origin(key) + ": " + key + ": " + message);
}

std::vector<std::string>
SplitList(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty())
        {
            out.push_back(item);
        }
    }
    return out;
}

} // namespace

/// The names of adversary.nodes ("none": no adversary).
std::vector<std::string>
AdversaryNodes(const ScenarioConfig& c)
{
    const std::string& text = c.GetText("adversary.nodes");
    return text == "none" ? std::vector<std::string>{} : SplitList(text);
}

/// topology.file as given if it exists (or is absolute), else next to the scenario file.
static std::string
ResolveTopologyPath(const ScenarioConfig& c)
{
    namespace fs = std::filesystem;
    std::error_code ignored;
    const std::string& file = c.GetText("topology.file");
    // A name the system refuses (too long, ...) is simply not there for the non-throwing
    // exists(), and reading it then fails with the key's error. (The throwing one let a
    // filesystem_error escape validation: found by the scenario-config fuzz target.)
    if (fs::path(file).is_absolute() || fs::exists(file, ignored))
    {
        return file;
    }
    std::string origin = c.Origin("topology.file");
    if (origin.rfind("--set", 0) != 0 && origin != "default")
    {
        std::string scenario = origin.substr(0, origin.rfind(':'));
        fs::path beside = fs::path(scenario).parent_path() / file;
        if (fs::exists(beside, ignored))
        {
            return beside.string();
        }
    }
    return file;
}

TopologyLinkDefaults
TopologyLinkDefaultsOf(const ScenarioConfig& c)
{
    TopologyLinkDefaults d;
    d.radioUplinkBps = c.GetReal("link.uplink_rate_bps");
    d.radioDownlinkBps = c.GetReal("link.downlink_rate_bps");
    d.radioDelayS = c.GetReal("link.delay_s");
    d.radioLoss = c.GetReal("link.loss");
    d.radioMtu = static_cast<uint32_t>(c.GetInteger("link.mtu"));
    d.radioMedium = c.GetText("link.medium");
    d.radioQueuePackets = static_cast<uint32_t>(c.GetInteger("link.queue_packets"));
    d.p2pRateBps = c.GetReal("backhaul.rate_bps");
    d.p2pDelayS = c.GetReal("backhaul.delay_s");
    d.natBindingTimeoutS = c.GetReal("link.nat_binding_timeout_s");
    return d;
}

SecuritySetup
TopologySecuritySetup(const ScenarioConfig& c)
{
    const SecurityProfile& profile = GetSecurityProfile(c);
    std::string why;
    if (!profile.RunsOnTopology(&why))
    {
        KeyError(c, "security.profile",
                 "'" + profile.GetName() + "' does not run over a topology yet: " + why);
    }
    SecuritySetup setup;
    try
    {
        setup = SecuritySetup::From(profile.GetName(), profile.ProtectsEndToEnd(),
                                    profile.ProtectsHops(),
                                    *ParseArchitecture(c.GetText("security.architecture")),
                                    c.GetBoolean("topology.gateway_proxy"));
    }
    catch (const std::invalid_argument& e)
    {
        std::string withHops;
        for (const SecurityProfile* p : GetSecurityProfiles())
        {
            bool relayed = p->ProtectsHops() && p->RunsOverCoap();
            withHops += relayed ? (withHops.empty() ? "" : ", ") + p->GetName() : "";
        }
        KeyError(c, "security.architecture",
                 std::string(e.what()) + " (security.profile: " + withHops + ")");
    }
    if (!profile.RunsOverCoap() && setup.gatewayProxies)
    {
        KeyError(c,
                 setup.architecture != Architecture::EndToEnd ? "security.architecture"
                                                              : "topology.gateway_proxy",
                 "'" + profile.GetName()
                     + "' is not CoAP: the gateways route it from the device to the server "
                       "(CoAP proxies cannot relay it); use security.architecture=end-to-end and "
                       "topology.gateway_proxy=false");
    }
    return setup;
}

AdversaryConfig
AdversaryConfigOf(const ScenarioConfig& c)
{
    AdversaryConfig a;
    std::string error;
    std::optional<AdversaryCapabilities> can
        = AdversaryCapabilities::Parse(c.GetText("adversary.capabilities"), &error);
    if (!can)
    {
        KeyError(c, "adversary.capabilities", error);
    }
    a.can = *can;
    a.start = Seconds(c.GetReal("adversary.start_s"));
    a.modifyProbability = c.GetReal("adversary.modify_probability");
    a.replayProbability = c.GetReal("adversary.replay_probability");
    a.dropProbability = c.GetReal("adversary.drop_probability");
    a.delayProbability = c.GetReal("adversary.delay_probability");
    a.delay = Seconds(c.GetReal("adversary.delay_s"));
    a.replayDelay = Seconds(c.GetReal("adversary.replay_delay_s"));
    a.injectInterval = Seconds(c.GetReal("adversary.inject_interval_s"));
    return a;
}

Topology
LoadScenarioTopology(const ScenarioConfig& c, const TopologySizeCheck& check)
{
    try
    {
        if (c.GetText("topology.file") != "none")
        {
            const std::string path = ResolveTopologyPath(c);
            CensusCheck fileCheck;
            if (check)
            {
                fileCheck = [&](const TopologyCensus& census)
                {
                    check(census, "topology.file",
                          path + ": its " + std::to_string(census.devices) + " devices");
                };
            }
            return ReadDotFile(path, fileCheck);
        }
        const std::string generator = c.GetText("topology.generator");
        const auto hubs = static_cast<uint32_t>(c.GetInteger("topology.gateways"));
        const auto perHub = static_cast<uint32_t>(c.GetInteger("devices.count"));
        CensusCheck generatorCheck;
        if (check)
        {
            generatorCheck = [&](const TopologyCensus& census)
            {
                std::string what = std::to_string(census.devices) + " devices";
                if (generator != "star")
                {
                    what += " (topology.gateways " + std::to_string(hubs) + " x devices.count "
                            + std::to_string(perHub) + ")";
                }
                check(census, "devices.count", what);
            };
        }
        return Generate(generator, hubs, perHub, generatorCheck);
    }
    catch (const TopologyError& e)
    {
        KeyError(c, c.GetText("topology.file") != "none" ? "topology.file" : "topology.generator",
                 e.what());
    }
}

std::optional<Topology>
ValidateTopologyKeys(const ScenarioConfig& c, const TopologySizeCheck& check)
{
    const std::string topologyKeys
        = "needs a topology (topology.file, or topology.generator: "
          "'star' is the generic LPWAN star's shape)";
    if (!UsesTopology(c))
    {
        if (c.GetText("security.architecture") != "end-to-end")
        {
            KeyError(c, "security.architecture", topologyKeys);
        }
        if (!AdversaryNodes(c).empty())
        {
            KeyError(c, "adversary.nodes", topologyKeys);
        }
        return std::nullopt;
    }
    if (c.GetText("topology.file") != "none" && c.GetText("topology.generator") != "none")
    {
        KeyError(c, "topology.generator", "give topology.file or topology.generator, not both");
    }
    TopologySecuritySetup(c);
    const AdversaryConfig adversary = AdversaryConfigOf(c);
    Topology t = LoadScenarioTopology(c, check);
    const SecurityProfile& profile = GetSecurityProfile(c);
    if (!profile.RunsOverCoap())
    {
        for (Vertex v = 0; v < t.GetNodeCount(); ++v)
        {
            if (t.GetNode(v).role == Role::Proxy)
            {
                KeyError(c, "security.profile",
                         "'" + profile.GetName() + "' is not CoAP, and the topology's proxy '"
                             + t.GetNode(v).name + "' relays CoAP only");
            }
        }
        const AdversaryCapabilities& can = adversary.can;
        if (!AdversaryNodes(c).empty()
            && (can.modify || can.inject || can.replay || can.drop || can.delay))
        {
            KeyError(c, "adversary.capabilities",
                     "with '" + profile.GetName()
                         + "' an adversary only eavesdrops (it sees TLS records over TCP; its "
                           "other actions act on CoAP requests)");
        }
    }
    for (const std::string& name : AdversaryNodes(c))
    {
        std::optional<Vertex> v = t.Find(name);
        if (!v)
        {
            KeyError(c, "adversary.nodes",
                     "no node '" + name + "' in the topology (" + t.GetSource() + ")");
        }
        Role r = t.GetNode(*v).role;
        if (r == Role::Device || r == Role::Server)
        {
            KeyError(c, "adversary.nodes",
                     "'" + name + "' is a " + RoleName(r)
                         + "; an adversary sits on a node that relays traffic (a gateway, cell, "
                           "router or proxy)");
        }
    }
    // The nbiot.* and energy.* keys apply to the topology's NB-IoT / LTE-M cells.
    bool cellular = false;
    const Graph& g = t.GetGraph();
    for (auto [it, end] = boost::edges(g); it != end && !cellular; ++it)
    {
        cellular = IsCellular(g[*it].kind);
    }
    for (const auto& k : GetScenarioSchema())
    {
        bool cellKey = k.name.rfind("nbiot.", 0) == 0 || k.name.rfind("energy.", 0) == 0;
        if (!cellKey || c.Origin(k.name) == "default")
        {
            continue;
        }
        if (!cellular)
        {
            c.Fail(k.name,
                   "applies to NB-IoT / LTE-M cells; the topology has no nbiot or ltem radio "
                   "links (its radio edges are generic LPWAN links: link.* keys)");
        }
        if (k.name == "nbiot.cells")
        {
            c.Fail(k.name,
                   "a topology's cells are its hubs with nbiot or ltem links, not nbiot.cells");
        }
        if (k.name == "nbiot.nidd" && c.GetBoolean("nbiot.nidd"))
        {
            c.Fail(k.name,
                   "non-IP data delivery is not placed on topologies (their cells route IP)");
        }
    }
    double reports = c.GetReal("simulation.duration_s") / c.GetReal("traffic.interval_s");
    if (reports * static_cast<double>(t.GetDevices().size()) > 5e8)
    {
        KeyError(c, "traffic.interval_s", "the run would generate more than 5e8 reports");
    }
    return t;
}

} // namespace ns3
