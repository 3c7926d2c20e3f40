/*
 * lpwan-bytes-probe: the per-message and handshake byte figures of
 * draft-ietf-iotops-security-protocol-comparison (sections 3 and 4, appendix A), measured on the
 * project's own protocol cores. Every number printed is the length of bytes those cores really
 * produced (coap::Encode of an OSCORE message, a record mbedTLS wrote, an EDHOC message, a CoAP
 * datagram an Endpoint sent); nothing is a formula. One JSON object per line on stdout:
 *
 *   {"id": ..., "model": <bytes>, "unit": "bytes", "case": <what was measured, and how it is
 *    counted>, "check": <byte-level comparison with the draft's listing, when it gives one>,
 *    "note": <where the project's setup differs from the draft's, when it does>}
 *   {"id": ..., "unsupported": <why>}     when the project cannot produce the case
 *
 * How the draft counts (and so how the rows are measured):
 *  - OSCORE (section 4.6): the plaintext is the 6 bytes after the CoAP header of the unprotected
 *    message, i.e. payload marker + 5 payload bytes (its listing says "Ciphertext (including
 *    encrypted code and payload marker)": 7 bytes = code + marker + 5). The overhead is thus the
 *    encoded OSCORE message minus the encoded unprotected message, both with the same 4-byte
 *    header and token, which is ProtectResult::Overhead().
 *  - (D)TLS 1.2 (sections 4.2.1, 4.4.1): record length minus the 6 bytes of plaintext.
 *  - EDHOC (section 3.6): the length of message_1, message_2, message_3.
 *  - EDHOC over CoAP (appendix A): the CoAP datagram minus the EDHOC message it carries.
 */

#include "probe-support.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-endpoint.h"
#include "protocols/coap/coap-message.h"
#include "protocols/common/hex.h"
#include "protocols/common/sans-io.h"
#include "protocols/edhoc/edhoc-coap.h"
#include "protocols/edhoc/edhoc-credential.h"
#include "protocols/edhoc/edhoc-initiator.h"
#include "protocols/edhoc/edhoc-responder.h"
#include "protocols/glue/edhoc-coap-client.h"
#include "protocols/glue/edhoc-coap-server.h"
#include "protocols/glue/oscore-coap-client.h"
#include "protocols/oscore/oscore-protect.h"
#include "protocols/oscore/oscore-security-context.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"
#include "protocols/tls/tls-session.h"
#include "protocols/tls13/tls13-client.h"
#include "protocols/tls13/tls13-server.h"
#include "protocols/tls13/tls13-signature.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <iostream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

using namespace lpwan;
using namespace probe;
using Json = nlohmann::json;

int g_mismatches = 0;

void
Emit(Json row)
{
    row["unit"] = "bytes";
    std::cout << row.dump() << "\n";
}

void
Unsupported(const std::string& id, const std::string& why)
{
    std::cout << Json{{"id", id}, {"unsupported", why}}.dump() << "\n";
}

/// "ok: ..." or "MISMATCH: ..." for the check field; a mismatch also fails the exit status.
std::string
Check(bool ok, const std::string& what)
{
    if (!ok)
    {
        ++g_mismatches;
    }
    return (ok ? "ok: " : "MISMATCH: ") + what;
}

// ============================================================================= OSCORE (sec. 4.6)

/// The draft's plaintext: 6 bytes after the CoAP header = payload marker + 5 payload bytes.
const Bytes kCoapPayload = {0x01, 0x02, 0x03, 0x04, 0x05};

coap::Message
PlainRequest(const Bytes& payload)
{
    coap::Message m;
    m.type = coap::Type::Confirmable;
    m.code = coap::code::Post;
    m.messageId = 0x1234;
    m.payload = payload; // no token, no options: OSCORE's is then the only one (delta 9)
    return m;
}

