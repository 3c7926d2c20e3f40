/*
 * The OSCORE glue's reporting steps (OscoreCoapClient::Protect / Verify,
 * OscoreCoapServer::VerifyRequest / Protect): the sizes and statuses the simulation's
 * accounting takes from them, and a client whose context changes between request and response.
 */
#include "oscore-test-util.h"
#include "protocols/coap/coap-codec.h"
#include "protocols/glue/oscore-coap-client.h"
#include "protocols/glue/oscore-coap-server.h"
#include "protocols/oscore/oscore-kid-context-map.h"

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
    m.SetUriPath("r");
    m.payload = {1, 2, 3, 4};
    return m;
}

} // namespace

TEST(OscoreCoapGlue, StepsReportSizesAndStatuses)
{
    lpwan::oscore::KidContextMap contexts;
    contexts.Install(Mirror(C1Client()));
    lpwan::glue::OscoreCoapServer server(contexts);
    lpwan::glue::OscoreCoapClient client(
        std::make_shared<lpwan::oscore::SecurityContext>(C1Client()));

    lpwan::coap::Message request = Post();
    const size_t plainSize = lpwan::coap::Encode(request).size();
    lpwan::coap::FilterContextPtr clientExchange;
    lpwan::glue::OscoreStep p = client.Protect(request, clientExchange);
    ASSERT_TRUE(p.result.ok) << p.result.error;
    EXPECT_EQ(p.plainSize, plainSize);
    EXPECT_EQ(p.overhead, static_cast<int64_t>(lpwan::coap::Encode(request).size() - plainSize));

    lpwan::coap::Message received = OverTheWire(request);
    lpwan::coap::FilterContextPtr serverExchange;
    lpwan::glue::OscoreStep v = server.VerifyRequest(received, serverExchange);
    ASSERT_TRUE(v.result.ok) << v.result.error;
    EXPECT_EQ(received.payload, Post().payload);

    lpwan::coap::Message response;
    response.code = lpwan::coap::code::Changed;
    response.payload = {9};
    const size_t responsePlain = lpwan::coap::Encode(response).size();
    lpwan::glue::OscoreStep r = server.Protect(response, serverExchange);
    ASSERT_TRUE(r.result.ok) << r.result.error;
    EXPECT_EQ(r.plainSize, responsePlain);
    EXPECT_GT(r.overhead, 0);

    // The client's context changes (a new EDHOC context) before the response: the exchange
    // is verified with the context that protected its request.
    client.SetContext(std::make_shared<lpwan::oscore::SecurityContext>(C1Client()));
    lpwan::coap::Message answer = OverTheWire(response);
    lpwan::glue::OscoreStep a = client.Verify(answer, clientExchange);
    EXPECT_TRUE(a.result.ok) << a.result.error;
    EXPECT_EQ(a.status, lpwan::oscore::Status::Ok);
    EXPECT_EQ(answer.code, lpwan::coap::code::Changed);
}

TEST(OscoreCoapGlue, RejectionsCarryTheStatusAndTheErrorResponse)
{
    lpwan::oscore::KidContextMap contexts; // no context: every OSCORE request is unknown
    lpwan::glue::OscoreCoapServer server(contexts);
    lpwan::glue::OscoreCoapClient client(
        std::make_shared<lpwan::oscore::SecurityContext>(C1Client()));

    lpwan::coap::Message request = Post();
    lpwan::coap::FilterContextPtr clientExchange;
    ASSERT_TRUE(client.Protect(request, clientExchange).result.ok);
    lpwan::coap::Message received = OverTheWire(request);
    lpwan::coap::FilterContextPtr serverExchange;
    lpwan::glue::OscoreStep v = server.VerifyRequest(received, serverExchange);
    EXPECT_FALSE(v.result.ok);
    EXPECT_EQ(v.status, lpwan::oscore::Status::ContextNotFound);
    EXPECT_EQ(v.result.errorCode, lpwan::coap::code::Unauthorized);
    ASSERT_TRUE(v.errorResponse.has_value());

    // The unprotected 4.01 reaches the client: not OSCORE, the server's code kept.
    lpwan::coap::Message answer = OverTheWire(*v.errorResponse);
    lpwan::glue::OscoreStep a = client.Verify(answer, clientExchange);
    EXPECT_FALSE(a.result.ok);
    EXPECT_EQ(a.status, lpwan::oscore::Status::NotOscore);
    EXPECT_EQ(a.result.errorCode, lpwan::coap::code::Unauthorized);

    lpwan::coap::Message plain = Post();
    v = server.VerifyRequest(plain, serverExchange);
    EXPECT_EQ(v.status, lpwan::oscore::Status::NotOscore);
    EXPECT_EQ(v.result.errorCode, lpwan::coap::code::Unauthorized);
    EXPECT_FALSE(v.errorResponse.has_value());
    EXPECT_EQ(server.GetRequestCounters().noContext, 1u);
    EXPECT_EQ(server.GetRequestCounters().notOscore, 1u);
}
