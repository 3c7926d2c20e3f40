/*
 * What lpwan-coap-client does with its endpoint, sans-I/O: sends one request through a
 * MessageFilter (plain CoAP or OSCORE) and follows it to the end -- Block1 upload of a large
 * payload, Block2 download of a large response (RFC 7959), or an Observe registration kept
 * for a given time and then cancelled with a deregistration request (RFC 7641 section 3.6) --
 * printing each response's code and payload to `out` and diagnostics to `err`.
 *
 * Block-wise transfers happen above the filter, so with OSCORE every block is a separately
 * protected request and response with inner Block options (RFC 8613 section 4.1.3.4.1), and
 * every notification is verified on its own (section 8.4.2). Not supported: a Block1 upload
 * whose final response continues with Block2 (RFC 7959 section 3.3), and notifications that
 * need Block2 themselves; both are reported, never silently truncated.
 */
#ifndef LPWAN_TOOLS_CLIENT_SESSION_H
#define LPWAN_TOOLS_CLIENT_SESSION_H

#include "protocols/coap/coap-block.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/coap/coap-message-filter.h"
#include "tool-session.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// What the client asks, decided from its command line.
struct ClientRequest
{
    lpwan::PeerId peer = 0;
    std::string peerName;  ///< for messages, e.g. "127.0.0.1:5683"
    coap::Message request; ///< plain: type, code, Uri-* options, payload, optional token
    /// Block size for Block2 early negotiation and for Block1 (a payload larger than the block
    /// size is uploaded block-wise; 1024 when not given).
    std::optional<size_t> blockSize;
    std::optional<double> observeSeconds; ///< Observe for this long, then deregister
    double waitSeconds = 90;              ///< give up without a final answer after this long
    bool printPayload = true;             ///< false: only the code lines go to `out`
    int verbose = 0;                      ///< describe each plain request/response on `err`
};

class ClientSession : public ToolSession
{
  public:
    /// endpoint, filter and the streams must outlive the session.
    ClientSession(coap::Endpoint& endpoint, coap::MessageFilter& filter, ClientRequest request,
                  std::ostream& out, std::ostream& err);

    void Start(lpwan::TimeNs now) override;
    void OnEvent(const coap::Event& event, lpwan::TimeNs now) override;
    std::optional<lpwan::TimeNs> NextTimer() const override;
    void OnTimer(lpwan::TimeNs now) override;
    void Interrupt(lpwan::TimeNs now) override;

    /// The secure transport under the endpoint (DTLS) gave up on the peer, e.g. a handshake
    /// that failed: no answer can come any more, so the session ends now with `status` and
    /// `why` on `err` instead of retransmitting until its timeout. Nothing when finished.
    void TransportFailed(int status, const std::string& why, lpwan::TimeNs now);

    bool Finished() const override
    {
        return m_phase == Phase::Done;
    }

    /// See exit-status.h; meaningful once Finished().
    int GetExitStatus() const
    {
        return m_exitStatus;
    }

    /// The payload of the last response printed (a whole Block2 representation).
    const std::vector<uint8_t>& GetLastPayload() const
    {
        return m_lastPayload;
    }

    /// Responses printed: with Observe, the registration's answer plus each notification.
    uint32_t GetResponsesPrinted() const
    {
        return m_printed;
    }

  private:
    enum class Phase
    {
        Idle,
        Upload,     ///< Block1Sender active (possibly a single block)
        Download,   ///< Block2Receiver active (possibly a single response)
        Observe,    ///< registration sent / observation established
        Deregister, ///< deregistration sent
        Done,
    };

    void Send(coap::Message plain, lpwan::TimeNs now);
    void OnResponse(const coap::Message& response, bool observing, lpwan::TimeNs now);
    void OnObserveResponse(const coap::Message& response, bool observing, lpwan::TimeNs now);
    void Deregister(lpwan::TimeNs now);
    void Print(const coap::Message& response);
    void Finish(int status);
    void Fail(int status, const std::string& why);

    coap::Endpoint& m_endpoint;
    coap::MessageFilter& m_filter;
    ClientRequest m_spec;
    std::ostream& m_out;
    std::ostream& m_err;

    Phase m_phase = Phase::Idle;
    int m_exitStatus = 0;
    coap::ExchangeId m_exchange = 0;
    coap::FilterContextPtr m_context; ///< the filter's state for m_exchange
    std::optional<coap::Block1Sender> m_upload;
    std::optional<coap::Block2Receiver> m_download;
    bool m_observing = false;            ///< the observation is established
    std::vector<uint8_t> m_observeToken; ///< the registration's token, for the deregistration
    std::optional<lpwan::TimeNs> m_deadline;
    std::vector<uint8_t> m_lastPayload;
    uint32_t m_printed = 0;
};

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_CLIENT_SESSION_H
