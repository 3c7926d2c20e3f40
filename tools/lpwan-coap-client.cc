/*
 * lpwan-coap-client: one CoAP request over a real UDP socket or DTLS (coaps://), optionally
 * OSCORE-protected, followed through block-wise transfers and Observe; the project's sans-I/O
 * CoAP, OSCORE and DTLS cores on the POSIX driver. `lpwan-coap-client --help` documents it. The
 * logic lives in tools/support/ (options, filters, ClientSession); this file only wires it to
 * the socket, the clock, the signals and the standard streams.
 */

#include "posix/ipv4-peer.h"
#include "posix/os-random-source.h"
#include "posix/posix-dtls-transport.h"
#include "posix/posix-udp-driver.h"
#include "posix/posix-udp-socket.h"
#include "posix/termination-signals.h"
#include "protocols/coap/coap-message-filter.h"
#include "protocols/glue/oscore-coap-client.h"
#include "protocols/oscore/oscore-security-context.h"
#include "support/client-options.h"
#include "support/client-session.h"
#include "support/datagram-trace.h"
#include "support/dtls-report.h"
#include "support/dtls13-flags.h"
#include "support/edhoc-client-session.h"
#include "support/exit-status.h"
#include "support/sequence-number-file.h"
#include "support/session-loop.h"

#include <exception>
#include <fstream>
#include <iostream>
#include <memory>

using namespace lpwan;
using namespace lpwan::tools;

