/*
 * Fuzz target topology-dot: text into the DOT topology reader (model/topology/topology-dot.*,
 * Boost.Graph's read_graphviz and the checks around it).
 *
 * Oracles: a file is either read or refused with a TopologyError naming it (no other
 * exception, crash, hang or runaway memory); a topology that reads writes back (WriteDot) to
 * text that reads to the same topology: the same nodes with the same roles, the same devices in
 * the same order, the same links of the same kinds.
 * Seeds: the catalogue's topologies (scenarios/topologies/) and the documented examples.
 * Dictionary: test/fuzz/dict/topology-dot.dict (DOT syntax, roles, kinds, attributes, units).
 *
 * A census check refuses, before it is built, a topology larger than kMaxDevices devices or
 * kMaxNodes nodes, as a run's memory check refuses one that does not fit (ValidateScenario
 * passes the same kind of check): the whole text is still read and checked, but a 95-byte
 * input declaring a cell of 59,324 devices no longer takes seconds to build under ASan, which
 * held a campaign to 600 exec/s. Large topologies that fit are the topology tests' business.
 */
#include "topology/topology-dot.h"

#include "fuzz-check.h"

#include <sstream>

using namespace ns3;
using namespace ns3::topology;

namespace
{
constexpr uint64_t kMaxDevices = 2000;
constexpr uint64_t kMaxNodes = 4000;

void
Budget(const TopologyCensus& census)
{
    if (census.devices > kMaxDevices || census.nodes > kMaxNodes)
    {
        throw TopologyError("fuzz.dot: " + std::to_string(census.devices) + " devices, "
                            + std::to_string(census.nodes)
                            + " nodes: over the fuzz target's budget");
    }
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::optional<Topology> t;
    try
    {
        t.emplace(ReadDot(text, "fuzz.dot", Budget));
    }
    catch (const TopologyError& e)
    {
        FUZZ_CHECK(std::string(e.what()).find("fuzz.dot") != std::string::npos,
                   "the error does not name the file");
        return 0;
    }
    std::ostringstream os;
    WriteDot(*t, os);
    Topology again = [&]
    {
        try
        {
            return ReadDot(os.str(), "written.dot");
        }
        catch (const TopologyError& e)
        {
            std::fprintf(stderr, "%s\n--- written ---\n%s\n", e.what(), os.str().c_str());
            FUZZ_CHECK(false, "a written topology does not read back");
            throw;
        }
    }();
    FUZZ_CHECK(again.GetNodeCount() == t->GetNodeCount(), "node count");
    FUZZ_CHECK(again.GetDevices().size() == t->GetDevices().size(), "device count");
    const Graph& g = t->GetGraph();
    const Graph& g2 = again.GetGraph();
    for (size_t k = 0; k < t->GetDevices().size(); ++k)
    {
        FUZZ_CHECK(g[t->GetDevices()[k]].name == g2[again.GetDevices()[k]].name, "device order");
    }
    for (auto [v, end] = boost::vertices(g); v != end; ++v)
    {
        const std::optional<Vertex> w = again.Find(g[*v].name);
        FUZZ_CHECK(w.has_value(), "a node went missing");
        FUZZ_CHECK(g2[*w].role == g[*v].role, "a node's role changed");
    }
    FUZZ_CHECK(boost::num_edges(g2) == boost::num_edges(g), "link count");
    for (auto [e, end] = boost::edges(g); e != end; ++e)
    {
        const Vertex a = *again.Find(g[boost::source(*e, g)].name);
        const Vertex b = *again.Find(g[boost::target(*e, g)].name);
        const auto found = boost::edge(a, b, g2);
        FUZZ_CHECK(found.second, "a link went missing");
        FUZZ_CHECK(g2[found.first].kind == g[*e].kind, "a link's kind changed");
        FUZZ_CHECK(g2[found.first].params == g[*e].params, "a link's parameters changed");
    }
    return 0;
}