void
OscoreRequestRow(const std::string& id, const std::string& sidHex, uint64_t ssn,
                 const std::string& draftHex, bool draftListsIt)
{
    const Bytes sid = Hex(sidHex);
    oscore::SecurityContext ctx(OscoreParameters(sid, sid == Bytes{0x01} ? Bytes{} : Bytes{0x01}));
    ctx.SetSenderSequenceNumber(ssn);
    const oscore::ProtectResult r = oscore::ProtectRequest(ctx, PlainRequest(kCoapPayload));
    if (!r.Ok())
    {
        Unsupported(id, "ProtectRequest failed: " + r.diagnostic);
        return;
    }
    const Bytes wire = coap::Encode(r.message);
    // After the 4-byte header: option delta/length, option value, payload marker, then the
    // ciphertext (code + marker + 5 bytes) and the 8-byte tag.
    const Bytes expected = Hex(draftHex);
    const bool ok = StartsWith(wire, 4, expected)
                    && wire.size() == 4 + expected.size() + 1 + 1 + kCoapPayload.size() + 8;
    // The overhead does not depend on the payload: a 6-byte payload gives the same figure.
    oscore::SecurityContext ctx6(ctx.GetParameters());
    ctx6.SetSenderSequenceNumber(ssn);
    const oscore::ProtectResult r6 = oscore::ProtectRequest(ctx6, PlainRequest(Bytes(6, 0xab)));
    Emit({{"id", id},
          {"model", r.Overhead()},
          {"case",
           "CoAP POST (CON), no token, no other options, payload marker + 5-byte payload "
           "(the draft's 6 plaintext bytes), Sender ID '"
               + sidHex + "', Partial IV " + ToHex(r.binding.requestPiv)
               + ", AES-CCM-16-64-128; overhead = encoded OSCORE request ("
               + std::to_string(r.protectedSize) + ") - encoded unprotected request ("
               + std::to_string(r.plainSize) + ")"},
          {"check",
           Check(ok, std::string(draftListsIt ? "draft hex " : "RFC 8613 layout ") + draftHex
                         + " + 7-byte ciphertext + 8-byte tag after the "
                           "header; got "
                         + ToHex(Bytes(wire.begin() + 4, wire.end())))},
          {"note", "with a 6-byte payload (7 plaintext bytes) the overhead is "
                       + std::to_string(r6.Overhead()) + " too"}});
}

void
OscoreResponseRow()
{
    const std::string id = "overhead.oscore.response";
    oscore::SecurityContext client(OscoreParameters({}, {0x01}));
    oscore::SecurityContext server(OscoreParameters({0x01}, {}));
    client.SetSenderSequenceNumber(5);
    const oscore::ProtectResult req = oscore::ProtectRequest(client, PlainRequest(kCoapPayload));
    const coap::DecodeResult received = coap::Decode(coap::Encode(req.message));
    oscore::UnprotectResult verified = oscore::UnprotectRequest(server, received.message);
    if (!req.Ok() || !received.ok || verified.status != oscore::Status::Ok)
    {
        Unsupported(id, "could not run the request the response answers: " + req.diagnostic
                            + verified.diagnostic);
        return;
    }
    coap::Message plain;
    plain.type = coap::Type::Acknowledgement;
    plain.code = coap::code::Changed;
    plain.messageId = received.message.messageId;
    plain.payload = kCoapPayload;
    const oscore::ProtectResult r = oscore::ProtectResponse(server, plain, verified.binding);
    if (!r.Ok())
    {
        Unsupported(id, "ProtectResponse failed: " + r.diagnostic);
        return;
    }
    const Bytes wire = coap::Encode(r.message);
    const Bytes expected = Hex("90 ff");
    const bool ok = StartsWith(wire, 4, expected) && wire.size() == 4 + 2 + 7 + 8;
    Emit({{"id", id},
          {"model", r.Overhead()},
          {"case",
           "2.04 response (ACK), no token, no other options, payload marker + 5-byte "
           "payload, no Partial IV (request nonce), AES-CCM-16-64-128; overhead = "
           "encoded OSCORE response ("
               + std::to_string(r.protectedSize) + ") - encoded unprotected response ("
               + std::to_string(r.plainSize) + ")"},
          {"check", Check(ok,
                          "draft hex 90 ff + 7-byte ciphertext + 8-byte tag after the "
                          "header; got "
                              + ToHex(Bytes(wire.begin() + 4, wire.end())))}});
}

// ======================================================================= (D)TLS 1.2 (sec. 4.2/4.4)

const PeerId kClientPeer = MakePeerId(0x0a000001, 5683);
const PeerId kServerPeer = MakePeerId(0x0a000002, 5684);

/// Runs the handshake by handing each side's output to the other at once; false if it stalls.
bool
RunTlsHandshake(tls::Session& client, tls::Session& server)
{
    client.Start(0);
    server.Start(0);
    for (int round = 0; round < 64; ++round)
    {
        bool moved = false;
        for (const Datagram& d : client.TakeOutput())
        {
            server.Receive(0, d.bytes);
            moved = true;
        }
        for (const Datagram& d : server.TakeOutput())
        {
            client.Receive(0, d.bytes);
            moved = true;
        }
        if (!moved)
        {
            return client.GetState() == tls::State::Established
                   && server.GetState() == tls::State::Established;
        }
    }
    return false;
}

