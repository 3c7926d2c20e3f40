/*
 * lpwan-mcu-probe: what the model charges a device's microcontroller for the cryptography of
 * one operation or one exchange, for comparison with published measurements on Cortex-M4
 * parts (issue 15's computation rows; docs/validation.md, "Computation rows").
 *
 * Every figure is made the way a simulated run makes it: the project's real code runs the
 * operation (EDHOC's ES256 signing and verification and its P-256 ECDH, mbedTLS underneath;
 * an OSCORE protection and verification; a whole EDHOC handshake), the crypto tally
 * (protocols/common/crypto-tally.h) counts the primitive operations the libraries executed, and
 * a named MCU profile (model/energy/mcu-profile.h, key energy.mcu) prices them. Nothing here
 * is a formula of the reference's numbers: a row agrees with its reference only if the tally
 * counts what the operation really does and the profile's per-operation prices fit it.
 *
 * One JSON object per line on stdout, as the other probes:
 *   {"id": ..., "model": <ms>, "unit": "ms", "case": <what ran, priced by which profile>,
 *    "note": <the operations counted>}
 */
#include "energy/mcu-profile.h"
#include "probe-support.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/coap/coap-message.h"
#include "protocols/common/crypto-tally.h"
#include "protocols/edhoc/edhoc-ecdh.h"
#include "protocols/edhoc/edhoc-signature.h"
#include "protocols/oscore/oscore-protect.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <iostream>
#include <string>

