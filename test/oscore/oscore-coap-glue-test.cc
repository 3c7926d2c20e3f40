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

using namespace ns3;
using namespace oscore_test;

namespace
{

coap::Message
Post()
{
    coap::Message m;
    m.type = coap::Type::Confirmable;
    m.code = coap::code::Post;
    m.SetUriPath("r");
    m.payload = {1, 2, 3, 4};
    return m;
}

} // namespace

TEST(OscoreCoapGlue, StepsReportSizesAndStatuses)
{
    oscore::KidContextMap contexts;
    contexts.Install(Mirror(C1Client()));
    glue::OscoreCoapServer server(contexts);
    glue::OscoreCoapClient client(std::make_shared<oscore::SecurityContext>(C1Client()));

    coap::Message request = Post();
    const size_t plainSize = coap::Encode(request).size();
    coap::FilterContextPtr clientExchange;
    glue::OscoreStep p = client.Protect(request, clientExchange);
    ASSERT_TRUE(p.result.ok) << p.result.error;
    EXPECT_EQ(p.plainSize, plainSize);
    EXPECT_EQ(p.overhead, static_cast<int64_t>(coap::Encode(request).size() - plainSize));

    coap::Message received = OverTheWire(request);
    coap::FilterContextPtr serverExchange;
    glue::OscoreStep v = server.VerifyRequest(received, serverExchange);
    ASSERT_TRUE(v.result.ok) << v.result.error;
    EXPECT_EQ(received.payload, Post().payload);

    coap::Message response;
    response.code = coap::code::Changed;
    response.payload = {9};
    const size_t responsePlain = coap::Encode(response).size();
    glue::OscoreStep r = server.Protect(response, serverExchange);
    ASSERT_TRUE(r.result.ok) << r.result.error;
    EXPECT_EQ(r.plainSize, responsePlain);
    EXPECT_GT(r.overhead, 0);

    // The client's context changes (a new EDHOC context) before the response: the exchange
    // is verified with the context that protected its request.
    client.SetContext(std::make_shared<oscore::SecurityContext>(C1Client()));
    coap::Message answer = OverTheWire(response);
    glue::OscoreStep a = client.Verify(answer, clientExchange);
    EXPECT_TRUE(a.result.ok) << a.result.error;
    EXPECT_EQ(a.status, oscore::Status::Ok);
    EXPECT_EQ(answer.code, coap::code::Changed);
}

TEST(OscoreCoapGlue, RejectionsCarryTheStatusAndTheErrorResponse)
{
    oscore::KidContextMap contexts; // no context: every OSCORE request is unknown
    glue::OscoreCoapServer server(contexts);
    glue::OscoreCoapClient client(std::make_shared<oscore::SecurityContext>(C1Client()));

    coap::Message request = Post();
    coap::FilterContextPtr clientExchange;
    ASSERT_TRUE(client.Protect(request, clientExchange).result.ok);
    coap::Message received = OverTheWire(request);
    coap::FilterContextPtr serverExchange;
    glue::OscoreStep v = server.VerifyRequest(received, serverExchange);
    EXPECT_FALSE(v.result.ok);
    EXPECT_EQ(v.status, oscore::Status::ContextNotFound);
    EXPECT_EQ(v.result.errorCode, coap::code::Unauthorized);
    ASSERT_TRUE(v.errorResponse.has_value());

    // The unprotected 4.01 reaches the client: not OSCORE, the server's code kept.
    coap::Message answer = OverTheWire(*v.errorResponse);
    glue::OscoreStep a = client.Verify(answer, clientExchange);
    EXPECT_FALSE(a.result.ok);
    EXPECT_EQ(a.status, oscore::Status::NotOscore);
    EXPECT_EQ(a.result.errorCode, coap::code::Unauthorized);

    coap::Message plain = Post();
    v = server.VerifyRequest(plain, serverExchange);
    EXPECT_EQ(v.status, oscore::Status::NotOscore);
    EXPECT_EQ(v.result.errorCode, coap::code::Unauthorized);
    EXPECT_FALSE(v.errorResponse.has_value());
    EXPECT_EQ(server.GetRequestCounters().noContext, 1u);
    EXPECT_EQ(server.GetRequestCounters().notOscore, 1u);
}
