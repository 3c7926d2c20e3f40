// Topologies read from Graphviz DOT (Boost.Graph's read_graphviz), the generators, and the
// route tree: what is read, and the error each kind of broken file gets (naming the node or
// the edge).
#include "topology/topology-dot.h"
#include "topology/topology-generators.h"
#include "topology/topology-routes.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace ns3::topology;

namespace
{

/// The message of the TopologyError that reading `dot` throws ("" if it reads fine).
std::string
ErrorOf(const std::string& dot)
{
    try
    {
        ReadDot(dot, "t.dot");
    }
    catch (const TopologyError& e)
    {
        return e.what();
    }
    return "";
}

std::vector<std::string>
Names(const Topology& t, const std::vector<Vertex>& vs)
{
    std::vector<std::string> names;
    for (Vertex v : vs)
    {
        names.push_back(t.GetNode(v).name);
    }
    return names;
}

const char* kCampus = R"(
graph campus {
    node [role=router];
    server [role=server, label="cloud"];
    core;                                         // a router by the default above
    gw1 [role=gateway, devices=3, loss=0.2, delay="500ms"];
    gw2 [role=gateway, shape=box];
    m1 [role=device]; m2 [role=device];
    server -- core [kind=p2p, rate="10Mbps", delay="20ms", cost=2];
    core -- gw1 -- gw2 [kind=p2p];
    m1 -- gw2 [kind=lpwan, rate=5000];
    m2 -- gw2 [kind=lpwan];
}
)";

} // namespace

TEST(TopologyDot, ReadsRolesLinksDefaultsAndGeneratedDevices)
{
    Topology t = ReadDot(kCampus, "campus.dot");
    EXPECT_EQ(t.GetNodeCount(), 9u);
    ASSERT_TRUE(t.Find("core"));
    EXPECT_EQ(t.GetNode(*t.Find("core")).role, Role::Router);
    EXPECT_EQ(t.GetNode(t.GetServer()).name, "server");
    // Declared and generated devices in the natural order of their names.
    EXPECT_EQ(Names(t, t.GetDevices()),
              (std::vector<std::string>{"gw1-d1", "gw1-d2", "gw1-d3", "m1", "m2"}));
    EXPECT_EQ(t.GetNode(t.GetHub(*t.Find("gw1-d2"))).name, "gw1");
    EXPECT_EQ(t.GetLink(t.GetRadioLink(*t.Find("gw1-d2"))).kind, LinkKind::Lpwan);

    const Graph& g = t.GetGraph();
    auto server = boost::edge(*t.Find("server"), *t.Find("core"), g);
    ASSERT_TRUE(server.second);
    const LinkParams& p = g[server.first].params;
    EXPECT_EQ(g[server.first].kind, LinkKind::P2p);
    EXPECT_DOUBLE_EQ(*p.rateBps, 10e6);
    EXPECT_DOUBLE_EQ(*p.delayS, 0.02);
    EXPECT_DOUBLE_EQ(*p.cost, 2);
    EXPECT_FALSE(p.loss);
    // An edge chain a -- b -- c makes two links with the same attributes.
    EXPECT_TRUE(boost::edge(*t.Find("gw1"), *t.Find("gw2"), g).second);

    LinkParams gw1 = t.GetChannelParams(*t.Find("gw1"));
    EXPECT_DOUBLE_EQ(*gw1.loss, 0.2);
    EXPECT_DOUBLE_EQ(*gw1.delayS, 0.5);
    LinkParams gw2 = t.GetChannelParams(*t.Find("gw2"));
    EXPECT_DOUBLE_EQ(*gw2.rateBps, 5000);
}

TEST(TopologyDot, ReadsADigraphAsLinks)
{
    Topology t = ReadDot(
        "digraph { s [role=server]; g [role=cell, devices=2]; g -> s [kind=p2p]; }", "d.dot");
    EXPECT_EQ(t.GetDevices().size(), 2u);
    EXPECT_EQ(t.GetLink(t.GetRadioLink(t.GetDevices()[0])).kind, LinkKind::NbIot); // a cell's
}

