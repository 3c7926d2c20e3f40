/*
 * lpwan-coap-server: a CoAP server with demonstration resources over a real UDP socket,
 * optionally over DTLS only (coaps) and/or OSCORE-only; the project's sans-I/O CoAP, OSCORE
 * and DTLS cores on the POSIX driver.
 * `lpwan-coap-server --help` documents it. The logic lives in tools/support/ (options,
 * filters, ServerSession); this file only wires it to the socket, the clock, the signals and
 * the standard streams.
 */

#include "posix/ipv4-peer.h"
#include "posix/os-random-source.h"
#include "posix/posix-dtls-transport.h"
#include "posix/posix-udp-driver.h"
#include "posix/posix-udp-socket.h"
#include "posix/termination-signals.h"
#include "protocols/coap/coap-message-filter.h"
#include "protocols/glue/oscore-coap-server.h"
#include "protocols/oscore/oscore-context-store.h"
#include "support/counter-report.h"
#include "support/datagram-trace.h"
#include "support/dtls-report.h"
#include "support/dtls13-flags.h"
#include "support/edhoc-server-session.h"
#include "support/exit-status.h"
#include "support/sequence-number-file.h"
#include "support/server-options.h"
#include "support/server-session.h"
#include "support/session-loop.h"

#include <exception>
#include <iostream>
#include <memory>

using namespace lpwan;
using namespace lpwan::tools;

