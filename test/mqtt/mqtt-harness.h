/*
 * An in-memory network for MQTT tests: one Broker and named Clients, each client on its own
 * broker connection. Pump() moves bytes both ways until nothing moves; Advance() runs both
 * sides' timers in deadline order up to a time. A test can black-hole either direction of a
 * connection to simulate a silent peer, and cut a connection under both ends.
 */
#ifndef LPWAN_TEST_MQTT_HARNESS_H
#define LPWAN_TEST_MQTT_HARNESS_H

#include "protocols/mqtt/mqtt-broker.h"
#include "protocols/mqtt/mqtt-client.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mqtttest
{

using namespace lpwan::mqtt;

class Harness
{
  public:
    struct Peer
    {
        std::unique_ptr<Client> client;
        ConnectionId connection = 0;
        bool open = false;         ///< the simulated stream exists
        bool dropToClient = false; ///< broker -> client bytes vanish
        bool dropToBroker = false; ///< client -> broker bytes vanish
        std::vector<ClientEvent> events;
        std::vector<OutgoingPacket> sent;     ///< every packet the client wrote
        std::vector<OutgoingPacket> received; ///< every packet the broker wrote to it
    };

    explicit Harness(BrokerConfig config = {})
      : broker(std::move(config))
    {
    }

    Client& Add(const std::string& name, ClientConfig config)
    {
        Peer& p = peers[name];
        p.client = std::make_unique<Client>(std::move(config));
        return *p.client;
    }

    Peer& operator[](const std::string& name)
    {
        return peers.at(name);
    }

    /// Opens a stream for the client and starts its MQTT connection.
    void Open(const std::string& name)
    {
        Peer& p = peers.at(name);
        p.connection = broker.Open(now);
        p.open = true;
        byConnection[p.connection] = name;
        EXPECT_TRUE(p.client->Connect(now));
        Pump();
    }

    /// Breaks the stream under both ends (a network failure).
    void Cut(const std::string& name)
    {
        Peer& p = peers.at(name);
        if (!p.open)
        {
            return;
        }
        p.open = false;
        p.client->TransportClosed(now);
        broker.TransportClosed(p.connection, now);
        Pump();
    }

    void Pump()
    {
        for (int guard = 0; guard < 10000; ++guard)
        {
            bool moved = false;
            for (auto& [name, p] : peers)
            {
                std::vector<OutgoingPacket> out = p.client->TakePackets();
                if (p.open && !out.empty())
                {
                    moved = true;
                    if (!p.dropToBroker)
                    {
                        const Bytes bytes = Concatenate(out);
                        broker.Receive(p.connection, now, bytes.data(), bytes.size());
                    }
                }
                p.sent.insert(p.sent.end(), out.begin(), out.end());
                for (ClientEvent& e : p.client->TakeEvents())
                {
                    p.events.push_back(std::move(e));
                }
                if (p.open && p.client->GetState() == ClientState::Disconnected)
                {
                    // The client ended the connection (DISCONNECT or loss): close the stream.
                    p.open = false;
                    broker.TransportClosed(p.connection, now);
                    moved = true;
                }
            }
            for (BrokerAction& a : broker.TakeActions())
            {
                moved = true;
                auto it = byConnection.find(a.connection);
                ASSERT_NE(it, byConnection.end());
                Peer& p = peers.at(it->second);
                if (a.kind == BrokerAction::Kind::Close)
                {
                    closeReasons.push_back(a.reason);
                    if (p.open)
                    {
                        p.open = false;
                        p.client->TransportClosed(now);
                    }
                    continue;
                }
                p.received.push_back(a.packet);
                if (p.open && !p.dropToClient)
                {
                    p.client->Receive(now, a.packet.bytes.data(), a.packet.bytes.size());
                }
            }
            for (BrokerEvent& e : broker.TakeEvents())
            {
                brokerEvents.push_back(std::move(e));
            }
            if (!moved)
            {
                return;
            }
        }
        ADD_FAILURE() << "the harness did not settle";
    }

    /// Runs every timer due up to `until`, in deadline order, then sets now = until.
    void Advance(TimeNs until)
    {
        while (true)
        {
            std::optional<TimeNs> next = broker.NextTimer();
            for (auto& [name, p] : peers)
            {
                const std::optional<TimeNs> t = p.client->NextTimer();
                if (t && (!next || *t < *next))
                {
                    next = t;
                }
            }
            if (!next || *next > until)
            {
                break;
            }
            now = std::max(now, *next);
            broker.OnTimer(now);
            for (auto& [name, p] : peers)
            {
                const std::optional<TimeNs> t = p.client->NextTimer();
                if (t && *t <= now)
                {
                    p.client->OnTimer(now);
                }
            }
            Pump();
        }
        now = until;
    }

    /// Events of one kind a client saw.
    std::vector<ClientEvent> EventsOf(const std::string& name, ClientEvent::Kind kind) const
    {
        std::vector<ClientEvent> out;
        for (const ClientEvent& e : peers.at(name).events)
        {
            if (e.kind == kind)
            {
                out.push_back(e);
            }
        }
        return out;
    }

    std::vector<BrokerEvent> BrokerEventsOf(BrokerEvent::Kind kind) const
    {
        std::vector<BrokerEvent> out;
        for (const BrokerEvent& e : brokerEvents)
        {
            if (e.kind == kind)
            {
                out.push_back(e);
            }
        }
        return out;
    }

    Broker broker;
    TimeNs now = 0;
    std::map<std::string, Peer> peers;
    std::map<ConnectionId, std::string> byConnection;
    std::vector<BrokerEvent> brokerEvents;
    std::vector<std::string> closeReasons;
};

} // namespace mqtttest

#endif // LPWAN_TEST_MQTT_HARNESS_H