TEST(TopologyDot, WrittenDotReadsBackTheSameTopology)
{
    Topology t = ReadDot(kCampus, "campus.dot");
    std::ostringstream os;
    WriteDot(t, os);
    Topology again = ReadDot(os.str(), "written.dot");
    ASSERT_EQ(again.GetNodeCount(), t.GetNodeCount());
    EXPECT_EQ(Names(again, again.GetDevices()), Names(t, t.GetDevices()));
    const Graph& g = t.GetGraph();
    for (auto [it, end] = boost::edges(g); it != end; ++it)
    {
        Vertex a = *again.Find(g[boost::source(*it, g)].name);
        Vertex b = *again.Find(g[boost::target(*it, g)].name);
        auto e = boost::edge(a, b, again.GetGraph());
        ASSERT_TRUE(e.second) << t.DescribeEdge(*it);
        EXPECT_EQ(again.GetLink(e.first).kind, g[*it].kind);
        EXPECT_TRUE(again.GetLink(e.first).params == g[*it].params) << t.DescribeEdge(*it);
    }
    EXPECT_TRUE(again.GetChannelParams(*again.Find("gw1")) == t.GetChannelParams(*t.Find("gw1")));
}

TEST(TopologyDot, ErrorsNameTheNodeOrEdge)
{
    const std::string ok
        = "s [role=server]; g [role=gateway]; d [role=device]; "
          "g -- s [kind=p2p]; d -- g [kind=lpwan];";
    EXPECT_EQ(ErrorOf("graph {" + ok + "}"), "");

    struct Case
    {
        std::string dot;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"graph { s [role=server]; g [role=gatway]; }",
         "t.dot: node 'g': unknown role 'gatway' (one of device, cell, enb, gateway, router, "
         "proxy, server)"},
        {"graph { s [role=server]; g; }", "t.dot: node 'g': missing attribute role"},
        {"graph { s [role=server]; g [role=gateway]; g -- s; }",
         "t.dot: edge 'g' -- 's': missing attribute kind (lpwan, nbiot, ltem or p2p)"},
        {"graph { s [role=server]; g [role=gateway]; g -- s [kind=wifi]; }",
         "t.dot: edge 'g' -- 's': unknown kind 'wifi'"},
        {"graph { s [role=server]; g [role=gateway]; g -- s [kind=p2p, rat=5]; }",
         "t.dot: edge 'g' -- 's': unknown attribute 'rat'"},
        {"graph { s [role=server]; r [role=router, devices=3]; }",
         "t.dot: node 'r': unknown attribute 'devices' for a router"},
        {"graph { s [role=server]; g [role=gateway]; g -- s [kind=p2p, delay=fast]; }",
         "t.dot: edge 'g' -- 's': delay='fast' is not a duration"},
        {"graph { s [role=server]; g [role=gateway, loss=1.5]; }",
         "t.dot: node 'g': loss='1.5' is not a probability in [0, 1]"},
        {"graph { s [role=server]; g [role=gateway]; h [role=gateway]; d [role=device]; "
         "g -- s [kind=p2p]; h -- s [kind=p2p]; d -- g [kind=lpwan]; d -- h [kind=lpwan]; }",
         "t.dot: device 'd' has 2 links ('g', 'h'); a device has exactly one radio link"},
        {"graph { s [role=server]; g [role=gateway, devices=2]; }",
         "t.dot: server 's' is disconnected: it has no link"},
        {"graph { s [role=server]; r [role=router]; g [role=gateway, devices=2]; r -- s "
         "[kind=p2p]; }",
         "t.dot: device 'g-d1' (behind 'g') has no path to server 's'"},
        {"graph { g [role=gateway, devices=1]; }", "t.dot: no node has role=server"},
        {"graph { s [role=server]; t [role=server]; g [role=gateway, devices=1]; }",
         "t.dot: two nodes have role=server ('s' and 't')"},
        {"graph { s [role=server]; g [role=gateway]; g -- s [kind=p2p]; }",
         "t.dot: no node has role=device"},
        {"graph { s [role=server]; r [role=router]; r -- s [kind=lpwan]; }",
         "t.dot: edge 'r' -- 's': a lpwan link joins a device to a gateway or cell"},
        {"graph { s [role=server]; g [role=gateway]; d [role=device]; g -- s [kind=p2p]; "
         "d -- g [kind=p2p]; }",
         "t.dot: edge 'd' -- 'g': a device joins the network by a radio link"},
        {"graph { s [role=server]; g [role=gateway]; d [role=device]; e [role=device]; "
         "g -- s [kind=p2p]; d -- g [kind=lpwan]; e -- g [kind=nbiot]; }",
         "t.dot: node 'g' mixes lpwan and nbiot radio links"},
        {"graph { s [role=server]; g [role=gateway, delay=1]; d [role=device]; "
         "g -- s [kind=p2p]; d -- g [kind=lpwan, delay=2]; }",
         "t.dot: edge 'd' -- 'g': delay differs from the value set on node 'g'"},
        {"graph { s [role=server]; g [role=gateway, devices=2]; \"g-d2\" [role=device]; "
         "g -- s [kind=p2p]; }",
         "t.dot: node 'g-d2' is defined twice"},
        {"graph { s [role=server]; g [role=gateway, devices=1]; g -- s [kind=p2p]; "
         "g -- s [kind=p2p]; }",
         "t.dot: edge 'g' -- 's' is given twice"},
        {"graph { s [role=server]; g [role=gateway, devices=1]; g -- g [kind=p2p]; }",
         "t.dot: edge 'g' -- 'g': a link joins two different nodes"},
        {"graph { s [role=server] g -- }", "t.dot: not a valid DOT graph"},
    };
    for (const Case& c : cases)
    {
        std::string error = ErrorOf(c.dot);
        EXPECT_EQ(error.rfind(c.message, 0), 0u) << c.dot << "\n  got: " << error;
    }
}

