#include "topology-routes.h"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>

namespace ns3
{
namespace topology
{

RouteTree::RouteTree(const Topology& topology)
  : m_topology(topology)
  , m_root(topology.GetServer())
{
    const Graph& g = topology.GetGraph();
    const size_t n = boost::num_vertices(g);
    std::vector<Vertex> predecessor(n);
    std::vector<double> distance(n);
    auto weight = boost::make_function_property_map<Edge, double>(
        [&g](Edge e)
        {
            return g[e].params.cost.value_or(1.0);
        });
    boost::dijkstra_shortest_paths(
        g, m_root,
        boost::predecessor_map(boost::make_iterator_property_map(
                                   predecessor.begin(), boost::get(boost::vertex_index, g)))
            .distance_map(boost::make_iterator_property_map(distance.begin(),
                                                            boost::get(boost::vertex_index, g)))
            .weight_map(weight));

    m_parent = predecessor;
    m_parentLink.assign(n, std::nullopt);
    m_children.assign(n, {});
    m_depth.assign(n, 0);
    for (Vertex v = 0; v < n; ++v)
    {
        if (v == m_root || predecessor[v] == v)
        {
            continue; // the root, or a node the server does not reach (no device behind it)
        }
        m_parentLink[v] = boost::edge(v, predecessor[v], g).first;
        m_children[predecessor[v]].push_back(v);
    }
    // Depths top-down: children lists are complete, walk from the root.
    std::vector<Vertex> stack = {m_root};
    while (!stack.empty())
    {
        Vertex v = stack.back();
        stack.pop_back();
        for (Vertex c : m_children[v])
        {
            m_depth[c] = m_depth[v] + 1;
            stack.push_back(c);
        }
    }
}

std::optional<Vertex>
RouteTree::GetParent(Vertex v) const
{
    if (!m_parentLink[v])
    {
        return std::nullopt;
    }
    return m_parent[v];
}

Edge
RouteTree::GetParentLink(Vertex v) const
{
    if (!m_parentLink[v])
    {
        m_topology.Fail(m_topology.DescribeNode(v) + " has no route to the server");
    }
    return *m_parentLink[v];
}

std::vector<Vertex>
RouteTree::GetPath(Vertex v) const
{
    std::vector<Vertex> path = {v};
    while (v != m_root)
    {
        std::optional<Vertex> p = GetParent(v);
        if (!p)
        {
            m_topology.Fail(m_topology.DescribeNode(path.front()) + " has no route to the server");
        }
        v = *p;
        path.push_back(v);
    }
    return path;
}

} // namespace topology
} // namespace ns3
