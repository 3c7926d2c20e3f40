/*
 * The record overhead of draft-ietf-iotops-security-protocol-comparison sections 4.2.1 and
 * 4.4.1 (figure fig-overhead: DTLS 1.2 29 bytes, TLS 1.2 21 bytes for 6 bytes of plaintext
 * with an 8-byte tag), pinned on the records mbedTLS writes with the suite the dtls-psk and
 * tls-mqtt profiles get by default (TLS_PSK_WITH_AES_128_CCM_8: 8-byte explicit nonce,
 * 8-byte tag).
 */

#include "tls-test-util.h"

#include <gtest/gtest.h>

namespace
{

using namespace tlstest;

Bytes
RecordFor6Bytes(Transport transport)
{
    Pair pair(PskClientOptions(transport), PskServerOptions(transport), 15);
    EXPECT_TRUE(pair.Handshake());
    EXPECT_EQ(pair.client->GetCipherSuite(), "TLS-PSK-WITH-AES-128-CCM-8");
    pair.network.Flush();
    pair.client->TakeOutput();
    EXPECT_TRUE(pair.client->Write(pair.network.Now(), Bytes{1, 2, 3, 4, 5, 6}));
    Bytes record;
    for (const Datagram& d : pair.client->TakeOutput())
    {
        record.insert(record.end(), d.bytes.begin(), d.bytes.end());
    }
    return record;
}

TEST(TlsRecordOverhead, Dtls12MatchesTheDraft)
{
    const Bytes record = RecordFor6Bytes(Transport::Datagram);
    ASSERT_EQ(record.size(), 35u); // 29 bytes of overhead
    // 17 fe fd, epoch 00 01, 6-byte sequence number, length 00 16.
    EXPECT_EQ(Bytes(record.begin(), record.begin() + 5), (Bytes{0x17, 0xfe, 0xfd, 0x00, 0x01}));
    EXPECT_EQ(Bytes(record.begin() + 11, record.begin() + 13), (Bytes{0x00, 0x16}));
}

TEST(TlsRecordOverhead, Tls12MatchesTheDraft)
{
    const Bytes record = RecordFor6Bytes(Transport::Stream);
    ASSERT_EQ(record.size(), 27u); // 21 bytes of overhead
    EXPECT_EQ(Bytes(record.begin(), record.begin() + 5), (Bytes{0x17, 0x03, 0x03, 0x00, 0x16}));
}

} // namespace