namespace
{

constexpr const char* kProgram = "lpwan-coap-client: ";

int
Error(int status, const std::string& message)
{
    std::cerr << kProgram << message << "\n";
    return status;
}

/// The plain request the command line describes.
lpwan::coap::Message
BuildRequest(const ClientOptions& o)
{
    lpwan::coap::Message m;
    m.type = o.nonConfirmable ? lpwan::coap::Type::NonConfirmable : lpwan::coap::Type::Confirmable;
    m.code = o.method;
    o.uri.AddOptionsTo(m);
    if (o.contentFormat)
    {
        m.AddUintOption(lpwan::coap::option::ContentFormat, *o.contentFormat);
    }
    if (o.accept)
    {
        m.AddUintOption(lpwan::coap::option::Accept, *o.accept);
    }
    m.payload = o.payload.value_or(std::vector<uint8_t>{});
    m.token = o.token.value_or(std::vector<uint8_t>{});
    return m;
}

int
Run(const ClientOptions& o)
{
    std::string error;
    const std::optional<uint32_t> address = ResolveIpv4(o.uri.host, &error);
    if (!address)
    {
        return Error(exit_status::kNoAnswer, error);
    }

    // Security: plain CoAP, or OSCORE with the context the flags describe.
    lpwan::coap::PassThroughFilter plain;
    std::unique_ptr<lpwan::oscore::SecurityContext> context;
    std::unique_ptr<lpwan::glue::OscoreCoapClient> oscoreFilter;
    std::unique_ptr<SequenceNumberFile> sequenceFile;
    lpwan::coap::MessageFilter* filter = &plain;
    if (const std::optional<lpwan::oscore::ContextParameters> params
        = BuildContextParameters(o.oscore, &error))
    {
        context = std::make_unique<lpwan::oscore::SecurityContext>(*params);
        oscoreFilter = std::make_unique<lpwan::glue::OscoreCoapClient>(*context);
        if (!o.oscore.sequenceFile.empty())
        {
            sequenceFile = std::make_unique<SequenceNumberFile>(o.oscore.sequenceFile);
            const std::optional<uint64_t> next = sequenceFile->Load(&error);
            if (!next)
            {
                return Error(exit_status::kUsage, "--oscore-seq-file: " + error);
            }
            context->SetSenderSequenceNumber(*next);
            oscoreFilter->SetSequenceNumberSink(
                [&sequenceFile](uint64_t n, std::string* why)
                {
                    return sequenceFile->Store(n, why);
                });
        }
        filter = oscoreFilter.get();
    }

    OsRandomSource random;
    lpwan::coap::Endpoint endpoint(o.transmission, random);
    PosixUdpSocket socket(o.bindAddress, 0);
    TerminationSignals signals;
    socket.SetInterruptFd(signals.GetFd());
    // coaps://: DTLS between the endpoint and the socket.
    DatagramTransport* transport = &socket;
    std::unique_ptr<PosixDtlsTransport> dtls;
    if (o.dtls)
    {
        if (o.dtlsFlags.dtls13)
        {
            std::string error;
            // The OS random source outlives the transport: a non-owning pointer to it.
            auto config = BuildDtls13Config(
                o.dtlsFlags, false,
                std::shared_ptr<lpwan::RandomSource>(&random, [](lpwan::RandomSource*) {}), &error);
            if (!config)
            {
                return Error(exit_status::kUsage, error);
            }
            dtls = std::make_unique<PosixDtlsTransport>(
                socket, std::make_unique<lpwan::tls13::Dtls13Transport>(*config), true);
        }
        else
        {
            dtls = std::make_unique<PosixDtlsTransport>(
                socket, lpwan::tls::Config::Create(*o.dtls, random));
        }
        transport = dtls.get();
    }
    PosixUdpDriver driver(endpoint, *transport);
    if (o.verbose > 0)
    {
        driver.SetTracer(
            [](bool outgoing, lpwan::PeerId peer, const std::vector<uint8_t>& b)
            {
                std::cerr << TraceDatagram(outgoing, peer, b);
            });
    }

    ClientRequest request;
    request.peer = lpwan::MakePeerId(*address, o.uri.port);
    request.peerName = PeerToString(request.peer);
    request.request = BuildRequest(o);
    request.blockSize = o.blockSize;
    request.observeSeconds = o.observeSeconds;
    request.waitSeconds = o.waitSeconds;
    request.printPayload = o.outputFile.empty();
    request.verbose = o.verbose;
    // --edhoc: EDHOC first, then the request with the OSCORE context EDHOC derived.
    std::unique_ptr<EdhocClientSession> edhocSession;
    std::unique_ptr<ClientSession> plainSession;
    ToolSession* tool = nullptr;
    if (o.edhoc.enabled)
    {
        edhocSession = std::make_unique<EdhocClientSession>(endpoint, o.edhoc, std::move(request),
                                                            random, std::cout, std::cerr);
        tool = edhocSession.get();
    }
    else
    {
        plainSession = std::make_unique<ClientSession>(endpoint, *filter, std::move(request),
                                                       std::cout, std::cerr);
        tool = plainSession.get();
    }
    if (dtls)
    {
        const int verbose = o.verbose;
        ClientSession* session = plainSession.get();
        dtls->SetEventHandler(
            [session, &driver, verbose](const lpwan::TransportEvent& e, const std::string& suite)
            {
                if (e.kind != lpwan::TransportEvent::Kind::Failed || !session)
                {
                    // Established; or Closed by the server, after which a retransmission
                    // simply starts a new handshake.
                    if (verbose > 0)
                    {
                        std::cerr << DtlsEventLine(e, suite) << "\n";
                    }
                    return;
                }
                // A handshake that timed out got no answer; any other failure (an alert, a
                // certificate that does not verify) is a security failure.
                const bool timeout = e.reason.find("timeout") != std::string::npos;
                session->TransportFailed(timeout ? exit_status::kNoAnswer : exit_status::kSecurity,
                                         DtlsEventLine(e, suite), driver.Now());
            });
    }
    RunSession(driver, *tool, &signals);
    if (!tool->Finished())
    {
        return Error(exit_status::kInterrupted, "interrupted");
    }
    const ClientSession* requestSession
        = edhocSession ? edhocSession->GetRequestSession() : plainSession.get();
    if (!requestSession)
    {
        return edhocSession->GetExitStatus(); // EDHOC failed before the request
    }
    const ClientSession& session = *requestSession;
    if (!o.outputFile.empty() && session.GetResponsesPrinted() > 0)
    {
        std::ofstream file(o.outputFile, std::ios::binary | std::ios::trunc);
        const std::vector<uint8_t>& payload = session.GetLastPayload();
        file.write(reinterpret_cast<const char*>(payload.data()),
                   static_cast<std::streamsize>(payload.size()));
        if (!file)
        {
            return Error(exit_status::kErrorResponse, "-o: cannot write '" + o.outputFile + "'");
        }
    }
    return edhocSession ? edhocSession->GetExitStatus() : session.GetExitStatus();
}

} // namespace

int
main(int argc, char** argv)
{
    const ClientCommandLine cl
        = ParseClientCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (cl.help)
    {
        std::cout << ClientUsage();
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
        // Socket, poll or (never expected) core failures: one clear line, no abort.
        return Error(exit_status::kNoAnswer, e.what());
    }
}
