#include "topology-provisioning.h"

#include "apps/meter-app.h"
#include "apps/ns3-random-source.h"
#include "protocols/tls/test-pki.h"
#include "tls-provisioning.h"

#include <cstdio>

namespace ns3
{

using namespace topology;

namespace
{

// Streams of their own (tls-provisioning.cc uses 999'999'000..2 and 1'000'000'000 + device).
constexpr int64_t kServerDrbgStream = 999'998'000;
constexpr int64_t kPkiStream = 999'998'001;
constexpr int64_t kPskStream = 999'998'002;
constexpr int64_t kProxyDrbgStreamBase = 999'990'000; // + 2 per node vertex (< 4000 nodes)
constexpr int64_t kDeviceDrbgStreamBase = 1'000'000'000;

/// A host name part made of letters, digits and '-' (node names may hold anything).
std::string
HostLabel(const std::string& name)
{
    std::string out;
    for (char c : name)
    {
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    }
    return out.empty() ? "node" : out;
}

} // namespace

void
ProvisionTopologyDtls(const ScenarioConfig& c, const Topology& t, const FlowPlan& plan,
                      ApplicationContainer meters,
                      const std::map<Vertex, Ptr<CoapProxyApp>>& proxies, Ptr<CoapServerApp> server,
                      bool psk)
{
    const Vertex root = t.GetServer();
    if (t.GetNodeCount() * 2 > kDeviceDrbgStreamBase - kProxyDrbgStreamBase)
    {
        t.Fail("too many nodes for the DTLS random streams");
    }

    // Every client's credentials: devices by device index, proxies by vertex.
    std::map<Vertex, lpwan::tls::PskIdentity> identities;
    std::map<Vertex, lpwan::tls::CertifiedKey> certificates;
    std::map<Vertex, std::string> hostNames; ///< endpoints: the name clients expect
    lpwan::tls::TestPki pki;
    Ptr<UniformRandomVariable> pkiStream = CreateObject<UniformRandomVariable>();
    pkiStream->SetStream(kPkiStream);
    Ns3RandomSource pkiRandom(pkiStream);
    Ptr<UniformRandomVariable> keys = CreateObject<UniformRandomVariable>();
    keys->SetStream(kPskStream);
    if (!psk)
    {
        pki = lpwan::tls::GenerateTestPki(pkiRandom);
    }
    hostNames[root] = "server.lpwan.test";
    uint32_t serial = 100;
    auto credentialsFor = [&](Vertex v, const std::string& name)
    {
        if (psk)
        {
            lpwan::tls::PskIdentity id;
            id.identity.assign(name.begin(), name.end());
            id.key.resize(16);
            for (auto& b : id.key)
            {
                b = static_cast<uint8_t>(keys->GetInteger(0, 255));
            }
            identities[v] = id;
            return;
        }
        lpwan::tls::PkiOptions names;
        certificates[v] = lpwan::tls::IssueCertificate(
            pki.ca, names.caSubject, "CN=" + name + ",O=lpwan-sec", serial++, pkiRandom, names);
    };
    const auto& devices = t.GetDevices();
    for (uint32_t i = 0; i < devices.size(); ++i)
    {
        char name[32];
        std::snprintf(name, sizeof name, psk ? "device-%u" : "device-%06u", i);
        credentialsFor(devices[i], name);
    }
    for (const auto& [v, app] : proxies)
    {
        hostNames[v] = HostLabel(t.GetNode(v).name) + ".lpwan.test";
        credentialsFor(v, psk ? "proxy-" + HostLabel(t.GetNode(v).name) : hostNames[v]);
    }

    // A client's options towards its next hop; an endpoint's towards its clients.
    auto clientOptions = [&](Vertex client, Vertex next)
    {
        lpwan::tls::Options o = DtlsCommonOptions(c, lpwan::tls::Role::Client);
        if (psk)
        {
            o.psk = identities.at(client);
        }
        else
        {
            o.trustedCaDer = pki.ca.certificateDer;
            o.serverName = hostNames.at(next);
            o.certificateDer = certificates.at(client).certificateDer;
            o.privateKeyDer = certificates.at(client).privateKeyDer;
        }
        return o;
    };
    auto endpointOptions = [&](Vertex endpoint)
    {
        lpwan::tls::Options o = DtlsCommonOptions(c, lpwan::tls::Role::Server);
        if (psk)
        {
            for (Vertex client : plan.GetClientsOf(endpoint))
            {
                o.pskTable.push_back(identities.at(client));
            }
        }
        else
        {
            o.trustedCaDer = pki.ca.certificateDer;
            const lpwan::tls::CertifiedKey& own
                = endpoint == root ? pki.server : certificates.at(endpoint);
            o.certificateDer = own.certificateDer;
            o.privateKeyDer = own.privateKeyDer;
        }
        return o;
    };

    const Time idle = Seconds(c.GetReal("dtls.server_idle_timeout_s"));
    server->SetDtlsConfig(MakeDtlsConfig(endpointOptions(root), kServerDrbgStream), idle);
    for (const auto& [v, app] : proxies)
    {
        app->SetDownstreamDtls(
            MakeDtlsConfig(endpointOptions(v), kProxyDrbgStreamBase + 2 * static_cast<int64_t>(v)),
            idle);
        app->SetUpstreamDtls(
            MakeDtlsConfig(clientOptions(v, plan.GetUpstream(v)),
                           kProxyDrbgStreamBase + 2 * static_cast<int64_t>(v) + 1));
    }
    for (uint32_t i = 0; i < devices.size(); ++i)
    {
        DynamicCast<MeterApp>(meters.Get(i))
            ->SetDtlsConfig(MakeDtlsConfig(clientOptions(devices[i], plan.GetFirstHop(devices[i])),
                                           kDeviceDrbgStreamBase + i));
    }
}

} // namespace ns3
