#include "mqtt-meter-app.h"

#include "energy/mcu-schedule.h"
#include "net/simulator-time.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("MqttMeterApp");
NS_OBJECT_ENSURE_REGISTERED(MqttMeterApp);

TypeId
MqttMeterApp::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::MqttMeterApp")
              .SetParent<Application>()
              .SetGroupName("LpwanSec")
              .AddConstructor<MqttMeterApp>()
              .AddAttribute("Server", "The broker's address (InetSocketAddress).", AddressValue(),
                            MakeAddressAccessor(&MqttMeterApp::m_server), MakeAddressChecker())
              .AddAttribute("Interval", "Time between two reports.", TimeValue(Seconds(3600)),
                            MakeTimeAccessor(&MqttMeterApp::m_interval),
                            MakeTimeChecker(NanoSeconds(1)))
              .AddAttribute("Jitter", "Each report is delayed by a uniform draw in [0, Jitter].",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&MqttMeterApp::m_jitter),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("PayloadSize",
                            "Bytes of application payload per report (at least 4: the "
                            "sequence number the broker side recognises the report by).",
                            UintegerValue(50), MakeUintegerAccessor(&MqttMeterApp::m_payloadSize),
                            MakeUintegerChecker<uint32_t>(4, 65000))
              .AddAttribute("DeviceIndex", "The device's index in the scenario.", UintegerValue(0),
                            MakeUintegerAccessor(&MqttMeterApp::m_deviceIndex),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("Qos", "MQTT QoS of the reports (0 or 1).", UintegerValue(1),
                            MakeUintegerAccessor(&MqttMeterApp::m_qos),
                            MakeUintegerChecker<uint8_t>(0, 1))
              .AddAttribute("Topic", "Topic of the reports; {device} is replaced by the index.",
                            StringValue("meters/{device}"),
                            MakeStringAccessor(&MqttMeterApp::m_topic), MakeStringChecker())
              .AddAttribute("KeepAlive", "MQTT keep-alive (0: off).", TimeValue(Seconds(1200)),
                            MakeTimeAccessor(&MqttMeterApp::m_keepAlive),
                            MakeTimeChecker(Seconds(0), Seconds(65535)))
              .AddAttribute("ReconnectDelay",
                            "Wait before a new connection when one was lost with reports "
                            "still unacknowledged.",
                            TimeValue(Seconds(10)),
                            MakeTimeAccessor(&MqttMeterApp::m_reconnectDelay),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("SegmentSize", "TCP maximum segment size (bytes).", UintegerValue(536),
                            MakeUintegerAccessor(&MqttMeterApp::m_segmentSize),
                            MakeUintegerChecker<uint32_t>(64, 65000))
              .AddAttribute("NatBindingTimeout",
                            "Idle time after which the NAT on the path forgets the device's "
                            "TCP binding (0: no NAT).",
                            TimeValue(Seconds(0)),
                            MakeTimeAccessor(&MqttMeterApp::m_natBindingTimeout),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("Ledger", "Where messages are recorded (may be null).", PointerValue(),
                            MakePointerAccessor(&MqttMeterApp::m_ledger),
                            MakePointerChecker<MessageLedger>());
    return tid;
}

MqttMeterApp::MqttMeterApp()
  : m_timingStream(CreateObject<UniformRandomVariable>())
  , m_transportStream(CreateObject<UniformRandomVariable>())
  , m_payloadStream(CreateObject<UniformRandomVariable>())
{
}

MqttMeterApp::~MqttMeterApp() = default;

int64_t
MqttMeterApp::AssignStreams(int64_t stream)
{
    m_timingStream->SetStream(stream);
    m_transportStream->SetStream(stream + 1);
    m_payloadStream->SetStream(stream + 2);
    return 3;
}

void
MqttMeterApp::SetTlsSessions(std::shared_ptr<lpwan::tls::StreamSessionFactory> sessions)
{
    NS_ABORT_MSG_IF(!sessions || sessions->GetRole() != lpwan::tls::Role::Client,
                    "MqttMeterApp: needs a TLS client");
    m_tls = std::move(sessions);
}

void
MqttMeterApp::SetTlsConfig(std::shared_ptr<const lpwan::tls::Config> config)
{
    NS_ABORT_MSG_IF(config->GetOptions().transport != lpwan::tls::Transport::Stream,
                    "MqttMeterApp: needs a TLS (stream) client configuration");
    SetTlsSessions(std::make_shared<lpwan::tls::Tls12SessionFactory>(std::move(config)));
}

void
MqttMeterApp::DoDispose()
{
    m_reportEvent.Cancel();
    m_clientTimer.Cancel();
    m_reconnectEvent.Cancel();
    m_connection.reset();
    m_retired.clear();
    m_client.reset();
    m_ledger = nullptr;
    Application::DoDispose();
}

void
MqttMeterApp::StartApplication()
{
    NS_ABORT_MSG_IF(!m_tls, "MqttMeterApp: no TLS client (SetTlsSessions)");
    NS_ABORT_MSG_IF(!InetSocketAddress::IsMatchingType(m_server),
                    "MqttMeterApp: Server must be an InetSocketAddress");
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                    "MqttMeterApp: node has no IPv4 interface");
    m_localAddress = ipv4->GetAddress(1, 0).GetLocal();

    std::string index = std::to_string(m_deviceIndex);
    for (size_t at; (at = m_topic.find("{device}")) != std::string::npos;)
    {
        m_topic.replace(at, 8, index);
    }
    lpwan::mqtt::ClientConfig config;
    config.clientId = "device-" + index;
    config.cleanSession = false; // unacknowledged reports survive a lost connection
    config.keepAliveSeconds = static_cast<uint16_t>(m_keepAlive.GetSeconds());
    // Over a lossy link with seconds of round trip, TCP's backed-off retransmissions take far
    // longer than the 30 s a LAN client waits: wait a keep-alive period for a PINGRESP (as
    // Eclipse Paho does), and a minute for a CONNACK.
    if (!m_keepAlive.IsZero())
    {
        config.pingResponseTimeout = m_keepAlive.GetNanoSeconds();
    }
    config.connackTimeout = lpwan::SecondsToNs(60);
    m_clientConfig = config;
    m_client = std::make_unique<lpwan::mqtt::Client>(config);

    m_schedule.Configure(m_interval, m_jitter, m_timingStream);
    m_reportEvent = Simulator::Schedule(m_schedule.First(), &MqttMeterApp::SendReport, this);
}

void
MqttMeterApp::StopApplication()
{
    // Only stop reporting: reports in flight run to their end.
    m_reportEvent.Cancel();
}

void
MqttMeterApp::SendReport()
{
    std::vector<uint8_t> payload
        = ReportSchedule::Reading(m_sequence, m_payloadSize, m_payloadStream);
    ++m_sequence;
    uint64_t id = MessageTag::kNoMessage;
    if (m_ledger)
    {
        id = m_ledger->Open(m_localAddress.Get(), m_deviceIndex, m_tls->GetMqttProtocolName(),
                            m_qos > 0);
        m_ledger->BindToken(m_localAddress.Get(),
                            ReportSchedule::ReadingKey(payload.data(), payload.size()), id);
    }
    m_reportEvent = Simulator::Schedule(m_schedule.Next(), &MqttMeterApp::SendReport, this);
    m_retired.clear(); // not inside a connection's callback here
    if (Simulator::Now() < m_bootedAt)
    {
        if (m_ledger)
        {
            m_ledger->MarkCompleted(id, "device-rebooting", 0, ""); // never sent
        }
        return;
    }

    CheckNatBinding();
    lpwan::mqtt::RequestResult r
        = m_client->Publish(SimulatorNowNs(), m_topic, std::move(payload), m_qos);
    if (!r.ok)
    {
        NS_LOG_WARN("device " << m_deviceIndex << ": report not published: " << r.error);
        if (m_ledger)
        {
            m_ledger->MarkCompleted(id, "rejected", 0, "");
        }
        return;
    }
    NS_LOG_INFO("device " << m_deviceIndex << ": report " << id << " published (QoS "
                          << static_cast<int>(m_qos) << ")");
    if (r.packetId != 0)
    {
        m_byPacketId[r.packetId] = id;
        if (m_ledger)
        {
            m_ledger->BindMessageId(m_localAddress.Get(), MessageLedger::MidOwner::Device,
                                    r.packetId, id);
        }
    }
    if (m_client->GetState() != lpwan::mqtt::ClientState::Connected)
    {
        // The report waits for the connection; the first waiting one owns its handshake.
        if (m_waiting.empty() && m_ledger)
        {
            m_ledger->SetHandshakeOwner(m_localAddress.Get(), id);
        }
        m_waiting.push_back(Waiting{id, Simulator::Now()});
        EnsureConnection();
    }
    Pump();
}

void
MqttMeterApp::CheckNatBinding()
{
    if (m_natBindingTimeout.IsZero() || !m_connection || m_connection->IsOver()
        || Simulator::Now() - m_connection->GetLastActivity() <= m_natBindingTimeout)
    {
        return;
    }
    // The binding expired: the connection is dead for the server's side of the NAT. The
    // device forgets it and opens a new one when it next has to.
    ++m_natRebindings;
    m_connection->Abandon();
    RetireConnection();
    m_client->TransportClosed(SimulatorNowNs());
    Pump();
}

void
MqttMeterApp::EnsureConnection()
{
    if ((m_connection && !m_connection->IsOver()) || m_reconnectEvent.IsRunning())
    {
        return;
    }
    OpenConnection();
}

void
MqttMeterApp::OpenConnection()
{
    m_retired.clear();
    RetireConnection();
    Ptr<Socket> socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    socket->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
    // No RFC 7323 timestamps: constrained stacks (lwIP's default) leave them out, which saves
    // 12 bytes per segment; and ns-3 3.37 takes RTT samples from timestamp echoes that, after
    // an hour of idleness, are an hour old, so the RTO grows to hours and one lost segment
    // stalls the connection until the broker's keep-alive gives up.
    socket->SetAttribute("Timestamp", BooleanValue(false));
    socket->Bind();
    socket->Connect(m_server);
    InetSocketAddress server = InetSocketAddress::ConvertFrom(m_server);
    lpwan::PeerId peer = lpwan::MakePeerId(server.GetIpv4().Get(), server.GetPort());
    std::unique_ptr<lpwan::tls::StreamSession> session = m_tls->NewSession(peer, m_savedSession);
    TlsTcpConnection::Callbacks callbacks;
    callbacks.established = [this](bool abbreviated)
    {
        ConnectionEstablished(abbreviated);
    };
    callbacks.data = [this](const std::vector<uint8_t>& bytes)
    {
        ConnectionData(bytes);
    };
    callbacks.closed = [this](const std::string& reason)
    {
        ConnectionClosed(reason);
    };
    m_connection = std::make_unique<TlsTcpConnection>(socket, std::move(session), m_localAddress,
                                                      m_ledger, std::move(callbacks));
    m_connection->SetFigures(&m_figures, false);
    ++m_figures.started;
    ++m_connectionsOpened;
}

void
MqttMeterApp::RetireConnection()
{
    if (m_connection)
    {
        m_retired.push_back(std::move(m_connection));
    }
}

void
MqttMeterApp::ConnectionEstablished(bool abbreviated)
{
    if (m_tls->Resumes())
    {
        m_savedSession = m_connection->GetSession().SaveSession();
    }
    if (m_ledger)
    {
        for (const Waiting& w : m_waiting)
        {
            m_ledger->MarkHandshake(w.id, abbreviated ? "abbreviated" : "full",
                                    Simulator::Now() - w.queued);
        }
    }
    m_client->Connect(SimulatorNowNs());
    Pump();
}

void
MqttMeterApp::ConnectionData(const std::vector<uint8_t>& bytes)
{
    m_client->Receive(SimulatorNowNs(), bytes.data(), bytes.size());
    Pump();
}

void
MqttMeterApp::ConnectionClosed(const std::string& reason)
{
    NS_LOG_INFO("device " << m_deviceIndex << ": connection lost: " << reason);
    if (m_ledger)
    {
        for (const Waiting& w : m_waiting)
        {
            // Replaced when a later connection succeeds.
            m_ledger->MarkHandshake(w.id, "failed", Simulator::Now() - w.queued);
        }
    }
    RetireConnection();
    m_client->TransportClosed(SimulatorNowNs());
    Pump();
    if (m_client->PendingMessages() > 0 && !m_reconnectEvent.IsRunning())
    {
        m_reconnectEvent
            = Simulator::Schedule(m_reconnectDelay, &MqttMeterApp::EnsureConnection, this);
    }
}

void
MqttMeterApp::ClientTimer()
{
    CheckNatBinding();
    m_client->OnTimer(SimulatorNowNs());
    Pump();
}

uint64_t
MqttMeterApp::MessageOf(const lpwan::mqtt::OutgoingPacket& packet) const
{
    if (!m_ledger)
    {
        return MessageTag::kNoMessage;
    }
    if (packet.type == lpwan::mqtt::PacketType::Publish && packet.payloadBytes > 0)
    {
        const uint8_t* payload = packet.bytes.data() + packet.bytes.size() - packet.payloadBytes;
        return m_ledger->FindByToken(m_localAddress.Get(),
                                     ReportSchedule::ReadingKey(payload, packet.payloadBytes));
    }
    return m_ledger->GetHandshakeOwner(m_localAddress.Get());
}

void
MqttMeterApp::Pump()
{
    if (m_connection && m_connection->IsEstablished() && m_client->HasOutput())
    {
        std::vector<lpwan::mqtt::OutgoingPacket> packets = m_client->TakePackets();
        std::vector<uint8_t> plaintext;
        std::vector<TlsTcpConnection::Range> ranges;
        for (const lpwan::mqtt::OutgoingPacket& p : packets)
        {
            uint64_t id = MessageOf(p);
            plaintext.insert(plaintext.end(), p.bytes.begin(), p.bytes.end());
            // CONNECT belongs to setting the connection up, like TCP's SYN and TLS's handshake.
            bool setUp = p.type == lpwan::mqtt::PacketType::Connect;
            ranges.push_back({p.HeaderBytes(), StreamBytesTag::Layer::Protocol, id, setUp});
            ranges.push_back({p.payloadBytes, StreamBytesTag::Layer::App, id, setUp});
            if (p.type == lpwan::mqtt::PacketType::Publish && p.packetId == 0 && m_ledger)
            {
                m_ledger->MarkCompleted(id, "sent", 0, ""); // QoS 0: nothing comes back
            }
        }
        m_connection->Write(plaintext, ranges);
    }
    for (const lpwan::mqtt::ClientEvent& e : m_client->TakeEvents())
    {
        HandleClientEvent(e);
    }
    m_clientTimer.Cancel();
    if (std::optional<lpwan::TimeNs> next = m_client->NextTimer())
    {
        // Started when the packets leave the device's MCU (energy/mcu-schedule.h).
        Time delay = DelayUntil(*next) + McuSchedule::BusyTimeOf(GetNode());
        m_clientTimer = Simulator::Schedule(delay, &MqttMeterApp::ClientTimer, this);
    }
}

void
MqttMeterApp::HandleClientEvent(const lpwan::mqtt::ClientEvent& e)
{
    switch (e.kind)
    {
        case lpwan::mqtt::ClientEvent::Kind::Connected:
            m_waiting.clear();
            if (m_ledger)
            {
                m_ledger->SetHandshakeOwner(m_localAddress.Get(), MessageTag::kNoMessage);
            }
            break;
        case lpwan::mqtt::ClientEvent::Kind::Published:
        {
            auto it = m_byPacketId.find(e.packetId);
            if (it != m_byPacketId.end())
            {
                if (m_ledger)
                {
                    m_ledger->MarkCompleted(it->second, "response", e.transmissions - 1, "PUBACK");
                }
                m_byPacketId.erase(it);
            }
            break;
        }
        case lpwan::mqtt::ClientEvent::Kind::PublishDropped:
        {
            auto it = m_byPacketId.find(e.message.packetId);
            if (it != m_byPacketId.end())
            {
                if (m_ledger)
                {
                    m_ledger->MarkCompleted(it->second, "dropped", 0, "");
                }
                m_byPacketId.erase(it);
            }
            break;
        }
        case lpwan::mqtt::ClientEvent::Kind::ConnectionLost:
            // The client gave up on the connection (keep-alive, CONNACK timeout, violation).
            NS_LOG_INFO("device " << m_deviceIndex << ": MQTT connection lost: " << e.reason);
            if (m_connection)
            {
                m_connection->Close();
                RetireConnection();
            }
            if (m_client->PendingMessages() > 0 && !m_reconnectEvent.IsRunning())
            {
                m_reconnectEvent
                    = Simulator::Schedule(m_reconnectDelay, &MqttMeterApp::EnsureConnection, this);
            }
            break;
        default:
            break;
    }
}

void
MqttMeterApp::Reboot(Time bootTime)
{
    m_bootedAt = Simulator::Now() + bootTime;
    if (m_ledger)
    {
        // A report waiting for the connection may also await its PUBACK: each once.
        std::set<uint64_t> lost;
        for (const auto& [packetId, id] : m_byPacketId)
        {
            lost.insert(id);
        }
        for (const Waiting& w : m_waiting)
        {
            lost.insert(w.id);
        }
        for (uint64_t id : lost)
        {
            m_ledger->MarkCompleted(id, "device-reboot", 0, "");
        }
        m_ledger->SetHandshakeOwner(m_localAddress.Get(), MessageTag::kNoMessage);
    }
    m_byPacketId.clear();
    m_waiting.clear();
    m_clientTimer.Cancel();
    m_reconnectEvent.Cancel();
    if (m_connection)
    {
        m_connection->CountOpenHandshake();
        m_connection->Abandon();
        RetireConnection();
    }
    m_savedSession.clear();
    m_rebooted = true;
    m_retiredCounters += m_client->GetCounters();
    m_client = std::make_unique<lpwan::mqtt::Client>(m_clientConfig);
}

void
MqttMeterApp::FinishFigures()
{
    if (m_connection)
    {
        m_connection->CountOpenHandshake();
    }
}

} // namespace ns3
