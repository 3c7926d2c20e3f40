/*
 * security.profile=oscore: every request and response protected end to end with OSCORE under a
 * pre-shared context per device. Its figures are shared with the profiles and architectures
 * that run OSCORE inside something else (oscore-dtls, the layered architecture).
 */
#ifndef LPWAN_OSCORE_PROFILE_H
#define LPWAN_OSCORE_PROFILE_H

#include "security-profile.h"

namespace ns3
{

/// The OSCORE figures of pre-shared contexts: the devices' and the server's counters and the
/// bytes OSCORE added (summary.json "oscore").
void CollectOscoreFigures(const ProfileApps& apps, RunFigures& figures);

} // namespace ns3

#endif // LPWAN_OSCORE_PROFILE_H