/// The record the profile's client writes for 6 bytes of application data.
void
TlsRecordRow(const std::string& id, tls::Transport transport, const std::string& profile)
{
    const bool datagram = transport == tls::Transport::Datagram;
    tls::PskIdentity psk{Bytes{'d', 'e', 'v', 'i', 'c', 'e', '-', '0'}, Bytes(16, 0x42)};
    // As runner/tls-provisioning.cc configures the profile: a PSK per device and no explicit
    // suite list, so tls::Config offers its default, TLS_PSK_WITH_AES_128_CCM_8.
    tls::Options co;
    co.role = tls::Role::Client;
    co.transport = transport;
    co.psk = psk;
    tls::Options so = co;
    so.role = tls::Role::Server;
    so.psk.reset();
    so.pskTable = {psk};
    ProbeRandom rc(11);
    ProbeRandom rs(12);
    tls::Session client(tls::Config::Create(co, rc), kServerPeer);
    tls::Session server(tls::Config::Create(so, rs), kClientPeer);
    if (!RunTlsHandshake(client, server))
    {
        Unsupported(id, "handshake did not complete: " + client.GetFailureReason() + " / "
                            + server.GetFailureReason());
        return;
    }
    const Bytes plaintext = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    if (!client.Write(0, plaintext))
    {
        Unsupported(id, "Write failed: " + client.GetFailureReason());
        return;
    }
    Bytes record;
    size_t pieces = 0;
    for (const Datagram& d : client.TakeOutput())
    {
        record.insert(record.end(), d.bytes.begin(), d.bytes.end());
        ++pieces;
    }
    // The draft's header: 17 fe fd + epoch 00 01 + 6-byte sequence number + length 00 16
    // (DTLS), 17 03 03 + length 00 16 (TLS); then the 8-byte explicit nonce, 6 + 8 bytes.
    const size_t headerSize = datagram ? 13 : 5;
    const Bytes prefix = datagram ? Hex("17 fe fd 00 01") : Hex("17 03 03 00 16");
    const bool ok = pieces == 1 && StartsWith(record, 0, prefix)
                    && (!datagram || StartsWith(record, 11, Hex("00 16")))
                    && record.size() == headerSize + 8 + plaintext.size() + 8;
    const int64_t overhead = static_cast<int64_t>(record.size()) - 6;
    Emit({{"id", id},
          {"model", overhead},
          {"case", std::string(datagram ? "DTLS 1.2" : "TLS 1.2")
                       + " application-data record for 6 bytes of plaintext, suite "
                       + client.GetCipherSuite() + " (the " + profile
                       + " profile's default, mbedTLS 2.28); overhead = record ("
                       + std::to_string(record.size()) + ") - 6"},
          {"check",
           Check(ok, std::string("header ")
                         + (datagram ? "17 fe fd 00 01 .. 00 16" : "17 03 03 00 16")
                         + " + 8-byte explicit nonce + 6 + 8-byte tag; got " + ToHex(record))}});
}

// ========================================================================== EDHOC (sec. 3.6)

