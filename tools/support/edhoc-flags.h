/*
 * The EDHOC command-line flags of the real-socket tools. With --edhoc the client runs EDHOC
 * (RFC 9528) with the server over CoAP (POST /.well-known/edhoc) and then sends its request
 * OSCORE-protected with the derived context; the server answers EDHOC and accepts OSCORE
 * requests with the contexts its EDHOC sessions derived.
 *
 *   --edhoc                 use EDHOC (and then OSCORE)
 *   --edhoc-method N        client: authentication method 0..3 (default 3, static DH)
 *   --edhoc-suite N         client: cipher suite 0 or 2 (default 2); server: the suites it
 *                           offers, repeatable (default 0 and 2)
 *   --edhoc-combined        client: send message_3 in the first OSCORE request (RFC 9668)
 *   --edhoc-message4        client: expect message_4; server: send it
 *
 * Both tools authenticate with built-in demonstration credentials (edhoc-demo-credentials.h):
 * well-known keys, for tests and demonstrations only.
 */
#ifndef LPWAN_TOOLS_EDHOC_FLAGS_H
#define LPWAN_TOOLS_EDHOC_FLAGS_H

#include "command-line.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

struct EdhocFlags
{
    bool enabled = false;
    int method = 3;
    std::vector<int64_t> suites; ///< empty: the default
    bool combined = false;
    bool message4 = false;
};

/// The EDHOC flags (--edhoc*).
po::options_description EdhocOptions();

/// Reads the EDHOC flags given into flags (any of them turns EDHOC on); false with *error for
/// a bad method or suite.
bool ReadEdhocFlags(const po::variables_map& values, EdhocFlags* flags, std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_EDHOC_FLAGS_H
