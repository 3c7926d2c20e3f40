/*
 * The test PKI (tls::GenerateTestPki: a P-256 CA, a server and a client certificate) written
 * as PEM files, for the real-socket tools and for other implementations (libcoap's -c/-j/-C,
 * mosquitto's cafile/certfile/keyfile). lpwan-test-pki is the command-line face of it.
 */
#ifndef LPWAN_TOOLS_TEST_PKI_FILES_H
#define LPWAN_TOOLS_TEST_PKI_FILES_H

#include "protocols/tls/test-pki.h"

#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

/// The files WriteTestPkiFiles creates in its directory, in this order:
/// ca-cert.pem, ca-key.pem, server-cert.pem, server-key.pem, client-cert.pem, client-key.pem.
std::vector<std::string> TestPkiFileNames();

/// Writes the six PEM files into directory (which must exist); the key files are readable by
/// their owner only. False with *error naming the file that could not be written.
bool WriteTestPkiFiles(const tls::TestPki& pki, const std::string& directory, std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_TEST_PKI_FILES_H