void
EdhocHandshakeRows(const std::string& name, edhoc::Method method, bool x5t)
{
    const std::string prefix = "handshake.edhoc." + name + ".";
    const char* parts[] = {"message_1", "message_2", "message_3", "total"};
    auto unsupported = [&](const std::string& why)
    {
        for (const char* part : parts)
        {
            Unsupported(prefix + part, why);
        }
    };
    std::string why;
    std::optional<EdhocParties> parties = x5t ? X5tParties(&why) : KidParties();
    if (!parties)
    {
        unsupported(why);
        return;
    }
    ProbeRandom ri(21, Hex(kTrace2X));
    ProbeRandom rr(22, Hex(kTrace2Y));
    edhoc::Initiator initiator(InitiatorOf(*parties, method), ri);
    edhoc::Responder responder(ResponderOf(*parties), rr);
    const edhoc::Outcome o1 = initiator.Start();
    const edhoc::Outcome o2 = responder.HandleMessage1(o1.message);
    const edhoc::Outcome o3 = initiator.HandleMessage2(o2.message);
    const edhoc::Outcome o4 = responder.HandleMessage3(o3.message);
    if (o1.Failed() || o2.Failed() || o3.Failed() || o4.status != edhoc::Status::Completed
        || initiator.GetPrkOut() != responder.GetPrkOut())
    {
        unsupported("the handshake did not complete: " + o1.diagnostic + o2.diagnostic
                    + o3.diagnostic + o4.diagnostic);
        return;
    }
    const std::string what = std::string(method == edhoc::Method::StaticDhStaticDh
                                             ? "METHOD 3 (static DH both)"
                                             : "METHOD 0 (signatures both, ES256)")
                             + ", cipher suite 2 (P-256, AES-CCM-16-64-128), C_I 0x37, C_R 0x27, "
                             + (x5t ? "X.509 certificates (test PKI, P-256) identified by x5t"
                                    : "CCS (RFC 9529 trace 2 keys) identified by 1-byte kid")
                             + ", no EAD, no message_4; RFC 9529 trace 2 ephemeral keys";
    // message_1 = METHOD, SUITES_I 02, G_X (58 20 + 32 bytes), C_I: the draft's 03 02 58 20.
    const Bytes m1Prefix = {static_cast<uint8_t>(method), 0x02, 0x58, 0x20};
    const bool m1ok = StartsWith(o1.message, 0, m1Prefix) && o1.message.back() == 0x37;
    const Bytes* messages[] = {&o1.message, &o2.message, &o3.message};
    int64_t total = 0;
    for (int k = 0; k < 3; ++k)
    {
        Json row{{"id", prefix + parts[k]},
                 {"model", messages[k]->size()},
                 {"case", std::string(parts[k]) + " length; " + what}};
        if (k == 0)
        {
            row["check"] = Check(m1ok, "message_1 starts " + ToHex(m1Prefix) + ", ends C_I 37; got "
                                           + ToHex(o1.message));
        }
        Emit(row);
        total += static_cast<int64_t>(messages[k]->size());
    }
    Emit({{"id", prefix + "total"},
          {"model", total},
          {"case", "message_1 + message_2 + message_3; " + what}});
}

// ===================================================================== EDHOC over CoAP (app. A)

/// A client and a server CoAP Endpoint joined directly (no loss, no delay), with the
/// project's EDHOC glue on each side.
class EdhocOverCoap
{
  public:
    EdhocOverCoap(bool combined)
      : m_clientCoap(coap::TransmissionParameters{}, m_clientCoapRandom)
      , m_serverCoap(coap::TransmissionParameters{}, m_serverCoapRandom)
      , m_client(ClientConfig(combined), m_initiatorRandom)
      , m_server(ServerConfig(), m_responderRandom)
    {
    }

    /// A request the client glue asks for, as the datagram the client Endpoint sent.
    Bytes Send(coap::Message request)
    {
        m_clientCoap.SendRequest(kServerPeer, std::move(request), 0);
        return TakeOne(m_clientCoap);
    }

    /// Hands the datagram to the server; its Endpoint's answer (empty if none).
    Bytes Serve(const Bytes& datagram, glue::EdhocCoapServer::Outcome* outcome,
                coap::Message* request)
    {
        m_serverCoap.Receive(kClientPeer, datagram.data(), datagram.size(), 0);
        for (coap::Event& e : m_serverCoap.TakeEvents())
        {
            if (e.kind != coap::Event::Kind::RequestReceived)
            {
                continue;
            }
            *outcome = m_server.Handle(e.message);
            *request = e.message;
            if (outcome->response)
            {
                m_serverCoap.Respond(e.handle, *outcome->response, 0);
                return TakeOne(m_serverCoap);
            }
        }
        return {};
    }

    /// Hands the server's answer to the client glue.
    glue::EdhocCoapClient::Step Answer(const Bytes& datagram, coap::Message* response)
    {
        m_clientCoap.Receive(kServerPeer, datagram.data(), datagram.size(), 0);
        for (coap::Event& e : m_clientCoap.TakeEvents())
        {
            if (e.kind == coap::Event::Kind::ResponseReceived)
            {
                *response = e.message;
                return m_client.OnResponse(e.message);
            }
        }
        glue::EdhocCoapClient::Step failed;
        failed.result = glue::EdhocCoapClient::Step::Result::Failed;
        failed.diagnostic = "no response event";
        return failed;
    }

    glue::EdhocCoapClient& Client()
    {
        return m_client;
    }

  private:
    static glue::EdhocCoapClient::Config ClientConfig(bool combined)
    {
        glue::EdhocCoapClient::Config c;
        c.initiator = InitiatorOf(KidParties(), edhoc::Method::StaticDhStaticDh);
        c.combined = combined;
        return c;
    }

    static glue::EdhocCoapServer::Config ServerConfig()
    {
        glue::EdhocCoapServer::Config c;
        c.responder = ResponderOf(KidParties()); // the pool allocates C_R itself
        return c;
    }

