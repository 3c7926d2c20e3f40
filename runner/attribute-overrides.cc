#include "attribute-overrides.h"

#include "ns3/config.h"
#include "ns3/object.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <regex>

namespace ns3
{

namespace
{

const std::string kPrefix = "--ns3::";

/// Where objects of a type live in a built scenario (Config paths before "$ns3::Type").
const char* const kContainers[] = {"/NodeList/*/", "/NodeList/*/DeviceList/*/",
                                   "/NodeList/*/ApplicationList/*/", "/ChannelList/*/"};

[[noreturn]] void
Refuse(const std::string& argument, const std::string& why)
{
    throw std::invalid_argument(argument + ": " + why);
}

TypeId::AttributeInformation
Lookup(const AttributeOverride& o)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(o.typeName, &tid))
    {
        throw std::invalid_argument("no ns-3 type '" + o.typeName + "'");
    }
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(o.attribute, &info))
    {
        throw std::invalid_argument(o.typeName + " has no attribute '" + o.attribute + "'");
    }
    return info;
}

} // namespace

bool
IsAttributeOverride(const std::string& argument)
{
    return argument.compare(0, kPrefix.size(), kPrefix) == 0;
}

AttributeOverride
ParseAttributeOverride(const std::string& argument)
{
    const std::string body = argument.substr(2); // "ns3::Type::Attr=value"
    const size_t eq = body.find('=');
    if (eq == std::string::npos)
    {
        Refuse(argument, "needs a value (--ns3::Type::Attribute=value)");
    }
    const std::string name = body.substr(0, eq);
    const size_t sep = name.rfind("::");
    if (sep == std::string::npos || sep <= 3)
    {
        Refuse(argument,
               "is not --ns3::Type::Attribute=value (global values are not taken: "
               "the seed and run are --seed and --run)");
    }
    AttributeOverride o{name.substr(0, sep), name.substr(sep + 2), body.substr(eq + 1)};
    TypeId::AttributeInformation info;
    try
    {
        info = Lookup(o);
    }
    catch (const std::invalid_argument& e)
    {
        Refuse(argument, e.what());
    }
    if ((info.flags & TypeId::ATTR_CONSTRUCT) == 0 || (info.flags & TypeId::ATTR_SET) == 0)
    {
        Refuse(argument, "attribute '" + o.attribute + "' cannot be set");
    }
    // ns-3's Time parser aborts the program on a bad string instead of failing: its grammar
    // (a number and an optional unit, time.cc) is checked here first.
    static const std::regex kTime(
        R"(^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?(s|ms|us|ns|ps|fs|min|h|d|y)?$)");
    const bool isTime = info.checker->GetValueTypeName() == "ns3::TimeValue";
    Ptr<AttributeValue> value = info.checker->Create();
    if ((isTime && !std::regex_match(o.value, kTime))
        || !value->DeserializeFromString(o.value, info.checker))
    {
        Refuse(argument, "'" + o.value + "' is not a valid " + info.checker->GetValueTypeName()
                             + " for " + o.Name());
    }
    return o;
}

AttributeOverrides::AttributeOverrides(std::vector<AttributeOverride> overrides)
  : m_overrides(std::move(overrides))
  , m_objects(m_overrides.size(), 0)
{
    for (const AttributeOverride& o : m_overrides)
    {
        const TypeId::AttributeInformation info = Lookup(o);
        m_previousDefaults.push_back(info.initialValue->SerializeToString(info.checker));
        Config::SetDefault(o.Name(), StringValue(o.value));
    }
}

AttributeOverrides::~AttributeOverrides()
{
    // A later run in this process (a test, a sweep's worker) starts from ns-3's defaults again.
    for (size_t i = 0; i < m_overrides.size(); ++i)
    {
        Config::SetDefaultFailSafe(m_overrides[i].Name(), StringValue(m_previousDefaults[i]));
    }
}

void
AttributeOverrides::ApplyToObjects()
{
    for (size_t i = 0; i < m_overrides.size(); ++i)
    {
        const AttributeOverride& o = m_overrides[i];
        uint32_t n = 0;
        for (const char* container : kContainers)
        {
            const std::string objects = std::string(container) + "$" + o.typeName;
            n += Config::LookupMatches(objects).GetN();
            Config::SetFailSafe(objects + "/" + o.attribute, StringValue(o.value));
        }
        m_objects[i] = n;
    }
}

nlohmann::json
AttributeOverrides::ToJson() const
{
    nlohmann::json j = nlohmann::json::object();
    for (size_t i = 0; i < m_overrides.size(); ++i)
    {
        j[m_overrides[i].Name()]
            = {{"value", m_overrides[i].value}, {"objects_at_start", m_objects[i]}};
    }
    return j;
}

} // namespace ns3
