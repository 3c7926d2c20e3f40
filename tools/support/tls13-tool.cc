/*
 * lpwan-tls13's run; see tls13-tool.h.
 */

#include "tls13-tool.h"

#include "exit-status.h"
#include "posix/ipv4-peer.h"
#include "posix/posix-tls13-stream.h"
#include "posix/tcp-listener.h"
#include "posix/tcp-stream.h"
#include "tls13-names.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace lpwan
{
namespace tools
{

namespace
{

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds
Left(Clock::time_point deadline)
{
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

/// Reads until `lines` complete lines arrived (0: until the peer closes) or the deadline.
std::vector<uint8_t>
ReadData(PosixTls13Stream& stream, unsigned lines, Clock::time_point deadline)
{
    std::vector<uint8_t> data;
    while (lines == 0 || std::count(data.begin(), data.end(), '\n') < lines)
    {
        const std::optional<std::vector<uint8_t>> piece = stream.Receive(Left(deadline));
        if (!piece)
        {
            break;
        }
        data.insert(data.end(), piece->begin(), piece->end());
    }
    return data;
}

/// The peer's close_notify (or FIN) after ours, for a short while: closing the socket with
/// its close_notify unread would make the kernel answer with a reset, which a peer may
/// report instead of the data it already has.
void
AwaitPeerClose(PosixTls13Stream& stream, Clock::time_point deadline)
{
    const Clock::time_point until = std::min(deadline, Clock::now() + std::chrono::seconds(2));
    while (!stream.PeerClosed() && Clock::now() < until)
    {
        stream.Receive(Left(until));
    }
}

} // namespace

std::string
QuotedBytes(const std::vector<uint8_t>& bytes)
{
    std::string q = "\"";
    for (uint8_t b : bytes)
    {
        if (b == '\n')
        {
            q += "\\n";
        }
        else if (b == '\\' || b == '"')
        {
            q += '\\';
            q += static_cast<char>(b);
        }
        else if (b >= 0x20 && b < 0x7f)
        {
            q += static_cast<char>(b);
        }
        else
        {
            char hex[8];
            std::snprintf(hex, sizeof(hex), "\\x%02x", b);
            q += hex;
        }
    }
    return q + "\"";
}

int
RunTls13(const Tls13ToolOptions& o, lpwan::RandomSource& random, std::ostream& out,
         std::ostream& err)
{
    const Clock::time_point deadline
        = Clock::now()
          + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.timeoutS));
    std::unique_ptr<tls13::Connection> connection;
    int fd = -1;
    if (o.isServer)
    {
        TcpListener listener(o.host, o.port);
        out << "listening on " << o.host << ":" << listener.GetPort() << std::endl;
        fd = listener.Accept(Left(deadline).count() * 1000000);
        if (fd < 0)
        {
            err << "lpwan-tls13: no connection within the timeout\n";
            return exit_status::kNoAnswer;
        }
        connection = std::make_unique<tls13::Server>(o.serverConfig, random);
    }
    else
    {
        std::string error;
        const std::optional<uint32_t> address = ResolveIpv4(o.host, &error);
        if (!address)
        {
            err << "lpwan-tls13: " << error << "\n";
            return exit_status::kNoAnswer;
        }
        fd = ConnectTcp(Ipv4ToString(*address), o.port, Left(deadline).count() * 1000000);
        auto client = std::make_unique<tls13::Client>(o.clientConfig, random);
        client->Start(0);
        connection = std::move(client);
    }
    PosixTls13Stream stream(fd, *connection);
    if (!stream.Handshake(Left(deadline)))
    {
        if (connection->HasFailed())
        {
            err << "lpwan-tls13: handshake failed: " << Tls13AlertName(connection->FailureAlert())
                << "\n";
            return exit_status::kSecurity;
        }
        err << "lpwan-tls13: the handshake did not complete ("
            << (stream.PeerClosed() ? "the peer closed the connection" : "timeout") << ")\n";
        return exit_status::kNoAnswer;
    }
    const uint16_t group = connection->KeyExchangeGroup();
    out << "connected: " << Tls13CipherSuiteName(connection->CipherSuite()) << " "
        << (group != 0 ? Tls13GroupName(group) : "none") << " "
        << (connection->PskSelected() ? "psk" : "certificate") << std::endl;

    auto send = [&]
    {
        if (o.message.empty())
        {
            return true;
        }
        if (!stream.Send(o.message))
        {
            err << "lpwan-tls13: the connection closed before the message was sent\n";
            return false;
        }
        out << "sent " << o.message.size() << " bytes" << std::endl;
        return true;
    };
    if (!o.isServer && !send())
    {
        return exit_status::kNoAnswer;
    }
    const std::vector<uint8_t> received = ReadData(stream, o.lines, deadline);
    out << "received " << received.size() << " bytes: " << QuotedBytes(received) << std::endl;
    if (connection->HasFailed())
    {
        err << "lpwan-tls13: the connection failed: " << Tls13AlertName(connection->FailureAlert())
            << "\n";
        return exit_status::kSecurity;
    }
    const bool enough = o.lines == 0
                        || std::count(received.begin(), received.end(), '\n')
                               >= static_cast<std::ptrdiff_t>(o.lines);
    if (o.isServer && enough && !send())
    {
        return exit_status::kNoAnswer;
    }
    stream.Close();
    AwaitPeerClose(stream, deadline);
    if (!enough)
    {
        err << "lpwan-tls13: fewer than " << o.lines << " lines before "
            << (stream.PeerClosed() ? "the peer closed" : "the timeout") << "\n";
        return exit_status::kNoAnswer;
    }
    return exit_status::kOk;
}

} // namespace tools
} // namespace lpwan
