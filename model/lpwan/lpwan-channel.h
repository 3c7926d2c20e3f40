/*
 * LpwanChannel: the shared radio medium of one LPWAN gateway and the many battery devices
 * (stations) around it, with a cost per frame that does not depend on the number of stations.
 *
 * What is modelled
 *  - A star: one gateway LpwanNetDevice and any number of station LpwanNetDevices. Stations only
 *    talk to the gateway; the gateway talks to one station per frame. Station-to-station
 *    traffic goes up to the gateway, through its IP forwarding, and down again.
 *  - Separate uplink and downlink (FDD-like): uplink and downlink frames never interfere.
 *  - Serialization: a frame of B bytes (LPWAN header + IPv4 packet + FCS, see
 *    lpwan-frame-header.h) occupies its direction for B * 8 / rate seconds (UplinkDataRate or
 *    DownlinkDataRate), then arrives Delay later (a fixed one-way latency standing for
 *    scheduling, repetitions and core-network latency). The medium is free again at the end of
 *    serialization, not after Delay.
 *  - Downlink: the gateway sends one downlink frame at a time, in FIFO order from its transmit
 *    queue; the next starts when the previous one's serialization ends.
 *  - Uplink, Medium = Scheduled: a centrally scheduled MAC. Each uplink frame a station queues
 *    takes a place in one channel-wide FIFO; when the medium is free the frame at the head is
 *    sent. No collisions; frames wait for the medium (back to back under load).
 *  - Uplink, Medium = Aloha: unslotted (pure) ALOHA without acknowledgements or backoff. A
 *    station sends its queued frames one after the other as soon as it can; two uplink frames
 *    whose airtimes [start, end) overlap collide, and every frame involved is lost (no capture
 *    effect). Collision bookkeeping looks only at the frames on the air at that moment.
 *  - Loss: each frame that did not collide is erased independently with LossProbability (one
 *    draw per frame at its start, from a stream set by AssignStreams).
 *  - Outages (AddOutage): while the gateway is down, every frame is lost ("gateway-down").
 *  - FCS: the receiving device checks the real CRC-16 of the frame's bytes and drops the frame
 *    on mismatch (bytes corrupted by a device's ReceiveErrorModel fail it).
 *  - Routing at the gateway: the downlink destination station is found from the IPv4
 *    destination address through a hash map (AddStationAddress), O(1).
 *
 * What is simplified or left out
 *  - No radio propagation, path loss, coverage classes, repetitions, random access, RRC,
 *    power saving states, link adaptation, MAC acknowledgements or retransmissions: a frame's
 *    fate is "delivered after a fixed time" or "lost". Energy and radio states are accounted
 *    by whoever listens to the trace sources.
 *  - The scheduler is an ideal FIFO without grant or signalling overhead; Aloha has no
 *    acknowledgements, so senders never learn of collisions.
 *  - Collision and loss are decided at the sender's end of transmission; FrameLost fires
 *    then, in the sender's context. Frames whose airtimes only touch at an instant do not
 *    collide.
 *  - Downlink is unicast only: IPv4 broadcast or multicast towards the stations (and any
 *    destination address not registered with AddStationAddress) is dropped ("no-route").
 *  - IPv4 only; at most 65534 stations per channel (16-bit short addresses).
 *
 * Every per-frame operation is O(1) in the number of stations (Aloha: O(overlapping frames)).
 */
#ifndef LPWAN_CHANNEL_H
#define LPWAN_CHANNEL_H

#include "net/outage-schedule.h"

#include "ns3/channel.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class LpwanNetDevice;

/**
 * \brief The shared medium of an LPWAN gateway and its stations (see the file comment).
 */
class LpwanChannel : public Channel
{
  public:
    /// How the uplink is shared among stations.
    enum Medium
    {
        SCHEDULED, ///< one channel-wide FIFO of uplink frames, no collisions
        ALOHA,     ///< unslotted ALOHA: overlapping uplink frames are all lost
    };

    /// stationNodeId reported for a frame that has no station (downlink without a route).
    static constexpr uint32_t kNoStation = 0xffffffff;

    /**
     * TracedCallback signature of FrameTxBegin.
     * \param frame the frame, with LPWAN header and FCS trailer
     * \param stationNodeId node id of the station that sends (uplink) or receives (downlink)
     * \param uplink true for station to gateway
     * \param txDuration serialization time of the frame
     */
    typedef void (*FrameTxBeginTracedCallback)(Ptr<const Packet> frame, uint32_t stationNodeId,
                                               bool uplink, Time txDuration);
    /**
     * TracedCallback signature of FrameRxEnd.
     * \param frame the frame, with LPWAN header and FCS trailer
     * \param stationNodeId node id of the station that sent (uplink) or receives (downlink)
     * \param uplink true for station to gateway
     */
    typedef void (*FrameRxEndTracedCallback)(Ptr<const Packet> frame, uint32_t stationNodeId,
                                             bool uplink);
    /**
     * TracedCallback signature of FrameLost.
     * \param frame the frame, with LPWAN header and FCS trailer
     * \param stationNodeId node id of the station, or kNoStation
     * \param uplink true for station to gateway
     * \param reason "loss" (erased on the air), "collision" (Aloha), "fcs" (the receiver's FCS
     *        check failed), "no-route" (the gateway knows no station for the IPv4 destination,
     *        or the channel has no gateway) or "queue" (the sender's transmit FIFO was full).
     *        "no-route" and "queue" frames never went on the air (no FrameTxBegin); they are
     *        reported as the frame that would have been sent.
     */
    typedef void (*FrameLostTracedCallback)(Ptr<const Packet> frame, uint32_t stationNodeId,
                                            bool uplink, std::string reason);