    static Bytes TakeOne(coap::Endpoint& endpoint)
    {
        std::vector<Datagram> out = endpoint.TakeDatagrams();
        return out.size() == 1 ? out[0].bytes : Bytes{};
    }

    ProbeRandom m_clientCoapRandom{31};
    ProbeRandom m_serverCoapRandom{32};
    ProbeRandom m_initiatorRandom{33, Hex(kTrace2X)};
    ProbeRandom m_responderRandom{34, Hex(kTrace2Y)};
    coap::Endpoint m_clientCoap;
    coap::Endpoint m_serverCoap;
    glue::EdhocCoapClient m_client;
    glue::EdhocCoapServer m_server;
};

/// Where the project's CoAP message differs from the draft's appendix A assumptions (token 0
/// bytes, Uri-Path "edhoc", no Content-Format): the message the project sent, decoded, is
/// changed one assumption at a time and re-encoded by the same codec, so each difference is
/// counted in bytes the codec produced.
std::string
DraftSetupNote(const Bytes& datagram, size_t edhocBytes)
{
    coap::DecodeResult d = coap::Decode(datagram);
    if (!d.ok)
    {
        return "the datagram does not decode: " + d.error;
    }
    coap::Message m = d.message;
    size_t size = datagram.size();
    std::vector<std::string> parts;
    auto step = [&](const std::string& what)
    {
        const size_t now = coap::Encode(m).size();
        parts.push_back(what + " " + std::to_string(size - now) + " bytes");
        size = now;
    };
    if (!m.token.empty())
    {
        const size_t token = m.token.size();
        m.token.clear();
        step("token of " + std::to_string(token) + " bytes (the CoAP Endpoint always draws a "
             "4-byte token; length 0 is not configurable):");
    }
    if (m.GetUriPath() == edhoc::kWellKnownEdhocPath)
    {
        m.RemoveOption(coap::option::UriPath);
        m.SetUriPath("edhoc");
        step(
            "Uri-Path '.well-known' before 'edhoc' (RFC 9528 appendix A.2's /.well-known/edhoc; "
            "the draft assumes 'edhoc'):");
    }
    if (const coap::Option* cf = m.FindOption(coap::option::ContentFormat))
    {
        const uint32_t format = coap::DecodeUintOption(cf->value);
        m.RemoveOption(coap::option::ContentFormat);
        step("Content-Format " + std::to_string(format) + ":");
    }
    std::string note = "differs from the draft's setup by";
    for (size_t i = 0; i < parts.size(); ++i)
    {
        note += (i == 0 ? " " : "; ") + parts[i];
    }
    return note + "; with the draft's setup the same message has "
           + std::to_string(size - edhocBytes) + " bytes of CoAP overhead";
}

