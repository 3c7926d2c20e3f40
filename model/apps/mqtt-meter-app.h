/*
 * A meter that reports over MQTT 3.1.1 over TLS over ns-3 TCP (the `tls-mqtt` profile: TLS 1.2;
 * `tls13-mqtt`: TLS 1.3): the way many IoT platforms take device data. Each report is one PUBLISH
 * (QoS 1 by default: the broker's PUBACK completes it) on a long-lived connection.
 *
 * The connection: TCP handshake, TLS handshake (full, or abbreviated when a session saved from
 * an earlier connection is resumed), MQTT CONNECT/CONNACK, then reports. It is opened when a
 * report is due and none is open, and kept open; MQTT keep-alive (PINGREQ/PINGRESP) runs on it
 * when configured. It is lost when the peer closes it (e.g. the broker's keep-alive expiry),
 * TCP gives up, TLS fails, or the NAT on the path forgot the binding (NatBindingTimeout without
 * traffic): the device then opens a new connection, and unacknowledged QoS 1 reports are sent
 * again (DUP) on it (CleanSession = 0).
 *
 * Reports use the same schedule and readings as the CoAP meter (ReportSchedule, same streams),
 * so profiles compare on identical traffic. Every byte it writes is labelled for the link
 * accounting (see TlsTcpConnection); reports that wait for a connection own its handshake.
 */
#ifndef LPWAN_MQTT_METER_APP_H
#define LPWAN_MQTT_METER_APP_H

#include "net/tls-tcp-connection.h"
#include "protocols/mqtt/mqtt-client.h"
#include "protocols/tls/handshake-figures.h"
#include "protocols/tls/stream-session.h"
#include "protocols/tls/tls-config.h"
#include "report-schedule.h"
#include "stats/message-ledger.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <deque>
#include <memory>
#include <vector>

namespace ns3
{

class MqttMeterApp : public Application
{
  public:
    static TypeId GetTypeId();
    MqttMeterApp();
    ~MqttMeterApp() override;

    /// Assigns the random streams this app uses (the same numbering as MeterApp's).
    int64_t AssignStreams(int64_t stream);

    /// The device's TLS client: its version, credentials and random source. Required (this
    /// or SetTlsConfig); call before the application starts.
    void SetTlsSessions(std::shared_ptr<lpwan::tls::StreamSessionFactory> sessions);
    /// TLS 1.2: the device's client configuration (its credentials and DRBG).
    void SetTlsConfig(std::shared_ptr<const lpwan::tls::Config> config);

    uint32_t GetReportsSent() const
    {
        return m_sequence;
    }

    /// Handshakes of every connection so far (call FinishFigures() first at the end of a run).
    const lpwan::tls::HandshakeFigures& GetHandshakeFigures() const
    {
        return m_figures;
    }

    /// Counts a handshake still under way into the figures (end of run).
    void FinishFigures();

    /// The MQTT client's counters (those of clients lost in reboots included).
    const lpwan::mqtt::ClientCounters* GetMqttCounters() const
    {
        if (!m_client || !m_rebooted)
        {
            return m_client ? &m_client->GetCounters() : nullptr;
        }
        m_countersSum = m_retiredCounters;
        m_countersSum += m_client->GetCounters();
        return &m_countersSum;
    }

    /// Times the NAT binding had expired when the device next had something to send.
    uint32_t GetNatRebindings() const
    {
        return m_natRebindings;
    }

    /// The device reboots now and is down for bootTime: its connection is gone (abandoned:
    /// a rebooting device says nothing), and with it the MQTT session in RAM (reports not yet
    /// acknowledged are lost: completion device-reboot) and the TLS session saved for
    /// resumption. Reports due while it boots are lost (device-rebooting); the next report
    /// opens a new TCP + TLS connection and sends CONNECT.
    void Reboot(Time bootTime);

    /// TCP/TLS connections opened.
    uint32_t GetConnectionsOpened() const
    {
        return m_connectionsOpened;
    }

  private:
    /// A report that waits for the connection (it owns the connection's handshake).
    struct Waiting
    {
        uint64_t id;
        Time queued;
    };

    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void SendReport();
    /// Opens a new TCP + TLS connection unless one is open or opening.
    void EnsureConnection();
    void OpenConnection();
    /// A new connection if the NAT binding of the open one has expired.
    void CheckNatBinding();
    void ConnectionEstablished(bool abbreviated);
    void ConnectionData(const std::vector<uint8_t>& bytes);
    void ConnectionClosed(const std::string& reason);
    void ClientTimer();
    /// Writes the client's packets, handles its events, re-arms its timer.
    void Pump();
    void HandleClientEvent(const lpwan::mqtt::ClientEvent& event);
    /// The ledger message a packet's bytes belong to.
    uint64_t MessageOf(const lpwan::mqtt::OutgoingPacket& packet) const;
    void RetireConnection();

    // attributes
    Address m_server;
    Time m_interval;
    Time m_jitter;
    uint32_t m_payloadSize;
    uint32_t m_deviceIndex;
    uint8_t m_qos;
    std::string m_topic;
    Time m_keepAlive;
    Time m_reconnectDelay;
    uint32_t m_segmentSize;
    Time m_natBindingTimeout;
    Ptr<MessageLedger> m_ledger;

    Ptr<UniformRandomVariable> m_timingStream;
    Ptr<UniformRandomVariable> m_transportStream; ///< unused (MeterApp's CoAP stream number)
    Ptr<UniformRandomVariable> m_payloadStream;
    ReportSchedule m_schedule;
    EventId m_reportEvent;
    EventId m_clientTimer;
    EventId m_reconnectEvent;
    uint32_t m_sequence = 0;
    Ipv4Address m_localAddress;

    std::shared_ptr<lpwan::tls::StreamSessionFactory> m_tls;
    std::vector<uint8_t> m_savedSession; ///< for an abbreviated handshake next time
    std::unique_ptr<lpwan::mqtt::Client> m_client;
    std::unique_ptr<TlsTcpConnection> m_connection;
    std::vector<std::unique_ptr<TlsTcpConnection>> m_retired; ///< deleted outside callbacks
    std::map<uint16_t, uint64_t> m_byPacketId;                ///< QoS 1 PUBLISH -> message
    std::deque<Waiting> m_waiting;
    lpwan::tls::HandshakeFigures m_figures;
    uint32_t m_natRebindings = 0;
    uint32_t m_connectionsOpened = 0;
    lpwan::mqtt::ClientConfig m_clientConfig;
    Time m_bootedAt; ///< reports due before this are lost (rebooting)
    bool m_rebooted = false;
    lpwan::mqtt::ClientCounters m_retiredCounters; ///< of the clients lost in reboots
    mutable lpwan::mqtt::ClientCounters m_countersSum;
};

} // namespace ns3

#endif // LPWAN_MQTT_METER_APP_H