    static TypeId GetTypeId();

    LpwanChannel();
    ~LpwanChannel() override;

    /**
     * Attach a device (LpwanNetDevice::Attach calls this). The device's role decides where it
     * goes: one gateway per channel, which gets short address 0x0000; stations get 0x0001,
     * 0x0002, ... in attach order.
     * \param device the device
     */
    void Attach(Ptr<LpwanNetDevice> device);

    /// \return 1 (gateway, if attached) + number of stations
    std::size_t GetNDevices() const override;
    /// \param i index: the gateway first (if attached), then the stations in attach order
    /// \return the device
    Ptr<NetDevice> GetDevice(std::size_t i) const override;
    /// \return the gateway device, or null
    Ptr<LpwanNetDevice> GetGateway() const;
    /// \return the number of attached stations
    std::size_t GetNStations() const;

    /**
     * Register a station's IPv4 address so the gateway can route downlink packets to it.
     * \param address the station's address on this link
     * \param station a station device attached to this channel
     */
    void AddStationAddress(Ipv4Address address, Ptr<LpwanNetDevice> station);
    /// \param address an address registered with AddStationAddress; it is forgotten
    void RemoveStationAddress(Ipv4Address address);
    /// \param address an IPv4 address
    /// \return the station registered for it, or null (O(1))
    Ptr<LpwanNetDevice> LookupStation(Ipv4Address address) const;

    /// \return the uplink data rate
    DataRate GetUplinkDataRate() const;
    /// \return the downlink data rate
    DataRate GetDownlinkDataRate() const;
    /// \return the one-way latency added after serialization
    Time GetDelay() const;

    /// The gateway is down from start for duration (faults): every frame that ends its
    /// serialization while it is down is lost ("gateway-down"), uplink and downlink.
    void AddOutage(Time start, Time duration);
    /// \return the uplink sharing scheme
    Medium GetMedium() const;
    /// \param frameBytes frame size including LPWAN header and trailer
    /// \return its serialization time on the uplink or downlink
    Time GetTxTime(uint32_t frameBytes, bool uplink) const;

    /**
     * Assign a fixed random variable stream number to the loss process.
     * \param stream first stream index to use
     * \return the number of streams assigned (1)
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    friend class LpwanNetDevice;

    /// One frame on the air.
    struct Transmission
    {
        uint64_t id;
        Ptr<LpwanNetDevice> sender;
        Ptr<LpwanNetDevice> receiver;
        Ptr<Packet> frame;
        uint32_t stationNodeId;
        bool uplink;
        bool erased;
    };

    /// An Aloha uplink frame currently on the air.
    struct ActiveUplink
    {
        uint64_t id;
        Time end;
        bool collided;
    };

    /// A station queued one uplink frame (Scheduled medium): it joins the uplink FIFO.
    void RequestUplink(Ptr<LpwanNetDevice> station);
    /// Give the free uplink to the station at the head of the uplink FIFO.
    void GrantNextUplink();
    /**
     * Put a frame on the air.
     * \param sender the transmitting device
     * \param frame the frame with header and trailer
     * \param receiver the gateway (uplink) or the destination station (downlink)
     */
    void TransmitStart(Ptr<LpwanNetDevice> sender, Ptr<Packet> frame, Ptr<LpwanNetDevice> receiver);
    /// End of serialization: decide the frame's fate, free the medium.
    void TransmitEnd(Transmission tx);
    /// Fire FrameRxEnd (the receiver accepted the frame's FCS).
    void NotifyFrameRxEnd(Ptr<const Packet> frame, uint32_t stationNodeId, bool uplink);
    /// Fire FrameLost.
    void NotifyFrameLost(Ptr<const Packet> frame, uint32_t stationNodeId, bool uplink,
                         const std::string& reason);

    DataRate m_uplinkRate;
    DataRate m_downlinkRate;
    Time m_delay;
    OutageSchedule m_outages;
    double m_lossProbability;
    Medium m_medium;
    Ptr<UniformRandomVariable> m_lossRng;

    Ptr<LpwanNetDevice> m_gateway;
    std::vector<Ptr<LpwanNetDevice>> m_stations;
    std::unordered_map<uint32_t, Ptr<LpwanNetDevice>> m_stationByAddress;

    uint64_t m_nextTxId;
    bool m_uplinkBusy;                                //!< Scheduled: a frame is on the uplink
    std::deque<Ptr<LpwanNetDevice>> m_uplinkRequests; //!< Scheduled: one entry per queued frame
    std::vector<ActiveUplink> m_activeUplinks;        //!< Aloha: frames on the air

    TracedCallback<Ptr<const Packet>, uint32_t, bool, Time> m_frameTxBeginTrace;
    TracedCallback<Ptr<const Packet>, uint32_t, bool> m_frameRxEndTrace;
    TracedCallback<Ptr<const Packet>, uint32_t, bool, std::string> m_frameLostTrace;
};

} // namespace ns3

#endif // LPWAN_CHANNEL_H
