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
    if (!IsConnected() || m_closeSent || !m_write)
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
    WriteRecord(ContentType::Alert, {2, static_cast<uint8_t>(alert)});
    m_failed = true;
    m_failureAlert = alert;
    PushEvent({EventType::Failed, alert});
}

void
Connection::QueueHandshake(const Bytes& message)
{
    m_transcript.Add(message);
    m_pendingFlight.insert(m_pendingFlight.end(), message.begin(), message.end());
}

void
Connection::FlushHandshake()
{
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
    m_pendingFlight.insert(m_pendingFlight.end(), message.begin(), message.end());
    FlushHandshake();
}

void
Connection::WriteRecord(ContentType type, const Bytes& content)
{
    Bytes record = m_write ? m_write->Protect(type, content)
                           : EncodeRecord(type, m_plaintextRecordVersion, content);
    m_output.insert(m_output.end(), record.begin(), record.end());
}

void
Connection::SetWriteSecret(const Bytes& trafficSecret)
{
    m_write.emplace(*m_suite, DeriveTrafficKeys(trafficSecret, m_suite->keyLength));
}

void
Connection::SetReadSecret(const Bytes& trafficSecret)
{
    m_read.emplace(*m_suite, DeriveTrafficKeys(trafficSecret, m_suite->keyLength));
}

void
Connection::SetConnected()
{
    m_connected = true;
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
