/*
 * The run's book of application messages. Applications open a record per report and mark it
 * delivered and completed; the link accounting attributes every frame on the air to a record
 * through the MessageTag that the sending application set.
 *
 * Records are finalized (fired on the MessageFinalized trace source, then forgotten) a linger
 * time after their exchange completes, by which time no more frames can belong to them (the
 * runner sets it to CoAP's EXCHANGE_LIFETIME). Memory therefore grows with the messages in
 * progress, not with the length of the run; aggregate figures are kept as running sums.
 *
 * Lookups by token and by message ID are hash-map operations: O(1) in the number of devices.
 */
#ifndef LPWAN_MESSAGE_LEDGER_H
#define LPWAN_MESSAGE_LEDGER_H

#include "layer-bytes.h"
#include "message-record.h"
#include "message-tag.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ns3
{

/// Running totals over every message of a run.
struct LedgerTotals
{
    uint64_t sent = 0;
    uint64_t delivered = 0;
    uint64_t completed = 0;
    uint64_t requestRetransmissions = 0;
    uint64_t repeatedDatagrams = 0;
    uint64_t framesOnAir = 0;
    uint64_t framesLost = 0;
    LayerBytes air;                              ///< every frame on the air, attributed or not
    LayerBytes unattributedAir;                  ///< frames that carried no message (e.g. ICMP)
    uint64_t handshakeAir = 0;                   ///< bytes (all layers) of handshake frames
    std::map<std::string, uint64_t> completions; ///< response/timeout/reset counts
    std::vector<double> latencies; ///< seconds, one per delivered message, in delivery order
};

/// How a protected message's UDP payload divides into application payload, CoAP encoding and
/// security overhead. Only its sender knows (the plaintext is encrypted on the wire), so the
/// sending application records it here for the link accounting.
struct PayloadSplit
{
    uint32_t app = 0;
    uint32_t coap = 0;
    uint32_t security = 0;

    uint32_t Total() const
    {
        return app + coap + security;
    }
};

class MessageLedger : public Object
{
  public:
    static TypeId GetTypeId();
    MessageLedger();

    /// Who picked a CoAP message ID: the device or the server.
    enum class MidOwner : uint8_t
    {
        Device = 0,
        Server = 1,
    };

    /// Opens a record for a new application message from a device; returns its id.
    uint64_t Open(uint32_t deviceAddress, uint32_t deviceIndex, const std::string& protocol,
                  bool confirmable);
    /// Associates a CoAP token (of an exchange with that device) with a message. handshake:
    /// the exchange carries a key exchange (EDHOC) for the message, not the message itself;
    /// its datagrams are the message's handshake bytes.
    void BindToken(uint32_t deviceAddress, const std::vector<uint8_t>& token, uint64_t id,
                   bool handshake = false);
    /// True when the token was bound as a handshake exchange.
    bool IsHandshakeToken(uint32_t deviceAddress, const std::vector<uint8_t>& token) const;
    /// Associates a CoAP message ID with a message.
    void BindMessageId(uint32_t deviceAddress, MidOwner owner, uint16_t mid, uint64_t id);
    /// The message bound to this token, or MessageTag::kNoMessage.
    uint64_t FindByToken(uint32_t deviceAddress, const std::vector<uint8_t>& token) const;
    /// The message bound to this message ID, or MessageTag::kNoMessage.
    uint64_t FindByMessageId(uint32_t deviceAddress, MidOwner owner, uint16_t mid) const;

    /// Records how the protected request (uplink) or response (downlink) of a message splits.
    void SetPayloadSplit(uint64_t id, bool uplink, const PayloadSplit& split);
    /// The split recorded for that direction, or nullptr.
    const PayloadSplit* GetPayloadSplit(uint64_t id, bool uplink) const;

    /// Names the message whose report waits for a handshake between this device and the
    /// server: handshake flights in either direction are attributed to it.
    void SetHandshakeOwner(uint32_t deviceAddress, uint64_t id);
    /// The device's current handshake owner, or MessageTag::kNoMessage.
    uint64_t GetHandshakeOwner(uint32_t deviceAddress) const;

    /// The report waited for a handshake: kind is "full", "abbreviated" or "failed".
    void MarkHandshake(uint64_t id, const std::string& kind, Time waited);

    /// The server application received the message (first copy only counts).
    void MarkDelivered(uint64_t id);
    /// The device's exchange ended. completion: "response", "timeout" or "reset".
    void MarkCompleted(uint64_t id, const std::string& completion, uint32_t retransmissions,
                       const std::string& responseCode);

    /// A frame was put on the air. bytes: its size per layer. tag may be null (unattributed).
    void RecordAirFrame(const MessageTag* tag, const LayerBytes& bytes);
    /// A frame that carries bytes of several messages (a TCP segment): one part per message,
    /// each with its tag and its bytes; counted as one frame.
    void RecordAirFrameParts(const std::vector<std::pair<MessageTag, LayerBytes>>& parts);
    /// A frame put on the air was lost by the link.
    void RecordAirFrameLost(const MessageTag* tag);

    /// The record of a message not yet finalized (nullptr once it is), e.g. to note what an
    /// adversary did to it.
    MessageRecord* GetRecord(uint64_t id)
    {
        return Find(id);
    }

    /// Finalizes every record still open (end of run). Messages never delivered count as lost.
    void FinalizeAll();

    const LedgerTotals& GetTotals() const
    {
        return m_totals;
    }

    /// Records not yet finalized (for tests).
    size_t GetOpenRecordCount() const
    {
        return m_records.size();
    }

    typedef void (*MessageFinalizedCallback)(const MessageRecord& record);

  private:
    void DoDispose() override;
    void Finalize(uint64_t id);
    /// Adds one message's bytes of a frame on the air (not the frame count of the totals).
    void AddAirBytes(const MessageTag* tag, const LayerBytes& bytes);
    MessageRecord* Find(uint64_t id);
    static std::string TokenKey(uint32_t deviceAddress, const std::vector<uint8_t>& token);
    static uint64_t MidKey(uint32_t deviceAddress, MidOwner owner, uint16_t mid);

    struct Entry
    {
        MessageRecord record;
        std::vector<std::string> tokenKeys;
        std::vector<uint64_t> midKeys;
        bool hasSplit[2] = {false, false}; ///< [uplink]
        PayloadSplit split[2];
    };

    Time m_linger;
    uint64_t m_nextId = 1;
    std::unordered_map<uint64_t, Entry> m_records;
    std::unordered_map<std::string, uint64_t> m_byToken;
    std::unordered_set<std::string> m_handshakeTokens; ///< keys of m_byToken
    std::unordered_map<uint64_t, uint64_t> m_byMid;
    std::unordered_map<uint32_t, uint64_t> m_handshakeOwners; ///< device address -> message
    LedgerTotals m_totals;
    TracedCallback<const MessageRecord&> m_messageFinalized;
    TracedCallback<const MessageRecord&> m_messageOpened;
};

} // namespace ns3

#endif // LPWAN_MESSAGE_LEDGER_H
