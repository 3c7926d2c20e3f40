// A DTLS device whose report timed out starts a new session for the next one, from a new
// port, and gets it: the server's DtlsTransport ignores a ClientHello on an association it
// still holds, so from the same port the device would never handshake again.
#include "scenario-run-fixture.h"

#include <gtest/gtest.h>

using namespace lpwantest;

TEST(DtlsReconnect, ADeviceWhoseReportTimedOutHandshakesAgain)
{
    auto out = RunScenario(SmallScenario({"security.profile=dtls-psk", "link.loss=0.4"}),
                           OutDir("dtls-reconnect"));
    const auto& s = out.summary;
    const uint64_t sent = s["messages"]["sent"];
    const uint64_t timeouts = s["messages"]["completions"].value("timeout", 0);
    ASSERT_GT(timeouts, 0u); // the lossy link makes some reports time out...
    // ...and each such device resumes its session with an abbreviated handshake afterwards,
    // instead of failing every later handshake.
    EXPECT_GT(s["handshakes"]["abbreviated"].get<uint64_t>(), timeouts / 2);
    EXPECT_LT(s["handshakes"]["failed"].get<uint64_t>(), sent / 10);
    EXPECT_GT(s["messages"]["delivered"].get<uint64_t>(), sent * 8 / 10);
}