void
CoapEdhocRows()
{
    const std::string setup
        = "EDHOC over CoAP with the project's glue (glue::EdhocCoapClient / "
          "EdhocCoapServer over two coap::Endpoints, CON requests, "
          "piggybacked responses), METHOD 3, suite 2, kid, 1-byte C_R; "
          "overhead = CoAP datagram - EDHOC message";
    const char* ids[] = {"coap.edhoc.message_1", "coap.edhoc.message_2", "coap.edhoc.message_3",
                         "coap.edhoc.message_3.combined"};

    // ---- message_1, message_2 and message_3 as a POST
    {
        EdhocOverCoap link(false);
        glue::EdhocCoapClient::Step s1 = link.Client().Start();
        if (!s1.request)
        {
            for (const char* id : ids)
            {
                Unsupported(id, "EdhocCoapClient::Start failed: " + s1.diagnostic);
            }
            return;
        }
        const size_t m1 = s1.messageBytes;
        const Bytes d1 = link.Send(*s1.request);
        glue::EdhocCoapServer::Outcome out;
        coap::Message request;
        const Bytes d2 = link.Serve(d1, &out, &request);
        coap::Message response;
        glue::EdhocCoapClient::Step s3 = link.Answer(d2, &response);
        const size_t m2 = response.payload.size(); // application/edhoc+cbor-seq: message_2 only
        if (!s3.request)
        {
            Unsupported(ids[0], "message_2 was not accepted: " + s3.diagnostic);
            return;
        }
        const size_t m3 = s3.messageBytes;
        const Bytes d3 = link.Send(*s3.request);
        const Bytes d4 = link.Serve(d3, &out, &request);
        coap::Message done;
        const glue::EdhocCoapClient::Step s4 = link.Answer(d4, &done);
        const bool completed = s4.result == glue::EdhocCoapClient::Step::Result::Ready;
        const std::string status
            = completed ? "" : " (EDHOC did not complete: " + s4.diagnostic + ")";
        Emit({{"id", ids[0]},
              {"model", d1.size() - m1},
              {"case", "POST carrying message_1 (" + std::to_string(m1)
                           + " bytes) prefixed with "
                             "CBOR true; datagram "
                           + std::to_string(d1.size()) + " bytes; " + setup + status},
              {"note", DraftSetupNote(d1, m1)}});
        Emit({{"id", ids[1]},
              {"model", d2.size() - m2},
              {"case", "2.04 ACK carrying message_2 (" + std::to_string(m2) + " bytes); datagram "
                           + std::to_string(d2.size()) + " bytes; " + setup + status},
              {"note", DraftSetupNote(d2, m2)}});
        Emit({{"id", ids[2]},
              {"model", d3.size() - m3},
              {"case", "POST carrying message_3 (" + std::to_string(m3)
                           + " bytes) prefixed with "
                             "C_R, without the combined request; datagram "
                           + std::to_string(d3.size()) + " bytes; " + setup + status},
              {"note", DraftSetupNote(d3, m3)}});
    }

    // ---- message_3 in the EDHOC + OSCORE combined request (RFC 9668)
    {
        EdhocOverCoap link(true);
        glue::EdhocCoapClient::Step s1 = link.Client().Start();
        const Bytes d1 = link.Send(*s1.request);
        glue::EdhocCoapServer::Outcome out;
        coap::Message request;
        const Bytes d2 = link.Serve(d1, &out, &request);
        coap::Message response;
        glue::EdhocCoapClient::Step ready = link.Answer(d2, &response);
        if (ready.result != glue::EdhocCoapClient::Step::Result::Ready || !ready.context)
        {
            Unsupported(ids[3],
                        "EDHOC did not get ready for the combined request: " + ready.diagnostic);
            return;
        }
        // The first OSCORE request, protected by the project's client filter, turned into the
        // combined request by the project's edhoc::MakeCombinedRequest.
        oscore::SecurityContext context(*ready.context);
        glue::OscoreCoapClient filter(context);
        coap::Message app = PlainRequest(kCoapPayload);
        app.SetUriPath("r");
        coap::FilterContextPtr exchange;
        if (!filter.ProtectRequest(kServerPeer, app, exchange).ok)
        {
            Unsupported(ids[3], "OSCORE protection failed");
            return;
        }
        edhoc::MakeCombinedRequest(app, ready.combinedMessage3);
        const Bytes combined = link.Send(app);
        // The same OSCORE request without EDHOC, as the server's SplitCombinedRequest leaves it.
        coap::DecodeResult sent = coap::Decode(combined);
        Bytes message3;
        Bytes cR;
        std::string error;
        if (!sent.ok || !edhoc::SplitCombinedRequest(sent.message, message3, cR, error))
        {
            Unsupported(ids[3], "the combined request does not split: " + sent.error + error);
            return;
        }
        const size_t plainOscore = coap::Encode(sent.message).size();
        // The server completes EDHOC from it and verifies the OSCORE request.
        link.Serve(combined, &out, &request);
        bool verified = false;
        if (out.install)
        {
            oscore::SecurityContext serverContext(*out.install);
            verified
                = oscore::UnprotectRequest(serverContext, request).status == oscore::Status::Ok;
        }
        const int64_t overhead = static_cast<int64_t>(combined.size())
                                 - static_cast<int64_t>(plainOscore)
                                 - static_cast<int64_t>(message3.size());
        Emit({{"id", ids[3]},
              {"model", overhead},
              {"case", "RFC 9668 combined request: datagram (" + std::to_string(combined.size())
                           + ") - the same OSCORE request without EDHOC ("
                           + std::to_string(plainOscore) + ") - message_3 ("
                           + std::to_string(message3.size()) + "); "
                           + (verified ? "the server completed EDHOC and verified the request"
                                       : "the server did NOT verify it")},
              {"check", Check(verified, "server-side EDHOC completion and OSCORE verification")},
              {"note",
               "the CoAP token, header and OSCORE option are the OSCORE request's and "
               "are not counted, as in the draft"}});
    }
}

// ===================================================================== DTLS 1.3

