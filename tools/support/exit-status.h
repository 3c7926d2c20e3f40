/*
 * The exit statuses of the real-socket tools, documented in their --help texts. Scripts and
 * tests tell the failure classes apart by them.
 */
#ifndef LPWAN_TOOLS_EXIT_STATUS_H
#define LPWAN_TOOLS_EXIT_STATUS_H

namespace lpwan
{
namespace tools
{

namespace exit_status
{
constexpr int kOk = 0;            ///< a 2.xx response (client); a clean stop (server)
constexpr int kErrorResponse = 1; ///< a 4.xx or 5.xx response, or a failed block-wise transfer
constexpr int kUsage = 2;         ///< a bad command line
constexpr int kNoAnswer = 3;      ///< timeout, reset, unreachable, socket or name errors
constexpr int kSecurity = 4;      ///< OSCORE: rejected by the server, or a response that failed
constexpr int kInterrupted = 130; ///< SIGINT/SIGTERM before an answer (128 + SIGINT)
} // namespace exit_status

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_EXIT_STATUS_H
