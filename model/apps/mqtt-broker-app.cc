#include "mqtt-broker-app.h"

#include "net/simulator-time.h"
#include "report-schedule.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MqttBrokerApp");
NS_OBJECT_ENSURE_REGISTERED(MqttBrokerApp);

TypeId
MqttBrokerApp::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::MqttBrokerApp")
              .SetParent<Application>()
              .SetGroupName("LpwanSec")
              .AddConstructor<MqttBrokerApp>()
              .AddAttribute(
                  "Port", "TCP port the broker listens on.", UintegerValue(kSecureMqttPort),
                  MakeUintegerAccessor(&MqttBrokerApp::m_port), MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("Ledger", "Where messages are recorded (may be null).", PointerValue(),
                            MakePointerAccessor(&MqttBrokerApp::m_ledger),
                            MakePointerChecker<MessageLedger>());
    return tid;
}

MqttBrokerApp::MqttBrokerApp()
  : m_broker(std::make_unique<lpwan::mqtt::Broker>())
{
}

MqttBrokerApp::~MqttBrokerApp() = default;

void
MqttBrokerApp::SetTlsSessions(std::shared_ptr<lpwan::tls::StreamSessionFactory> sessions)
{
    NS_ABORT_MSG_IF(!sessions || sessions->GetRole() != lpwan::tls::Role::Server,
                    "MqttBrokerApp: needs a TLS server");
    m_tls = std::move(sessions);
}

void
MqttBrokerApp::SetTlsConfig(std::shared_ptr<const lpwan::tls::Config> config)
{
    NS_ABORT_MSG_IF(config->GetOptions().transport != lpwan::tls::Transport::Stream,
                    "MqttBrokerApp: needs a TLS (stream) server configuration");
    SetTlsSessions(std::make_shared<lpwan::tls::Tls12SessionFactory>(std::move(config)));
}

void
MqttBrokerApp::DoDispose()
{
    m_brokerTimer.Cancel();
    m_cleanup.Cancel();
    m_connections.clear();
    m_retired.clear();
    m_listener = nullptr;
    m_ledger = nullptr;
    Application::DoDispose();
}

void
MqttBrokerApp::StartApplication()
{
    NS_ABORT_MSG_IF(!m_tls, "MqttBrokerApp: no TLS server (SetTlsSessions)");
    Listen();
}

void
MqttBrokerApp::Listen()
{
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "MqttBrokerApp: cannot bind port " << m_port);
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&MqttBrokerApp::Accept, this));
}

void
MqttBrokerApp::Restart(Time downtime)
{
    std::vector<uint64_t> keys;
    for (const auto& [key, c] : m_connections)
    {
        keys.push_back(key);
    }
    for (uint64_t key : keys)
    {
        Connection& c = m_connections.at(key);
        lpwan::mqtt::ConnectionId id = c.broker;
        c.tls->Abandon();
        Retire(key);
        if (id != 0)
        {
            m_broker->TransportClosed(id, SimulatorNowNs());
        }
    }
    Pump();
    m_tls->ForgetSessionCache();
    m_listenEvent.Cancel();
    if (downtime.IsZero())
    {
        return; // the listening socket stays: the new process accepts at once
    }
    if (m_listener)
    {
        m_listener->Close();
        m_listener = nullptr;
    }
    m_listenEvent = Simulator::Schedule(downtime, &MqttBrokerApp::Listen, this);
}

void
MqttBrokerApp::StopApplication()
{
    // The broker keeps serving until the run ends: reports in flight complete.
}

void
MqttBrokerApp::Accept(Ptr<Socket> socket, const Address& from)
{
    InetSocketAddress peer = InetSocketAddress::ConvertFrom(from);
    uint64_t key = m_nextKey++;
    Connection& c = m_connections[key];
    c.device = peer.GetIpv4();
    std::unique_ptr<lpwan::tls::StreamSession> session
        = m_tls->NewSession(lpwan::MakePeerId(peer.GetIpv4().Get(), peer.GetPort()), {});
    TlsTcpConnection::Callbacks callbacks;
    callbacks.established = [this, key](bool)
    {
        Established(key);
    };
    callbacks.data = [this, key](const std::vector<uint8_t>& bytes)
    {
        Data(key, bytes);
    };
    callbacks.closed = [this, key](const std::string& reason)
    {
        Closed(key, reason);
    };
    c.tls = std::make_unique<TlsTcpConnection>(socket, std::move(session), c.device, m_ledger,
                                               std::move(callbacks));
    c.tls->SetFigures(&m_figures, true);
}