namespace
{

using namespace probe;
using Json = nlohmann::ordered_json;
using lpwan::CryptoTally;

/// The operations `work` performs, as the crypto tally counts them on this thread.
CryptoTally
Counted(const std::function<void()>& work)
{
    lpwan::ScopedCryptoTally tally;
    work();
    return tally.Total();
}

std::string
Operations(const CryptoTally& t)
{
    std::string s;
    auto add = [&s](uint64_t n, const char* what)
    {
        if (n > 0)
        {
            s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + what;
        }
    };
    add(t.aesBlocks, "AES blocks");
    add(t.sha256Blocks, "SHA-256 compressions");
    add(t.p256BaseMul, "P-256 k*G");
    add(t.p256Mul, "P-256 k*P");
    add(t.p256MulAdd, "P-256 u1*G+u2*Q");
    add(t.x25519Mul, "X25519");
    return "counted: " + (s.empty() ? std::string("nothing") : s);
}

void
Emit(const std::string& id, const CryptoTally& t, const std::string& mcu, const std::string& what)
{
    const ns3::McuProfile profile = ns3::McuProfile::ByName(mcu);
    std::cout << Json{{"id", id},
                      {"model", profile.Seconds(t) * 1e3},
                      {"unit", "ms"},
                      {"case",
                       what + "; priced by energy.mcu " + mcu + " (" + profile.source + ")"},
                      {"note", Operations(t)}}
                     .dump()
              << "\n";
}

// ============================================================== P-256 operations (ES256, ECDH)

const Bytes kMessage(32, 0x5a); // what is signed: one SHA-256 block once padded

void
P256Rows()
{
    ProbeRandom random(15);
    const Bytes sk = Hex(kTrace2SkI);
    const Bytes pk = Hex(kTrace2PkI);
    std::optional<Bytes> signature;
    const CryptoTally sign = Counted(
        [&]
        {
            signature = edhoc::Sign(edhoc::SignatureAlgorithm::Es256, sk, kMessage, random);
        });
    bool verified = false;
    const CryptoTally verify = Counted(
        [&]
        {
            verified = signature
                       && edhoc::Verify(edhoc::SignatureAlgorithm::Es256, pk, kMessage, *signature);
        });
    std::optional<edhoc::KeyPair> ephemeral;
    const CryptoTally keygen = Counted(
        [&]
        {
            ephemeral = edhoc::GenerateKeyPair(edhoc::Curve::P256, random);
        });
    std::optional<Bytes> secret;
    const CryptoTally ecdh = Counted(
        [&]
        {
            secret = edhoc::DhSharedSecret(edhoc::Curve::P256, Hex(kTrace2SkR),
                                           ephemeral ? ephemeral->publicKey : Bytes{});
        });
    if (!signature || !verified || !ephemeral || !secret)
    {
        throw std::runtime_error("a P-256 operation of the EDHOC core failed");
    }
    const std::string signCase
        = "one ES256 signature of a 32-byte message by the EDHOC core "
          "(edhoc::Sign: SHA-256, deterministic ECDSA, mbedTLS)";
    const std::string verifyCase = "one ES256 verification of that signature (edhoc::Verify)";
    const std::string keygenCase = "one P-256 ephemeral key pair (edhoc::GenerateKeyPair)";
    const std::string ecdhCase
        = "one P-256 ECDH shared secret with a peer's x-coordinate (edhoc::DhSharedSecret)";
    for (const char* mcu : {"m4-mbedtls", "m4-asm", "nrf52840-cc310"})
    {
        Emit(std::string("mcu.p256.sign.") + mcu, sign, mcu, signCase);
        Emit(std::string("mcu.p256.verify.") + mcu, verify, mcu, verifyCase);
        Emit(std::string("mcu.p256.ecdh.") + mcu, ecdh, mcu, ecdhCase);
    }
    Emit("mcu.p256.ecdhe.m4-mbedtls", keygen + ecdh, "m4-mbedtls", keygenCase + " and " + ecdhCase);
    for (const char* mcu : {"m4-asm", "nrf52840-cc310"})
    {
        Emit(std::string("mcu.p256.keygen.") + mcu, keygen, mcu, keygenCase);
    }
}

// ============================================================== OSCORE per message (payload N)

/// One request with an N-byte payload protected by the client and verified by the server, the
/// computation uOSCORE's benchmark times as "encrypting/decrypting payload data".
void
OscoreRow(size_t payload)
{
    oscore::SecurityContext client(OscoreParameters({}, {0x01}));
    oscore::SecurityContext server(OscoreParameters({0x01}, {}));
    coap::Message plain;
    plain.type = coap::Type::Confirmable;
    plain.code = coap::code::Post;
    plain.messageId = 0x1234;
    plain.token = {0x01, 0x02, 0x03, 0x04};
    plain.payload = Bytes(payload, 0xa5);
    bool ok = false;
    const CryptoTally work = Counted(
        [&]
        {
            const oscore::ProtectResult r = oscore::ProtectRequest(client, plain);
            const coap::DecodeResult wire = coap::Decode(coap::Encode(r.message));
            ok = r.Ok() && wire.ok
                 && oscore::UnprotectRequest(server, wire.message).status == oscore::Status::Ok;
        });
    if (!ok)
    {
        throw std::runtime_error("OSCORE protection of a " + std::to_string(payload)
                                 + "-byte payload failed");
    }
    Emit("mcu.oscore.payload-" + std::to_string(payload), work, "m4-mbedtls",
         "OSCORE (AES-CCM-16-64-128) protection of a CoAP POST with a " + std::to_string(payload)
             + "-byte payload by the client and its verification by the server");
}

// ============================================================== a whole EDHOC handshake

void
EdhocRow()
{
    std::string why;
    const std::optional<EdhocParties> parties = X5tParties(&why);
    if (!parties)
    {
        throw std::runtime_error(why);
    }
    ProbeRandom ri(21, Hex(kTrace2X));
    ProbeRandom rr(22, Hex(kTrace2Y));
    bool ok = false;
    const CryptoTally work = Counted(
        [&]
        {
            edhoc::Initiator initiator(InitiatorOf(*parties, edhoc::Method::SignatureSignature),
                                       ri);
            edhoc::Responder responder(ResponderOf(*parties), rr);
            const edhoc::Outcome o1 = initiator.Start();
            const edhoc::Outcome o2 = responder.HandleMessage1(o1.message);
            const edhoc::Outcome o3 = initiator.HandleMessage2(o2.message);
            const edhoc::Outcome o4 = responder.HandleMessage3(o3.message);
            ok = o4.status == edhoc::Status::Completed
                 && initiator.GetPrkOut() == responder.GetPrkOut();
        });
    if (!ok)
    {
        throw std::runtime_error("the EDHOC handshake did not complete");
    }
    Emit("mcu.edhoc.sig-x5t", work, "m4-mbedtls",
         "one EDHOC handshake, METHOD 0 (ES256 signatures both), cipher suite 2, X.509 "
         "certificates known to both sides and identified by x5t: the initiator's and the "
         "responder's computation together");
}

} // namespace

int
main()
{
    try
    {
        if (!lpwan::CryptoTallyWorks())
        {
            throw std::runtime_error(
                "the crypto tally is not in effect in this process "
                "(link order): nothing could be counted");
        }
        P256Rows();
        for (size_t payload : {20, 50, 100, 200, 500, 1000})
        {
            OscoreRow(payload);
        }
        EdhocRow();
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-mcu-probe: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
