/*
 * Routes over a topology: Dijkstra's shortest paths from the server (boost::
 * dijkstra_shortest_paths, each link weighing its `cost`, 1 by default), giving every node its
 * next hop towards the server -- a shortest-path tree. All traffic in a scenario flows between
 * a device and the server (through the proxies on its path), so this tree is every route the
 * network needs: TopologyHelper installs, on each node, a default route to its parent and one
 * route per subnet of its subtree (see helper/topology-helper.h).
 *
 * The security analysis (security-architecture.h) walks the same paths.
 */
#ifndef LPWAN_TOPOLOGY_ROUTES_H
#define LPWAN_TOPOLOGY_ROUTES_H

#include "topology.h"

#include <optional>
#include <vector>

namespace ns3
{
namespace topology
{

class RouteTree
{
  public:
    /// Computes the tree. The topology must be valid.
    explicit RouteTree(const Topology& topology);

    Vertex GetRoot() const
    {
        return m_root;
    }

    /// The next node towards the server (nullopt for the server itself).
    std::optional<Vertex> GetParent(Vertex v) const;
    /// The link to the parent.
    Edge GetParentLink(Vertex v) const;
    /// The nodes the tree leads through from v to the server: v first, the server last.
    std::vector<Vertex> GetPath(Vertex v) const;
    /// Children in the tree (nodes whose parent is v), in vertex order.
    const std::vector<Vertex>& GetChildren(Vertex v) const
    {
        return m_children[v];
    }

    /// Number of links from v to the server.
    uint32_t GetDepth(Vertex v) const
    {
        return m_depth[v];
    }

  private:
    const Topology& m_topology;
    Vertex m_root;
    std::vector<Vertex> m_parent;
    std::vector<std::optional<Edge>> m_parentLink;
    std::vector<std::vector<Vertex>> m_children;
    std::vector<uint32_t> m_depth;
};

} // namespace topology
} // namespace ns3

#endif // LPWAN_TOPOLOGY_ROUTES_H
