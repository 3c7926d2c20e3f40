/*
 * ns-3 attribute overrides on lpwan-run's command line, as ns-3 programs take them:
 *
 *   lpwan-run default --ns3::NbIotUeNetDevice::T3324=5s --ns3::TcpSocket::SegmentSize=512
 *
 * beside the scenario keys (--set). An override is checked before anything runs (the type
 * exists, has the attribute, the attribute can be set and the value parses), then applied
 * twice: as the attribute's default (for objects made during the run, e.g. sockets) and, once
 * the network and applications are built, on every object of that type the node, device,
 * application and channel lists reach, so that it wins over a value a helper set from a
 * scenario key. The run's summary.json lists each override under "ns3_attributes" with how
 * many objects it set at the start; the defaults are restored after the run.
 */
#ifndef LPWAN_ATTRIBUTE_OVERRIDES_H
#define LPWAN_ATTRIBUTE_OVERRIDES_H

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

struct AttributeOverride
{
    std::string typeName;  ///< "ns3::NbIotUeNetDevice"
    std::string attribute; ///< "T3324"
    std::string value;     ///< "5s", as given

    std::string Name() const
    {
        return typeName + "::" + attribute;
    }
};

/// Whether a command-line argument is an attribute override ("--ns3::...").
bool IsAttributeOverride(const std::string& argument);

/// "--ns3::Type::Attribute=value" checked against ns-3's type registry. Throws
/// std::invalid_argument with one line naming the argument and what is wrong with it.
AttributeOverride ParseAttributeOverride(const std::string& argument);

/// Applies overrides for one run: defaults now, on existing objects by ApplyToObjects, and the
/// previous defaults back on destruction.
class AttributeOverrides
{
  public:
    explicit AttributeOverrides(std::vector<AttributeOverride> overrides);
    ~AttributeOverrides();
    AttributeOverrides(const AttributeOverrides&) = delete;
    AttributeOverrides& operator=(const AttributeOverrides&) = delete;

    /// Sets each override on every object of its type reachable from the node, device,
    /// application and channel lists.
    void ApplyToObjects();
    /// {"ns3::Type::Attr": {"value": ..., "objects_at_start": N}} for summary.json.
    nlohmann::json ToJson() const;
    bool Empty() const
    {
        return m_overrides.empty();
    }

  private:
    std::vector<AttributeOverride> m_overrides;
    std::vector<std::string> m_previousDefaults; ///< serialised, per override
    std::vector<uint32_t> m_objects;             ///< objects set at the start, per override
};

} // namespace ns3

#endif // LPWAN_ATTRIBUTE_OVERRIDES_H