namespace
{

constexpr const char* kProgram = "lpwan-coap-server: ";
/// A DTLS session idle this long is forgotten; the client does a new handshake.
constexpr double kDtlsIdleTimeoutS = 600;

int
Error(int status, const std::string& message)
{
    std::cerr << kProgram << message << "\n";
    return status;
}

int
Run(const ServerOptions& o)
{
    std::string error;
    lpwan::coap::PassThroughFilter plain;
    lpwan::oscore::ContextStore store;
    std::unique_ptr<lpwan::glue::OscoreCoapServer> oscoreFilter;
    std::unique_ptr<SequenceNumberFile> sequenceFile;
    lpwan::coap::MessageFilter* filter = &plain;
    if (const std::optional<lpwan::oscore::ContextParameters> params
        = BuildContextParameters(o.oscore, &error))
    {
        lpwan::oscore::SecurityContext& context = store.Add(*params);
        oscoreFilter = std::make_unique<lpwan::glue::OscoreCoapServer>(store);
        if (!o.oscore.sequenceFile.empty())
        {
            // The server's own Partial IVs (notifications) must not repeat across runs either.
            sequenceFile = std::make_unique<SequenceNumberFile>(o.oscore.sequenceFile);
            const std::optional<uint64_t> next = sequenceFile->Load(&error);
            if (!next)
            {
                return Error(exit_status::kUsage, "--oscore-seq-file: " + error);
            }
            context.SetSenderSequenceNumber(*next);
            oscoreFilter->SetSequenceNumberSink(
                [&sequenceFile](const lpwan::oscore::SecurityContext& c, std::string* why)
                {
                    return sequenceFile->Store(c.GetSenderSequenceNumber(), why);
                });
        }
        filter = oscoreFilter.get();
    }
    // --edhoc: OSCORE with the contexts EDHOC sessions add to the store (and the one the
    // --oscore-* flags describe, if any).
    if (o.edhoc.enabled && !oscoreFilter)
    {
        oscoreFilter = std::make_unique<lpwan::glue::OscoreCoapServer>(store);
        filter = oscoreFilter.get();
    }

    OsRandomSource random;
    lpwan::coap::Endpoint endpoint(o.transmission, random);
    std::unique_ptr<PosixUdpSocket> socket;
    try
    {
        socket = std::make_unique<PosixUdpSocket>(o.address, o.port);
    }
    catch (const std::exception& e)
    {
        return Error(exit_status::kNoAnswer, std::string("cannot listen: ") + e.what());
    }
    TerminationSignals signals;
    socket->SetInterruptFd(signals.GetFd());
    DatagramTransport* transport = socket.get();
    std::unique_ptr<PosixDtlsTransport> dtls;
    if (o.dtls)
    {
        if (o.dtlsFlags.dtls13)
        {
            std::string error;
            // The OS random source outlives the transport: a non-owning pointer to it.
            auto config = BuildDtls13Config(
                o.dtlsFlags, true,
                std::shared_ptr<lpwan::RandomSource>(&random, [](lpwan::RandomSource*) {}), &error);
            if (!config)
            {
                return Error(exit_status::kUsage, error);
            }
            dtls = std::make_unique<PosixDtlsTransport>(
                *socket, std::make_unique<lpwan::tls13::Dtls13Transport>(*config), false);
        }
        else
        {
            dtls = std::make_unique<PosixDtlsTransport>(
                *socket, lpwan::tls::Config::Create(*o.dtls, random));
        }
        // Clients that vanish (or come back from a new port) must not pile up sessions.
        dtls->GetDtls().SetIdleTimeout(lpwan::SecondsToNs(kDtlsIdleTimeoutS));
        const int verbose = o.verbose;
        dtls->SetEventHandler(
            [verbose](const lpwan::TransportEvent& e, const std::string& suite)
            {
                if (verbose > 0 || e.kind == lpwan::TransportEvent::Kind::Failed)
                {
                    std::cerr << DtlsEventLine(e, suite) << "\n";
                }
            });
        transport = dtls.get();
    }
    PosixUdpDriver driver(endpoint, *transport);
    if (o.verbose > 1)
    {
        driver.SetTracer(
            [](bool outgoing, lpwan::PeerId peer, const std::vector<uint8_t>& b)
            {
                std::cerr << TraceDatagram(outgoing, peer, b);
            });
    }

    // Scripts and tests wait for this line (and read the port from it when -p 0).
    std::cout << "listening on " << Ipv4ToString(socket->GetLocalAddress()) << ":"
              << socket->GetLocalPort() << (dtls ? " (DTLS)" : "")
              << (oscoreFilter ? " (OSCORE only)" : "") << (o.edhoc.enabled ? " (EDHOC)" : "")
              << std::endl;

    ServerConfig config;
    config.notifyIntervalS = o.notifyIntervalS;
    config.largeSize = o.largeSize;
    config.maxBlockSize = o.maxBlockSize;
    config.exitAfterS = o.exitAfterS;
    config.verbose = o.verbose;
    ServerSession session(endpoint, *filter, config, std::cerr);
    std::unique_ptr<EdhocServerSession> edhoc;
    if (o.edhoc.enabled)
    {
        edhoc = std::make_unique<EdhocServerSession>(endpoint, session, store, o.edhoc, random,
                                                     std::cerr, o.verbose);
        RunSession(driver, *edhoc, &signals);
    }
    else
    {
        RunSession(driver, session, &signals);
    }

    std::cout << CoapCountersLine(endpoint.GetCounters()) << "\n"
              << ServerCountersLine(session.GetCounters()) << "\n";
    if (dtls)
    {
        std::cout << DtlsCountersLine(dtls->GetDtls().GetFigures(true),
                                      dtls->GetDtls().GetDroppedDatagrams())
                  << "\n";
    }
    if (oscoreFilter)
    {
        std::cout << OscoreServerCountersLine(oscoreFilter->GetRequestCounters(),
                                              oscoreFilter->GetResponsesProtected())
                  << "\n";
    }
    if (edhoc)
    {
        std::cout << EdhocServerCountersLine(*edhoc) << "\n";
    }
    std::cout.flush();
    return exit_status::kOk;
}

} // namespace

int
main(int argc, char** argv)
{
    const ServerCommandLine cl
        = ParseServerCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (cl.help)
    {
        std::cout << ServerUsage();
        return exit_status::kOk;
    }
    if (!cl.options)
    {
        return Error(exit_status::kUsage, cl.error + " (see --help)");
    }
    try
    {
        return Run(*cl.options);
    }
    catch (const std::exception& e)
    {
        return Error(exit_status::kNoAnswer, e.what());
    }
}