/// The draft's DTLS 1.3 cases (CCM_8, P-256, ECDSA, 1-byte key identifier; 1-byte CIDs both
/// ways when cid): one handshake between the project's DTLS 1.3 client and server, its three
/// flights measured on the wire (the server's ACK of flight 3 is left out, as the draft does).
void
Dtls13HandshakeRow(const std::string& id, const std::string& kind, bool cid)
{
    using namespace lpwan::tls13;
    const bool psk = kind != "rpk-ecdhe";
    const bool ecdhe = kind != "psk";
    ProbeRandom pkiRandom(1303);
    static const lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
    ProbeRandom signRandom(23);
    size_t serverSignature = 0;
    size_t clientSignature = 0;
    ClientConfig c;
    c.cipherSuites = {suite::kAes128Ccm8Sha256};
    c.supportedGroups = ecdhe ? std::vector<uint16_t>{group::kSecp256r1} : std::vector<uint16_t>{};
    c.keyShareGroups = c.supportedGroups;
    c.signatureAlgorithms = {};
    c.pskKeyExchangeModes = {};
    ServerConfig sv;
    sv.cipherSuites = {suite::kAes128Ccm8Sha256};
    sv.keyExchangeGroups = {group::kSecp256r1};
    const ExternalPsk key{{'7'}, Bytes(16, 0x42)};
    if (psk)
    {
        c.externalPsk = key;
        c.pskKeyExchangeModes = {ecdhe ? kPskDheKe : kPskKe};
        sv.externalPsk = key;
    }
    else
    {
        c.signatureAlgorithms = {scheme::kEcdsaSecp256r1Sha256};
        c.trustedServerKeys = {SubjectPublicKeyInfoOf(pki.server.privateKeyDer)};
        c.privateKey = pki.client.privateKeyDer;
        c.clientRawPublicKey = true;
        c.sign = [&](uint16_t scheme, const Bytes& content)
        {
            std::optional<Bytes> sig = Sign(pki.client.privateKeyDer, scheme, content, signRandom);
            clientSignature = sig ? sig->size() : 0;
            return sig;
        };
        sv.privateKey = pki.server.privateKeyDer;
        sv.rawPublicKey = true;
        sv.requestClientCertificate = true;
        sv.trustedClientKeys = {SubjectPublicKeyInfoOf(pki.client.privateKeyDer)};
        sv.sign = [&](uint16_t scheme, const Bytes& content)
        {
            std::optional<Bytes> sig = Sign(pki.server.privateKeyDer, scheme, content, signRandom);
            serverSignature = sig ? sig->size() : 0;
            return sig;
        };
    }
    c.dtls = DtlsOptions{};
    sv.dtls = DtlsOptions{};
    if (cid)
    {
        c.dtls->connectionId = Bytes{0x42};
        sv.dtls->connectionId = Bytes{0x43};
    }
    ProbeRandom rc(31);
    ProbeRandom rs(32);
    Client client(c, rc);
    Server server(sv, rs);
    client.Start(0);
    size_t flight[3] = {0, 0, 0};
    auto deliver = [](Connection& to, const std::vector<Bytes>& datagrams, size_t* bytes)
    {
        for (const Bytes& d : datagrams)
        {
            *bytes += d.size();
            to.Receive(0, d);
        }
    };
    deliver(server, client.TakeDatagrams(), &flight[0]);
    deliver(client, server.TakeDatagrams(), &flight[1]);
    deliver(server, client.TakeDatagrams(), &flight[2]);
    size_t ack = 0;
    deliver(client, server.TakeDatagrams(), &ack);
    if (!client.IsConnected() || !server.IsConnected())
    {
        Unsupported(id, "the DTLS 1.3 handshake did not complete");
        return;
    }
    std::string what = "DTLS 1.3 " + kind + ", TLS_AES_128_CCM_8_SHA256" + (ecdhe ? ", P-256" : "")
                       + (psk ? ", 1-byte PSK identity" : "")
                       + (cid ? ", 1-byte connection IDs" : ", no connection IDs") + "; flights "
                       + std::to_string(flight[0]) + " / " + std::to_string(flight[1]) + " / "
                       + std::to_string(flight[2]) + " bytes (the server's " + std::to_string(ack)
                       + "-byte ACK of flight 3 not counted)";
    if (!psk)
    {
        what += "; ECDSA signatures " + std::to_string(serverSignature) + " (server) and "
                + std::to_string(clientSignature) + " (client) bytes DER";
    }
    Emit({{"id", id},
          {"model", static_cast<int64_t>(flight[0] + flight[1] + flight[2])},
          {"case", what}});
}

