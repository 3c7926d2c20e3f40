/*
 * Fuzz target tls-record-scanner: bytes into the (D)TLS record-header accounting
 * (protocols/tls/record-scanner.h), as datagrams (DTLS, ScanDatagram, ContainsClientHello)
 * and as a TLS byte stream cut into pieces (StreamRecordScanner).
 *
 * The first input byte chooses the cuts of the stream (piece sizes cycle through
 * 1 .. byte % 32 + 1); the rest is the datagram or the stream. Oracles: every byte is
 * attributed to exactly one content type or "other" (the counts add up to the input size, in
 * a stream up to the bytes of a record header that is not complete yet);
 * a datagram has at most one record per 13 bytes; the stream's attribution does not depend on
 * how it is cut (pieces and one piece give the same counts).
 * Seeds: records of every content type in DTLS and TLS framing (files in the corpus).
 */
#include "fuzz-check.h"
#include "protocols/tls/record-scanner.h"

using namespace lpwan;
using namespace lpwan_fuzz;

namespace
{

uint64_t
Total(const tls::RecordBytes& b)
{
    return b.changeCipherSpec + b.alert + b.handshake + b.applicationData + b.other;
}

bool
Same(const tls::RecordBytes& a, const tls::RecordBytes& b)
{
    return a.changeCipherSpec == b.changeCipherSpec && a.alert == b.alert
           && a.handshake == b.handshake && a.applicationData == b.applicationData
           && a.other == b.other && a.records == b.records;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    const uint8_t cut = data[0];
    const uint8_t* bytes = data + 1;
    const size_t length = size - 1;

    const tls::RecordBytes datagram = tls::ScanDatagram(bytes, length);
    FUZZ_CHECK(Total(datagram) == length, "datagram bytes not all attributed");
    FUZZ_CHECK(datagram.records <= length / 13, "more DTLS records than headers fit");
    (void) tls::ContainsClientHello(bytes, length);

    tls::StreamRecordScanner whole;
    const tls::RecordBytes once = whole.Feed(bytes, length);
    // A record header's bytes count once the header is complete: at most 4 wait for more.
    FUZZ_CHECK(Total(once) <= length && length - Total(once) < 5, "stream bytes not attributed");

    tls::StreamRecordScanner pieces;
    tls::RecordBytes sum;
    size_t at = 0;
    size_t piece = 1;
    while (at < length)
    {
        const size_t n = std::min(length - at, piece);
        sum += pieces.Feed(bytes + at, n);
        at += n;
        piece = piece % (cut % 32 + 1) + 1;
    }
    // Records are counted when their header completes, so the counts match exactly.
    FUZZ_CHECK(Same(sum, once), "the attribution depends on how the stream is cut");
    return 0;
}
