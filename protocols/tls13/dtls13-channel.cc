#include "dtls13-channel.h"

#include "tls13-wire.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace lpwan
{
namespace tls13
{

namespace
{

constexpr size_t kDtlsHandshakeHeaderLength = 12;
constexpr size_t kMaxMessageLength = 65536;
constexpr uint16_t kMaxMessagesAhead = 8;

} // namespace

DtlsChannel::DtlsChannel(const DtlsOptions& options)
  : m_options(options)
  , m_timeout(options.initialTimeout)
{
    if (m_options.mtu < 64 || m_options.initialTimeout <= 0
        || m_options.maxTimeout < m_options.initialTimeout)
    {
        throw std::invalid_argument(
            "DtlsOptions: need mtu >= 64 and 0 < initialTimeout <= "
            "maxTimeout");
    }
}

DtlsChannel::~DtlsChannel() = default;

void
DtlsChannel::SetWriteSecret(const CipherSuiteInfo& suite, const Bytes& trafficSecret)
{
    m_writeEpoch = m_writeEpoch == 0 ? 2 : static_cast<uint16_t>(m_writeEpoch + 1);
    m_write[m_writeEpoch]
        = std::make_unique<DtlsRecordProtection>(suite, trafficSecret, m_writeEpoch);
}

void
DtlsChannel::SetReadSecret(const CipherSuiteInfo& suite, const Bytes& trafficSecret)
{
    m_readEpoch = m_readEpoch == 0 ? 2 : static_cast<uint16_t>(m_readEpoch + 1);
    m_read[m_readEpoch] = std::make_unique<DtlsRecordProtection>(suite, trafficSecret, m_readEpoch);
    // Section 4.2.1: records of older epochs are dropped; keeping the one before lets a
    // retransmitted handshake record (epoch 2) still be recognised once epoch 3 is in use.
    while (m_read.size() > 2)
    {
        m_read.erase(m_read.begin());
    }
}

// ---------------------------------------------------------------- sending

void
DtlsChannel::QueueHandshake(const Bytes& message)
{
    if (message.size() < 4)
    {
        throw std::invalid_argument("DtlsChannel: not a handshake message");
    }
    if (!m_flightOpen)
    {
        // A new flight: the previous one is done with, and so is the peer's flight it answers.
        m_flight.clear();
        m_sentRecords.clear();
        m_peerRecords.clear();
        m_deadline.reset();
        m_timeout = m_options.initialTimeout;
        m_flightOpen = true;
    }
    OutMessage m;
    m.seq = m_nextSendSeq++;
    m.epoch = m_writeEpoch;
    m.type = static_cast<HandshakeType>(message[0]);
    m.body.assign(message.begin() + 4, message.end());
    m_flight.push_back(std::move(m));
}

void
DtlsChannel::EndFlight(TimeNs now)
{
    if (!m_flightOpen)
    {
        return;
    }
    m_flightOpen = false;
    ++m_stats.flightsSent;
    Transmit();
    m_deadline = now + m_timeout;
}

size_t
DtlsChannel::RecordOverhead(uint16_t epoch) const
{
    if (epoch == 0)
    {
        return kDtlsPlaintextHeaderLength;
    }
    // Unified header with CID, an 8-bit sequence number and a length, the inner content type,
    // the tag.
    return 1 + m_peerCid.size() + 1 + 2 + 1 + m_write.at(epoch)->TagLength();
}

void
DtlsChannel::Transmit()
{
    struct Draft
    {
        uint16_t epoch;
        Bytes content;
        std::vector<uint16_t> seqs;
    };
    std::vector<Draft> datagram;
    size_t used = 0;
    auto flush = [&]()
    {
        if (datagram.empty())
        {
            return;
        }
        Bytes out;
        for (size_t i = 0; i < datagram.size(); ++i)
        {
            Draft& d = datagram[i];
            const bool last = i + 1 == datagram.size();
            if (d.epoch == 0)
            {
                const Bytes r = EncodeDtlsPlaintext(ContentType::Handshake, 0,
                                                    m_plaintextSequence++, d.content);
                out.insert(out.end(), r.begin(), r.end());
                continue;
            }
            DtlsRecordNumber number;
            const Bytes r = m_write.at(d.epoch)->Protect(ContentType::Handshake, d.content,
                                                         m_peerCid, !last, &number);
            m_sentRecords[number] = d.seqs;
            out.insert(out.end(), r.begin(), r.end());
        }
        ++m_stats.handshakeDatagramsSent;
        m_stats.handshakeBytesSent += out.size();
        ++m_stats.datagramsSent;
        m_stats.bytesSent += out.size();
        m_out.push_back(std::move(out));
        datagram.clear();
        used = 0;
    };
    for (const OutMessage& m : m_flight)
    {
        if (m.acked)
        {
            continue;
        }
        size_t offset = 0;
        do
        {
            const bool newRecord = datagram.empty() || datagram.back().epoch != m.epoch;
            const size_t overhead
                = (newRecord ? RecordOverhead(m.epoch) : 0) + kDtlsHandshakeHeaderLength;
            if (used + overhead + 1 > m_options.mtu)
            {
                if (datagram.empty())
                {
                    throw std::invalid_argument("DtlsOptions::mtu too small for a record");
                }
                flush();
                continue;
            }
            const size_t take = std::min(m_options.mtu - used - overhead, m.body.size() - offset);
            if (newRecord)
            {
                datagram.push_back({m.epoch, {}, {}});
                used += RecordOverhead(m.epoch);
            }
            Writer w;
            w.U8(static_cast<uint8_t>(m.type));
            w.U24(static_cast<uint32_t>(m.body.size()));
            w.U16(m.seq);
            w.U24(static_cast<uint32_t>(offset));
            w.U24(static_cast<uint32_t>(take));
            w.Raw(m.body.data() + offset, take);
            const Bytes fragment = w.Take();
            Draft& d = datagram.back();
            d.content.insert(d.content.end(), fragment.begin(), fragment.end());
            if (d.seqs.empty() || d.seqs.back() != m.seq)
            {
                d.seqs.push_back(m.seq);
            }
            used += fragment.size();
            offset += take;
        } while (offset < m.body.size());
    }
    flush();
}

void
DtlsChannel::SendRecord(ContentType type, const Bytes& content)
{
    Bytes out;
    if (m_writeEpoch == 0)
    {
        out = EncodeDtlsPlaintext(type, 0, m_plaintextSequence++, content);
    }
    else
    {
        out = m_write.at(m_writeEpoch)->Protect(type, content, m_peerCid, false);
    }
    ++m_stats.datagramsSent;
    m_stats.bytesSent += out.size();
    m_out.push_back(std::move(out));
}

void
DtlsChannel::SendAck()
{
    // struct { RecordNumber record_numbers<0..2^16-1>; } ACK; in increasing order (section 7).
    Writer w;
    const size_t list = w.Open(2);
    for (const DtlsRecordNumber& n : m_peerRecords)
    {
        w.U32(static_cast<uint32_t>(n.epoch >> 32));
        w.U32(static_cast<uint32_t>(n.epoch));
        w.U32(static_cast<uint32_t>(n.sequence >> 32));
        w.U32(static_cast<uint32_t>(n.sequence));
    }
    w.Close(list);
    ++m_stats.acksSent;
    SendRecord(ContentType::Ack, w.Take());
    // An ACK belongs to the handshake it acknowledges (its bytes are the handshake's).
    ++m_stats.handshakeDatagramsSent;
    m_stats.handshakeBytesSent += m_out.back().size();
}

std::vector<Bytes>
DtlsChannel::TakeDatagrams()
{
    return std::exchange(m_out, {});
}

// ---------------------------------------------------------------- receiving

void
DtlsChannel::ReceiveDatagram(TimeNs /* now */, const uint8_t* data, size_t size,
                             const std::function<void(Delivered&&)>& deliver)
{
    bool duplicate = false;
    const size_t ownCidLength = m_options.connectionId ? m_options.connectionId->size() : 0;
    for (const DtlsWireRecord& rec : SplitDtlsDatagram(data, size, ownCidLength))
    {
        if (!rec.ciphertext)
        {
            if (rec.epoch != 0 || rec.legacyVersion != kDtls12)
            {
                ++m_stats.recordsDropped;
                continue;
            }
            if (rec.type == ContentType::Handshake)
            {
                HandleHandshakeContent(rec.fragment, {0, rec.sequence}, deliver, duplicate);
            }
            else if (rec.type == ContentType::Alert && m_read.empty())
            {
                // Once records are protected, an alert must be too (RFC 8446 section 5): a
                // plaintext one could come from anybody on the path and is dropped.
                deliver({rec.type, rec.fragment});
            }
            else if (rec.type == ContentType::Alert)
            {
                ++m_stats.recordsDropped;
            }
            // A plaintext ACK acknowledges nothing this implementation sends in epoch 0.
            continue;
        }
        if ((rec.header[0] & 0x10) && ownCidLength == 0)
        {
            ++m_stats.recordsDropped; // a CID nobody asked for
            continue;
        }
        if (ownCidLength > 0 && rec.connectionId != *m_options.connectionId)
        {
            ++m_stats.recordsDropped;
            continue;
        }
        // The newest epoch whose two low bits match (section 4.2.2).
        DtlsRecordProtection* protection = nullptr;
        for (auto it = m_read.rbegin(); it != m_read.rend(); ++it)
        {
            if ((it->first & 0x03) == rec.epochBits)
            {
                protection = it->second.get();
                break;
            }
        }
        std::optional<DtlsRecordProtection::Opened> opened
            = protection ? protection->Unprotect(rec) : std::nullopt;
        if (!opened)
        {
            ++m_stats.recordsDropped;
            continue;
        }
        switch (opened->type)
        {
            case ContentType::Handshake:
                HandleHandshakeContent(opened->content, opened->number, deliver, duplicate);
                break;
            case ContentType::Ack:
                HandleAck(opened->content);
                break;
            case ContentType::Alert:
            case ContentType::ApplicationData:
                deliver({opened->type, std::move(opened->content)});
                break;
            default:
                deliver({ContentType::Invalid, {}}); // the connection aborts
                break;
        }
    }
    if (duplicate)
    {
        // The peer repeated a flight: ours did not reach it (section 5.8.1), or, after the
        // handshake, our ACK of its final flight did not.
        if (m_ackOnDuplicate)
        {
            SendAck();
        }
        else if (m_deadline && !m_flightOpen)
        {
            ++m_stats.flightRetransmissions;
            Transmit();
        }
    }
}

void
DtlsChannel::HandleHandshakeContent(const Bytes& content, const DtlsRecordNumber& number,
                                    const std::function<void(Delivered&&)>& deliver,
                                    bool& duplicate)
{
    Reader r(content);
    bool any = false;
    while (r.Ok() && !r.AtEnd())
    {
        const auto type = static_cast<HandshakeType>(r.U8());
        const uint32_t length = r.U24();
        const uint16_t seq = r.U16();
        const uint32_t offset = r.U24();
        const uint32_t fragmentLength = r.U24();
        const Bytes bytes = r.Raw(fragmentLength);
        if (!r.Ok() || length > kMaxMessageLength || offset + fragmentLength > length)
        {
            ++m_stats.recordsDropped;
            return; // a malformed record is dropped with what it still held
        }
        any = true;
        if (seq < m_nextReceiveSeq)
        {
            duplicate = true;
            continue;
        }
        if (number.epoch == 0 && seq > 0)
        {
            // Only the hellos travel in the clear (no HelloRetryRequest here): anything else
            // in a plaintext record could come from anybody on the path and would poison the
            // reassembly of the protected message that really has this number.
            ++m_stats.recordsDropped;
            continue;
        }
        if (seq - m_nextReceiveSeq >= kMaxMessagesAhead)
        {
            continue;
        }
        auto it = m_partial.find(seq);
        if (it == m_partial.end())
        {
            Partial p{type, Bytes(length), std::vector<bool>(length, false), length};
            it = m_partial.emplace(seq, std::move(p)).first;
        }
        Partial& p = it->second;
        if (p.type != type || p.body.size() != length)
        {
            // Inconsistent with an earlier fragment of the same number: start the message
            // again from this one, so that a forged partial cannot block the genuine message
            // and its retransmissions for good.
            ++m_stats.recordsDropped;
            p = Partial{type, Bytes(length), std::vector<bool>(length, false), length};
        }
        for (uint32_t i = 0; i < fragmentLength; ++i)
        {
            if (!p.have[offset + i])
            {
                p.have[offset + i] = true;
                p.body[offset + i] = bytes[i];
                --p.missing;
            }
        }
    }
    if (any)
    {
        m_peerRecords.insert(number);
    }
    // Deliver every complete message in order; the first new one acknowledges our flight.
    for (auto it = m_partial.find(m_nextReceiveSeq);
         it != m_partial.end() && it->second.missing == 0; it = m_partial.find(m_nextReceiveSeq))
    {
        Writer w;
        w.U8(static_cast<uint8_t>(it->second.type));
        w.Vector(3, it->second.body);
        m_partial.erase(it);
        ++m_nextReceiveSeq;
        FlightAcknowledged();
        deliver({ContentType::Handshake, w.Take()});
    }
}

void
DtlsChannel::HandleAck(const Bytes& content)
{
    Reader r(content);
    Reader list = r.Sub(2);
    if (!r.Done() || list.Remaining() % 16 != 0)
    {
        ++m_stats.recordsDropped;
        return;
    }
    while (list.Ok() && !list.AtEnd())
    {
        DtlsRecordNumber n;
        n.epoch = (static_cast<uint64_t>(list.U32()) << 32) | list.U32();
        n.sequence = (static_cast<uint64_t>(list.U32()) << 32) | list.U32();
        auto it = m_sentRecords.find(n);
        if (it == m_sentRecords.end())
        {
            continue;
        }
        for (uint16_t seq : it->second)
        {
            for (OutMessage& m : m_flight)
            {
                if (m.seq == seq)
                {
                    m.acked = true;
                }
            }
        }
    }
    if (!m_flight.empty()
        && std::all_of(m_flight.begin(), m_flight.end(),
                       [](const OutMessage& m)
                       {
                           return m.acked;
                       }))
    {
        FlightAcknowledged();
    }
}

void
DtlsChannel::FlightAcknowledged()
{
    m_deadline.reset();
    for (OutMessage& m : m_flight)
    {
        m.acked = true;
    }
}

// ---------------------------------------------------------------- timer

DtlsChannel::TimerResult
DtlsChannel::OnTimer(TimeNs now)
{
    if (!m_deadline || now < *m_deadline)
    {
        return TimerResult::Nothing;
    }
    if (m_timeout * 2 > m_options.maxTimeout)
    {
        m_deadline.reset();
        return TimerResult::GaveUp;
    }
    m_timeout *= 2;
    ++m_stats.flightRetransmissions;
    Transmit();
    m_deadline = now + m_timeout;
    return TimerResult::Retransmitted;
}

} // namespace tls13
} // namespace lpwan