TEST(TopologyDot, NaturalOrderOfNames)
{
    EXPECT_TRUE(NaturalLess("d2", "d10"));
    EXPECT_FALSE(NaturalLess("d10", "d2"));
    EXPECT_TRUE(NaturalLess("gw1-d9", "gw1-d10"));
    EXPECT_TRUE(NaturalLess("gw1-d10", "gw2-d1"));
    EXPECT_TRUE(NaturalLess("a", "b"));
    EXPECT_TRUE(NaturalLess("d", "d1"));
    EXPECT_TRUE(NaturalLess("d1", "d01")); // same value: fewer leading zeros first
    EXPECT_FALSE(NaturalLess("x7", "x7"));
}

TEST(TopologyDot, MissingFileIsNamed)
{
    try
    {
        ReadDotFile("/nonexistent/t.dot");
        FAIL();
    }
    catch (const TopologyError& e)
    {
        EXPECT_STREQ(e.what(), "/nonexistent/t.dot: cannot open topology file");
    }
}

TEST(TopologyGenerators, ShapesAndNames)
{
    Topology star = Generate("star", 0, 4);
    EXPECT_EQ(star.GetDevices().size(), 4u);
    EXPECT_EQ(star.GetNode(star.GetHub(star.GetDevices()[0])).name, "gw");

    Topology gws = Generate("gateways", 3, 5);
    EXPECT_EQ(gws.GetDevices().size(), 15u);
    RouteTree gwTree(gws);
    EXPECT_EQ(Names(gws, gwTree.GetPath(*gws.Find("gw2-d5"))),
              (std::vector<std::string>{"gw2-d5", "gw2", "core", "server"}));

    Topology chain = Generate("chain", 3, 2);
    RouteTree chainTree(chain);
    EXPECT_EQ(Names(chain, chainTree.GetPath(*chain.Find("gw3-d1"))),
              (std::vector<std::string>{"gw3-d1", "gw3", "gw2", "gw1", "server"}));
    EXPECT_EQ(chainTree.GetDepth(*chain.Find("gw3-d1")), 4u);

    Topology cellular = Generate("cellular", 2, 3);
    RouteTree cellTree(cellular);
    EXPECT_EQ(Names(cellular, cellTree.GetPath(*cellular.Find("cell2-d3"))),
              (std::vector<std::string>{"cell2-d3", "cell2", "core", "platform", "server"}));
    EXPECT_EQ(cellular.GetLink(cellular.GetRadioLink(*cellular.Find("cell1-d1"))).kind,
              LinkKind::NbIot);

    EXPECT_THROW(Generate("ring", 2, 2), TopologyError);
    EXPECT_THROW(Generate("gateways", 0, 2), TopologyError);
}

TEST(TopologyRoutes, DijkstraFollowsLinkCosts)
{
    // Two ways from g to s: directly (cost 5) or through r (1 + 1).
    const char* dot
        = "graph { s [role=server]; r [role=router]; g [role=gateway, devices=1]; "
          "g -- s [kind=p2p, cost=5]; g -- r [kind=p2p]; r -- s [kind=p2p]; }";
    Topology t = ReadDot(dot, "cost.dot");
    RouteTree tree(t);
    EXPECT_EQ(Names(t, tree.GetPath(*t.Find("g-d1"))),
              (std::vector<std::string>{"g-d1", "g", "r", "s"}));
    Topology cheap = ReadDot(std::string(dot).replace(std::string(dot).find("cost=5"), 6, "cost=1"),
                             "cheap.dot");
    RouteTree cheapTree(cheap);
    EXPECT_EQ(Names(cheap, cheapTree.GetPath(*cheap.Find("g-d1"))),
              (std::vector<std::string>{"g-d1", "g", "s"}));
}
