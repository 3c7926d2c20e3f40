/*
 * The registry of security profiles: the one place that lists them. The scenario schema takes
 * security.profile's allowed values and help from here, the run pipeline its profile object.
 */
#ifndef LPWAN_PROFILE_REGISTRY_H
#define LPWAN_PROFILE_REGISTRY_H

#include "security-profile.h"

#include <string>
#include <vector>

namespace ns3
{

/// Every profile, in the order the schema and the docs list them.
const std::vector<const SecurityProfile*>& GetSecurityProfiles();

/// The profile of this name, or nullptr.
const SecurityProfile* FindSecurityProfile(const std::string& name);

/// The scenario's profile (security.profile has been validated against the registry).
const SecurityProfile& GetSecurityProfile(const ScenarioConfig& c);

/// The names, in registry order (security.profile's allowed values).
std::vector<std::string> GetSecurityProfileNames();

/// security.profile's help: one sentence per profile.
std::string GetSecurityProfileHelp();

} // namespace ns3

#endif // LPWAN_PROFILE_REGISTRY_H