void
MqttBrokerApp::Established(uint64_t key)
{
    auto it = m_connections.find(key);
    if (it == m_connections.end())
    {
        return;
    }
    it->second.broker = m_broker->Open(SimulatorNowNs());
    m_byBroker[it->second.broker] = key;
    Pump();
}

void
MqttBrokerApp::Data(uint64_t key, const std::vector<uint8_t>& bytes)
{
    auto it = m_connections.find(key);
    if (it == m_connections.end() || it->second.broker == 0)
    {
        return;
    }
    m_broker->Receive(it->second.broker, SimulatorNowNs(), bytes.data(), bytes.size());
    Pump();
}

void
MqttBrokerApp::Closed(uint64_t key, const std::string& reason)
{
    auto it = m_connections.find(key);
    if (it == m_connections.end())
    {
        return;
    }
    NS_LOG_INFO("connection from " << it->second.device << " over: " << reason);
    lpwan::mqtt::ConnectionId id = it->second.broker;
    Retire(key);
    if (id != 0)
    {
        m_broker->TransportClosed(id, SimulatorNowNs());
    }
    Pump();
}

void
MqttBrokerApp::Retire(uint64_t key)
{
    auto it = m_connections.find(key);
    if (it == m_connections.end())
    {
        return;
    }
    if (it->second.broker != 0)
    {
        m_byBroker.erase(it->second.broker);
    }
    m_retired.push_back(std::move(it->second.tls));
    m_connections.erase(it);
    // Deleted from a fresh event: this may run inside one of the connection's callbacks.
    if (!m_cleanup.IsRunning())
    {
        m_cleanup = Simulator::ScheduleNow(&MqttBrokerApp::DeleteRetired, this);
    }
}

void
MqttBrokerApp::DeleteRetired()
{
    m_retired.clear();
}

uint64_t
MqttBrokerApp::MessageOf(const Connection& c, const lpwan::mqtt::OutgoingPacket& packet) const
{
    if (!m_ledger)
    {
        return MessageTag::kNoMessage;
    }
    if (packet.type == lpwan::mqtt::PacketType::Puback)
    {
        return m_ledger->FindByMessageId(c.device.Get(), MessageLedger::MidOwner::Device,
                                         packet.packetId);
    }
    return m_ledger->GetHandshakeOwner(c.device.Get());
}

void
MqttBrokerApp::Pump()
{
    // Events first: a message received on a connection that the actions then close still
    // finds its connection.
    for (const lpwan::mqtt::BrokerEvent& e : m_broker->TakeEvents())
    {
        if (e.kind != lpwan::mqtt::BrokerEvent::Kind::MessageReceived || !m_ledger)
        {
            continue;
        }
        auto k = m_byBroker.find(e.connection);
        if (k == m_byBroker.end())
        {
            continue;
        }
        const Connection& c = m_connections.at(k->second);
        const auto& payload = e.message.payload;
        uint64_t id = m_ledger->FindByToken(
            c.device.Get(), ReportSchedule::ReadingKey(payload.data(), payload.size()));
        if (m_acceptance)
        {
            m_acceptance->Accepted(id, id != MessageTag::kNoMessage, "");
        }
        if (id != MessageTag::kNoMessage)
        {
            m_ledger->MarkDelivered(id);
        }
    }
    for (lpwan::mqtt::BrokerAction& a : m_broker->TakeActions())
    {
        auto k = m_byBroker.find(a.connection);
        if (k == m_byBroker.end())
        {
            continue; // its transport is gone already
        }
        Connection& c = m_connections.at(k->second);
        if (a.kind == lpwan::mqtt::BrokerAction::Kind::Send)
        {
            uint64_t id = MessageOf(c, a.packet);
            bool setUp = a.packet.type == lpwan::mqtt::PacketType::Connack;
            c.tls->Write(a.packet.bytes,
                         {{a.packet.HeaderBytes(), StreamBytesTag::Layer::Protocol, id, setUp},
                          {a.packet.payloadBytes, StreamBytesTag::Layer::App, id, setUp}});
        }
        else
        {
            NS_LOG_INFO("broker closes the connection of " << c.device << ": " << a.reason);
            c.tls->Close();
            Retire(k->second);
        }
    }
    m_brokerTimer.Cancel();
    if (std::optional<lpwan::TimeNs> next = m_broker->NextTimer())
    {
        Time delay = DelayUntil(*next);
        m_brokerTimer = Simulator::Schedule(delay, &MqttBrokerApp::BrokerTimer, this);
    }
}

void
MqttBrokerApp::BrokerTimer()
{
    m_broker->OnTimer(SimulatorNowNs());
    Pump();
}

void
MqttBrokerApp::FinishFigures()
{
    for (auto& [key, c] : m_connections)
    {
        c.tls->CountOpenHandshake();
    }
}

} // namespace ns3
