// ScanDot: the bound on a DOT file's nodes and edges found before read_graphviz reads it.
// Its counts agree with what read_graphviz builds from the catalogue's files, an edge between
// subgraphs counts every pair, and the files that used to exhaust memory or the stack (a
// product of two subgraphs, braces nested 100,000 deep) are refused at once.
#include "topology/topology-dot-scan.h"
#include "topology/topology-dot.h"
#include "topology/topology.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace ns3::topology;

namespace
{

std::string
ScanError(const std::string& dot)
{
    try
    {
        ScanDot(dot, "t.dot");
    }
    catch (const TopologyError& e)
    {
        return e.what();
    }
    return "";
}

std::string
ReadError(const std::string& dot)
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

std::string
ReadText(const std::filesystem::path& path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

TEST(TopologyDotScan, CountsWhatReadGraphvizBuildsFromTheCatalogue)
{
    const std::filesystem::path dir
        = std::filesystem::path(LPWAN_SOURCE_DIR) / "scenarios/topologies";
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
    {
        if (entry.path().extension() != ".dot")
        {
            continue;
        }
        ++files;
        const std::string text = ReadText(entry.path());
        const DotSize size = ScanDot(text, entry.path().string());
        // The topology adds the devices its hubs generate (devices=N, each with its link):
        // the file's own nodes and edges are the rest.
        const Topology t = ReadDot(text, entry.path().string());
        uint64_t generated = 0;
        const std::regex devices("devices=([0-9]+)");
        for (std::sregex_iterator m(text.begin(), text.end(), devices), end; m != end; ++m)
        {
            generated += std::stoull((*m)[1].str());
        }
        EXPECT_EQ(size.nodes, t.GetNodeCount() - generated) << entry.path();
        EXPECT_EQ(size.edges, boost::num_edges(t.GetGraph()) - generated) << entry.path();
    }
    EXPECT_GE(files, 3);
}

TEST(TopologyDotScan, CountsChainsSubgraphsPortsAndComments)
{
    const DotSize s = ScanDot(R"(
        strict digraph "g" {
            graph [rankdir=LR]; node [role=device]; rankdir = LR
            /* a -- b is not an edge */ // nor c -- d
            # neither is e -- f
            a -> b -> c [kind=lpwan];
            a:port:n -- subgraph s1 { x; y; z } -- "quoted name";
            subgraph s1 -- w;
            { p q } -- { r t };
            <html<b>x</b>> -- -1.5;
        })",
                              "t.dot");
    // a b c, x y z, "quoted name", w, p q r t, the HTML name and the numeral.
    EXPECT_EQ(s.nodes, 14u);
    // 2 in the chain; a to x, y, z and x, y, z to the quoted name; s1's 3 nodes to w; 2 x 2;
    // one more.
    EXPECT_EQ(s.edges, 2u + 3u + 3u + 3u + 4u + 1u);
}

TEST(TopologyDotScan, AnEdgeBetweenLargeSubgraphsIsRefusedBeforeItIsBuilt)
{
    // 3,000 x 3,000 nodes: 9 million edges from 34 KB. read_graphviz used to take 54 s and
    // 5.8 GB on it.
    std::string a;
    std::string b;
    for (int i = 0; i < 3000; ++i)
    {
        a += " a" + std::to_string(i);
        b += " b" + std::to_string(i);
    }
    const std::string error = ScanError("graph { subgraph {" + a + " } -- subgraph {" + b + " } }");
    EXPECT_EQ(error,
              "t.dot: line 1: more than 300000 edges (an edge between subgraphs counts "
              "every pair of their nodes); a topology file may have at most 300000");
    EXPECT_EQ(ReadError(std::string("graph { subgraph {" + a + " } -- subgraph {" + b + " } }")),
              error);
}

TEST(TopologyDotScan, TooManyNodesAreRefusedWhileScanning)
{
    std::string dot = "graph {\n";
    for (uint64_t i = 0; i <= kMaxDotNodes; ++i)
    {
        dot += "d" + std::to_string(i) + ";\n";
    }
    dot += "}\n";
    EXPECT_EQ(ScanError(dot), "t.dot: line " + std::to_string(kMaxDotNodes + 2)
                                  + ": more than 300000 nodes; a topology file may name at most "
                                    "300000 (a hub's devices=N adds devices without naming them)");
}

TEST(TopologyDotScan, DeepNestingIsRefusedInsteadOfOverflowingTheStack)
{
    // read_graphviz recursed once per brace and crashed (SIGSEGV) on this.
    const std::string dot = "graph { " + std::string(100000, '{') + std::string(100000, '}') + " }";
    EXPECT_EQ(ScanError(dot),
              "t.dot: not a valid DOT graph: line 1: subgraphs nested more than "
              "100 deep");
}

TEST(TopologyDotScan, TextItCannotReadIsNotAValidGraph)
{
    EXPECT_EQ(ScanError("graph { a -- }"),
              "t.dot: not a valid DOT graph: line 1: expected a node or a subgraph");
    EXPECT_EQ(ScanError("graph { a [label=\"x } "),
              "t.dot: not a valid DOT graph: line 1: a quoted string does not end");
    EXPECT_EQ(ScanError("graph { a % b }"),
              "t.dot: not a valid DOT graph: line 1: unexpected character '%'");
    EXPECT_EQ(ScanError("node { }"),
              "t.dot: not a valid DOT graph: line 1: expected 'graph' or 'digraph'");
}

TEST(TopologyDotScan, AHubsDevicesMustFitOneSubnet)
{
    // devices=N up to what one subnet of 10.0.0.0/8 addresses besides its network, broadcast
    // and hub addresses; one more is refused before anything is generated. (Declared devices
    // cannot reach the bound: a file names at most 300,000 nodes.)
    EXPECT_EQ(kMaxDevicesPerHub, 16777213u);
    EXPECT_EQ(ReadError("graph { s [role=server]; gw [role=gateway, devices=16777214]; "
                        "gw -- s [kind=p2p]; }"),
              "t.dot: node 'gw': devices='16777214' is not a number of devices in [0, "
              "16777213]");
}

TEST(TopologyDotScan, TheCensusCheckSeesGeneratedDevicesBeforeTheyAreMade)
{
    std::string dot
        = "graph { server [role=server]; core [role=router]; server -- core "
          "[kind=p2p];\n";
    for (int g = 1; g <= 200; ++g)
    {
        const std::string gw = "gw" + std::to_string(g);
        dot += gw + " [role=gateway, devices=60000]; " + gw + " -- core [kind=p2p];\n";
    }
    dot += "cell [role=cell, devices=7]; cell -- core [kind=p2p]; m [role=device]; m -- cell "
           "[kind=nbiot]; }\n";
    TopologyCensus seen;
    struct Refused
    {
    };
    EXPECT_THROW(ReadDot(dot, "t.dot",
                         [&seen](const TopologyCensus& c)
                         {
                             seen = c;
                             throw Refused{};
                         }),
                 Refused);
    EXPECT_EQ(seen.devices, 200u * 60000 + 8);
    EXPECT_EQ(seen.cellularDevices, 8u);
    EXPECT_EQ(seen.hubs, 201u);
    EXPECT_EQ(seen.nodes, 2u + 201 + seen.devices);
    EXPECT_EQ(seen.links, 1u + 201 + seen.devices);
}
