#include "tls13-connection.h"

#include "../common/crypto-tally.h"
#include "../common/hex.h"

#include <algorithm>
#include <utility>

namespace lpwan
{
namespace tls13
{

void
Connection::Receive(TimeNs now, const Bytes& bytes)
{
    if (m_failed)
    {
        return;
    }
    if (m_dtls)
    {
        ReceiveDatagram(now, bytes);
        EndCall(now);
        return;
    }
    m_records.Add(bytes.data(), bytes.size());
    while (!m_failed)
    {
        std::optional<Record> record = m_records.Next();
        if (!record)
        {
            if (m_records.Failed())
            {
                Fail(AlertDescription::RecordOverflow);
            }
            return;
        }
        HandleRecord(now, *record);
    }
}

void
Connection::HandleRecord(TimeNs now, const Record& record)
{
    // Records before the handshake completes are key establishment (common/crypto-tally.h).
    CryptoPhaseScope phase(m_connected ? CryptoPhase::EXCHANGE : CryptoPhase::HANDSHAKE);
    ContentType type = record.type;
    Bytes content;
    if (type == ContentType::ChangeCipherSpec && !m_connected)
    {
        // Section 5: a change_cipher_spec record with the single byte 0x01 may arrive during
        // the handshake (middlebox compatibility) and is dropped; anything else is fatal.
        if (record.fragment != Bytes{0x01})
        {
            Fail(AlertDescription::UnexpectedMessage);
        }
        return;
    }
    if (m_read)
    {
        if (record.type != ContentType::ApplicationData)
        {
            Fail(AlertDescription::UnexpectedMessage);
            return;
        }
        std::optional<std::pair<ContentType, Bytes>> inner = m_read->Unprotect(record);
        if (!inner)
        {
            Fail(AlertDescription::BadRecordMac);
            return;
        }
        type = inner->first;
        content = std::move(inner->second);
    }
    else
    {
        if (record.fragment.size() > kMaxPlaintextLength
            || (type != ContentType::Handshake && type != ContentType::Alert))
        {
            Fail(AlertDescription::UnexpectedMessage);
            return;
        }
        content = record.fragment;
    }
    switch (type)
    {
        case ContentType::Handshake:
        {
            // Section 5.1: handshake records must not be empty.
            if (content.empty())
            {
                Fail(AlertDescription::UnexpectedMessage);
                return;
            }
            m_reassembler.Add(content);
            while (!m_failed)
            {
                std::optional<HandshakeMessage> message = m_reassembler.Next();
                if (!message)
                {
                    if (m_reassembler.Failed())
                    {
                        Fail(AlertDescription::DecodeError);
                    }
                    break;
                }
                OnHandshakeMessage(now, *message);
            }
            return;
        }
        case ContentType::Alert:
            HandleAlert(content);
            return;
        case ContentType::ApplicationData:
            if (!m_connected || !m_reassembler.Empty())
            {
                Fail(AlertDescription::UnexpectedMessage);
                return;
            }
            m_applicationData.insert(m_applicationData.end(), content.begin(), content.end());
            return;
        default:
            Fail(AlertDescription::UnexpectedMessage);
            return;
    }
}

void
Connection::ReceiveDatagram(TimeNs now, const Bytes& datagram)
{
    CryptoPhaseScope phase(m_connected ? CryptoPhase::EXCHANGE : CryptoPhase::HANDSHAKE);
    auto deliver = [&](DtlsChannel::Delivered&& d)
    {
        if (m_failed)
        {
            return;
        }
        switch (d.type)
        {
            case ContentType::Handshake:
            {
                HandshakeMessage m;
                m.type = static_cast<HandshakeType>(d.content[0]);
                m.body.assign(d.content.begin() + 4, d.content.end());
                m.full = std::move(d.content);
                OnHandshakeMessage(now, m);
                break;
            }
            case ContentType::Alert:
                HandleAlert(d.content);
                break;
            case ContentType::ApplicationData:
                // Section 4.2.1: data protected under keys not yet in use here may be dropped.
                if (m_connected)
                {
                    m_applicationData.insert(m_applicationData.end(), d.content.begin(),
                                             d.content.end());
                }
                break;
            default:
                Fail(AlertDescription::UnexpectedMessage);
                break;
        }
    };
    m_dtls->ReceiveDatagram(now, datagram.data(), datagram.size(), deliver);
}

void
Connection::EnableDtls(const DtlsOptions& options, bool server)
{
    m_dtls = std::make_unique<DtlsChannel>(options);
    m_dtlsServer = server;
    m_schedule = KeySchedule({}, kDtls13LabelPrefix);
}

void
Connection::EndCall(TimeNs now)
{
    if (m_dtls && !m_failed)
    {
        m_dtls->EndFlight(now);
    }
}

std::vector<Bytes>
Connection::TakeDatagrams()
{
    return m_dtls ? m_dtls->TakeDatagrams() : std::vector<Bytes>{};
}

std::optional<TimeNs>
Connection::NextTimer() const
{
    return m_dtls && !m_failed ? m_dtls->NextTimer() : std::nullopt;
}

void
Connection::OnTimer(TimeNs now)
{
    if (!m_dtls || m_failed)
    {
        return;
    }
    CryptoPhaseScope phase(m_connected ? CryptoPhase::EXCHANGE : CryptoPhase::HANDSHAKE);
    if (m_dtls->OnTimer(now) == DtlsChannel::TimerResult::GaveUp && !m_connected)
    {
        // No answer within maxTimeout: the handshake is abandoned; there is nobody to alert.
        m_failed = true;
        m_failureAlert = AlertDescription::HandshakeFailure;
        PushEvent({EventType::Failed, AlertDescription::HandshakeFailure});
    }
}

void
Connection::HandleAlert(const Bytes& content)
{
    if (content.size() != 2)
    {
        Fail(AlertDescription::DecodeError);
        return;
    }
    const auto description = static_cast<AlertDescription>(content[1]);
    if (description == AlertDescription::CloseNotify)
    {
        m_peerClosed = true;
        PushEvent({EventType::PeerClosed, description});
        return;
    }
    // Section 6.2: every other alert is fatal, whatever its level says.
    m_failed = true;
    m_failureAlert = description;
    PushEvent({EventType::Failed, description});
}

bool
Connection::SendApplicationData(const Bytes& data)
{
    if (!IsConnected() || m_closeSent || (!m_write && !m_dtls))
    {
        return false;
    }
    const size_t chunk = std::max<size_t>(1, m_peerRecordSizeLimit - 1);
    for (size_t offset = 0; offset < data.size(); offset += chunk)
    {
        const size_t n = std::min(chunk, data.size() - offset);
        WriteRecord(ContentType::ApplicationData,
                    Bytes(data.begin() + static_cast<std::ptrdiff_t>(offset),
                          data.begin() + static_cast<std::ptrdiff_t>(offset + n)));
    }
    return true;
}

void
Connection::Close()
{
    if (m_failed || m_closeSent)
    {
        return;
    }
    m_closeSent = true;
    WriteRecord(ContentType::Alert, {1, static_cast<uint8_t>(AlertDescription::CloseNotify)});
}

Bytes
Connection::TakeOutput()
{
    return std::exchange(m_output, {});
}

Bytes
Connection::TakeApplicationData()
{
    return std::exchange(m_applicationData, {});
}

std::vector<Event>
Connection::TakeEvents()
{
    return std::exchange(m_events, {});
}

bool
Connection::AcceptPeerFinished(const HandshakeMessage& m, const Bytes& expected)
{
    std::optional<Bytes> verifyData = ParseFinished(m.body);
    if (!verifyData)
    {
        Fail(AlertDescription::DecodeError);
        return false;
    }
    if (!ConstantTimeEqual(expected, *verifyData))
    {
        Fail(AlertDescription::DecryptError);
        return false;
    }
    if (HandshakeBuffered())
    {
        Fail(AlertDescription::UnexpectedMessage);
        return false;
    }
    return true;
}

void
Connection::Fail(AlertDescription alert)
{
    if (m_failed)
    {
        return;
    }
    m_pendingFlight.clear();
    if (m_dtls)
    {
        m_dtls->StopRetransmitting();
    }
    WriteRecord(ContentType::Alert, {2, static_cast<uint8_t>(alert)});
    m_failed = true;
    m_failureAlert = alert;
    PushEvent({EventType::Failed, alert});
}

void
Connection::QueueHandshake(const Bytes& message)
{
    m_transcript.Add(message);
    if (m_dtls)
    {
        m_dtls->QueueHandshake(message); // sent when the call ends (EndCall)
        return;
    }
    m_pendingFlight.insert(m_pendingFlight.end(), message.begin(), message.end());
}

void
Connection::FlushHandshake()
{
    if (m_dtls)
    {
        return; // records are cut when the flight is sent (DtlsChannel::EndFlight)
    }
    const size_t chunk
        = m_write ? std::max<size_t>(1, m_peerRecordSizeLimit - 1) : kMaxPlaintextLength;
    for (size_t offset = 0; offset < m_pendingFlight.size(); offset += chunk)
    {
        const size_t n = std::min(chunk, m_pendingFlight.size() - offset);
        WriteRecord(ContentType::Handshake,
                    Bytes(m_pendingFlight.begin() + static_cast<std::ptrdiff_t>(offset),
                          m_pendingFlight.begin() + static_cast<std::ptrdiff_t>(offset + n)));
    }
    m_pendingFlight.clear();
}

void
Connection::SendPostHandshakeMessage(const Bytes& message)
{
    if (m_dtls)
    {
        // DTLS 1.3 post-handshake messages need their own ACK state machine (section 5.8.4),
        // which is not implemented: Server refuses tickets over DTLS.
        return;
    }
    m_pendingFlight.insert(m_pendingFlight.end(), message.begin(), message.end());
    FlushHandshake();
}

void
Connection::WriteRecord(ContentType type, const Bytes& content)
{
    if (m_dtls)
    {
        m_dtls->SendRecord(type, content);
        return;
    }
    Bytes record = m_write ? m_write->Protect(type, content)
                           : EncodeRecord(type, m_plaintextRecordVersion, content);
    m_output.insert(m_output.end(), record.begin(), record.end());
}

void
Connection::SetWriteSecret(const Bytes& trafficSecret)
{
    if (m_dtls)
    {
        m_dtls->SetWriteSecret(*m_suite, trafficSecret);
        return;
    }
    m_write.emplace(*m_suite, DeriveTrafficKeys(trafficSecret, m_suite->keyLength));
}

void
Connection::SetReadSecret(const Bytes& trafficSecret)
{
    if (m_dtls)
    {
        m_dtls->SetReadSecret(*m_suite, trafficSecret);
        return;
    }
    m_read.emplace(*m_suite, DeriveTrafficKeys(trafficSecret, m_suite->keyLength));
}

void
Connection::SetConnected()
{
    m_connected = true;
    if (m_dtls && m_dtlsServer)
    {
        // The client's final flight is acknowledged explicitly (RFC 9147 section 7), and
        // again whenever a copy of it shows that the ACK was lost.
        m_dtls->SendAck();
        m_dtls->SetAckOnDuplicate(true);
    }
    if (m_keyLog)
    {
        for (const std::string& line : KeyLogLines())
        {
            m_keyLog(line + "\n");
        }
    }
    PushEvent({EventType::HandshakeComplete});
}

std::vector<std::string>
Connection::KeyLogLines() const
{
    const KeyScheduleSecrets& s = Secrets();
    if (!m_connected || m_clientRandom.size() != 32 || s.clientApplicationTrafficSecret.empty())
    {
        return {};
    }
    // The labels of the NSS key log format for TLS 1.3 (as OpenSSL's SSL_CTX_set_keylog_callback
    // and Wireshark use them), one secret each.
    const std::pair<const char*, const Bytes*> secrets[] = {
        {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", &s.clientHandshakeTrafficSecret},
        {"SERVER_HANDSHAKE_TRAFFIC_SECRET", &s.serverHandshakeTrafficSecret},
        {"CLIENT_TRAFFIC_SECRET_0", &s.clientApplicationTrafficSecret},
        {"SERVER_TRAFFIC_SECRET_0", &s.serverApplicationTrafficSecret},
        {"EXPORTER_SECRET", &s.exporterMasterSecret},
    };
    std::vector<std::string> lines;
    const std::string random = ToHex(m_clientRandom);
    for (const auto& [label, secret] : secrets)
    {
        lines.push_back(std::string(label) + " " + random + " " + ToHex(*secret));
    }
    return lines;
}

void
Connection::PushEvent(Event e)
{
    m_events.push_back(e);
}

} // namespace tls13
} // namespace lpwan