/// A DTLS 1.3 application record of 6 plaintext bytes, the draft's example (the minimal
/// unified header, 8-bit sequence number, no length; CCM_8), after a PSK handshake.
void
Dtls13RecordRow(const std::string& id, bool cid)
{
    using namespace lpwan::tls13;
    ClientConfig c;
    c.cipherSuites = {suite::kAes128Ccm8Sha256};
    c.supportedGroups = {};
    c.keyShareGroups = {};
    c.signatureAlgorithms = {};
    c.pskKeyExchangeModes = {kPskKe};
    c.externalPsk = ExternalPsk{{'7'}, Bytes(16, 0x42)};
    c.dtls = DtlsOptions{};
    ServerConfig sv;
    sv.cipherSuites = {suite::kAes128Ccm8Sha256};
    sv.externalPsk = c.externalPsk;
    sv.dtls = DtlsOptions{};
    if (cid)
    {
        c.dtls->connectionId = Bytes{0x42};
        sv.dtls->connectionId = Bytes{0x43};
    }
    ProbeRandom rc(41);
    ProbeRandom rs(42);
    Client client(c, rc);
    Server server(sv, rs);
    client.Start(0);
    for (int i = 0; i < 4; ++i)
    {
        for (const Bytes& d : client.TakeDatagrams())
        {
            server.Receive(0, d);
        }
        for (const Bytes& d : server.TakeDatagrams())
        {
            client.Receive(0, d);
        }
    }
    // 7 plaintext bytes: the smallest payload whose ciphertext reaches the 16 bytes record
    // number encryption samples (the draft's example shows 6 and no padding).
    const Bytes payload(7, 0x61);
    if (!client.IsConnected() || !client.SendApplicationData(payload))
    {
        Unsupported(id, "the DTLS 1.3 handshake did not complete");
        return;
    }
    const std::vector<Bytes> out = client.TakeDatagrams();
    const int64_t overhead
        = out.size() == 1 ? static_cast<int64_t>(out[0].size() - payload.size()) : -1;
    Emit({{"id", id},
          {"model", overhead},
          {"case", std::string("a 7-byte application record from the client: header byte, ")
                       + (cid ? "1-byte CID, " : "") + "8-bit sequence number, no length; "
                       + "inner content type; 8-byte CCM_8 tag"}});
}

} // namespace

int
main()
{
    try
    {
        OscoreRequestRow("overhead.oscore.request.seq-05", "", 0x05, "92 09 05 ff", true);
        OscoreRequestRow("overhead.oscore.request.seq-1005", "", 0x1005, "93 0a 10 05 ff", false);
        OscoreRequestRow("overhead.oscore.request.seq-100005", "", 0x100005, "94 0b 10 00 05 ff",
                         false);
        OscoreRequestRow("overhead.oscore.request.sid-42", "42", 0x05, "93 09 05 42 ff", true);
        OscoreRequestRow("overhead.oscore.request.sid-4002", "4002", 0x05, "94 09 05 40 02 ff",
                         false);
        OscoreResponseRow();
        TlsRecordRow("overhead.dtls12.record", tls::Transport::Datagram, "dtls-psk");
        TlsRecordRow("overhead.tls12.record", tls::Transport::Stream, "tls-mqtt");
        EdhocHandshakeRows("static-dh-kid", edhoc::Method::StaticDhStaticDh, false);
        EdhocHandshakeRows("static-dh-x5t", edhoc::Method::StaticDhStaticDh, true);
        EdhocHandshakeRows("sig-kid", edhoc::Method::SignatureSignature, false);
        EdhocHandshakeRows("sig-x5t", edhoc::Method::SignatureSignature, true);
        CoapEdhocRows();
        Dtls13HandshakeRow("handshake.dtls13.psk.cid.total", "psk", true);
        Dtls13HandshakeRow("handshake.dtls13.psk-ecdhe.cid.total", "psk-ecdhe", true);
        Dtls13HandshakeRow("handshake.dtls13.rpk-ecdhe.cid.total", "rpk-ecdhe", true);
        Dtls13HandshakeRow("handshake.dtls13.psk.total", "psk", false);
        Dtls13HandshakeRow("handshake.dtls13.psk-ecdhe.total", "psk-ecdhe", false);
        Dtls13HandshakeRow("handshake.dtls13.rpk-ecdhe.total", "rpk-ecdhe", false);
        Dtls13RecordRow("overhead.dtls13.record", false);
        Dtls13RecordRow("overhead.dtls13.record.cid", true);
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-bytes-probe: " << e.what() << "\n";
        return 1;
    }
    if (g_mismatches > 0)
    {
        std::cerr << "lpwan-bytes-probe: " << g_mismatches
                  << " byte-level check(s) did not match the draft's layout\n";
        return 1;
    }
    return 0;
}
