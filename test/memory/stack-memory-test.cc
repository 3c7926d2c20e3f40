/*
 * lpwan-memory's measurement: the heap meter books exactly what the code allocates, to whoever
 * allocated it; and the profiles' figures are what their stacks are known to allocate (mbedTLS's
 * two record buffers per live session, hibernated DTLS sessions on the server, an OSCORE
 * context's keys), add up where a profile is two layers, and repeat exactly.
 */
#include "memory/heap-meter.h"
#include "memory/stack-memory.h"
#include "protocols/oscore/oscore-security-context.h"

#include <gtest/gtest.h>
#include <malloc.h>
#include <mbedtls/ssl_internal.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

using namespace lpwan::tools;

namespace
{

/// mbedTLS allocates one input and one output record buffer per session (ssl_tls.c,
/// mbedtls_ssl_setup), of these sizes in Debian's build (16 KiB of content each).
constexpr int64_t kRecordBuffers = MBEDTLS_SSL_IN_BUFFER_LEN + MBEDTLS_SSL_OUT_BUFFER_LEN;

const std::map<std::string, ProfileMemory>&
Measured()
{
    static const std::map<std::string, ProfileMemory> all = []
    {
        std::map<std::string, ProfileMemory> m;
        for (const std::string& p : MeasuredProfiles())
        {
            m[p] = MeasureProfileMemory(p);
        }
        return m;
    }();
    return all;
}

const MemoryFigures&
Of(const std::string& profile)
{
    return Measured().at(profile).figures;
}

} // namespace

TEST(HeapMeter, BooksEachBlockToItsAllocatorUntilReleased)
{
    const int64_t device = HeapMeter::Live(HeapOwner::Device);
    const int64_t server = HeapMeter::Live(HeapOwner::Server);
    void* a;
    std::vector<uint8_t>* v;
    {
        HeapOwnerScope scope(HeapOwner::Device);
        a = std::malloc(1000);
        v = new std::vector<uint8_t>(300);
    }
    EXPECT_EQ(HeapMeter::Live(HeapOwner::Device) - device,
              1000 + static_cast<int64_t>(sizeof(std::vector<uint8_t>)) + 300);
    EXPECT_EQ(malloc_usable_size(a), 1000u);
    {
        // Released by someone else: still the device's bytes that go.
        HeapOwnerScope scope(HeapOwner::Server);
        std::free(a);
        delete v;
    }
    EXPECT_EQ(HeapMeter::Live(HeapOwner::Device), device);
    EXPECT_EQ(HeapMeter::Live(HeapOwner::Server), server);
}

TEST(HeapMeter, ReallocAlignedAndCallocKeepTheirSizes)
{
    HeapOwnerScope scope(HeapOwner::Device);
    const int64_t start = HeapMeter::Live(HeapOwner::Device);
    HeapMeter::MarkPeak(HeapOwner::Device);
    auto* p = static_cast<uint8_t*>(std::calloc(10, 10));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p[99], 0);
    p[0] = 7;
    p = static_cast<uint8_t*>(std::realloc(p, 5000));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p[0], 7);
    EXPECT_EQ(HeapMeter::Live(HeapOwner::Device) - start, 5000);
    // Both blocks were live during the move.
    EXPECT_EQ(HeapMeter::Peak(HeapOwner::Device) - start, 5100);
    void* aligned = nullptr;
    ASSERT_EQ(posix_memalign(&aligned, 256, 64), 0);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % 256, 0u);
    EXPECT_EQ(HeapMeter::Live(HeapOwner::Device) - start, 5064);
    std::free(aligned);
    EXPECT_EQ(std::realloc(p, 0), nullptr);
    EXPECT_EQ(HeapMeter::Live(HeapOwner::Device), start);
}

TEST(StackMemory, EveryProfileIsMeasuredAndNoneHoldsNothing)
{
    EXPECT_EQ(MeasuredProfiles().size(), 10u);
    const MemoryFigures& none = Of("none");
    EXPECT_EQ(none.deviceHeld, 0);
    EXPECT_EQ(none.serverPerDevice, 0);
    EXPECT_THROW(MeasureProfileMemory("no-such-profile"), std::invalid_argument);
    // The DTLS 1.3 core keeps no 16 KiB record buffers: a device holds a fraction of what
    // mbedTLS's DTLS 1.2 session does.
    EXPECT_LT(Of("dtls13-psk").deviceHeld * 3, Of("dtls-psk").deviceHeld);
}

