#include "profile-registry.h"

#include <memory>

namespace ns3
{

// Each profile's file defines its factory. Registering a profile: declare it and list it.
std::unique_ptr<SecurityProfile> MakeNoneProfile();
std::unique_ptr<SecurityProfile> MakeOscoreProfile();
std::unique_ptr<SecurityProfile> MakeDtlsPskProfile();
std::unique_ptr<SecurityProfile> MakeDtlsEcdheProfile();
std::unique_ptr<SecurityProfile> MakeTlsMqttProfile();
std::unique_ptr<SecurityProfile> MakeEdhocOscoreProfile();
std::unique_ptr<SecurityProfile> MakeOscoreDtlsProfile();
std::unique_ptr<SecurityProfile> MakeTls13MqttProfile();
std::unique_ptr<SecurityProfile> MakeDtls13PskProfile();
std::unique_ptr<SecurityProfile> MakeDtls13EcdheProfile();

namespace
{

std::vector<std::unique_ptr<SecurityProfile>>
MakeProfiles()
{
    std::vector<std::unique_ptr<SecurityProfile>> profiles;
    profiles.push_back(MakeNoneProfile());
    profiles.push_back(MakeOscoreProfile());
    profiles.push_back(MakeDtlsPskProfile());
    profiles.push_back(MakeDtlsEcdheProfile());
    profiles.push_back(MakeTlsMqttProfile());
    profiles.push_back(MakeEdhocOscoreProfile());
    profiles.push_back(MakeOscoreDtlsProfile());
    profiles.push_back(MakeTls13MqttProfile());
    profiles.push_back(MakeDtls13PskProfile());
    profiles.push_back(MakeDtls13EcdheProfile());
    return profiles;
}

} // namespace

const std::vector<const SecurityProfile*>&
GetSecurityProfiles()
{
    // Built on first use: the schema asks for the names during static initialisation.
    static const std::vector<std::unique_ptr<SecurityProfile>> owned = MakeProfiles();
    static const std::vector<const SecurityProfile*> profiles = []
    {
        std::vector<const SecurityProfile*> v;
        for (const auto& p : owned)
        {
            v.push_back(p.get());
        }
        return v;
    }();
    return profiles;
}

const SecurityProfile*
FindSecurityProfile(const std::string& name)
{
    for (const SecurityProfile* p : GetSecurityProfiles())
    {
        if (p->GetName() == name)
        {
            return p;
        }
    }
    return nullptr;
}

const SecurityProfile&
GetSecurityProfile(const ScenarioConfig& c)
{
    const SecurityProfile* p = FindSecurityProfile(c.GetText("security.profile"));
    if (p == nullptr)
    {
        c.Fail("security.profile", "unknown profile");
    }
    return *p;
}

std::vector<std::string>
GetSecurityProfileNames()
{
    std::vector<std::string> names;
    for (const SecurityProfile* p : GetSecurityProfiles())
    {
        names.push_back(p->GetName());
    }
    return names;
}

std::string
GetSecurityProfileHelp()
{
    std::string help = "Security between device and server.";
    for (const SecurityProfile* p : GetSecurityProfiles())
    {
        help += " '" + p->GetName() + "': " + p->GetHelp();
    }
    return help;
}

} // namespace ns3
