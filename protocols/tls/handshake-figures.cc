#include "handshake-figures.h"

namespace lpwan
{
namespace tls
{

void
HandshakeFigures::Add(const SessionStats& st, bool countStart, Outcome outcome,
                      const std::string& failure)
{
    if (countStart)
    {
        ++started;
    }
    if (outcome == Outcome::Completed)
    {
        ++completed;
        abbreviated += st.resumed ? 1 : 0;
        roundTrips += st.roundTrips;
        if (st.handshakeStart >= 0 && st.handshakeEnd >= st.handshakeStart)
        {
            durations.push_back(lpwan::NsToSeconds(st.handshakeEnd - st.handshakeStart));
        }
    }
    else if (outcome == Outcome::Failed)
    {
        ++failed;
        ++failures[failure];
    }
    bytesSent += st.handshakeBytesSent;
    bytesReceived += st.handshakeBytesReceived;
    flightsSent += st.flightsSent;
    retransmittedFlights += st.retransmittedFlights;
    helloVerifyRequests += st.helloVerifyRequests;
}

HandshakeFigures&
HandshakeFigures::operator+=(const HandshakeFigures& f)
{
    started += f.started;
    completed += f.completed;
    failed += f.failed;
    abbreviated += f.abbreviated;
    bytesSent += f.bytesSent;
    bytesReceived += f.bytesReceived;
    flightsSent += f.flightsSent;
    retransmittedFlights += f.retransmittedFlights;
    roundTrips += f.roundTrips;
    helloVerifyRequests += f.helloVerifyRequests;
    durations.insert(durations.end(), f.durations.begin(), f.durations.end());
    for (const auto& [reason, n] : f.failures)
    {
        failures[reason] += n;
    }
    return *this;
}

} // namespace tls
} // namespace lpwan
