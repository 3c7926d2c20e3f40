#include "tls-provisioning.h"

#include "apps/meter-app.h"
#include "apps/mqtt-meter-app.h"
#include "apps/ns3-random-source.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"

#include <cstdio>
#include <memory>

namespace ns3
{

namespace
{

// Stream numbers far above the applications' (2000 + 3 per device).
constexpr int64_t kServerDrbgStream = 999'999'000;
constexpr int64_t kPkiStream = 999'999'001;
constexpr int64_t kPskStream = 999'999'002;
constexpr int64_t kDeviceDrbgStreamBase = 1'000'000'000;

Ptr<UniformRandomVariable>
Stream(int64_t number)
{
    Ptr<UniformRandomVariable> s = CreateObject<UniformRandomVariable>();
    s->SetStream(number);
    return s;
}

/// A lpwan::tls::Config together with the random source its DRBG draws from (which must outlive
/// it).
struct ConfigWithRandom
{
    ConfigWithRandom(const lpwan::tls::Options& options, Ptr<UniformRandomVariable> stream)
      : random(stream)
      , config(options, random)
    {
    }

    Ns3RandomSource random;
    lpwan::tls::Config config;
};

std::shared_ptr<const lpwan::tls::Config>
MakeConfig(const lpwan::tls::Options& options, int64_t stream)
{
    auto holder = std::make_shared<ConfigWithRandom>(options, Stream(stream));
    return std::shared_ptr<const lpwan::tls::Config>(holder, &holder->config);
}

lpwan::tls::MaxFragmentLength
FragmentLength(const std::string& value)
{
    if (value == "512")
    {
        return lpwan::tls::MaxFragmentLength::Bytes512;
    }
    if (value == "1024")
    {
        return lpwan::tls::MaxFragmentLength::Bytes1024;
    }
    if (value == "2048")
    {
        return lpwan::tls::MaxFragmentLength::Bytes2048;
    }
    if (value == "4096")
    {
        return lpwan::tls::MaxFragmentLength::Bytes4096;
    }
    return lpwan::tls::MaxFragmentLength::None;
}

/// What client and server options share.
lpwan::tls::Options
CommonOptions(const ScenarioConfig& c, lpwan::tls::Role role)
{
    lpwan::tls::Options o;
    o.role = role;
    o.transport = lpwan::tls::Transport::Datagram;
    o.handshakeTimeoutMinMs
        = static_cast<uint32_t>(c.GetReal("dtls.handshake_timeout_min_s") * 1000 + 0.5);
    o.handshakeTimeoutMaxMs
        = static_cast<uint32_t>(c.GetReal("dtls.handshake_timeout_max_s") * 1000 + 0.5);
    o.helloVerify = c.GetBoolean("dtls.hello_verify");
    o.mtu = static_cast<uint16_t>(c.GetInteger("dtls.mtu"));
    o.maxFragmentLength = FragmentLength(c.GetText("dtls.max_fragment_length"));
    o.resumption = c.GetBoolean("dtls.resumption") ? lpwan::tls::Resumption::SessionCache
                                                   : lpwan::tls::Resumption::None;
    return o;
}

/// The server's configuration and one per device.
struct TlsConfigs
{
    std::shared_ptr<const lpwan::tls::Config> server;
    std::vector<std::shared_ptr<const lpwan::tls::Config>> devices;
};

/// Adds the credentials to the options (psk: a key per device; else a test PKI with one
/// certificate per device, the server keeping one session per certificate subject).
TlsConfigs
BuildConfigs(lpwan::tls::Options serverOptions, lpwan::tls::Options clientOptions, uint32_t devices,
             bool psk)
{
    std::vector<lpwan::tls::PskIdentity> identities;
    std::vector<lpwan::tls::CertifiedKey> deviceCertificates;
    Ns3RandomSource pkiRandom(Stream(kPkiStream));
    if (psk)
    {
        Ptr<UniformRandomVariable> keys = Stream(kPskStream);
        for (uint32_t i = 0; i < devices; ++i)
        {
            lpwan::tls::PskIdentity id;
            std::string name = "device-" + std::to_string(i);
            id.identity.assign(name.begin(), name.end());
            id.key.resize(16);
            for (auto& b : id.key)
            {
                b = static_cast<uint8_t>(keys->GetInteger(0, 255));
            }
            identities.push_back(id);
        }
        serverOptions.pskTable = identities;
    }
    else
    {
        lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
        serverOptions.trustedCaDer = pki.ca.certificateDer;
        serverOptions.certificateDer = pki.server.certificateDer;
        serverOptions.privateKeyDer = pki.server.privateKeyDer;
        clientOptions.trustedCaDer = pki.ca.certificateDer;
        clientOptions.serverName = "server.lpwan.test";
        lpwan::tls::PkiOptions names;
        for (uint32_t i = 0; i < devices; ++i)
        {
            char subject[64];
            std::snprintf(subject, sizeof subject, "CN=device-%06u,O=lpwan-sec", i);
            deviceCertificates.push_back(lpwan::tls::IssueCertificate(
                pki.ca, names.caSubject, subject, 100 + i, pkiRandom, names));
        }
    }
    TlsConfigs configs;
    configs.server = MakeConfig(serverOptions, kServerDrbgStream);
    for (uint32_t i = 0; i < devices; ++i)
    {
        lpwan::tls::Options device = clientOptions;
        if (psk)
        {
            device.psk = identities[i];
        }
        else
        {
            device.certificateDer = deviceCertificates[i].certificateDer;
            device.privateKeyDer = deviceCertificates[i].privateKeyDer;
        }
        configs.devices.push_back(MakeConfig(device, kDeviceDrbgStreamBase + i));
    }
    return configs;
}

} // namespace

void
ProvisionDtls(const ScenarioConfig& c, ApplicationContainer meters, Ptr<CoapServerApp> server,
              bool psk)
{
    TlsConfigs configs
        = BuildConfigs(CommonOptions(c, lpwan::tls::Role::Server),
                       CommonOptions(c, lpwan::tls::Role::Client), meters.GetN(), psk);
    server->SetDtlsConfig(configs.server, Seconds(c.GetReal("dtls.server_idle_timeout_s")));
    for (uint32_t i = 0; i < meters.GetN(); ++i)
    {
        DynamicCast<MeterApp>(meters.Get(i))->SetDtlsConfig(configs.devices[i]);
    }
}

void
ProvisionTlsMqtt(const ScenarioConfig& c, ApplicationContainer meters, Ptr<MqttBrokerApp> broker)
{
    auto options = [&c](lpwan::tls::Role role)
    {
        lpwan::tls::Options o;
        o.role = role;
        o.transport = lpwan::tls::Transport::Stream;
        o.resumption = c.GetBoolean("tls.resumption") ? lpwan::tls::Resumption::SessionCache
                                                      : lpwan::tls::Resumption::None;
        return o;
    };
    const bool psk = c.GetText("tls.authentication") == "psk";
    TlsConfigs configs = BuildConfigs(options(lpwan::tls::Role::Server),
                                      options(lpwan::tls::Role::Client), meters.GetN(), psk);
    broker->SetTlsConfig(configs.server);
    for (uint32_t i = 0; i < meters.GetN(); ++i)
    {
        DynamicCast<MqttMeterApp>(meters.Get(i))->SetTlsConfig(configs.devices[i]);
    }
}

lpwan::tls::Options
DtlsCommonOptions(const ScenarioConfig& c, lpwan::tls::Role role)
{
    return CommonOptions(c, role);
}

std::shared_ptr<const lpwan::tls::Config>
MakeDtlsConfig(const lpwan::tls::Options& options, int64_t stream)
{
    return MakeConfig(options, stream);
}

} // namespace ns3
