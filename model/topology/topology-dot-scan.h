/*
 * A bound on what a DOT file will build, found before Boost.Graph's read_graphviz reads it.
 *
 * read_graphviz keeps the whole file as a graph of strings (about 1.7 KB per node and edge,
 * measured: a 1 MiB file of 145,000 device nodes and their links peaks at 272 MB and takes
 * 3 s) and expands an edge between subgraphs into every pair of their nodes, so that a 34 KB
 * file ("subgraph {a1 .. a3000} -- subgraph {b1 .. b3000}") asks for 9 million edges and
 * 5.8 GB. ScanDot walks the file once with a small lexer and the DOT grammar, counting the
 * distinct node names and the edges each edge statement makes (the product of its ends'
 * sizes), and refuses a file above kMaxDotNodes or kMaxDotEdges before anything is built.
 * It reads the DOT grammar read_graphviz reads (comments, '#' lines, line continuations,
 * quoted and HTML strings, ports, named and anonymous subgraphs) and is a little more lenient
 * where it does not matter for the counts; text it cannot read is "not a valid DOT graph"
 * with its line, and subgraphs nested more than 100 deep too (read_graphviz recursed once a
 * level and overflowed the stack on 100,000 braces).
 */
#ifndef LPWAN_TOPOLOGY_DOT_SCAN_H
#define LPWAN_TOPOLOGY_DOT_SCAN_H

#include <cstdint>
#include <string>

namespace ns3
{
namespace topology
{

/// At most this many distinct node names in a DOT file (each device a hub generates with
/// devices=N counts later, against the run's memory).
constexpr uint64_t kMaxDotNodes = 300000;
/// At most this many edges in a DOT file, an edge between subgraphs counting every pair.
constexpr uint64_t kMaxDotEdges = 300000;

struct DotSize
{
    uint64_t nodes = 0; ///< distinct node names (an upper bound: "a" and a count once)
    uint64_t edges = 0; ///< edges read_graphviz will add
};

/// Counts text's nodes and edges; throws TopologyError "<origin>: ..." above the limits.
DotSize ScanDot(const std::string& text, const std::string& origin);

} // namespace topology
} // namespace ns3

#endif // LPWAN_TOPOLOGY_DOT_SCAN_H