TEST(StackMemory, OscoreHoldsItsContextAndNoRecordBuffers)
{
    const MemoryFigures& f = Of("oscore");
    // The context object, its 16-byte keys and 13-byte Common IV at least ...
    const int64_t keys = 16 + 16 + 13;
    EXPECT_GE(f.deviceHeld, static_cast<int64_t>(sizeof(lpwan::oscore::SecurityContext)) + keys);
    EXPECT_GE(f.serverPerDevice,
              static_cast<int64_t>(sizeof(lpwan::oscore::SecurityContext)) + keys);
    // ... and nothing of the size of a TLS record buffer.
    EXPECT_LT(f.deviceHeld, 4096);
    EXPECT_LT(f.serverPerDevice, 4096);
    // Protecting a report needs the protected copy of it for a moment.
    EXPECT_GT(f.deviceExchangePeak, f.deviceHeld);
}

TEST(StackMemory, Tls12SessionsHoldMbedtlsRecordBuffers)
{
    for (const char* profile : {"dtls-psk", "dtls-ecdhe", "tls-mqtt"})
    {
        const MemoryFigures& f = Of(profile);
        EXPECT_GE(f.deviceHeld, kRecordBuffers) << profile;
        // The buffers plus the context, the configuration and its credentials.
        EXPECT_LT(f.deviceHeld, kRecordBuffers + 16 * 1024) << profile;
        EXPECT_GE(f.deviceHandshakePeak, f.deviceHeld) << profile;
    }
    // The broker keeps every TLS connection awake with its buffers; the DTLS server hibernates
    // an idle session to its serialized form (DtlsServerOptions::hibernateIdle).
    EXPECT_GE(Of("tls-mqtt").serverPerDevice, kRecordBuffers);
    EXPECT_LT(Of("dtls-psk").serverPerDevice * 10, kRecordBuffers);
    // A certificate handshake holds more than a PSK one (chains, ECDHE and ECDSA state).
    EXPECT_GT(Of("dtls-ecdhe").deviceHandshakePeak, Of("dtls-psk").deviceHandshakePeak);
}

TEST(StackMemory, EdhocSessionIsFreedAfterTheHandshake)
{
    const MemoryFigures& edhoc = Of("edhoc-oscore");
    const MemoryFigures& oscore = Of("oscore");
    // During EDHOC the device holds the session (ephemeral key, transcript hash, credentials);
    // afterwards the OSCORE context and the credentials it keeps to run EDHOC again.
    EXPECT_GT(edhoc.deviceHandshakePeak, edhoc.deviceHeld);
    EXPECT_GT(edhoc.deviceHeld, oscore.deviceHeld);
    // The server keeps only the derived context, like oscore's.
    EXPECT_NEAR(static_cast<double>(edhoc.serverPerDevice),
                static_cast<double>(oscore.serverPerDevice), 64);
}

TEST(StackMemory, LayeredProfileIsTheSumOfItsLayers)
{
    MemoryFigures sum = Of("oscore");
    sum += Of("dtls-psk");
    const MemoryFigures& layered = Of("oscore-dtls");
    EXPECT_EQ(layered.deviceHeld, sum.deviceHeld);
    EXPECT_EQ(layered.serverPerDevice, sum.serverPerDevice);
}

TEST(StackMemory, RepeatsExactly)
{
    for (const char* profile : {"oscore", "edhoc-oscore", "dtls-ecdhe", "tls13-mqtt"})
    {
        const MemoryFigures again = MeasureProfileMemory(profile).figures;
        const MemoryFigures& first = Of(profile);
        EXPECT_EQ(again.deviceHeld, first.deviceHeld) << profile;
        EXPECT_EQ(again.deviceHandshakePeak, first.deviceHandshakePeak) << profile;
        EXPECT_EQ(again.serverPerDevice, first.serverPerDevice) << profile;
    }
}
