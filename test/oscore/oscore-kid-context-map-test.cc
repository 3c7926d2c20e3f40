/*
 * KidContextMap: the simulated server's contexts, one per client by 'kid'. Lookup, the
 * section 8.2 rejections, and counters that survive replaced and forgotten contexts.
 */
#include "oscore-test-util.h"
#include "protocols/oscore/oscore-kid-context-map.h"
#include "protocols/oscore/oscore-protect.h"

#include <gtest/gtest.h>

using namespace lpwan;
using namespace oscore_test;

namespace
{

lpwan::coap::Message
Post()
{
    lpwan::coap::Message m;
    m.type = lpwan::coap::Type::Confirmable;
    m.code = lpwan::coap::code::Post;
    m.token = {1, 2};
    m.SetUriPath("r");
    m.payload = {1, 2, 3};
    return m;
}

lpwan::coap::Message
Protected(lpwan::oscore::SecurityContext& client)
{
    lpwan::oscore::ProtectResult r = lpwan::oscore::ProtectRequest(client, Post());
    EXPECT_TRUE(r.Ok()) << r.diagnostic;
    return OverTheWire(r.message);
}

} // namespace

TEST(OscoreKidContextMap, VerifiesWithTheContextOfTheKidAndKeepsItAlive)
{
    lpwan::oscore::KidContextMap map;
    map.Install(Mirror(C1Client()));
    EXPECT_TRUE(map.Contains(C1Client().senderId));
    lpwan::oscore::SecurityContext client(C1Client());

    std::shared_ptr<lpwan::oscore::SecurityContext> context;
    lpwan::oscore::UnprotectResult r = map.Verify(Protected(client), &context);
    ASSERT_TRUE(r.Ok()) << r.diagnostic;
    ASSERT_NE(context, nullptr);
    EXPECT_EQ(r.message.payload, Post().payload);

    // Replaced (EDHOC run again) before the response: the exchange still holds the old one.
    map.Install(Mirror(C1Client()));
    EXPECT_EQ(map.Size(), 1u);
    EXPECT_EQ(context->GetCounters().requestsVerified, 1u);
    EXPECT_EQ(map.GetRequestCounters().requestsVerified, 1u);
}

TEST(OscoreKidContextMap, RejectsAndCountsWhatFindsNoContext)
{
    lpwan::oscore::KidContextMap map;
    lpwan::oscore::SecurityContext client(C1Client());

    std::shared_ptr<lpwan::oscore::SecurityContext> context;
    lpwan::oscore::UnprotectResult r = map.Verify(Protected(client), &context);
    EXPECT_EQ(r.status, lpwan::oscore::Status::ContextNotFound);
    ASSERT_TRUE(r.errorResponse.has_value());
    EXPECT_EQ(r.errorResponse->code, lpwan::coap::code::Unauthorized);
    EXPECT_EQ(context, nullptr);

    r = map.Verify(Post(), &context);
    EXPECT_EQ(r.status, lpwan::oscore::Status::NotOscore);
    EXPECT_FALSE(r.errorResponse.has_value());

    EXPECT_EQ(map.GetRequestCounters().noContext, 1u);
    EXPECT_EQ(map.GetRequestCounters().notOscore, 1u);
}

TEST(OscoreKidContextMap, CountersSurviveRemoveAndClear)
{
    lpwan::oscore::KidContextMap map;
    map.Install(Mirror(C1Client()));
    lpwan::oscore::SecurityContext client(C1Client());
    const lpwan::coap::Message request = Protected(client);
    ASSERT_TRUE(map.Verify(request, nullptr).Ok());
    EXPECT_EQ(map.Verify(request, nullptr).status, lpwan::oscore::Status::Replay);

    map.Remove(C1Client().senderId);
    EXPECT_FALSE(map.Contains(C1Client().senderId));
    map.Install(Mirror(C1Client()));
    map.Clear();
    EXPECT_EQ(map.Size(), 0u);
    EXPECT_EQ(map.GetRequestCounters().requestsVerified, 1u);
    EXPECT_EQ(map.GetRequestCounters().replayed, 1u);
}
